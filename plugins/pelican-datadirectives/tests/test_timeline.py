"""The timeline mark (timeline.py): numbered markers on a time axis and the list that names them."""

import re

import pytest
from test_chart_figure import parse
from test_directive_errors import stopped
from tiny_site import article_html, build, make_site

EVENTS_CSV = (
    "date,event,who_said,kind\n"
    "2026-01-07,An officer shoots a driver,CBS News,reported fact\n"
    "2025-12,The operation begins,Star Tribune,reported fact\n"
    '2026-01-07,"DHS says the driver ""weaponized"" her car",DHS,contested claim\n'
    "2026-02-12,The operation ends,Tom Homan,official claim\n"
)

TIMELINE = """\
Some text.

```chart
data: events.csv
mark: timeline
x: date
text: event
{extra}
title: The operation, day by day
description: Timeline of the operation.
source: Several outlets
as_of: 2026-02-20
```
"""


def built(tmp_path, extra="detail: [who_said, kind]", csv=EVENTS_CSV):
    site = make_site(tmp_path, TIMELINE.format(extra=extra), csvs={"events.csv": csv})
    return parse(article_html(build(site))), site


def test_list_gives_every_event_in_date_order_numbered_like_the_markers(tmp_path):
    tree, _ = built(tmp_path)
    assert len(tree.find("ol", "dd-timeline-list")) == 1
    items = [e["text"] for e in tree.find("li") if e["text"] != "misc"]  # "misc": the theme
    assert items == [
        "Dec. 2025: The operation begins (Star Tribune; reported fact)",
        "Jan. 7, 2026: An officer shoots a driver (CBS News; reported fact)",
        'Jan. 7, 2026: DHS says the driver "weaponized" her car (DHS; contested claim)',
        "Feb. 12, 2026: The operation ends (Tom Homan; official claim)",
    ]
    assert [t["attrs"]["datetime"] for t in tree.find("time")] == [
        "2025-12",
        "2026-01-07",
        "2026-01-07",
        "2026-02-12",
    ]
    # The list replaces the data table; the month-only date is explained in the notes.
    assert not tree.find("details", "dd-data")
    assert "drawn at the month's start" in tree.find("p", "dd-notes")[0]["text"]


def test_same_day_markers_get_separate_lanes(tmp_path):
    """Two events on Jan. 7 are drawn one above the other, not on top of each other."""
    _, site = built(tmp_path)
    html = article_html(site / "output")
    wide = html.split('class="dd-svg dd-wide')[1].split("</svg>")[0]
    positions = {
        m.group(2): m.group(1)
        for m in re.finditer(r'<text[^>]*transform="translate\(([^)]*)\)"[^>]*>(\d+)</text>', wide)
    }
    assert positions["2"] != positions["3"], positions
    x2, y2 = (float(v) for v in positions["2"].split(","))
    x3, y3 = (float(v) for v in positions["3"].split(","))
    assert x2 == pytest.approx(x3, abs=0.5) and abs(y2 - y3) >= 20


def test_timeline_is_static_by_default(tmp_path):
    _, site = built(tmp_path)
    assert 'class="dd-spec"' not in article_html(site / "output")


CASES = [
    ("no_text", "", r"option 'text' is required for mark: timeline, e.g. text: event", 7),
    (
        "unknown_detail",
        "detail: [who]",
        r"column 'who' not in the data; .*columns: date, event, who_said",
        12,
    ),
    (
        "option_not_for_timeline",
        "y: date",
        r"option 'y' does not apply to mark: timeline; remove it",
        12,
    ),
]


@pytest.mark.parametrize(("name", "extra", "message", "line"), CASES, ids=[c[0] for c in CASES])
def test_wrong_timeline_stops_the_build(tmp_path, capsys, name, extra, message, line):
    body = TIMELINE.format(extra=extra)
    if name == "no_text":
        body = body.replace("text: event\n", "")
    site = make_site(tmp_path, body, csvs={"events.csv": EVENTS_CSV})
    stopped(site)
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert f"content/article.md:{line}:" in err, err


def test_a_date_that_is_not_a_date_names_the_cell(tmp_path, capsys):
    csv = EVENTS_CSV + "soon,Something happens,Nobody,rumour\n"
    site = make_site(tmp_path, TIMELINE.format(extra=""), csvs={"events.csv": csv})
    stopped(site)
    err = capsys.readouterr().err
    assert "x: 'soon' in column 'date' is not a date; write YYYY-MM-DD" in err, err
