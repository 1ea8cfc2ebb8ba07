"""Number and date formats shared by prose values, tables and charts."""

import pytest
from pelican.plugins.datadirectives.errors import DirectiveError
from pelican.plugins.datadirectives.formats import format_date, format_number, format_value


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        (1425, ",", "1,425"),
        (1425, None, "1,425"),
        (10.6, ",.1f", "10.6"),
        (10.55, ".0f", "11"),
        (0.25, ".0%", "25%"),
        (0.2549, ".1%", "25.5%"),
        (28570240, "$,", "$28,570,240"),
        (1_600_000_000, "$.2s", "$1.6B"),
        (1_700_000_000, "$.2s", "$1.7B"),
        (-3, ",", "\u22123"),
        (7495.2, ",d", "7,495"),
        (2.50, ",.2~f", "2.5"),
        (1000, "d", "1000"),
    ],
)
def test_numbers(value, spec, expected):
    assert format_value(value, spec) == expected


def test_no_precision_never_rounds_into_another_claim():
    assert format_number(10.625, ",") == "10.625"


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("2026-02-17", "date", "Feb. 17, 2026"),
        ("2025-09-02", "date", "Sept. 2, 2025"),
        ("2025-03-05", "date", "March 5, 2025"),
        ("2025-07", "date", "July 2025"),
        ("2026-02-17", "month", "Feb. 2026"),
        ("2026-02-17", "year", "2026"),
        # Laws known only by year sit in the same table column as dated ones.
        ("2024", "date", "2024"),
        ("2024", "month", "2024"),
    ],
)
def test_ap_style_dates(text, spec, expected):
    assert format_date(text, spec) == expected


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2026-02-30", "not a real date"),
        ("Feb 17", "not an ISO date"),
        ("2026-13", "not a real date"),
        ("202", "not an ISO date"),
    ],
)
def test_bad_dates(bad, message):
    with pytest.raises(DirectiveError, match=message):
        format_date(bad)


def test_unknown_format_explains_the_choices():
    with pytest.raises(DirectiveError, match=r"unknown format '0,0'.*d3-format"):
        format_value(3, "0,0")


def test_text_and_missing():
    assert format_value("Florida") == "Florida"
    assert format_value(None) == ""
    assert format_value(float("nan")) == ""
