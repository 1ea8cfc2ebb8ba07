"""Two figures on one page never share an id, whatever their options (a real build).

A figure's ids come from its content (title or `id:`, and the chart's hash), so the same
chart twice, or two charts with one title, would collide; the extension gives each later
copy its own suffix, references included (figure.unique_ids).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from tiny_site import LINE_CHART, article_html, build, make_site

from tests.qa.tools import require_java, require_npm_tools
from tests.qa.vnu import check_html

TABLE = """\
```table
data: months.csv
title: Agreements by month
source: ICE lists
as_of: 2026-02-17
```
"""

# The same chart twice, a third with the same title, the same table twice: six figures.
PAGE = "\n".join(
    [
        "Intro.",
        "",
        LINE_CHART.format(y="total"),
        LINE_CHART.format(y="total"),
        LINE_CHART.format(y="agencies"),
    ]
    + [TABLE, TABLE]
)

REFERENCES = ("aria-labelledby", "aria-describedby", "headers", "for")


class Ids(HTMLParser):
    """Every id on the page, every id reference, and each figure's own ids."""

    def __init__(self):
        super().__init__()
        self.ids, self.refs, self.figures = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append([])
        if "id" in attrs:
            self.ids.append(attrs["id"])
            if self.figures:
                self.figures[-1].append(attrs["id"])
        for name in REFERENCES:
            self.refs += [(tag, name, ref) for ref in (attrs.get(name) or "").split()]
        for value in attrs.values():
            self.refs += [(tag, "url", ref) for ref in re.findall(r"url\(#([^)]+)\)", value or "")]
        href = attrs.get("href") or attrs.get("xlink:href") or ""
        if href.startswith("#"):
            self.refs.append((tag, "href", href[1:]))

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("figure-ids"), PAGE)
    output = build(site)
    return output / "test-article.html"


def test_identical_figures_get_distinct_ids(page):
    found = Ids()
    found.feed(page.read_text(encoding="utf-8"))
    assert len(found.figures) == 5
    duplicates = sorted({i for i in found.ids if found.ids.count(i) > 1})
    assert duplicates == []
    # The first of each keeps its plain id; later copies are numbered in page order.
    assert [f[0] for f in found.figures] == [
        "fig-agreements-by-month",
        "fig-agreements-by-month-2",
        "fig-agreements-by-month-3",
        "tbl-agreements-by-month",
        "tbl-agreements-by-month-2",
    ]


def test_every_id_reference_points_into_its_own_figure(page):
    html = page.read_text(encoding="utf-8")
    found = Ids()
    found.feed(html)
    missing = [ref for ref in found.refs if ref[2] not in found.ids]
    assert missing == []
    # Each chart's drawings are named by its own title and description, not the first chart's.
    for figure in re.findall(r"<figure.*?</figure>", html, flags=re.S):
        own = set(re.findall(r'\sid="([^"]+)"', figure))
        for refs in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', figure):
            assert set(refs.split()) <= own, refs


def test_a_page_with_one_figure_keeps_its_ids(tmp_path):
    output = build(make_site(tmp_path, "Intro.\n\n" + LINE_CHART.format(y="total")))
    assert 'id="fig-agreements-by-month"' in article_html(output)
    assert "fig-agreements-by-month-2" not in article_html(output)


@pytest.mark.slow
def test_the_page_passes_the_nu_html_checker(page):
    require_java()
    require_npm_tools()
    report = check_html([page])
    assert report == {str(page.resolve()): []}
