"""Gate: links. Crawl the served build over HTTP from the domain root and from a sub-path
(/explainer/): every link, asset, image, data download and #anchor answers; nothing is loaded
from another host. Links a reader follows to a cited source on another host are allowed: a
newsroom links its sources, and a link loads nothing until it is followed (the browser gate
shows that no request leaves the site). (Issue 6; the crawler is tests/qa/crawler.py.)"""

from __future__ import annotations

import pytest

from tests.qa.crawler import crawl
from tests.qa.report import fail_on

pytestmark = pytest.mark.slow


def _check(report, site_pages):
    fail_on(report.problems, "broken or foreign links (page:line: tag 'url': problem)")
    assert len(report.pages) >= len(site_pages), "the crawl did not reach every page"


def test_links_from_the_domain_root(root_server, site_pages):
    _check(crawl(root_server.url, ["", *site_pages]), site_pages)


def test_links_from_a_sub_path(subpath_server, site_pages):
    _check(crawl(subpath_server.site_url, ["", *site_pages]), site_pages)
