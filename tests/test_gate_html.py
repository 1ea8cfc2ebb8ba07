"""Gate: HTML. The Nu HTML Checker finds zero errors on every built page; the Atom feed and
sitemap.xml parse and follow their formats. (Issue 6; checkers in tests/qa/.)"""

from __future__ import annotations

import pytest

from tests.qa.feeds import check_atom, check_sitemap
from tests.qa.report import fail_on
from tests.qa.tools import require_java, require_npm_tools
from tests.qa.vnu import check_html
from tests.site_fixtures import PUBLISHED_URL

pytestmark = pytest.mark.slow


def test_every_page_passes_the_nu_html_checker(built_site, site_pages):
    require_java()
    require_npm_tools()
    report = check_html([built_site / p for p in site_pages])
    assert len(report) >= len(site_pages), "vnu did not report on every page"
    fail_on(
        {path.removeprefix(f"{built_site}/"): items for path, items in report.items()},
        "Nu HTML Checker errors (line:column: message «extract»)",
    )


def test_atom_feed_is_valid_atom(published_site):
    feeds = sorted(published_site.glob("**/*.atom.xml"))
    assert feeds, f"no Atom feed (*.atom.xml) in the production build {published_site}"
    problems = [p for feed in feeds for p in check_atom(feed, siteurl=PUBLISHED_URL)]
    fail_on(problems, "Atom feed problems (production build)")


def test_sitemap_follows_the_sitemaps_protocol(built_site):
    problems = check_sitemap(built_site / "sitemap.xml", built_site)
    fail_on(problems, "sitemap.xml problems (development build)")


def test_published_sitemap_has_absolute_urls_under_siteurl(published_site):
    problems = check_sitemap(published_site / "sitemap.xml", published_site, siteurl=PUBLISHED_URL)
    fail_on(problems, "sitemap.xml problems (production build)")
