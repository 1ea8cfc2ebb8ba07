"""What a chart directive becomes in a real build: the accessible <figure> and its parts."""

import re
from html.parser import HTMLParser

import pytest
from test_directive_errors import stopped
from tiny_site import article_html, build, make_site, package_for

CHART = """\
Intro.

```chart
data: months.csv
mark: line
x: month:T
y: total:Q
title: Agreements <grew> & grew
subtitle: Agreements on ICE's list
description: Line chart. Agreements rose from 135 to 1,425 "quickly".
notes: One agreement is one agency in one model.
```
"""

MODELS_CSV = "month,jail_enforcement,task_force\n2025-01,60,0\n2025-02,65,64\n2025-03,70,120\n"


class Tree(HTMLParser):
    """Just enough of the DOM: every element's tag, attributes and text."""

    def __init__(self):
        super().__init__()
        self.elements, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(el)
        if tag not in ("br", "img", "meta", "link", "input", "path", "line", "rect"):
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data

    def find(self, tag=None, cls=None, **attrs):
        return [
            e
            for e in self.elements
            if (tag is None or e["tag"] == tag)
            and (cls is None or cls in e["attrs"].get("class", "").split())
            and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]


def parse(html):
    tree = Tree()
    tree.feed(html)
    return tree


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("chart")
    package = package_for(
        "months.csv",
        [("month", "string"), ("total", "integer"), ("agencies", "integer"), ("model", "string")],
    )
    site = make_site(tmp, CHART, package=package)
    return parse(article_html(build(site))), site


def test_figure_has_title_subtitle_source_notes_and_download(page):
    tree, site = page
    (fig,) = tree.find("figure", "dd-chart")
    assert tree.find("p", "dd-title")[0]["text"] == "Agreements <grew> & grew"
    assert tree.find("p", "dd-subtitle")[0]["text"] == "Agreements on ICE's list"
    source = tree.find("p", "dd-source")[0]["text"]
    assert source == "Source: ICE 287(g) participating agencies lists. As of Feb. 17, 2026."
    assert tree.find("p", "dd-notes")[0]["text"] == "One agreement is one agency in one model."
    (link,) = [a for a in tree.find("a") if "download" in a["attrs"]]
    assert link["attrs"]["href"] == "./data/months.csv"
    assert (site / "output" / "data" / "months.csv").is_file()


def test_svgs_are_named_and_described_by_the_figure(page):
    tree, _ = page
    svgs = tree.find("svg", "dd-svg")
    assert [s["attrs"]["class"] for s in svgs] == [
        "dd-svg dd-wide dd-has-narrow",
        "dd-svg dd-narrow",
    ]
    for svg in svgs:
        assert svg["attrs"]["role"] == "img"
        (title,) = tree.find(id=svg["attrs"]["aria-labelledby"])
        assert title["text"] == "Agreements <grew> & grew"
        (desc,) = tree.find(id=svg["attrs"]["aria-describedby"])
        assert desc["text"].startswith("Line chart. Agreements rose")
    assert int(svgs[0]["attrs"]["width"]) > int(svgs[1]["attrs"]["width"])


def test_ids_are_unique_across_both_drawings(page):
    tree, _ = page
    ids = [e["attrs"]["id"] for e in tree.elements if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_data_table_in_details_and_live_spec(page):
    tree, _ = page
    (details,) = tree.find("details", "dd-data")
    assert "Data table" in details["text"]
    headers = [th["text"] for th in tree.find("th") if th["attrs"].get("scope") == "col"]
    assert headers == ["month", "total"]
    rows = [th["text"] for th in tree.find("th") if th["attrs"].get("scope") == "row"]
    assert rows == ["Jan. 2025", "Feb. 2025", "Feb. 2026"]  # dates read like the prose
    assert "1,425" in details["text"]
    (spec,) = tree.find("script", "dd-spec")
    assert spec["attrs"]["type"] == "application/json"
    assert '"$schema"' not in spec["text"] and "</" not in spec["text"]


def test_values_are_escaped_in_svg_text(tmp_path):
    csv = "party,total\n<b>Sheriff & Co</b>,3\nOther,2\n"
    body = (
        "```chart\ndata: p.csv\nmark: bar\nx: total:Q\ny: party:N\n"
        "title: T\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    html = article_html(build(make_site(tmp_path, body, csvs={"p.csv": csv})))
    figure = html[html.index("<figure") : html.index("</figure>")]
    assert "<b>Sheriff" not in figure
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert "&lt;b&gt;Sheriff &amp; Co&lt;/b&gt;" in svg  # the axis label
    table = figure[figure.index("<table") :]
    assert "&lt;b&gt;Sheriff &amp; Co&lt;/b&gt;" in table


def test_labels_rename_folded_columns_in_direct_labels(tmp_path):
    body = (
        "```chart\ndata: models.csv\nmark: line\nx: month:T\ny: n:Q\n"
        "fold: [jail_enforcement, task_force]\nfold_as: [model, n]\ncolor: model:N\n"
        "labels: {jail_enforcement: Jail enforcement, task_force: Task force}\n"
        "title: T\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    html = article_html(build(make_site(tmp_path, body, csvs={"models.csv": MODELS_CSV})))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert ">Jail enforcement</text>" in svg and ">Task force</text>" in svg
    assert "jail_enforcement" not in svg


def test_a_small_chart_is_drawn_once_at_the_phone_width(tmp_path):
    """`size: small`: one drawing, NARROW_WIDTH wide, that charts.css never stretches; the
    same chart at full size has two (wide and phone)."""
    csv = "month,total\n2025-01,3\n2025-02,5\n2025-03,9\n"
    body = (
        "```chart\ndata: m.csv\nmark: line\nx: month:T\ny: total:Q\nsize: small\n"
        "title: Small\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n\n"
        "```chart\ndata: m.csv\nmark: line\nx: month:T\ny: total:Q\n"
        "title: Full\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    site = build(make_site(tmp_path, body, csvs={"m.csv": csv}))
    tree = parse(article_html(site))
    small, wide, narrow = tree.find("svg", "dd-svg")
    assert small["attrs"]["class"] == "dd-svg dd-small"
    assert small["attrs"]["aria-labelledby"] == "fig-small-title"
    assert [wide["attrs"]["class"], narrow["attrs"]["class"]] == [
        "dd-svg dd-wide dd-has-narrow",
        "dd-svg dd-narrow",
    ]
    # The small drawing is the phone drawing's width, laid out for it (same width attribute).
    assert small["attrs"]["width"] == narrow["attrs"]["width"] != wide["attrs"]["width"]
    css = (site / "theme" / "charts.css").read_text()
    assert ".dd-graphic svg.dd-small { width: auto; }" in css


def test_size_takes_full_or_small(tmp_path):
    body = (
        "Intro.\n\n```chart\ndata: m.csv\nmark: line\nx: month:T\ny: total:Q\n"
        "size: tiny\ntitle: T\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    site = make_site(tmp_path, body, csvs={"m.csv": "month,total\n2025-01,3\n"})
    message = str(stopped(site))
    assert "content/article.md:12:" in message and "size" in message, message
    assert "size: 'tiny' is not allowed; use one of: full, small" in message, message


def test_a_map_has_one_drawing_and_a_phone_legend(tmp_path):
    csv = "state,stance\nCalifornia,ban\nFlorida,mandate\nGuam,neither\n"
    body = (
        "```chart\ndata: s.csv\nmark: map\nstate: state\ncolor: stance:N\n"
        "title: Where states stand\ndescription: Map.\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    html = article_html(build(make_site(tmp_path, body, csvs={"s.csv": csv})))
    tree = parse(html)
    svgs = tree.find("svg", "dd-svg")
    # One map; its legend drawn again for phones (issue 15), hidden from screen readers.
    assert [s["attrs"]["class"] for s in svgs] == [
        "dd-svg dd-narrow dd-legend",
        "dd-svg dd-has-legend",
    ]
    assert svgs[0]["attrs"]["aria-hidden"] == "true" and svgs[1]["attrs"]["role"] == "img"
    assert "Guam" in tree.find("p", "dd-notes")[0]["text"]
    # Page weight: maps stay static unless asked, and their borders use whole pixels.
    assert not tree.find("script", "dd-spec")
    paths = re.findall(r' d="([^"]*)"', html)
    assert len(paths) > 40 and not any(re.search(r"\d\.\d", d) for d in paths)


def test_only_the_svg_root_carries_aria(page):
    tree, site = page
    html = article_html(site / "output")
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        inner = svg[svg.index(">") + 1 :]
        assert "role=" not in inner and "aria-" not in inner


def test_labels_follow_a_sort_written_in_raw_values(tmp_path):
    csv = "state,stance\nCalifornia,ban\nFlorida,mandate\nTexas,mandate\n"
    body = (
        "```chart\ndata: s.csv\nmark: map\nstate: state\n"
        "color: {field: stance, type: N, sort: [mandate, ban]}\n"
        "labels: {ban: Ban, mandate: Mandate}\n"
        "title: T\ndescription: D\nsource: S\nas_of: 2026-01-01\n```\n"
    )
    html = article_html(build(make_site(tmp_path, body, csvs={"s.csv": csv})))
    svg = html[html.index("<svg") : html.index("</svg>")]
    legend = re.findall(r">(Mandate|Ban|mandate|ban)</text>", svg)
    assert legend == ["Mandate", "Ban"]
    fills = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg))
    assert len(fills) >= 3  # two stances and the no-data grey: states are filled


def test_a_later_build_without_the_plugin_is_left_alone(page, tmp_path):
    """Pelican's signals are process-wide: the plugin must act only where it is listed."""
    site = make_site(tmp_path, "No directives here: {{ months.csv.total }} stays text.\n")
    output = build(site, PLUGINS=[])
    assert "{{ months.csv.total }}" in article_html(output)
    assert not (output / "theme" / "charts.css").exists()
    assert not (output / "_headers").exists()


def test_share_card_is_a_1200x630_png_of_the_first_chart(page):
    _, site = page
    card = site / "output" / "cards" / "test-article.png"
    data = card.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 630)
