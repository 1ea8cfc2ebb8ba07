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
 */
(function () {
  var me = document.currentScript;
  var src = me && me.getAttribute("data-dd-runtime");
  if (!src || !window.IntersectionObserver) return; // old browsers keep the static SVG
  var url = new URL(src, document.baseURI).href;
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
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
