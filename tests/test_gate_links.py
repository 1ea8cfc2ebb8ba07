"""Gate: links. Crawl the served build over HTTP from the domain root and from a sub-path
(/explainer/): every link, asset, image, data download and #anchor answers; nothing points to
another host. (Issue 6; the crawler is tests/qa/crawler.py.)"""

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


def test_no_links_to_other_hosts(root_server, site_pages):
    """The brief: zero links to other hosts, except canonical/Open Graph metadata. Outbound
    links load nothing by themselves (the browser gate proves no request leaves the site), so
    this gate is kept apart from the broken-link gates above: relax it here, deliberately, if
    the newsroom decides that source citations may link out."""
    fail_on(crawl(root_server.url, ["", *site_pages]).foreign_links, "links to other hosts")
