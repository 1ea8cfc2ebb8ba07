"""Each quality gate can fail: run every checker on a deliberately broken page
(tests/fixtures/qa-broken/) and assert it reports the fault, and on the small good fixture
site (tests/fixtures/qa-site/) and assert it reports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa import legibility
from tests.qa.browser import (
    Monitor,
    chart_name_problems,
    horizontal_overflow_problems,
    keyboard_problems,
    nojs_chart_problems,
    run_axe,
    settle,
)
from tests.qa.crawler import crawl
from tests.qa.feeds import check_atom, check_sitemap
from tests.qa.pages import discover_pages
from tests.qa.tools import require_java, require_npm_tools
from tests.qa.vnu import check_html
from tests.static_server import StaticServer

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "qa-broken"
GOOD = FIXTURES / "qa-site"


def has(problems: list[str], *fragments: str) -> bool:
    """True when one problem contains every fragment."""
    return any(all(f in p for f in fragments) for p in problems)


@pytest.fixture(scope="module")
def broken_server():
    with StaticServer(BROKEN) as server:
        yield server


@pytest.fixture(scope="module")
def good_server():
    with StaticServer(GOOD) as server:
        yield server


# --- HTML -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_vnu_reports_an_unclosed_element_and_passes_the_good_site():
    require_java()
    require_npm_tools()
    bad = BROKEN / "vnu-unclosed.html"
    good = [GOOD / p for p in discover_pages(GOOD)]
    report = check_html([bad, *good])
    assert has(report[str(bad)], "Unclosed element", "div"), report
    assert not any(report[str(p)] for p in good), report


def test_atom_checker_reports_missing_and_malformed_elements():
    problems = check_atom(BROKEN / "bad.atom.xml")
    assert has(problems, "<feed>", "needs exactly one <id>, found 0")
    assert has(problems, "<updated>", "not an RFC 3339 date-time")
    assert has(problems, "<entry> #1", "not an absolute IRI")
    assert has(problems, "<entry> #1", "needs <content> or a <link rel=alternate>")
    assert has(problems, "no <author>")
    assert check_atom(GOOD / "feeds" / "all.atom.xml") == []


def test_atom_checker_reports_a_missing_feed(tmp_path):
    assert has(check_atom(tmp_path / "all.atom.xml"), "missing")


def test_sitemap_checker_reports_bad_locs_and_values():
    problems = check_sitemap(BROKEN / "bad-sitemap.xml", BROKEN)
    assert has(problems, "elsewhere.example", "absolute URL, but the build has no SITEURL")
    assert has(problems, "missing-page.html", "no such page in the build")
    assert has(problems, "bad <priority> '2'")
    assert has(problems, "needs exactly one <loc>, found 0")
    assert check_sitemap(GOOD / "sitemap.xml", GOOD) == []


def test_sitemap_checker_wants_absolute_locs_when_siteurl_is_set():
    problems = check_sitemap(GOOD / "sitemap.xml", GOOD, siteurl="https://example.org/explainer")
    assert has(problems, "<loc>index.html</loc>", "not an absolute URL under SITEURL")


# --- Links ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_crawler_reports_dead_links_anchors_downloads_and_other_hosts(broken_server):
    report = crawl(broken_server.url, ["links.html"])
    problems = report.problems
    assert has(problems, "'missing-page.html'", "answers 404")
    assert has(problems, "'axe-img-no-alt.html#no-such-id'", "no element with id='no-such-id'")
    assert has(report.foreign_links, "'https://example.org/elsewhere'", "a link to another host")
    assert has(problems, "<link href> 'https://example.org/print.css'", "loads from another host")
    assert has(problems, "'data/missing.csv'", "answers 404")
    assert has(problems, "/links.html: no <link rel=icon>")
    # The canonical link names the public host: metadata, not a request, so allowed.
    assert not has(problems, "canonical")
    # At the domain root the site-absolute stylesheet resolves...
    assert not has(problems, "/style.css")


@pytest.mark.slow
def test_crawler_catches_site_absolute_links_under_a_sub_path(tmp_path):
    (tmp_path / "explainer").symlink_to(BROKEN, target_is_directory=True)
    with StaticServer(tmp_path) as server:
        problems = crawl(server.url + "explainer/", ["links.html"]).problems
    assert has(problems, "<link href> '/style.css'", "answers 404")


@pytest.mark.slow
def test_crawler_passes_the_good_site(good_server):
    report = crawl(good_server.url, ["", *discover_pages(GOOD)])
    assert report.problems == []
    assert "/theme/css/site.css" in report.pages  # CSS is fetched and its url()s checked


# --- Browser --------------------------------------------------------------------------------


def _page(browser, server, name, **context_options):
    context_options.setdefault("bypass_csp", True)  # axe is injected inline
    context = browser.new_context(**context_options)
    monitor = Monitor(context, f"127.0.0.1:{server.port}")
    page = context.new_page()
    page.goto(server.url + name)
    return context, monitor, page


@pytest.mark.slow
@pytest.mark.browser
def test_axe_reports_an_image_without_alt(browser, broken_server, good_server):
    require_npm_tools()
    context, _, page = _page(browser, broken_server, "axe-img-no-alt.html")
    problems = run_axe(page)
    context.close()
    assert has(problems, "axe image-alt (critical)", "img")
    context, _, page = _page(browser, good_server, "chapters/growth.html", color_scheme="dark")
    assert run_axe(page) == []
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_chart_name_check_reports_empty_names_and_missing_svgs(browser, broken_server):
    context, _, page = _page(browser, broken_server, "chart-no-name.html")
    problems = chart_name_problems(page)
    context.close()
    assert has(problems, "figure#fig-empty", "has no accessible name")
    assert has(problems, "figure#fig-none", "has no svg[role=img]")


@pytest.mark.slow
@pytest.mark.browser
def test_keyboard_check_reports_order_and_invisible_focus(browser, broken_server, good_server):
    context, _, page = _page(browser, broken_server, "keyboard.html")
    problems = keyboard_problems(page)
    context.close()
    assert has(problems, "focus order", "Positive tabindex", "back to", "First link")
    assert has(problems, "focus indicator", "Second link, no focus ring")
    assert not has(problems, "focus indicator", "First link")
    context, _, page = _page(browser, good_server, "chapters/growth.html")
    assert keyboard_problems(page) == []
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_monitor_reports_console_errors_failed_and_foreign_requests(browser, broken_server):
    context, monitor, page = _page(browser, broken_server, "foreign-request.html")
    settle(page)
    problems = monitor.take()
    context.close()
    assert has(problems, "console error", "deliberate console error from shout.js")
    assert has(problems, "request to another host (aborted): https://example.org/tracker.png")
    assert has(problems, "HTTP 404", "missing-image.png")


@pytest.mark.slow
@pytest.mark.browser
def test_nojs_check_reports_charts_that_need_javascript(browser, broken_server, good_server):
    context, _, page = _page(browser, broken_server, "nojs-chart.html")
    # With JavaScript, the script draws the first chart (the second has no size either way)...
    assert not has(nojs_chart_problems(page), "fig-js")
    context.close()
    context, _, page = _page(browser, broken_server, "nojs-chart.html", java_script_enabled=False)
    problems = nojs_chart_problems(page)
    context.close()
    assert has(problems, "fig-js", "no svg without JavaScript")
    assert has(problems, "fig-zero", "no svg has a visible size")
    for width in (375, 1280):  # the good site swaps a wide and a narrow SVG with CSS
        context, _, page = _page(
            browser,
            good_server,
            "chapters/growth.html",
            java_script_enabled=False,
            viewport={"width": width, "height": 800},
        )
        assert nojs_chart_problems(page) == []
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_overflow_check_reports_a_page_wider_than_a_phone(browser, broken_server, good_server):
    context, _, page = _page(
        browser, broken_server, "wide.html", viewport={"width": 375, "height": 800}
    )
    problems = horizontal_overflow_problems(page)
    context.close()
    assert has(problems, "page is", "wide in a 375px viewport")
    assert has(problems, "<div#banner> reaches")
    context, _, page = _page(
        browser, good_server, "chapters/growth.html", viewport={"width": 375, "height": 800}
    )
    assert horizontal_overflow_problems(page) == []
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_monitor_reports_csp_violations_when_the_csp_is_enforced(browser, broken_server):
    context, monitor, page = _page(browser, broken_server, "csp.html", bypass_csp=False)
    settle(page)
    problems = monitor.take()
    context.close()
    assert has(problems, "console error", "violates the following Content Security Policy")


@pytest.mark.slow
@pytest.mark.browser
def test_keyboard_check_reports_controls_a_trap_keeps_out_of_reach(browser, broken_server):
    context, _, page = _page(browser, broken_server, "trap.html")
    page.wait_for_load_state("load")
    problems = keyboard_problems(page)
    context.close()
    assert has(problems, "keyboard: Tab never reaches <summary>", "Never reached")


# --- Legibility (issue 15) ------------------------------------------------------------------


@pytest.mark.browser
def test_legibility_check_reports_tiny_text_clipped_and_overlapping_labels_and_a_wide_table(
    browser, broken_server
):
    context, _, page = _page(
        browser, broken_server, "legibility.html", viewport={"width": 375, "height": 800}
    )
    problems = legibility.problems(legibility.measure(page))
    context.close()
    # The 640-wide drawing's 12 px legend renders at about 6 px in a 335 px column.
    assert has(problems, "chart #fig-tiny-legend", "below 11 px", "'Agreements per state'")
    assert has(problems, "chart #fig-clipped-label", "'Warrant service officer' leaves the SVG")
    assert has(problems, "chart #fig-overlapping-labels", "overlap", "'Task force'")
    assert not has(problems, "Hidden by Vega")  # invisible labels (opacity 0) are not read
    assert has(problems, "table 'Agreements by state and model'", "scrolls sideways")
    assert len(problems) == 4, problems
    # At 1280 px the legend is drawn at its own size, the table fits; the label still clips.
    context, _, page = _page(
        browser, broken_server, "legibility.html", viewport={"width": 1280, "height": 800}
    )
    problems = legibility.problems(legibility.measure(page))
    context.close()
    assert not has(problems, "fig-tiny-legend") and not has(problems, "table '")
    assert has(problems, "'Warrant service officer' leaves the SVG")


@pytest.mark.browser
def test_legibility_check_passes_the_good_site(browser, good_server):
    for width in (375, 1280):
        context, _, page = _page(
            browser, good_server, "chapters/growth.html", viewport={"width": width, "height": 800}
        )
        result = legibility.measure(page)
        context.close()
        assert result["charts"] and legibility.problems(result) == [], (width, result)
