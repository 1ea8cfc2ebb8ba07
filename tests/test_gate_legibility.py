"""Gate: chart text a reader can read and tables that fit a phone (issue 15).

On every page, at 375 and 1280 px, light and dark, with JavaScript on (live charts) and off
(the static drawings): the smallest rendered chart text (font size times the SVG's scale) is
at least 11 px; no text box leaves its SVG's box; no two labels of a chart overlap; no table
is wider than the viewport or scrolls sideways. Each failure names the page, the chart (its
figure id and drawing) and the text. Checkers in tests/qa/legibility.py; each is shown able
to fail in tests/test_gates_can_fail.py.
"""

from __future__ import annotations

import pytest

from tests.qa import legibility
from tests.qa.report import fail_on
from tests.qa.tools import require_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def measured(browser, root_server, site_pages) -> dict:
    require_chromium()
    return legibility.audit_site(browser, root_server.url, site_pages)


VARIANTS = [
    legibility.variant_name(s, w, js)
    for w in legibility.WIDTHS
    for js in (True, False)
    for s in legibility.SCHEMES
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_chart_text_is_legible_and_tables_fit(measured, variant):
    problems = {page: legibility.problems(result) for page, result in measured[variant].items()}
    fail_on(problems, f"legibility problems ({variant})")
