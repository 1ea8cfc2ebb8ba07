"""Chart annotations whose values come from a CSV row (annotation_rows.py), in real builds."""

import re

import pytest
from test_directive_errors import stopped
from tiny_site import MONTHS_CSV, article_html, build, make_site

COUNTS_CSV = (
    "as_of_date,count,unit,publisher,publication_date\n"
    "2025-09-02,958,agreements,DHS,2025-09-02\n"
    "2025-09-17,1001,agreements,DHS,2025-09-18\n"
    "2025-09-17,40,states,DHS,2025-09-18\n"
)

CHART = """\
Some text.

```chart
data: months.csv
mark: line
x: month:T
y: total:Q
title: Agreements by month
description: Line chart.
source: ICE lists
as_of: 2026-02-17
annotations:
{annotations}
```
"""


def site_with(tmp_path, annotations: str):
    body = CHART.format(annotations=annotations)
    return make_site(tmp_path, body, csvs={"months.csv": MONTHS_CSV, "counts.csv": COUNTS_CSV})


def test_point_takes_its_values_and_label_from_the_row(tmp_path):
    site = site_with(
        tmp_path,
        '  - {point: {x: as_of_date, y: count}, row: "counts.csv[as_of_date=2025-09-17, '
        'unit=agreements]", label: "{publisher} said {count}, {publication_date|date}"}',
    )
    html = article_html(build(site))
    # The label prints the row's cells, formatted; the point sits at the row's x and y.
    assert "DHS said 1,001, Sept. 18, 2025" in html
    assert "958" not in html


def test_a_changed_row_changes_the_chart(tmp_path):
    """The render cache keys on the annotation's CSV too, not only on the chart's data."""
    site = site_with(
        tmp_path,
        '  - {point: {x: as_of_date, y: count}, row: "counts.csv[as_of_date=2025-09-02]", '
        'label: "DHS said {count}"}',
    )
    assert "DHS said 958" in article_html(build(site))
    csv = site / "data" / "counts.csv"
    csv.write_text(csv.read_text().replace(",958,", ",959,"))
    assert "DHS said 959" in article_html(build(site))


def test_rule_from_a_row(tmp_path):
    site = site_with(
        tmp_path,
        '  - {rule: {x: publication_date}, row: "counts.csv[as_of_date=2025-09-02]", '
        'label: "{publisher} release"}',
    )
    assert "DHS release" in article_html(build(site))


ROW = 'row: "counts.csv[as_of_date=2025-09-17, unit=agreements]"'
# (name, annotation line, expected message); every fault is reported at the annotations key.
CASES = [
    (
        "no_row_matches",
        '  - {point: {x: as_of_date, y: count}, row: "counts.csv[as_of_date=2024-01-01]", '
        'label: "{count}"}',
        r"annotation 1: no row of counts.csv matches where as_of_date==2024-01-01; check",
    ),
    (
        "two_rows_match",
        '  - {point: {x: as_of_date, y: count}, row: "counts.csv[as_of_date=2025-09-17]", '
        'label: "{count}"}',
        r"annotation 1: 2 rows of counts.csv match where as_of_date==2025-09-17; add a condition",
    ),
    (
        "unknown_csv",
        '  - {point: {x: as_of_date, y: count}, row: "cuonts.csv[a=b]", label: "{count}"}',
        r"no CSV named 'cuonts.csv'",
    ),
    (
        "unknown_column_in_point",
        f'  - {{point: {{x: as_of_date, y: cuont}}, {ROW}, label: "{{count}}"}}',
        r"column 'cuont' not in counts.csv; did you mean 'count'\?",
    ),
    (
        "typed_value_with_row",
        f'  - {{point: {{x: as_of_date, y: 958}}, {ROW}, label: "{{count}}"}}',
        r"with 'row', point y names a column of counts.csv .*not a value; got 958",
    ),
    (
        "label_does_not_print_the_number",
        f'  - {{point: {{x: as_of_date, y: count}}, {ROW}, label: "DHS tally"}}',
        r"the label must print the number it marks: add '\{count\}'",
    ),
    (
        "unknown_column_in_label",
        f'  - {{point: {{x: as_of_date, y: count}}, {ROW}, label: "{{count}} by {{publsher}}"}}',
        r"column 'publsher' not in counts.csv; did you mean 'publisher'\?",
    ),
    (
        "row_without_conditions",
        '  - {point: {x: as_of_date, y: count}, row: "counts.csv", label: "{count}"}',
        r"'row' takes a CSV and conditions that pick one row",
    ),
    (
        "unknown_annotation_key",
        '  - {point: {x: as_of_date, y: count}, rows: "counts.csv[a=b]", label: "x"}',
        r"unknown annotation key 'rows'; did you mean 'row'\?",
    ),
]


@pytest.mark.parametrize(("name", "annotation", "message"), CASES, ids=[c[0] for c in CASES])
def test_wrong_annotation_row_stops_the_build(tmp_path, capsys, name, annotation, message):
    site = site_with(tmp_path, annotation)
    stopped(site)
    err = capsys.readouterr().err
    # The fence opens on line 7 of the file (4 header lines); 'annotations:' is line 16.
    assert "error: content/article.md:16: " in err, err
    assert re.search(message, err), err
