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
 * stop (tabindex, role="application", aria-roledescription="map", described by the hidden
 * key hint the build wrote) on arrival; the map explorer (data-dd-explorer), the map's region data and
 * the chart theme (its tooltip colours) are fetched only when the reader points at, taps or
 * tabs to the map. Until then the map is the picture; if they fail, it is the picture again
 * (no Tab stop, no hint) and one console warning per map says why.
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
  var theme = null;
  var warned = false; // the chart runtime's warning (a map's failure warns on its own)
  var seen = new WeakSet();
  var figures = [];

  function wake(figure) {
    if (seen.has(figure)) return;
    seen.add(figure);
    io.unobserve(figure);
    runtime = runtime || Promise.all([import(url), loadTheme()]);
    runtime.then(
      function (loaded) { loaded[0].enhance(figure, loaded[1]); },
      function (err) {
        if (!warned) console.warn("dd-chart: the chart runtime did not load;", err);
        warned = true;
      }
    );
  }

  function loadTheme() {
    if (!themeSrc) return Promise.resolve(null);
    theme = theme || fetch(new URL(themeSrc, document.baseURI)).then(function (r) {
      if (!r.ok) throw new Error("chart theme: HTTP " + r.status);
      return r.json();
    });
    return theme;
  }

  var io = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) wake(e.target); });
  }, { rootMargin: "200px 0px" });

  var MAP_EVENTS = ["pointerenter", "pointerdown", "focusin"];

  function startMap(figure) {
    var svg = figure.querySelector(".dd-graphic svg:not(.dd-narrow)");
    // The key hint (p[hidden], written by the build) is read only as the map's description.
    var hint = document.getElementById(figure.id + "-keys");
    if (!svg || !hint || !explorerSrc) return;
    var desc = svg.getAttribute("aria-describedby"); // the figure's description
    function set(tabindex, role, more) {
      svg.setAttribute("tabindex", tabindex);
      svg.setAttribute("role", role);
      svg.setAttribute("aria-describedby", desc + more);
    }
    set(0, "application", " " + hint.id);
    svg.setAttribute("aria-roledescription", "map"); // kept if it stays a picture
    // Every event before the explorer is ready is handed over in order, then it listens itself;
    // if it fails, the map is the static picture again.
    var failed = false;
    function wake(e) {
      explorer = explorer || import(new URL(explorerSrc, document.baseURI).href);
      var loaded = Promise.all([explorer, loadTheme().catch(function () { return null; })]);
      loaded.then(function (m) { return m[0].explore(figure, svg, e, m[1]); }).then(done, fail);
    }
    function fail(err) {
      done();
      if (failed) return; // events queued before the failure: one warning per map
      failed = true;
      set(0, "img", "");
      svg.removeAttribute("tabindex");
      hint.remove();
      console.warn("dd-map: " + figure.id + " stays a static picture;", err);
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
