/*
 * The map explorer: makes a static map (mark: map) answer hover, tap and keyboard, in place.
 *
 * Loaded on demand by loader.js the first time a reader points at, taps or tabs to a map;
 * nothing of it, and none of the map's data, is fetched before that. It reuses the static
 * SVG's own paths (no shapes are shipped) and fetches one small JSON per map (the figure's
 * data-dd-regions, written at build time by charts/maps.py `regions`): each region's name and
 * the values the data table shows, in the order of the region paths in the SVG.
 *
 * What the reader gets (docs/directives.md, "Exploring a map"):
 * - hover or tap a region: a tooltip with its name and numbers, a ring around it;
 * - the map is one Tab stop (the loader gave its SVG tabindex="0" and role="application"):
 *   arrow keys move to the nearest region in that direction, Home/End to the first/last in
 *   `order` (the data table's rows, then the regions without a row), Escape hides the
 *   tooltip and ring and keeps focus on the map (Tab leaves as usual); Escape anywhere on the
 *   page hides a tooltip the mouse opened (WCAG 1.4.13);
 * - a keyboard move or a tap is also written to a polite aria-live region, so a screen reader
 *   hears the same text as the tooltip shows; a mouse hover is written only once the pointer
 *   rests on a region (HOVER_REST_MS), so a sweep across the map does not queue a stream.
 *   Touch and pen moves are ignored (a drag is the start of a scroll); a cancelled touch
 *   (the scroll took over) clears what its pointerdown showed.
 *
 * Colours are the chart theme's tooltip colours (the JSON the loader fetches for the chart
 * runtime, `tooltip.light` / `tooltip.dark`), so the map's tooltip matches a live chart's;
 * without a theme, the system colours. The font is the page's own (inherited).
 *
 * Strict CSP: no inline script or style attribute; the explorer's rules are one constructed
 * stylesheet (CSSOM, document.adoptedStyleSheets), positions are set through element.style.
 * If anything fails (the JSON does not load, its regions do not match the paths), the map
 * stays the static picture it was (one console.warn, never an error).
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const maps = new WeakMap(); // figure -> Explorer (or the promise of one)
const HOVER_REST_MS = 300; // a hover is announced once the pointer rests this long
let tip = null; // one tooltip element for the page
let sheetAdded = false;
let current = null; // the explorer whose tooltip is showing

// Ring: a light halo under a dark line (a dark halo under a light line in dark mode), so it
// shows on every shade; forced colours use the system's highlight colours. The map's own
// focus outline (the page's :focus-visible style) is drawn inside its box: the figure's
// graphic clips what overflows it on phones. A tap focuses the map without that outline.
const CSS = `
.dd-map-ring{fill:none;pointer-events:none;stroke-linejoin:round;vector-effect:non-scaling-stroke}
.dd-map-ring-halo{stroke:var(--dd-map-bg-light,Canvas);stroke-width:5px}
.dd-map-ring-line{stroke:var(--dd-map-fg-light,CanvasText);stroke-width:2.5px}
.dd-map-tip{position:fixed;z-index:1000;pointer-events:none;max-width:18rem;padding:.4rem .6rem;
border:1px solid var(--dd-map-border-light,GrayText);border-radius:4px;
background:var(--dd-map-bg-light,Canvas);color:var(--dd-map-fg-light,CanvasText);
font-family:inherit;font-size:.8125rem;line-height:1.35;box-shadow:0 2px 6px rgba(0,0,0,.2);
left:0;top:0}
.dd-map-tip[hidden]{display:none}
.dd-map-tip b{display:block}
.dd-map-live{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
clip-path:inset(50%);white-space:nowrap;border:0}
svg.dd-exploring{cursor:default}
svg.dd-exploring:focus:not(:focus-visible){outline:none}
svg.dd-exploring:focus-visible{outline-offset:-3px}
@media (prefers-color-scheme:dark){
.dd-map-ring-halo{stroke:var(--dd-map-bg-dark,Canvas)}
.dd-map-ring-line{stroke:var(--dd-map-fg-dark,CanvasText)}
.dd-map-tip{background:var(--dd-map-bg-dark,Canvas);color:var(--dd-map-fg-dark,CanvasText);
border-color:var(--dd-map-border-dark,GrayText)}}
@media (forced-colors:active){
.dd-map-ring-halo{stroke:Canvas}.dd-map-ring-line{stroke:Highlight}
.dd-map-tip{background:Canvas;color:CanvasText;border-color:CanvasText;forced-color-adjust:none}}
`;

function addSheet(theme) {
  if (sheetAdded) return;
  sheetAdded = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  // The theme's tooltip colours per scheme, as custom properties the rules above read.
  const colours = theme && theme.tooltip;
  if (!colours) return;
  const style = document.documentElement.style; // the CSSOM: allowed by style-src 'self'
  for (const scheme of ["light", "dark"]) {
    const c = colours[scheme] || {};
    if (c.background) style.setProperty(`--dd-map-bg-${scheme}`, c.background);
    if (c.color) style.setProperty(`--dd-map-fg-${scheme}`, c.color);
    if (c.border) style.setProperty(`--dd-map-border-${scheme}`, c.border);
  }
}

function tooltip() {
  if (tip) return tip;
  tip = document.createElement("div");
  tip.className = "dd-map-tip";
  tip.hidden = true;
  tip.setAttribute("aria-hidden", "true"); // the live region says the same
  document.body.appendChild(tip);
  // A tooltip placed at a pointer no longer points at anything once the page scrolls under
  // it (a touch scroll after a tap): hide it. One placed by the keyboard follows its region.
  // The ring goes with it.
  addEventListener("scroll", () => {
    if (current && current.active >= 0 && !current.at) current.place();
    else if (current) current.clear();
    else tip.hidden = true;
  }, { passive: true });
  // Escape anywhere hides a tooltip the mouse opened (WCAG 1.4.13: dismissable without
  // moving the pointer); the focused map handles its own Escape.
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && current && current.svg !== document.activeElement) current.clear();
  });
  return tip;
}

class Explorer {
  constructor(figure, svg, data, paths) {
    this.figure = figure;
    this.svg = svg;
    this.data = data;
    this.paths = paths;
    this.index = new Map(paths.map((p, i) => [p, i]));
    this.active = -1;
    this.centres = null; // computed on first keyboard use (layout must be done)
    this.live = document.createElement("p");
    this.live.className = "dd-map-live";
    this.live.setAttribute("aria-live", "polite");
    figure.appendChild(this.live);
    this.born = performance.now(); // a live region just added may miss its first change
    this.timer = 0;
    this.rest = 0; // the pending hover announcement
    this.ring = [this.ringPath("dd-map-ring-halo"), this.ringPath("dd-map-ring-line")];
    svg.classList.add("dd-exploring");
    svg.setAttribute("aria-roledescription", "map");
    svg.addEventListener("pointermove", (e) => this.onPointer(e));
    svg.addEventListener("pointerdown", (e) => this.onPointer(e));
    svg.addEventListener("pointerup", (e) => this.onPointer(e));
    svg.addEventListener("pointercancel", () => this.clear()); // a touch became a scroll
    svg.addEventListener("pointerleave", (e) => { if (e.pointerType === "mouse") this.clear(); });
    svg.addEventListener("keydown", (e) => this.onKey(e));
    svg.addEventListener("focus", () => this.onFocus());
    svg.addEventListener("blur", () => this.clear());
    // A tap elsewhere on the page closes the tooltip a tap opened.
    document.addEventListener("pointerdown", (e) => {
      if (!svg.contains(e.target)) this.clear();
    });
  }

  ringPath(cls) {
    const p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("class", `dd-map-ring ${cls}`);
    p.setAttribute("display", "none");
    p.setAttribute("aria-hidden", "true");
    this.svg.appendChild(p);
    return p;
  }

  /** The text for region i: its name, then "Label: value" per value it has. */
  text(i) {
    const row = this.data.regions[i];
    const lines = [];
    if (row[1] === null) {
      lines.push(this.data.empty); // no row in the data for this region
    } else {
      this.data.labels.forEach((label, k) => {
        const v = row[k + 1];
        if (v !== undefined && v !== "") lines.push(`${label}: ${v}`);
      });
    }
    return { name: row[0], lines };
  }

  /** Show region i (ring, tooltip); `at` is the pointer event that chose it (the tooltip goes
   * beside it), `speak` when the live region says it: "now", "rest" (a hover: once the
   * pointer has rested on it) or "no". */
  show(i, at, speak = "now") {
    const changed = i !== this.active;
    this.active = i;
    this.at = at ? { clientX: at.clientX, clientY: at.clientY } : null;
    current = this;
    const path = this.paths[i];
    // The ring is drawn last in the SVG (above borders), in the path's own coordinates.
    const m = this.svg.getScreenCTM().inverse().multiply(path.getScreenCTM());
    for (const r of this.ring) {
      r.setAttribute("d", path.getAttribute("d"));
      r.setAttribute("transform", `matrix(${m.a},${m.b},${m.c},${m.d},${m.e},${m.f})`);
      r.removeAttribute("display");
    }
    const { name, lines } = this.text(i);
    const el = tooltip();
    if (changed || el.hidden) {
      const b = document.createElement("b");
      b.textContent = name;
      el.replaceChildren(b, ...lines.map((l) => {
        const d = document.createElement("div");
        d.textContent = l;
        return d;
      }));
    }
    this.place();
    if (changed) clearTimeout(this.rest);
    if (speak === "no" || (!changed && speak === "rest")) return;
    const text = [`${name}.`, ...lines.map((l) => `${l}.`)].join(" ");
    if (speak === "rest") this.rest = setTimeout(() => this.say(text), HOVER_REST_MS);
    else this.say(text);
  }

  /** Put the tooltip beside the pointer, or under the active region, inside the viewport. */
  place() {
    const el = tooltip();
    el.hidden = false;
    const at = this.at;
    let x, y;
    if (at) {
      x = at.clientX + 12;
      y = at.clientY + 12;
    } else {
      const box = this.paths[this.active].getBoundingClientRect();
      x = box.left + box.width / 2 + 8;
      y = box.bottom + 8;
    }
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    if (x + w > innerWidth - 4) x = Math.max(4, (at ? at.clientX - 12 : x - 16) - w);
    if (y + h > innerHeight - 4) y = Math.max(4, (at ? at.clientY - 12 : y - 16) - h);
    el.style.left = `${Math.round(x)}px`;
    el.style.top = `${Math.round(y)}px`;
  }

  say(text) {
    clearTimeout(this.timer);
    const wait = this.born + 200 - performance.now();
    if (wait > 0) this.timer = setTimeout(() => { this.live.textContent = text; }, wait);
    else this.live.textContent = text;
  }

  clear() {
    clearTimeout(this.rest);
    this.active = -1;
    if (current === this) current = null;
    for (const r of this.ring) r.setAttribute("display", "none");
    if (tip) tip.hidden = true;
  }

  onPointer(e) {
    const mouse = e.pointerType === "mouse";
    if (e.type === "pointermove" && !mouse) return; // a touch drag is a scroll starting
    if (e.type === "pointerup" && mouse) return; // the pointerdown (or the hover) showed it
    const i = this.index.get(e.target);
    if (i === undefined) {
      if (e.type !== "pointerup") this.clear();
      return;
    }
    // A touch or pen says the region when it lifts (a tap), not when it lands: a landing
    // that turns into a scroll is cancelled (pointercancel) and says nothing.
    let speak = "now";
    if (e.type === "pointermove") speak = "rest";
    else if (e.type === "pointerdown" && !mouse) speak = "no";
    this.show(i, e, speak);
  }

  onFocus() {
    // Keyboard focus (not a click or tap) shows the last region visited, or the first.
    if (!this.svg.matches(":focus-visible")) return;
    this.show(this.active >= 0 ? this.active : this.data.order[0]);
  }

  centre(i) {
    if (!this.centres) {
      this.centres = this.paths.map((p) => {
        const b = p.getBoundingClientRect();
        return [b.left + b.width / 2 + scrollX, b.top + b.height / 2 + scrollY];
      });
    }
    return this.centres[i];
  }

  /** The nearest region whose centre lies in direction (dx, dy) from the active one's. */
  step(dx, dy) {
    const [x0, y0] = this.centre(this.active);
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < this.paths.length; i++) {
      if (i === this.active) continue;
      const [x, y] = this.centre(i);
      const along = (x - x0) * dx + (y - y0) * dy;
      const across = Math.abs((x - x0) * dy - (y - y0) * dx);
      if (along <= 0 || across > along * 2) continue; // not in that direction
      const score = along + across * 2;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const order = this.data.order;
    let next = -2;
    const dirs = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key in dirs) {
      next = this.active < 0 ? order[0] : this.step(...dirs[e.key]);
      if (next < 0) next = this.active; // nothing further that way: stay
    } else if (e.key === "Home") {
      next = order[0];
    } else if (e.key === "End") {
      next = order[order.length - 1];
    } else if (e.key === "Escape") {
      // Hide the tooltip and ring; focus stays on the map (Tab leaves it as usual).
      e.preventDefault();
      this.clear();
      return;
    }
    if (next === -2) return;
    e.preventDefault(); // arrows and Home/End would scroll the page
    this.show(next);
  }
}

async function setUp(figure, svg, theme) {
  const src = figure.getAttribute("data-dd-regions");
  const response = await fetch(new URL(src, document.baseURI));
  if (!response.ok) throw new Error(`map regions: HTTP ${response.status}`);
  const data = await response.json();
  if (!data.regions || !data.regions.length) throw new Error("map regions: none to explore");
  const groups = svg.querySelectorAll("g.mark-shape");
  const group = groups[data.mark];
  const paths = group ? [...group.children].filter((c) => c.localName === "path") : [];
  if (paths.length !== data.regions.length) {
    throw new Error(`the map draws ${paths.length} regions, its data lists ${data.regions.length}`);
  }
  addSheet(theme);
  return new Explorer(figure, svg, data, paths);
}

/**
 * Make the map in `figure` explorable; `event` is what woke it (its first pointer position
 * or focus is honoured once the data is in); `theme` is the chart theme (or null). Safe to
 * call more than once. Rejects if the map cannot be explored: the caller (the loader) warns,
 * once, and turns the map back into the static picture.
 */
export async function explore(figure, svg, event, theme) {
  let ready = maps.get(figure);
  if (!ready) {
    ready = setUp(figure, svg, theme);
    maps.set(figure, ready);
  }
  const explorer = await ready;
  if (!event) return;
  if (event.type === "focusin") {
    if (document.activeElement === svg) explorer.onFocus();
  } else if (event.type === "pointerdown" || svg.matches(":hover")) {
    const target = document.elementFromPoint(event.clientX, event.clientY);
    const i = explorer.index.get(target);
    if (i !== undefined) explorer.show(i, event, event.type === "pointerdown" ? "now" : "rest");
  }
}
