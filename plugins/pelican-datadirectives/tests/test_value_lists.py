"""`{{ list file.csv[conditions].column }}`: a CSV's values as a list in prose, in builds."""

import pytest
from pelican.plugins.datadirectives.values import join_list
from test_directive_errors import stopped
from tiny_site import article_html, build, make_site

POLICIES_CSV = (
    "state,stance\n"
    "California,ban\nFlorida,mandate\nMaryland,ban\nMaryland,ban\nNew Mexico,ban\n"
    "Texas,mandate\nGeorgia,mandate\nOregon,ban\n"
)


@pytest.mark.parametrize(
    ("items", "prose"),
    [
        ([], ""),
        (["Texas"], "Texas"),
        (["Texas", "Florida"], "Texas and Florida"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "B", "A", "", "C"], "A, B and C"),
    ],
)
def test_join_list(items, prose):
    assert join_list(items) == prose


def test_list_in_prose_follows_the_csv(tmp_path):
    body = (
        "Bans: {{ list policies.csv[stance=ban].state }}.\n\n"
        "Mandates: {{ list policies.csv[stance in [mandate]].state }}.\n"
    )
    site = make_site(tmp_path, body, csvs={"policies.csv": POLICIES_CSV})
    html = article_html(build(site))
    # Each state once (Maryland has two rows), in the CSV's order, AP style.
    assert "Bans: <span" in html
    assert ">California, Maryland, New Mexico and Oregon</span>." in html
    assert ">Florida, Texas and Georgia</span>." in html
    csv = site / "data" / "policies.csv"
    csv.write_text(POLICIES_CSV + "Washington,ban\n")
    html = article_html(build(site))
    assert ">California, Maryland, New Mexico, Oregon and Washington</span>." in html


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("list policies.csv[stance=ban]", r"names no column; add '.column'"),
        ("list policies.csv[stance=ban].stat", r"column 'stat' not in policies.csv"),
        ("list policies.csv[stance=bann].state", r"no row of policies.csv where stance==bann"),
    ],
)
def test_wrong_list_stops_the_build(tmp_path, capsys, expr, message):
    site = make_site(tmp_path, f"States: {{{{ {expr} }}}}.\n", csvs={"policies.csv": POLICIES_CSV})
    stopped(site)
    err = capsys.readouterr().err
    assert "error: content/article.md:5: " in err, err
    assert __import__("re").search(message, err), err
