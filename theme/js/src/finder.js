// The search box on the landing page and the state pages (theme/templates/_finder.html).
// Without JavaScript the box is the list of state pages; this script shows the search field,
// loads the index (search/index.json, written at build time) the first time the field gets
// focus, and lets MiniSearch find agencies, cities (in agency names), counties and states as
// the reader types. ARIA 1.2 combobox with a listbox popup: arrow keys move through the
// matches, Enter opens one, Escape closes the list. CSP-safe: no eval, no inline styles.
import MiniSearch from "minisearch";

const MAX = 8;

function setup(section) {
  const box = section.querySelector(".finder-box");
  const input = section.querySelector(".finder-input");
  const list = section.querySelector(".finder-options");
  const status = section.querySelector(".finder-status");
  const root = section.dataset.finderRoot || ".";
  let search = null;
  let loading = null;
  let results = [];
  let active = -1;

  box.hidden = false;

  function load() {
    if (!loading) {
      loading = fetch(section.dataset.finderIndex)
        .then((r) => {
          if (!r.ok) throw new Error(`search index: HTTP ${r.status}`);
          return r.json();
        })
        .then((index) => {
          const [fields, rows] = [index.fields, index.docs];
          const docs = rows.map((row, i) => {
            const doc = { i };
            fields.forEach((f, j) => (doc[f] = row[j]));
            return doc;
          });
          search = new MiniSearch({
            fields: ["name", "county", "state"],
            storeFields: ["name", "county", "state", "url", "kind"],
            idField: "i",
            searchOptions: { boost: { name: 3, state: 2 }, prefix: true, fuzzy: 0.15, combineWith: "AND" },
          });
          search.addAll(docs);
          if (input.value) update();
        })
        .catch((err) => {
          console.warn(err);
          status.textContent = "Search is not available; use the list of states.";
        });
    }
    return loading;
  }

  function label(r) {
    if (r.kind === "state") return { main: r.name, sub: "State page" };
    const where = [r.county && r.county !== "not listed" ? r.county : "", r.state].filter(Boolean).join(", ");
    return { main: r.name, sub: where };
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(n) {
    const items = list.querySelectorAll("[role=option]");
    items.forEach((li, k) => li.setAttribute("aria-selected", k === n ? "true" : "false"));
    active = n;
    if (n >= 0 && items[n]) {
      input.setAttribute("aria-activedescendant", items[n].id);
      items[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(n) {
    const r = results[n];
    if (r) window.location.href = `${root}/${r.url}`;
  }

  function update() {
    const q = input.value.trim();
    list.replaceChildren();
    if (!search || q.length < 2) {
      results = [];
      close();
      if (!search && q.length >= 2) status.textContent = "Loading the search index…";
      return;
    }
    results = search.search(q).slice(0, MAX);
    results.forEach((r, n) => {
      const li = document.createElement("li");
      li.id = `finder-option-${n}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const { main, sub } = label(r);
      const strong = document.createElement("span");
      strong.className = "finder-name";
      strong.textContent = main;
      const small = document.createElement("span");
      small.className = "finder-where";
      small.textContent = sub;
      li.append(strong, small);
      li.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the field
      li.addEventListener("click", () => go(n));
      list.append(li);
    });
    const open = results.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = open
      ? `${results.length} match${results.length === 1 ? "" : "es"}; use the arrow keys to choose`
      : "No matches";
  }

  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", () => {
    load().then(update);
    update();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (list.hidden && results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (results.length) highlight((active + 1) % results.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (results.length) highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (e.key === "Enter") {
      if (results.length) {
        e.preventDefault();
        go(active >= 0 ? active : 0);
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) close();
      else input.value = "";
    }
  });
  input.addEventListener("blur", close);
}

document.querySelectorAll(".finder[data-finder-index]").forEach(setup);
