"""Interactive charts (issue 5): the spec, the runtime bundle, the _headers file, the browser.

The fast tests check interactive_spec() (compiled Vega, tooltips, hover, escaping, same size
as the static SVG), the shipped bundle (budget, hashed names, the theme as data) and
headers.py. The plugin's tests/test_runtime_build.py proves the shipped scripts equal a fresh build.

The browser tests build a tiny real Pelican site with the project's theme and pelican.conf.py
(hand-written figure HTML, per docs/figure contract, with a real vl-convert SVG and a real
interactive_spec()), serve it on 127.0.0.1 applying the generated `_headers` file the way
Netlify and Cloudflare Pages do (so the CSP is enforced as an HTTP header), and drive
Debian's Chromium: no console errors or CSP violations, no chart JavaScript on the initial
load, the chart goes live after scroll or hover with the same box, tooltips and hover
highlight work, dark mode repaints, a broken spec leaves the static SVG, and with JavaScript
off every chart is still an SVG with its name.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
import vl_convert as vlc
from pelican import Pelican
from pelican.plugins.datadirectives import runtime
from pelican.plugins.datadirectives.chart_theme import TOKENS, dark_remaps, vega_config
from pelican.plugins.datadirectives.interactive import InteractiveSpecError, interactive_spec
from pelican.settings import read_settings
from playwright.sync_api import expect
from site_tools import headers

ROOT = Path(__file__).resolve().parent.parent

MONTHS = [
    {"month": "2025-01-01", "total": 135},
    {"month": "2025-06-01", "total": 610},
    {"month": "2025-10-01", "total": 1070},
    {"month": "2026-02-01", "total": 1425},
]
STATES = [
    {"state": "Florida", "agreements": 324},
    {"state": "Texas", "agreements": 298},
    {"state": "Georgia", "agreements": 1425},
]


def line_spec(**extra) -> dict:
    return {
        "data": {"values": MONTHS},
        "mark": "line",
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": "Month"},
            "y": {"field": "total", "type": "quantitative", "title": "Agreements"},
        },
        "width": 560,
        "height": 260,
        "config": vega_config(),
        **extra,
    }


def series_line_spec() -> dict:
    spec = line_spec()
    spec["data"]["values"] = [dict(m, series="All agreements") for m in MONTHS]
    spec["encoding"]["color"] = {"field": "series", "type": "nominal", "title": "Series"}
    return spec


def bar_spec() -> dict:
    return {
        "data": {"values": STATES},
        "mark": "bar",
        "encoding": {
            "y": {"field": "state", "type": "nominal", "title": None, "sort": "-x"},
            "x": {"field": "agreements", "type": "quantitative", "title": "Agreements"},
        },
        "width": 560,
        "height": 150,
        "config": vega_config(),
    }


def stacked_area_spec() -> dict:
    values = [
        dict(m, model=k, total=m["total"] // (i + 1))
        for m in MONTHS
        for i, k in enumerate(["task force", "jail"])
    ]
    spec = line_spec()
    spec.update(data={"values": values}, mark="area")
    spec["encoding"]["color"] = {"field": "model", "type": "nominal"}
    return spec


def facet_line_spec() -> dict:
    values = [dict(m, model=k) for m in MONTHS for k in ("jail", "task force")]
    inner = line_spec()
    return {
        "data": {"values": values},
        "facet": {"field": "model", "type": "nominal"},
        "columns": 2,
        "spec": {k: inner[k] for k in ("mark", "encoding", "width", "height")},
        "config": vega_config(),
    }


def map_spec() -> dict:
    def square(x, y):
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {"type": "Feature", "properties": {"name": n, "n": v}, "geometry": square(i, 0)}
        for i, (n, v) in enumerate([("A", 3), ("B", 1500)])
    ]
    return {
        "data": {"values": features},
        "mark": "geoshape",
        "projection": {"type": "mercator"},
        "encoding": {"color": {"field": "properties.n", "type": "quantitative", "title": "N"}},
        "width": 300,
        "height": 200,
        "config": vega_config(),
    }


def _svg_frame(svg: str) -> tuple[str, str, str]:
    """(width, height, first translate) of an SVG: its size and where the plot sits."""
    root = re.search(r"<svg\b[^>]*>", svg).group(0)
    width = re.search(r'width="([\d.]+)"', root).group(1)
    height = re.search(r'height="([\d.]+)"', root).group(1)
    return width, height, re.search(r"translate\([\d.,-]+\)", svg).group(0)


# ---- interactive_spec ------------------------------------------------------------------------


def test_spec_is_compiled_vega_with_inline_data_and_no_extras():
    vega = json.loads(interactive_spec(line_spec()))
    assert "marks" in vega and "signals" in vega, "expected a compiled Vega spec"
    assert not {"$schema", "background", "description", "usermeta"} & vega.keys()
    assert "layer" not in json.dumps(vega) or "mark" not in vega  # no Vega-Lite left
    inline = [d for d in vega["data"] if "values" in d]
    assert inline and inline[0]["values"] == MONTHS
    assert not any("url" in d for d in vega["data"])


@pytest.mark.parametrize("make", [line_spec, facet_line_spec])
def test_no_mark_or_guide_keeps_its_own_aria(make):
    """The live <svg> is the named image; Vega's per-mark roles would be nameless images."""

    def walk(node):
        for mark in node.get("marks", []):
            yield "mark", mark
            yield from walk(mark)
        for key in ("axes", "legends"):
            for guide in node.get(key, []):
                yield key, guide

    items = list(walk(json.loads(interactive_spec(make()))))
    assert items and all(item.get("aria") is False for _, item in items)


@pytest.mark.parametrize(
    "make", [line_spec, bar_spec, stacked_area_spec, facet_line_spec, map_spec]
)
def test_live_chart_has_the_static_charts_size_and_layout(make):
    # Hover dots and outlines must not move anything: same size, same plot origin.
    static = vlc.vegalite_to_svg(make())
    live = vlc.vega_to_svg(json.loads(interactive_spec(make())))
    assert _svg_frame(live) == _svg_frame(static)


def test_line_gets_hover_dots_with_formatted_tooltips():
    text = interactive_spec(line_spec())
    vega = json.loads(text)
    symbols = [m for m in _marks(vega) if m["type"] == "symbol"]
    assert len(symbols) == 1, "one layer of hover dots"
    enc = symbols[0]["encode"]["update"]
    tooltip = enc["tooltip"]["signal"]
    assert '"Month": timeFormat(datum["month"], "%b %-d, %Y")' in tooltip
    assert '"Agreements": format(datum["total"], ",")' in tooltip
    # invisible until hovered
    assert enc["opacity"][-1] == {"value": 0} and enc["opacity"][0]["value"] == 1
    assert any(m["name"].endswith("_voronoi") for m in _marks(vega)), "nearest-point hover"


def test_nearest_point_tooltips_read_the_data_row_not_the_voronoi_cell():
    spec = line_spec()
    spec["encoding"]["color"] = {"field": "series", "type": "nominal"}
    spec["data"]["values"] = [dict(m, series="all") for m in MONTHS]
    vega = json.loads(interactive_spec(spec))
    cell = next(m for m in _marks(vega) if m["name"].endswith("_voronoi"))
    signal = cell["encode"]["update"]["tooltip"]["signal"]
    assert 'datum.datum["series"]' in signal
    assert not re.search(r"(?<![.\w])datum\[", signal), signal


def test_bar_gets_outline_on_hover_and_tooltip_keeps_axis_format():
    spec = bar_spec()
    spec["encoding"]["x"]["axis"] = {"format": ".1f"}
    vega = json.loads(interactive_spec(spec))
    rect = next(m for m in _marks(vega) if m["type"] == "rect")
    enc = rect["encode"]["update"]
    assert '"Agreements": format(datum["agreements"], ".1f")' in enc["tooltip"]["signal"]
    assert '"State": ' in enc["tooltip"]["signal"]
    outline = TOKENS["colors"]["text"][0]
    assert enc["stroke"][0]["value"] == outline and enc["stroke"][-1] == {"value": None}


def test_faceted_lines_and_maps_get_tooltips_too():
    facet = json.loads(interactive_spec(facet_line_spec()))
    assert any(m["type"] == "symbol" and "tooltip" in m["encode"]["update"] for m in _marks(facet))
    shapes = [m for m in _marks(json.loads(interactive_spec(map_spec()))) if m["type"] == "shape"]
    update = shapes[0]["encode"]["update"]
    assert '"N": format(datum["properties.n"], ",")' in update["tooltip"]["signal"]
    assert update["stroke"][0]["value"] == TOKENS["colors"]["text"][0]


def test_an_authors_tooltip_and_selection_are_kept():
    spec = bar_spec()
    spec["encoding"]["tooltip"] = [{"field": "state", "type": "nominal", "title": "Where"}]
    spec["params"] = [{"name": "pick", "select": "point"}]
    text = interactive_spec(spec)
    assert "dd_hover" not in text
    rect = next(m for m in _marks(json.loads(text)) if m["type"] == "rect")
    tooltip = rect["encode"]["update"]["tooltip"]["signal"]
    assert '"Where": ' in tooltip and '"Agreements"' not in tooltip


def test_json_is_safe_inside_a_script_element_and_round_trips():
    nasty = "</script><!-- <script>alert(1)</script> & \u2028\u2029 é"
    spec = bar_spec()
    spec["data"]["values"] = [{"state": nasty, "agreements": 1}]
    text = interactive_spec(spec)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    values = next(d for d in json.loads(text)["data"] if "values" in d)["values"]
    assert values == [{"state": nasty, "agreements": 1}]


def test_output_is_deterministic():
    assert interactive_spec(stacked_area_spec()) == interactive_spec(stacked_area_spec())


def test_data_by_url_is_refused_with_a_fix():
    spec = line_spec()
    spec["data"] = {"url": "data/months.csv"}
    with pytest.raises(InteractiveSpecError, match="inline"):
        interactive_spec(spec)


def _marks(node):
    for mark in node.get("marks", []):
        yield mark
        yield from _marks(mark)


# ---- theme, bundle, headers ------------------------------------------------------------------


def test_runtime_theme_is_the_static_dark_map_and_cannot_chain():
    theme = json.loads(runtime.theme_json())
    assert theme["dark"] == dark_remaps()
    # The live chart is remapped in JS and also sits under the static SVG's dark CSS: a dark
    # colour that is also a light key would be repainted twice.
    assert not set(theme["dark"].values()) & set(theme["dark"])
    assert theme["tooltip"]["dark"]["background"] == TOKENS["background"]["dark"]


@pytest.fixture(scope="module")
def bundle() -> runtime.Bundle:
    return runtime.bundle()


def test_runtime_bundle_meets_the_budget_and_is_content_hashed(bundle):
    size = bundle.gzip_size("runtime")
    assert size <= runtime.BUDGET_GZIP, f"runtime is {size:,} bytes gzip"
    assert bundle.gzip_size("loader") <= 1024, "the loader must stay tiny"
    assert re.fullmatch(r"dd-runtime\.[0-9a-f]{12}\.js", bundle.runtime_name)
    assert re.fullmatch(r"dd-loader\.[0-9a-f]{12}\.js", bundle.loader_name)
    assert re.fullmatch(r"dd-theme\.[0-9a-f]{12}\.json", bundle.theme_name)
    assert b"export{" in bundle.runtime and b"enhance" in bundle.runtime


def test_chart_theme_reaches_the_runtime_as_data_not_compiled_in(bundle):
    # The dark map travels in the theme file, from chart_theme.py ...
    assert json.loads(bundle.theme)["dark"] == dark_remaps()
    # ... and no colour of this site's theme is inside the shipped scripts.
    for dark_hex in dark_remaps().values():
        assert dark_hex.encode() not in bundle.runtime + bundle.loader, dark_hex
    other = runtime.bundle({**TOKENS, "background": {"light": "#ffffff", "dark": "#000000"}})
    assert other.theme_name != bundle.theme_name
    assert (other.runtime, other.loader) == (bundle.runtime, bundle.loader)


def test_theme_meta_csp_is_the_headers_policy():
    base = (ROOT / "theme" / "templates" / "base.html").read_text()
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', base).group(1)
    assert meta == headers.META_POLICY
    assert "unsafe" not in headers.HEADER_POLICY
    assert headers.HEADER_POLICY.endswith("frame-ancestors 'none'")


def test_headers_file_caches_hashed_assets_forever_and_revalidates_the_rest(tmp_path):
    (tmp_path / "theme" / "js").mkdir(parents=True)
    (tmp_path / "theme" / "js" / "dd-runtime.0123456789ab.js").write_text("x")
    (tmp_path / "theme" / "favicon.svg").write_text("x")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "growth.html").write_text("x")
    (tmp_path / "index.html").write_text("x")
    rules = parse_headers(headers.write_headers(tmp_path, "/sub").read_text())
    assert (
        rules[0][0] == "/sub/*"
        and "frame-ancestors 'none'" in dict(rules[0][1])["Content-Security-Policy"]
    )
    cache = {path: dict(h)["Cache-Control"] for path, h in rules[1:]}
    assert cache["/sub/theme/js/dd-runtime.0123456789ab.js"] == headers.IMMUTABLE
    assert cache["/sub/theme/favicon.svg"] == "no-cache"
    assert cache["/sub/chapters/growth.html"] == cache["/sub/chapters/growth"] == "no-cache"
    assert cache["/sub/"] == cache["/sub/index.html"] == "no-cache"
    assert len(cache) == len(rules) - 1, "one Cache-Control rule per path"


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Netlify/Cloudflare `_headers`: a path line, then indented `Name: value` lines."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            rules.append((line.strip(), []))
    return rules


# ---- a tiny real site ------------------------------------------------------------------------

FIXTURE_PLUGIN = '''\
"""Test-only plugin: the chart runtime and charts.css, without the directives."""
from pathlib import Path
from pelican import signals
from pelican.plugins.datadirectives import chart_theme, runtime


def _listed(settings):
    # Signals outlive a build: act only in builds that list this plugin.
    return "dd_runtime_fixture" in (settings.get("PLUGINS") or [])


def _generator_init(generator):
    if _listed(generator.settings):
        runtime.on_generator_init(generator)


def _finalized(pelican):
    if not _listed(pelican.settings):
        return
    out = Path(pelican.output_path)
    (out / "theme" / "charts.css").write_text(chart_theme.charts_css())
    runtime.write_runtime(out)


def register():
    signals.generator_init.connect(_generator_init)
    signals.finalized.connect(_finalized)
'''


def figure_html(fig_id: str, title: str, desc: str, vl: dict, spec_text: str | None) -> str:
    """A chart figure as the plugin emits it (the figure contract), on one line per element."""
    svg = vlc.vegalite_to_svg(vl)
    width, height, _ = _svg_frame(svg)
    for old in sorted(set(re.findall(r'\bid="([^"]+)"', svg)), key=len, reverse=True):
        svg = svg.replace(f'id="{old}"', f'id="{fig_id}-{old}"')
        svg = svg.replace(f"url(#{old})", f"url(#{fig_id}-{old})")
    svg = re.sub(r'<rect width="[\d.]+" height="[\d.]+" fill="white"/>', "", svg, count=1)
    svg = re.sub(r'\sclass="marks"', "", svg, count=1)
    svg = svg.replace(
        "<svg ",
        f'<svg class="dd-svg" role="img" aria-labelledby="{fig_id}-title" '
        f'aria-describedby="{fig_id}-desc" focusable="false" ',
        1,
    )
    spec = (
        f'<script type="application/json" class="dd-spec">{spec_text}</script>'
        if (spec_text)
        else ""
    )
    return (
        f'<figure class="dd-figure dd-chart" id="{fig_id}" data-dd-key="k{fig_id}">\n'
        f'<figcaption class="dd-caption"><p class="dd-title" id="{fig_id}-title">{title}</p>'
        f"</figcaption>\n"
        f'<div class="dd-graphic" data-dd-width="{width}" data-dd-height="{height}">{svg}</div>\n'
        f'<p class="dd-desc dd-visually-hidden" id="{fig_id}-desc">{desc}</p>\n'
        f"{spec}\n"
        f'<footer class="dd-meta"><p class="dd-source">Source: test data.</p></footer>\n'
        f"</figure>"
    )


SPACER = "\n\n".join(
    f"Paragraph {i} of text that pushes the charts below the fold, so that the page's first "
    "screen has no chart near it."
    for i in range(40)
)


def write_page(content: Path, slug: str, title: str, body: str) -> None:
    (content / "pages" / f"{slug}.md").write_text(
        f"Title: {title}\nSlug: {slug}\n\n{body}\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("interactive-site")
    content = base / "content"
    (content / "pages").mkdir(parents=True)
    (content / "chapters").mkdir()
    (base / "plugins").mkdir()
    (base / "plugins" / "dd_runtime_fixture.py").write_text(FIXTURE_PLUGIN)
    bars = figure_html(
        "fig-bars",
        "Agreements by state",
        "Bar chart: Georgia leads.",
        bar_spec(),
        interactive_spec(bar_spec()),
    )
    line = figure_html(
        "fig-line",
        "Agreements by month",
        "Line chart: rising.",
        series_line_spec(),
        interactive_spec(series_line_spec()),
    )
    write_page(content, "charts", "Charts", f"{SPACER}\n\n{bars}\n\nBetween.\n\n{line}\n\nEnd.")
    broken = figure_html(
        "fig-broken",
        "Broken spec",
        "A chart whose spec is wrong.",
        bar_spec(),
        '{"marks":[{"type":"no-such-mark"}]}',
    )
    write_page(content, "broken", "Broken", f"{broken}\n\nEnd.")
    # A static SVG laid out with other font metrics than the browser's (as vl-convert's
    # fonts can be): smaller labels give a narrower, differently proportioned viewBox.
    small = bar_spec()
    small["config"] = {**small["config"], "axis": {**small["config"]["axis"], "labelFontSize": 9}}
    fonts = figure_html(
        "fig-fonts",
        "Other fonts",
        "A static SVG with other metrics.",
        small,
        interactive_spec(bar_spec()),
    )
    write_page(content, "fonts", "Fonts", f"{fonts}\n\nEnd.")
    # A chart set in the site's web font (Inter, from the theme's @font-face), as this site's are.
    inter = bar_spec()
    inter["config"] = vega_config({**TOKENS, "font": "Inter, system-ui, sans-serif"})
    inter_fig = figure_html(
        "fig-inter", "In the web font", "Bars in Inter.", inter, interactive_spec(inter)
    )
    write_page(content, "inter", "Inter", f"{inter_fig}\n\nEnd.")
    static_only = figure_html("fig-static", "Static only", "Not interactive.", bar_spec(), None)
    write_page(content, "plain", "Plain", f"Just text.\n\n{static_only}")
    out = base / "output"
    settings = read_settings(
        str(ROOT / "pelican.conf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(out),
            "PLUGIN_PATHS": [str(base / "plugins"), str(ROOT / "plugins")],
            "PLUGINS": ["dd_runtime_fixture"],
            "CACHE_PATH": str(base / "cache"),
        },
    )
    Pelican(settings).run()
    headers.write_headers(out)
    return out


def test_site_pages_carry_the_loader_only_where_a_chart_is_interactive(site, bundle):
    def scripts(page):
        return re.findall(r"<script\b[^>]*>", (site / "pages" / page).read_text())

    loader = [s for s in scripts("charts.html") if "src=" in s]
    assert loader == [
        f'<script defer src="../theme/js/{bundle.loader_name}" '
        f'data-dd-runtime="../theme/js/{bundle.runtime_name}" '
        f'data-dd-theme="../theme/js/{bundle.theme_name}" '
        f'data-dd-explorer="../theme/js/{bundle.explorer_name}">'
    ]
    assert [s for s in scripts("plain.html") if "src=" in s] == []
    assert (site / "theme" / "js" / bundle.runtime_name).read_bytes() == bundle.runtime
    assert (site / "theme" / "js" / bundle.loader_name).read_bytes() == bundle.loader
    assert (site / "theme" / "js" / bundle.theme_name).read_bytes() == bundle.theme
    # Page weight: the initial load's only script is the loader (no chart JavaScript).
    initial_js = sum((site / s.split('src="../')[1].split('"')[0]).stat().st_size for s in loader)
    # (About 2.1 KB raw, 1 KB gzip: it also makes static maps one Tab stop for the explorer.)
    assert initial_js == len(bundle.loader) < 2200


class _HostHandler(http.server.SimpleHTTPRequestHandler):
    """A static host that applies output/_headers (rules joined like Netlify/Cloudflare)."""

    rules: list = []

    def end_headers(self):
        path = self.path.split("?")[0]
        for pattern, pairs in self.rules:
            if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path):
                for name, value in pairs:
                    self.send_header(name, value)
        super().end_headers()

    def guess_type(self, path):
        return "text/javascript" if str(path).endswith(".js") else super().guess_type(path)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = type(
        "Host", (_HostHandler,), {"rules": parse_headers((site / "_headers").read_text())}
    )
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class Watch:
    """Everything a page did: console messages, CSP violations, requests (off-site aborted)."""

    CSP_HOOK = """document.addEventListener('securitypolicyviolation', e =>
        console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""

    def __init__(self, context, origin: str):
        self.origin = origin
        self.console: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.offsite: list[str] = []
        context.add_init_script(self.CSP_HOOK)
        context.on("console", lambda m: self.console.append((m.type, m.text)))
        context.on("weberror", lambda e: self.console.append(("error", str(e.error))))
        context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if not url.startswith(self.origin):
            self.offsite.append(url)
            return route.abort("blockedbyclient")
        self.requests.append(url)
        return route.continue_()

    def errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]

    def runtime_requests(self) -> list[str]:
        return [u for u in self.requests if "/dd-runtime." in u]


def open_page(browser, server, path, **context_args):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, **context_args)
    watch = Watch(context, server)
    page = context.new_page()
    response = page.goto(f"{server}/{path}")
    page.wait_for_load_state("load")
    return context, page, watch, response


@pytest.mark.browser
def test_chart_goes_live_on_scroll_under_the_csp_without_moving(browser, server, bundle):
    context, page, watch, response = open_page(browser, server, "pages/charts.html")
    try:
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-cache"
        page.wait_for_timeout(400)
        assert watch.runtime_requests() == [], "no chart JavaScript on the initial load"
        assert any("/dd-loader." in u for u in watch.requests)

        static = page.locator("#fig-bars .dd-graphic > svg")
        page.mouse.wheel(0, 300)  # the reader starts scrolling
        static.scroll_into_view_if_needed()
        box_before = static.bounding_box()
        page.wait_for_selector("#fig-bars[data-dd-live=ready]", timeout=10_000)
        live = page.locator("#fig-bars .dd-graphic .dd-live > svg")
        assert page.locator("#fig-bars .dd-graphic svg").count() == 1, "static SVG replaced"
        assert live.get_attribute("role") == "img"
        assert live.get_attribute("aria-labelledby") == "fig-bars-title"
        assert live.get_attribute("aria-describedby") == "fig-bars-desc"
        assert page.get_by_role("img", name="Agreements by state").count() == 1
        box_after = live.bounding_box()
        for key in ("x", "y", "width", "height"):
            assert abs(box_after[key] - box_before[key]) <= 1, (key, box_before, box_after)

        runtime_url = watch.runtime_requests()
        assert len(runtime_url) == 1 and runtime_url[0].endswith(bundle.runtime_name)
        rt = page.request.get(runtime_url[0])
        assert rt.headers["cache-control"] == headers.IMMUTABLE

        # Tooltip with the formatted value, and the hovered bar outlined.
        bar = live.locator("g.mark-rect path").nth(2)  # data order: Georgia, 1425
        bar.hover()
        tooltip = page.locator(".dd-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert "1,425" in tooltip.inner_text() and "Georgia" in tooltip.inner_text()
        outlined = live.locator(f'g.mark-rect path[stroke="{TOKENS["colors"]["text"][0]}"]')
        assert outlined.count() == 1

        # The second chart: a line, hovered near a point, shows that point's values.
        line_fig = page.locator("#fig-line")
        line_fig.scroll_into_view_if_needed()
        page.wait_for_selector("#fig-line[data-dd-live=ready]", timeout=10_000)
        path = page.locator("#fig-line .dd-live g.mark-line path").first
        pb = path.bounding_box()
        page.mouse.move(pb["x"] + pb["width"] - 8, pb["y"] + 8)  # near the last point
        expect(tooltip).to_contain_text("1,425", timeout=5_000)
        assert "Feb 1, 2026" in tooltip.inner_text()
        assert "Series: All agreements" in tooltip.inner_text()
        shown = page.locator('#fig-line .dd-live g.mark-symbol.role-mark path[opacity="1"]')
        assert shown.count() == 1, "the hovered point's dot appears"
        assert len(watch.runtime_requests()) == 1, "the runtime loads once per visit"

        assert watch.errors() == [], watch.errors()
        assert watch.offsite == []
        assert not [t for k, t in watch.console if k == "warning" and "dd-chart" in t]
    finally:
        context.close()


@pytest.mark.browser
def test_chart_visible_on_arrival_waits_for_the_pointer(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 9000})
    watch = Watch(context, server)
    page = context.new_page()
    try:
        page.goto(f"{server}/pages/charts.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(400)
        assert page.evaluate("() => document.documentElement.scrollHeight") <= 9000, "no scroll"
        assert watch.runtime_requests() == [], "a visible chart alone loads nothing"
        page.locator("#fig-line .dd-graphic").hover()
        page.wait_for_selector("#fig-line[data-dd-live=ready]", timeout=10_000)
        assert len(watch.runtime_requests()) == 1
        assert page.locator("#fig-bars[data-dd-live]").count() == 0, "only the chart pointed at"
        assert watch.errors() == []
    finally:
        context.close()


@pytest.mark.browser
def test_dark_mode_repaints_the_live_chart_with_the_themes_dark_colours(browser, server):
    context, page, watch, _ = open_page(browser, server, "pages/charts.html", color_scheme="dark")
    try:
        page.locator("#fig-bars .dd-graphic").hover()
        page.wait_for_selector("#fig-bars[data-dd-live=ready]", timeout=10_000)
        colours = page.eval_on_selector_all(
            "#fig-bars .dd-live svg [fill], #fig-bars .dd-live svg [stroke]",
            "els => els.flatMap(e => [e.getAttribute('fill'), e.getAttribute('stroke')])",
        )
        remap = dark_remaps()
        assert not {c.lower() for c in colours if c} & set(remap), "a light colour is left"
        muted_dark = TOKENS["colors"]["muted"][1]
        assert muted_dark in colours, "axis labels in the dark theme's muted colour"
        page.locator("#fig-bars .dd-live g.mark-rect path").first.hover()
        tooltip = page.locator(".dd-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        background = tooltip.evaluate("e => getComputedStyle(e).backgroundColor")
        dark_bg = TOKENS["background"]["dark"].lstrip("#")
        rgb = tuple(int(dark_bg[i : i + 2], 16) for i in (0, 2, 4))
        assert background == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"
        assert watch.errors() == []
    finally:
        context.close()


# Set in the page before any script: whether the chart font had loaded at the moment each
# figure went live.
FONT_AT_READY = """window.__ddFontAtReady = [];
new MutationObserver(records => {
  for (const r of records) {
    if (r.target.getAttribute('data-dd-live') === 'ready')
      window.__ddFontAtReady.push(document.fonts.check('400 16px Inter'));
  }
}).observe(document, {subtree: true, attributeFilter: ['data-dd-live']});"""


@pytest.mark.browser
def test_live_chart_waits_for_the_web_font_before_drawing(browser, server):
    # The font files are held back until well after the runtime has arrived: a live view
    # drawn meanwhile would be laid out with a fallback font, unlike the static SVG.
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    watch = Watch(context, server)
    context.add_init_script(FONT_AT_READY)
    held, release = [], []
    context.route("**/*.woff2", lambda route: route.continue_() if release else held.append(route))
    page = context.new_page()
    try:
        page.goto(f"{server}/pages/inter.html", wait_until="domcontentloaded")
        with page.expect_response(lambda r: "/dd-runtime." in r.url):
            page.locator("#fig-inter .dd-graphic").hover()
        page.wait_for_timeout(1000)
        assert page.get_attribute("#fig-inter", "data-dd-live") == "pending", "waits for the font"
        release.append(True)
        for route in held:
            route.continue_()
        page.wait_for_selector("#fig-inter[data-dd-live=ready]", timeout=10_000)
        assert page.evaluate("() => window.__ddFontAtReady") == [True]
        assert watch.errors() == []
    finally:
        context.close()


@pytest.mark.browser
def test_live_chart_keeps_the_static_box_when_its_layout_differs(browser, server):
    context, page, watch, _ = open_page(browser, server, "pages/fonts.html")
    try:
        static = page.locator("#fig-fonts .dd-graphic > svg")
        before, ratio = static.bounding_box(), static.get_attribute("viewBox")
        page.locator("#fig-fonts .dd-graphic").hover()
        page.wait_for_selector("#fig-fonts[data-dd-live=ready]", timeout=10_000)
        live = page.locator("#fig-fonts .dd-live > svg")
        assert live.get_attribute("viewBox") != ratio, "the fixture should differ in layout"
        after = live.bounding_box()
        for key in ("x", "y", "width", "height"):
            assert abs(after[key] - before[key]) <= 1, (key, before, after)
        assert watch.errors() == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_broken_spec_keeps_the_static_svg_and_warns_once(browser, server):
    context, page, watch, _ = open_page(browser, server, "pages/broken.html")
    try:
        page.locator("#fig-broken .dd-graphic").hover()
        page.wait_for_selector("#fig-broken[data-dd-live=failed]", timeout=10_000)
        assert page.locator("#fig-broken .dd-graphic > svg[role=img]").count() == 1
        assert page.locator("#fig-broken .dd-live").count() == 0
        warnings = [t for k, t in watch.console if k == "warning" and "dd-chart" in t]
        assert len(warnings) == 1 and "fig-broken" in warnings[0]
        assert watch.errors() == []
    finally:
        context.close()


@pytest.mark.browser
def test_without_javascript_every_chart_is_an_svg_with_its_name(browser, server):
    context, page, watch, _ = open_page(
        browser, server, "pages/charts.html", java_script_enabled=False
    )
    try:
        for name in ("Agreements by state", "Agreements by month"):
            img = page.get_by_role("img", name=name)
            assert img.count() == 1
            assert img.evaluate("e => e.tagName.toLowerCase()") == "svg"
        assert page.locator(".dd-live").count() == 0
        assert watch.runtime_requests() == []
    finally:
        context.close()
