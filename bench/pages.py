"""Page weight: what a reader downloads, ours side by side with Altair's two ways of saving.

For each HTML page of a built site:
- first load: the HTML (inline SVG charts and their compiled specs included) + every
  stylesheet it links + every script it loads at once (<script src>); raw and gzip (each file
  compressed on its own, gzip -9, as a static host serves them). Icons and images are left out.
- lazy: the chart runtime a page's loader imports only when a reader interacts (the files in
  output/theme/js/ not loaded at once), counted on pages that carry an interactive chart.
- Altair, `chart.save("x.html")`: the page's own HTML without our chart figures, plus each
  chart's saved HTML, plus the three scripts that HTML loads from a CDN (vega, vega-lite,
  vega-embed, once per page). The CDN bytes are the files the CDN serves for those version
  ranges, read from the same npm packages installed in bench/js/ (pinned by its lock file).
- Altair, `chart.save("x.html", inline=True)`: the same, with vl-convert's JavaScript bundle
  inlined (counted once per page, though each saved file carries its own copy).
"""

from __future__ import annotations

import gzip
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

BENCH_JS = Path(__file__).resolve().parent / "js" / "node_modules"
CDN_PACKAGES = ("vega", "vega-lite", "vega-embed")
_LINK_CSS = re.compile(r'<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"')
_SCRIPT_SRC = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
_LAZY = re.compile(r'data-dd-runtime="([^"]+)"')
_CHART_FIGURE = re.compile(r'<figure class="dd-figure dd-chart" id="([^"]+)".*?</figure>', re.S)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


@dataclass
class Weight:
    raw: int = 0
    gzip: int = 0

    def add(self, data: bytes) -> Weight:
        self.raw += len(data)
        self.gzip += gz(data)
        return self


def _local(page: Path, output: Path, href: str) -> Path | None:
    if "://" in href or href.startswith("//"):
        return None
    target = (output / href.lstrip("/")) if href.startswith("/") else (page.parent / href)
    target = target.resolve()
    return target if target.is_file() else None


def cdn_files() -> dict[str, bytes]:
    """The files the CDN serves for Altair's default HTML (package.json's jsdelivr entry)."""
    files = {}
    for name in CDN_PACKAGES:
        folder = BENCH_JS / name
        if not folder.is_dir():
            raise SystemExit(
                "bench: run `npm ci --prefix bench/js --ignore-scripts` first (make bench does it)"
            )
        meta = json.loads((folder / "package.json").read_text())
        entry = meta.get("jsdelivr") or meta.get("unpkg") or meta["main"]
        files[f"{name}@{meta['version']}"] = (folder / entry).read_bytes()
    return files


def our_weights(output: Path) -> dict[str, tuple[Weight, Weight, list[str]]]:
    """{page: (first load, lazy, chart figure ids)} for every HTML page under `output`."""
    result = {}
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        first, lazy = Weight().add(html.encode()), Weight()
        for href in _LINK_CSS.findall(html) + _SCRIPT_SRC.findall(html):
            path = _local(page, output, href)
            if path:
                first.add(path.read_bytes())
        for href in _LAZY.findall(html):
            path = _local(page, output, href)
            if path:
                lazy.add(path.read_bytes())
        ids = _CHART_FIGURE.findall(html)
        result[page.relative_to(output).as_posix()] = (first, lazy, ids)
    return result


def altair_charts(site: Path) -> dict[str, object]:
    """{figure id: Altair chart} for every ```chart block of the site, built as the plugin does."""
    import pelican.plugins.datadirectives.charts as charts
    from pelican.plugins.datadirectives import annotation_rows, figure
    from pelican.plugins.datadirectives.directives import CHART_FIGURE_OPTIONS as CHART_COMMON
    from pelican.plugins.datadirectives.options import validate as check_options
    from pelican.plugins.datadirectives.parsing import read_yaml
    from pelican.plugins.datadirectives.renderer import Renderer
    from pelican.plugins.datadirectives.settings import load_config
    from sites import chart_bodies

    settings = {
        "PATH": str(site / "content"),
        "DATA_DIRECTIVES": {
            "DATA_DIR": str(site / "data"),
            "CACHE_DIR": str(site / ".cache" / "altair"),
        },
    }
    config = load_config(settings)
    renderer = Renderer(config, {})
    found = {}
    for body in chart_bodies(site):
        options, _ = read_yaml(body)
        opts = check_options(options, {**CHART_COMMON, **charts.CHART_OPTIONS})
        # As the chart directive does: annotation values from CSV rows become plain values.
        opts["annotations"] = annotation_rows.resolve(opts["annotations"], config.data_dir)
        _, frame = renderer.context.frame(opts)
        chart = charts.build_chart(
            {k: opts[k] for k in charts.CHART_OPTIONS},
            frame,
            width=config.width,
            functions_dir=config.functions_dir,
        )
        found["fig-" + (opts["id"] or figure.slugify(opts["title"]))] = chart
    return found


def saved_html(chart, inline: bool) -> bytes:
    buf = io.StringIO()
    chart.save(buf, format="html", inline=inline)
    return buf.getvalue().encode()


def altair_weights(output: Path, site: Path, pages: dict) -> dict[str, tuple[Weight, Weight]]:
    """{page: (Altair default first load, Altair inline=True first load)} for pages with charts."""
    import vl_convert as vlc

    charts = altair_charts(site)
    cdn = cdn_files()
    bundle = vlc.javascript_bundle().encode()
    result = {}
    for name, (_, _, ids) in pages.items():
        # Pages generated from page-set templates (states/...) have no chart block of their
        # own in content/ to save with Altair: no comparison for them.
        if not ids or any(fig not in charts for fig in ids):
            continue
        page = output / name
        html = page.read_text(encoding="utf-8")
        prose = _CHART_FIGURE.sub("", html)
        default, inline = Weight().add(prose.encode()), Weight().add(prose.encode())
        for href in _LINK_CSS.findall(html):
            path = _local(page, output, href)
            if path:
                default.add(path.read_bytes())
                inline.add(path.read_bytes())
        for data in cdn.values():
            default.add(data)
        inline.add(bundle)
        for fig in ids:
            chart = charts[fig]
            default.add(saved_html(chart, inline=False))
            # The inline file minus its copy of the bundle (counted once above).
            inline.add(saved_html(chart, inline=True).replace(bundle, b""))
        result[name] = (default, inline)
    return result
