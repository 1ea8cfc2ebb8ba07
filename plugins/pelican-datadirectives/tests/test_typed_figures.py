"""`make check` fails on figures typed by hand (typed_figures.py), and allows what may be typed."""

import pytest
from pelican.plugins.datadirectives.typed_figures import scan
from test_check_and_changes import run_check
from tiny_site import MONTHS_CSV, make_site, write_settings

HEADER = "Title: A page\nSummary: A summary.\n\n"


def figures(body: str) -> list[tuple[int, str]]:
    return scan(HEADER + body)


# Prose that must fail: (name, text, the figure named in the message)
TYPED = [
    ("count", "ICE listed 1,425 agreements.", "'1,425'"),
    ("small_count", "Only 8 of the counties had one.", "'8'"),
    ("money", "Florida received $28,570,240.", "'$28,570,240'"),
    ("percent", "Overtime of up to 25% of salary.", "'25%'"),
    ("decimal", "A package of 1.6 billion dollars.", "'1.6'"),
    ("quoted", 'Reports of "40 states" were wrong.', "'40'"),
    ("in_a_list_item", "- DHS said 958 agreements.", "'958'"),
]


@pytest.mark.parametrize(("name", "text", "figure"), TYPED, ids=[t[0] for t in TYPED])
def test_typed_figures_in_prose_fail(name, text, figure):
    (found,) = figures(text)
    assert found[0] == 4
    assert found[1].startswith(f"{figure} is typed by hand; take it from a CSV")


ALLOWED = [
    ("year", "In 2011 and again in 2025."),
    ("decade", "Through the 2010s."),
    ("day_after_month", "On Jan. 20, 2025, and on Sept. 2, and on July 4."),
    ("day_after_month_across_lines", "By the list of May\n18, 2026, it had grown."),
    ("iso_date_and_time", "Dated 2025-01-20 at 9:30."),
    ("statute", "Codified at 8 U.S.C. 1357(g); Section 287(g); see § 1357."),
    ("orders_and_bills", "Executive Order 14159, SB 54, HB 182, HB19-1124 and EO 47."),
    ("register_and_report", "90 Fed. Reg. 8443, GAO-09-109, chapter 3."),
    ("value", "ICE listed {{ months.csv[month=2026-02].total }} agreements."),
    ("code_span", "Write `{{ x.csv.total | ,.1f }}` or `1,425`."),
    ("link_address", "See [the list](https://example.org/2026/02/17/1425) and <https://a.b/9>."),
    ("heading", "## The 10 largest states"),
    ("sources_list", '## Sources\n\n- KIRO 7, "Video: 10 shots," Jan. 26, 2026.\n  C 440 L 19.'),
    ("ordinal", "The 19th agreement."),
    ("part_references", "See chapters 2 and 4, and section 3."),
]


@pytest.mark.parametrize(("name", "text"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_what_may_be_typed_passes(name, text):
    assert figures(text) == []


def test_the_corrections_log_may_quote_the_figures_it_corrected():
    log = 'Title: Corrections\nSlug: corrections\n\nBefore: "40 states". After: a value.\n'
    assert scan(log) == []
    assert scan(log.replace("Slug: corrections", "Slug: about")) != []


def test_prose_metadata_is_checked_too():
    found = scan("Title: 10 things\nLead: ICE listed 1,425 agreements.\n\nText.\n")
    assert found == [(2, found[0][1])] and "'1,425'" in found[0][1]


DIRECTIVE = """\
```chart
data: months.csv
mark: line
x: month:T
y: total:Q
title: T
description: {description}
annotations:
  - {{rule: 2025-01-20, label: Executive order}}
  - {annotation}
```
"""

ROW = 'row: "months.csv[month=2025-02]"'
DIRECTIVE_CASES = [
    (
        "typed_point",
        {"annotation": "{point: {x: 2025-02-01, y: 239}, label: Task force}"},
        (11, "annotation 2: the value 239 is typed by hand; take it from the data with row:"),
    ),
    (
        "typed_rule_y",
        {"annotation": "{rule: {y: 1000}, label: A thousand}"},
        (11, "annotation 2: the value 1000 is typed by hand"),
    ),
    (
        "typed_state_list",
        {"description": "Bans in California, Oregon and Washington."},
        (10, "description: the list of states 'California, Oregon and Washington' is typed"),
    ),
]


@pytest.mark.parametrize(
    ("name", "parts", "expected"), DIRECTIVE_CASES, ids=[c[0] for c in DIRECTIVE_CASES]
)
def test_typed_values_in_directives_fail(name, parts, expected):
    fields = {
        "description": "Line chart.",
        "annotation": f"{{point: {{x: month, y: total}}, {ROW}, label: 'ICE: {{total}}'}}",
        **parts,
    }
    found = figures(DIRECTIVE.format(**fields))
    assert len(found) == 1, found
    assert found[0][0] == expected[0]
    assert found[0][1].startswith(expected[1])


def test_annotation_from_a_row_and_two_states_pass():
    body = DIRECTIVE.format(
        description="Texas and Florida lead.",
        annotation=f"{{point: {{x: month, y: total}}, {ROW}, label: 'ICE: {{total}}'}}",
    )
    assert figures(body) == []


def test_make_check_reports_typed_figures_with_file_and_line(tmp_path):
    site = make_site(
        tmp_path, "Text.\n\nICE listed 1,425 agreements.\n", csvs={"months.csv": MONTHS_CSV}
    )
    write_settings(site)
    result = run_check(site)
    assert result.returncode == 1
    assert "content/article.md:7: '1,425' is typed by hand" in result.stdout, result.stdout
