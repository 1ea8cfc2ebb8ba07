/*
 * The chart loader: the only script a page loads up front. It never draws anything; it only
 * watches the interactive charts (.dd-chart figures that carry a script.dd-spec) and, once a
 * reader shows interest in one, imports the chart runtime (once per visit, content-hashed,
 * cacheable) and hands it that figure.
 *
 * Interest is: the pointer enters the chart, focus moves into it, or, after the reader has
 * started scrolling, the chart comes within 200px of the viewport. Charts visible on arrival
 * do not count until the reader scrolls or points at them, so the initial load ships no chart
 * JavaScript at all. Runs as a classic deferred script (document.currentScript works there);
 * the runtime's URL comes from its own data-dd-runtime attribute, so no inline script.
 * The chart theme is data: data-dd-theme names a JSON file, fetched with the runtime and
 * handed to it; if either fails to load, the static SVG stays.
 *
 * Static maps that can be explored (figures with data-dd-regions) get their SVG made one Tab
 * stop (tabindex, role="application", a hint for screen readers) on arrival; the map
 * explorer (data-dd-explorer) and the map's region data are fetched only when the reader
 * points at, taps or tabs to the map. Until then, and if they fail, the map is the picture.
 */
(function () {
  var me = document.currentScript;
  var src = me && me.getAttribute("data-dd-runtime");
  if (!src || !window.IntersectionObserver) return; // old browsers keep the static SVG
  var url = new URL(src, document.baseURI).href;
  var explorerSrc = me.getAttribute("data-dd-explorer");
  var explorer = null;
  var themeSrc = me.getAttribute("data-dd-theme");
  var runtime = null;
  var warned = false;
  var seen = new WeakSet();
  var figures = [];

  function wake(figure) {
    if (seen.has(figure)) return;
    seen.add(figure);
    io.unobserve(figure);
    runtime = runtime || Promise.all([import(url), themeSrc ? loadTheme() : null]);
    runtime.then(
      function (loaded) { loaded[0].enhance(figure, loaded[1]); },
      function (err) {
        if (!warned) console.warn("dd-chart: the chart runtime did not load;", err);
        warned = true;
      }
    );
  }

  function loadTheme() {
    return fetch(new URL(themeSrc, document.baseURI)).then(function (r) {
      if (!r.ok) throw new Error("chart theme: HTTP " + r.status);
      return r.json();
    });
  }

  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) wake(e.target); });
  }, { rootMargin: "200px 0px" });

  var MAP_EVENTS = ["pointerenter", "pointerdown", "focusin"];

  function startMap(figure) {
    var svg = figure.querySelector(".dd-graphic svg:not(.dd-narrow)");
    if (!svg || !explorerSrc) return;
    var hint = document.createElement("p");
    hint.id = figure.id + "-keys";
    hint.className = "dd-visually-hidden";
    hint.textContent = "Arrow keys move between places, Escape leaves the map.";
    figure.appendChild(hint);
    var desc = svg.getAttribute("aria-describedby");
    function set(tabindex, role, more) {
      svg.setAttribute("tabindex", tabindex);
      svg.setAttribute("role", role);
      svg.setAttribute("aria-describedby", desc + more);
    }
    set(0, "application", " " + hint.id);
    // Every event before the explorer is ready is handed over in order, then it listens itself;
    // if it fails, the map is the static picture again.
    function wake(e) {
      explorer = explorer || import(new URL(explorerSrc, document.baseURI).href);
      explorer.then(function (m) { return m.explore(figure, svg, e); }).then(done, function (err) {
        done();
        set(-1, "img", "");
        if (!warned) console.warn("dd-map: the map explorer did not load;", err);
        warned = true;
      });
    }
    function done() { MAP_EVENTS.forEach(function (t) { svg.removeEventListener(t, wake); }); }
    MAP_EVENTS.forEach(function (t) { svg.addEventListener(t, wake); });
  }

  function onScroll() {
    figures.forEach(function (f) { io.observe(f); });
  }

  function start() {
    var all = document.querySelectorAll(".dd-chart");
    for (var i = 0; i < all.length; i++) {
      var f = all[i];
      if (!f.querySelector("script.dd-spec")) continue;
      figures.push(f);
      f.addEventListener("pointerenter", wake.bind(null, f), { once: true });
      f.addEventListener("focusin", wake.bind(null, f), { once: true });
    }
    if (figures.length) addEventListener("scroll", onScroll, { once: true, passive: true });
    var maps = document.querySelectorAll(".dd-chart[data-dd-regions]");
    for (var j = 0; j < maps.length; j++) startMap(maps[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
