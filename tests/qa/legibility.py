"""Legibility checkers: chart text a reader can read, and tables that fit a phone (issue 15).

`measure(page)` runs in the loaded page (JavaScript on, or the site's own scripts blocked:
the checker itself needs JavaScript) and returns what it found, as data:

- every visible chart SVG's text: the rendered size (computed font size times the SVG's
  scale on screen, from the text's screen CTM), whether its box leaves the SVG's box, and
  which labels overlap another label of the same SVG;
- every table: its width against the viewport and against the box it scrolls in.

`problems(result, min_px)` turns that into located messages that name the chart (the
figure's id and which drawing: wide, narrow or live) and the text; `summary(result)` gives
the figures docs/testing.md reports (smallest text, clipped, overlapping, wide tables).
"""

from __future__ import annotations

MIN_TEXT_PX = 11.0
# A text box may touch its SVG's edge (antialiasing, rounding): this much is not "outside".
EDGE_TOLERANCE = 1.0
# Text boxes span the font's ascent to descent (about 1.2 em for Inter); the ink is smaller.
# Two labels overlap when their boxes, trimmed by this share of their height top and bottom,
# still intersect by more than a pixel each way.
INK_TRIM = 0.18

_MEASURE_JS = """async ([inkTrim]) => {
    await document.fonts.ready;
    const vw = document.documentElement.clientWidth;
    const visible = el => {
        for (let e = el; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0')
                return false;
            if (e.tagName.toLowerCase() === 'svg' && e.parentElement &&
                e.parentElement.closest('svg') === null) break;
        }
        return el.getClientRects().length > 0;
    };
    const charts = [];
    for (const fig of document.querySelectorAll('figure')) {
        const svgs = [...fig.querySelectorAll('svg')].filter(
            s => s.parentElement.closest('svg') === null && s.getClientRects().length > 0);
        svgs.forEach((svg, n) => {
            const box = svg.getBoundingClientRect();
            if (box.width < 1 || box.height < 1) return;
            const cls = svg.getAttribute('class') || '';
            const drawing = cls.includes('dd-narrow') ? 'narrow' :
                fig.getAttribute('data-dd-live') === 'ready' ? 'live' : 'wide';
            const texts = [];
            for (const t of svg.querySelectorAll('text')) {
                const label = (t.textContent || '').replace(/\\s+/g, ' ').trim();
                if (!label || !visible(t)) continue;
                const m = t.getScreenCTM();
                const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
                const size = parseFloat(getComputedStyle(t).fontSize) * scale;
                const r = t.getBoundingClientRect();
                if (r.width === 0 && r.height === 0) continue;
                const out = Math.max(box.left - r.left, r.right - box.right,
                                     box.top - r.top, r.bottom - box.bottom, 0);
                texts.push({label, size, out, l: r.left, r: r.right, t: r.top, b: r.bottom,
                            rotated: Math.abs(m ? m.b : 0) > 1e-6});
            }
            const overlaps = [];
            for (let i = 0; i < texts.length; i++) {
                for (let j = i + 1; j < texts.length; j++) {
                    const a = texts[i], b = texts[j];
                    const ta = (a.b - a.t) * inkTrim, tb = (b.b - b.t) * inkTrim;
                    const w = Math.min(a.r, b.r) - Math.max(a.l, b.l);
                    const h = Math.min(a.b - ta, b.b - tb) - Math.max(a.t + ta, b.t + tb);
                    if (w > 1 && h > 1) overlaps.push([a.label, b.label]);
                }
            }
            charts.push({figure: fig.id || `figure ${n + 1}`, drawing, scale: box.width /
                         (svg.viewBox.baseVal && svg.viewBox.baseVal.width || box.width),
                         texts: texts.map(({label, size, out}) => ({label, size, out})),
                         overlaps});
        });
    }
    for (const d of document.querySelectorAll('details')) d.open = true;
    const tables = [];
    for (const table of document.querySelectorAll('table')) {
        if (table.getClientRects().length === 0) continue;
        const r = table.getBoundingClientRect();
        const wrap = table.parentElement;
        const scrolls = wrap && wrap.scrollWidth > wrap.clientWidth + 1 &&
            getComputedStyle(wrap).overflowX !== 'visible';
        const cap = table.querySelector('caption');
        const name = (cap && cap.textContent.trim()) ||
            (table.closest('figure') && table.closest('figure').id) || 'table';
        tables.push({name: name.replace(/\\s+/g, ' ').slice(0, 80), width: r.width,
                     right: r.right, viewport: vw, scrolls: !!scrolls,
                     wrapWidth: wrap ? wrap.clientWidth : vw});
    }
    return {charts, tables, viewport: vw};
}"""


def measure(page) -> dict:
    """Chart text and table geometry of the loaded page (see the module docstring)."""
    return page.evaluate(_MEASURE_JS, [INK_TRIM])


def problems(result: dict, min_px: float = MIN_TEXT_PX) -> list[str]:
    """Every legibility problem on one page, each naming the chart (or table) and the text."""
    out: list[str] = []
    for chart in result["charts"]:
        where = f"chart #{chart['figure']} ({chart['drawing']} drawing)"
        small = [t for t in chart["texts"] if t["size"] < min_px - 0.05]
        if small:
            worst = min(small, key=lambda t: t["size"])
            names = ", ".join(f"'{t['label'][:40]}'" for t in small[:4])
            more = f" and {len(small) - 4} more" if len(small) > 4 else ""
            out.append(
                f"{where}: {len(small)} text(s) render below {min_px:g} px (smallest "
                f"{worst['size']:.1f} px, '{worst['label'][:40]}'): {names}{more}"
            )
        for t in chart["texts"]:
            if t["out"] > EDGE_TOLERANCE:
                out.append(f"{where}: text '{t['label'][:60]}' leaves the SVG by {t['out']:.1f} px")
        for a, b in chart["overlaps"]:
            out.append(f"{where}: labels overlap: '{a[:40]}' and '{b[:40]}'")
    for t in result["tables"]:
        limit = min(t["viewport"], t["wrapWidth"]) if t["scrolls"] else t["viewport"]
        if t["scrolls"] or t["right"] > t["viewport"] + 1:
            out.append(
                f"table '{t['name']}' is {t['width']:.0f} px wide; it scrolls sideways in "
                f"{limit:.0f} px (viewport {t['viewport']} px)"
            )
    return out


def summary(result: dict, min_px: float = MIN_TEXT_PX) -> dict:
    """The gate's figures for one page: smallest text, clipped and overlapping labels,
    wide tables."""
    sizes = [t["size"] for c in result["charts"] for t in c["texts"]]
    return {
        "smallest_px": round(min(sizes), 1) if sizes else None,
        "small": sum(1 for s in sizes if s < min_px - 0.05),
        "clipped": sum(
            1 for c in result["charts"] for t in c["texts"] if t["out"] > EDGE_TOLERANCE
        ),
        "overlapping": sum(len(c["overlaps"]) for c in result["charts"]),
        "wide_tables": sum(
            1 for t in result["tables"] if t["scrolls"] or t["right"] > t["viewport"] + 1
        ),
    }


# (viewport width, the site's JavaScript): each context is measured in light, then in dark
# (the colour scheme switched in place: live charts redraw for it, nothing reloads).
WIDTHS = (375, 1280)
PHONE_MAX = 559  # below 560 px the theme shows phone drawings, which stay static
SCHEMES = ("light", "dark")


def variant_name(scheme: str, width: int, js: bool) -> str:
    return f"{scheme}-{width}" + ("" if js else "-nojs")


def audit_site(browser, base_url: str, pages: list[str], monitor=None) -> dict:
    """Measure every page at 375 and 1280 px, JavaScript on and off, light and dark.

    Returns {variant name: {page: measure() result}}. Without JavaScript the site's own
    scripts are blocked (the measuring code needs JavaScript itself), which is what a reader
    without JavaScript gets: the static drawings.
    """
    from .browser import settle

    results: dict[str, dict] = {}
    for width in WIDTHS:
        for js in (True, False):
            context = browser.new_context(
                color_scheme="light",
                viewport={"width": width, "height": 900},
                reduced_motion="reduce",
            )
            if not js:
                context.route(
                    "**/*",
                    lambda route: (
                        route.abort("blockedbyclient")
                        if route.request.resource_type == "script"
                        else route.continue_()
                    ),
                )
            page = context.new_page()
            for name in pages:
                page.goto(base_url + name)
                if js and width > PHONE_MAX:
                    settle(page)  # scroll, so charts near the viewport go live
                else:
                    # Phones keep the static phone drawings (the runtime never swaps them).
                    page.wait_for_load_state("networkidle" if js else "load")
                for scheme in SCHEMES:
                    page.emulate_media(color_scheme=scheme)
                    if js and scheme == "dark":
                        page.wait_for_timeout(50)  # live charts redraw for the new scheme
                        page.wait_for_load_state("networkidle")
                    results.setdefault(variant_name(scheme, width, js), {})[name] = measure(page)
                    if scheme == "light":
                        page.evaluate(_CLOSE_DETAILS_JS)
            context.close()
    return results


# measure() opens every <details> to see its table; the dark pass starts as the page was.
_CLOSE_DETAILS_JS = (
    "() => { for (const d of document.querySelectorAll('details.dd-data')) d.open = false; }"
)
