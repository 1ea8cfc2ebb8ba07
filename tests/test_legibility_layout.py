"""Charts and tables laid out for phones (issue 15), on real renders: a map's legend drawn
again for the phone width, tables that stack on phones with their semantics kept, and dates
in chart data tables written like the prose. The browser gate (test_gate_legibility.py)
checks the result on every page; these tests pin the causes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
from pelican.plugins.datadirectives import chart_theme, charts, figure, render
from pelican.plugins.datadirectives.directives.chart import date_formats


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Cells()
    parser.feed(html)
    return parser.tags


def test_a_narrow_table_stays_a_plain_table_byte_for_byte():
    html = figure.data_table(
        [{"state": "Texas", "total": 10}], ["state", "total"], caption_text="T", table_id="t"
    )
    assert "dd-stack" not in html and 'role="table"' not in html and "data-label" not in html
    assert '<table class="dd-table"><caption id="t-caption">T</caption><thead><tr>' in html


def test_a_wide_table_stacks_on_phones_and_keeps_its_semantics():
    rows = [
        {"state": "Florida", "task_force": 300, "jail": 80, "warrant": 90, "updated": "2026-05-18"}
    ]
    columns = list(rows[0])
    headers = {"task_force": "Task force agreements", "jail": "Jail enforcement agreements"}
    html = figure.data_table(rows, columns, caption_text="By model", table_id="m", headers=headers)
    tags = _tags(html)
    table = next(a for t, a in tags if t == "table")
    assert table["class"] == "dd-table dd-stack"
    # HTML forbids explicit roles on a table's rows and cells (the Nu checker says so).
    assert "role=" not in html.replace('role="region"', "")
    assert "<caption" in html  # the caption stays
    heads = [a for t, a in tags if t == "th" and a.get("scope") == "col"]
    assert len(heads) == 5
    row_head = next(a for t, a in tags if t == "th" and a.get("scope") == "row")
    assert row_head == {"scope": "row", "data-label": "state"}
    labels = [a["data-label"] for t, a in tags if t == "td"]
    assert labels == [
        "Task force agreements",
        "Jail enforcement agreements",
        "warrant",
        "updated",
    ]


def test_fits_phone_estimates_the_natural_width():
    assert figure.fits_phone([["State", "Texas"], ["Total", "1,425"]])
    assert not figure.fits_phone([["x" * 20]] * 3)
    # Long prose wraps: a column counts at most WRAP_CHARS wide.
    assert figure.fits_phone([["Note", "word " * 100]])


def test_charts_css_stacks_dd_stack_tables_below_560px_and_nothing_repeats_it():
    from pathlib import Path

    from pelican.plugins.datadirectives import chart_theme, runtime

    # charts.css, which every theme links, holds the layout (one home) ...
    css = chart_theme.charts_css()
    block = css[css.index("@media (max-width: 34.999em)") :]
    assert ".dd-table.dd-stack tr" in block and "display: block" in block
    assert 'content: attr(data-label) / "";' in block  # the label is not read twice
    assert ".dd-table.dd-stack thead" in block and "clip-path: inset(50%)" in block
    # ... and neither the theme nor the plugin's default figure stylesheet repeats it.
    site = (Path(__file__).parents[1] / "theme" / "static" / "css" / "site.css").read_text()
    figures = (runtime.STATIC / "dd-figures.css").read_text()
    for other in (site, figures):
        assert "grid-template-columns: minmax(0, 2fr) minmax(0, 3fr)" not in other
        assert "content: attr(data-label)" not in other
    # The theme gives the rows their colour (charts.css sets only the border's width/style).
    assert "border-bottom-color: var(--hairline)" in site


def test_chart_data_tables_print_dates_like_the_prose():
    rows = [{"month": "2026-01", "day": "2026-02-17", "year": "2025", "n": 3}]
    assert date_formats(rows) == {"month": "date", "day": "date"}
    html = figure.data_table(
        rows, list(rows[0]), caption_text="c", table_id="d", formats=date_formats(rows)
    )
    assert "Jan. 2026" in html and "Feb. 17, 2026" in html and ">2025<" in html
    assert date_formats([{"month": "2026-01"}, {"month": None}]) == {}


def _map_chart():
    frame = pd.DataFrame(
        {
            "state": ["Texas", "Florida", "Ohio", "Utah"],
            "stance": ["Required by state law", "Required by state law", "Ban", "Encouraged"],
        }
    )
    opts = charts.check_chart_options({"mark": "map", "state": "state", "color": "stance:N"})
    return charts.prepare_chart(opts, frame)


def test_a_map_draws_its_legend_again_for_the_phone_width():
    chart = _map_chart()
    assert chart.mark.phone_drawing is False
    legend = chart.mark.phone_legend(chart, 340).to_dict(validate=False)
    svg = render.to_svg(legend)
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))
    assert width <= 340  # laid out for the phone, not scaled down from 640
    assert "Required by state law" in svg and "Encouraged" in svg
    assert 'class="mark-text role-legend-label"' in svg
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)}
    assert sizes and min(sizes) >= 11
    # A presence map (no colour) has no legend to draw.
    frame = pd.DataFrame({"state": ["Texas"]})
    plain = charts.prepare_chart(
        charts.check_chart_options({"mark": "map", "state": "state"}), frame
    )
    assert plain.mark.phone_legend(plain, 340) is None


def test_charts_css_hides_the_maps_own_legend_on_phones():
    css = chart_theme.charts_css()
    start = css.index("@media (max-width")
    phone = css[start : css.index("\n}\n", start)]
    assert ".dd-graphic svg.dd-has-legend .role-legend { display: none; }" in phone
    assert ".dd-graphic .dd-narrow { display: block; }" in phone


def test_decorative_svg_is_hidden_from_screen_readers():
    svg = render.to_svg(_map_chart().mark.phone_legend(_map_chart(), 340).to_dict(validate=False))
    out = figure.decorative_svg(svg, "ddabc", "dd-narrow dd-legend")
    tag = re.search(r"<svg[^>]*>", out).group(0)
    assert 'aria-hidden="true"' in tag and "role=" not in tag and "aria-labelledby" not in tag
    assert 'class="dd-svg dd-narrow dd-legend"' in tag
