"""Page-weight budgets on the real build (byte counts are deterministic, so they are tested).

Issue 5 and 8: a page's first load (its HTML plus the CSS, images and scripts it loads at
once) is at most 100 KB gzip, charts included, and carries no chart JavaScript: only the
loader, which fetches the runtime when a reader reaches a chart. Also: the real site builds
byte-identically twice.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tiny_site import tree_digest

from tests.site_fixtures import build_site

pytestmark = pytest.mark.slow

FIRST_LOAD_BUDGET = 100 * 1024  # gzip bytes
LOADER_BUDGET = 2 * 1024  # the only script on a first load (gzip)


class _Assets(HTMLParser):
    """What a page asks for as it loads (not what it links to)."""

    def __init__(self):
        super().__init__()
        self.styles, self.scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "img" and a.get("src") and a.get("loading") != "lazy":
            self.images.append(a["src"])


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


_FONT_URL = re.compile(r"url\([\"']?([^\"')]+\.woff2)[\"']?\)")


def first_load(site: Path, page: Path) -> tuple[int, list[str]]:
    """Gzip bytes of a page's first load: its HTML, the CSS, scripts and images it asks for,
    and every font those stylesheets declare (counted whether or not the page uses it)."""
    parser = _Assets()
    html = page.read_bytes()
    parser.feed(html.decode("utf-8"))
    total = gz(html)
    for url in parser.styles + parser.scripts + parser.images:
        path = (page.parent / url.split("?")[0]).resolve()
        data = path.read_bytes()
        total += gz(data)
        if path.suffix == ".css":
            for font in _FONT_URL.findall(data.decode("utf-8")):
                total += gz((path.parent / font).resolve().read_bytes())
    return total, parser.scripts


def test_every_page_first_load_is_within_budget(built_site, site_pages):
    over = []
    for rel in site_pages:
        page = built_site / (rel or "index.html")
        if page.is_dir():
            page = page / "index.html"
        total, _ = first_load(built_site, page)
        if total > FIRST_LOAD_BUDGET:
            over.append(f"{rel or 'index.html'}: {total:,} bytes gzip")
    assert not over, f"first load over {FIRST_LOAD_BUDGET:,} bytes gzip: {over}"


def test_the_shipped_font_counts_in_the_first_load(built_site):
    """The fonts site.css declares are part of every page's first load (issue 15)."""
    page = built_site / "index.html"
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    css = [(page.parent / u).resolve() for u in parser.styles if "site." in u]
    fonts = _FONT_URL.findall(css[0].read_text(encoding="utf-8"))
    assert len(fonts) == 2 and all("inter-" in f for f in fonts), fonts
    font_bytes = sum(gz((css[0].parent / f).resolve().read_bytes()) for f in fonts)
    assert 15_000 < font_bytes < 30_000, font_bytes  # two subset weights, about 26 KB
    without, _ = first_load(built_site, page)
    assert without > font_bytes


def test_first_load_ships_no_chart_javascript(built_site):
    page = built_site / "growth.html"
    assert "dd-chart" in page.read_text(encoding="utf-8")
    _, scripts = first_load(built_site, page)
    assert len(scripts) == 1 and re.search(r"dd-loader\.[0-9a-f]+\.js$", scripts[0]), scripts
    loader = (page.parent / scripts[0]).resolve().read_bytes()
    assert gz(loader) <= LOADER_BUDGET
    assert b"vega" not in loader.lower()  # the runtime is a separate, lazily loaded file


def test_the_real_site_builds_byte_identically(built_site, tmp_path):
    again = tmp_path / "again"
    build_site(again)
    assert tree_digest(again) == tree_digest(built_site)
