/*
 * The chart runtime: turns a static chart figure into a live Vega view, in place.
 *
 * Loaded on demand by loader.js, which calls enhance(figure). The figure carries its compiled
 * Vega spec (script.dd-spec, built by plugins/pelican-datadirectives/pelican/plugins/datadirectives/interactive.py) next to the
 * static SVG rendered from the same spec. The view renders off-screen into a new box; only
 * when it has drawn does it replace the static SVG, with the static SVG's width, height,
 * role, accessible name and description, so nothing moves and screen readers hear the same
 * chart. On any failure the static SVG simply stays (one console.warn, never an error).
 *
 * Strict CSP: expressions run in vega-interpreter (no eval, no new Function); every style
 * change goes through the CSSOM (element.style), which `style-src 'self'` allows; nothing is
 * parsed from HTML strings.
 *
 * The chart theme arrives as data, never compiled in: the loader fetches the site's
 * dd-theme.<hash>.json (written by runtime.py from chart_theme.py) and passes it to enhance().
 * `dark` maps each light-theme hex to its dark twin (the same map the static SVG's dark-mode
 * CSS uses), `tooltip` holds the tooltip's colours per scheme. Without a theme the live chart
 * keeps its light colours and the tooltip uses the browser's system colours.
 *
 * Fonts: Vega measures text when it lays the chart out, so the live view waits until the
 * web fonts its spec names (Inter, on this site) have loaded (document.fonts.load, at most
 * FONT_WAIT_MS): laid out with the same font as the static SVG, nothing moves when it swaps.
 */
import { View, parse } from "./vega-subset.js";
import { expressionInterpreter } from "vega-interpreter";

let THEME = { dark: {}, tooltip: null };
// CSS system colours: readable in either scheme when the site gives no chart theme.
const SYSTEM_COLOURS = { background: "Canvas", color: "CanvasText", border: "GrayText" };
const SYSTEM_TOOLTIP = { light: SYSTEM_COLOURS, dark: SYSTEM_COLOURS };
const HEX = /#[0-9a-fA-F]{6}\b/g;
const EMPTY = new Set(["", "null", "undefined", "NaN"]);
const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
const live = new Map(); // figure -> { specText, box, svg, view }
// A slow or missing font delays the live view this long at most; then it draws anyway.
const FONT_WAIT_MS = 3000;
let warned = false;
let tooltipEl = null;

function warnOnce(figure, err) {
  if (warned) return;
  warned = true;
  console.warn(`dd-chart: ${figure.id || "a chart"} stays static:`, err);
}

/** The spec text with every light-theme colour swapped for its dark twin. */
function themed(specText, dark) {
  if (!dark) return specText;
  return specText.replace(HEX, (hex) => THEME.dark[hex.toLowerCase()] || hex);
}

/** Vega logs through this: errors are collected (the chart stays static), the rest is quiet. */
function collectingLogger(errors) {
  let level = 0;
  return {
    level(l) { if (arguments.length) { level = l; return this; } return level; },
    error(...args) { errors.push(args.map(String).join(" ")); return this; },
    warn() { return this; },
    info() { return this; },
    debug() { return this; },
  };
}

/** The CSS font-family lists a Vega spec names (`font`, `labelFont`, {value: ...}, ...). */
function fontFamilies(node, found = new Set()) {
  if (Array.isArray(node)) {
    for (const item of node) fontFamilies(item, found);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (/font$/i.test(key)) {
        const family = typeof value === "string" ? value : value && value.value;
        if (typeof family === "string" && family) found.add(family);
      } else {
        fontFamilies(value, found);
      }
    }
  }
  return found;
}

/** Resolve once the web fonts of these families (regular and bold) are loaded, or after
 *  FONT_WAIT_MS; never rejects (a font that fails leaves the browser's fallback). */
function fontsLoaded(families) {
  if (!document.fonts || !families.size) return Promise.resolve();
  const loads = [];
  for (const family of families) {
    for (const weight of ["400", "700"]) {
      loads.push(document.fonts.load(`${weight} 16px ${family}`).catch(() => null));
    }
  }
  return Promise.race([
    Promise.all(loads),
    new Promise((resolve) => setTimeout(resolve, FONT_WAIT_MS)),
  ]);
}

/** Render the spec off-screen; resolve with the box holding the drawn SVG and the view. */
async function render(specText, dark) {
  const spec = JSON.parse(themed(specText, dark));
  await fontsLoaded(fontFamilies(spec));
  spec.eventConfig = { ...(spec.eventConfig || {}), bind: "none" }; // no empty <form>
  const errors = [];
  const box = document.createElement("div");
  box.className = "dd-live";
  const view = new View(parse(spec, null, { ast: true }), {
    expr: expressionInterpreter,
    renderer: "svg",
    logger: collectingLogger(errors),
    tooltip: showTooltip,
  });
  view.initialize(box);
  await view.runAsync();
  const svg = box.querySelector("svg");
  if (errors.length || !svg || !svg.querySelector("g")) {
    view.finalize();
    throw new Error(errors[0] || "Vega drew nothing");
  }
  // Vega marks its container as a document of its own; the <svg role="img"> is the chart.
  box.removeAttribute("role");
  box.removeAttribute("aria-roledescription");
  box.removeAttribute("aria-label");
  return { box, svg, view };
}

/** Give the live SVG the static one's size and accessible name; then swap it in. */
function swapIn(old, drawn) {
  const { svg, box } = drawn;
  for (const name of ["width", "height", "role", "aria-labelledby", "aria-describedby",
                      "focusable"]) {
    const value = old.getAttribute(name);
    if (value !== null) svg.setAttribute(name, value);
  }
  svg.classList.add(...old.classList);
  // The browser's fonts can make Vega's layout a few pixels wider than vl-convert's. The
  // theme sizes chart SVGs by width (height: auto), so the ratio of the width and height
  // copied above sets the box; aspect-ratio (CSSOM, CSP-safe) pins the static ratio for any
  // stylesheet that goes by the viewBox instead. The drawing scales inside: no box moves.
  const vb = old.viewBox && old.viewBox.baseVal;
  if (vb && vb.width && vb.height) svg.style.aspectRatio = `${vb.width} / ${vb.height}`;
  old.replaceWith(box);
}

/** Make one chart figure interactive. Safe to call more than once. */
export async function enhance(figure, theme) {
  if (theme) THEME = theme;
  if (figure.hasAttribute("data-dd-live")) return;
  figure.setAttribute("data-dd-live", "pending");
  try {
    const specEl = figure.querySelector("script.dd-spec");
    // The wide drawing is the one the spec matches; a phone shows the narrow drawing instead
    // (charts.css), and keeps it static: the live view would bring back the small type.
    const staticSvg = figure.querySelector(".dd-graphic svg:not(.dd-narrow)");
    if (!specEl || !staticSvg) throw new Error("no spec or no static SVG in the figure");
    if (staticSvg.getClientRects().length === 0) {
      figure.removeAttribute("data-dd-live");
      return;
    }
    await draw(figure, specEl.textContent, staticSvg);
    figure.setAttribute("data-dd-live", "ready");
  } catch (err) {
    figure.setAttribute("data-dd-live", "failed");
    warnOnce(figure, err);
  }
}

/** Draw the figure's spec in the current colour scheme in place of `shown` (the static SVG,
 *  or the live one it redraws), and remember it; the view it replaces is finalized. */
async function draw(figure, specText, shown) {
  const drawn = await render(specText, darkQuery.matches);
  swapIn(shown, drawn);
  const before = live.get(figure);
  if (before) before.view.finalize();
  live.set(figure, { specText, ...drawn });
}

/** Redraw every live chart when the reader's colour scheme changes. */
darkQuery.addEventListener("change", () => {
  hideTooltip();
  for (const [figure, chart] of live) {
    draw(figure, chart.specText, chart.svg).catch((err) => warnOnce(figure, err));
  }
});

/* Tooltips: one shared element, styled through the CSSOM only. */

// A tooltip is fixed to the viewport: when the page moves under it (a touch scroll after a
// tap), it no longer points at anything.
addEventListener("scroll", () => hideTooltip(), { passive: true });

const TOOLTIP_STYLE = {
  position: "fixed",
  zIndex: "1000",
  pointerEvents: "none",
  maxWidth: "18rem",
  padding: "0.4rem 0.6rem",
  borderRadius: "4px",
  borderStyle: "solid",
  borderWidth: "1px",
  font: "0.8125rem/1.35 system-ui, sans-serif",
  boxShadow: "0 2px 6px rgba(0, 0, 0, 0.2)",
  visibility: "hidden",
  left: "0",
  top: "0",
};

function tooltipElement() {
  if (tooltipEl) return tooltipEl;
  tooltipEl = document.createElement("div");
  tooltipEl.className = "dd-tooltip";
  tooltipEl.setAttribute("aria-hidden", "true"); // the data table carries the same values
  Object.assign(tooltipEl.style, TOOLTIP_STYLE); // the CSSOM: allowed by style-src 'self'
  document.body.appendChild(tooltipEl);
  return tooltipEl;
}

function hideTooltip() {
  if (tooltipEl) tooltipEl.style.visibility = "hidden";
}

function fillTooltip(el, value) {
  el.replaceChildren();
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      // A field with no value for this mark (a state without a row) is left out, not "null".
      if (v == null || EMPTY.has(String(v))) continue;
      const row = document.createElement("div");
      const k = document.createElement("span");
      k.className = "dd-tooltip-key";
      k.textContent = `${key}: `;
      k.style.opacity = "0.8";
      const b = document.createElement("strong");
      b.textContent = String(v);
      row.append(k, b);
      el.appendChild(row);
    }
  } else {
    el.textContent = String(value);
  }
}

/** Vega's tooltip hook: (handler, event, item, value); value null or undefined hides it. */
function showTooltip(handler, event, item, value) {
  if (value == null || value === "") {
    hideTooltip();
    return;
  }
  const el = tooltipElement();
  const colours = (THEME.tooltip || SYSTEM_TOOLTIP)[darkQuery.matches ? "dark" : "light"];
  Object.assign(el.style, {
    background: colours.background,
    color: colours.color,
    borderColor: colours.border,
  });
  fillTooltip(el, value);
  const gap = 12;
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  let x = event.clientX + gap;
  let y = event.clientY + gap;
  if (x + w > window.innerWidth - 4) x = Math.max(4, event.clientX - gap - w);
  if (y + h > window.innerHeight - 4) y = Math.max(4, event.clientY - gap - h);
  el.style.left = `${x}px`;
  el.style.top = `${y}px`;
  el.style.visibility = "visible";
}
