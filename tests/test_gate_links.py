"""Gate: links. Crawl the served build over HTTP from the domain root and from a sub-path
(/explainer/): every link, asset, image, data download and #anchor answers; nothing points to
another host. (Issue 6; the crawler is tests/qa/crawler.py.)"""

from __future__ import annotations

import pytest

from tests.qa.crawler import crawl

pytestmark = pytest.mark.slow


def _check(report, site_pages):
    assert not report.problems, (
        f"{len(report.problems)} broken or foreign links (page:line: tag 'url': problem):\n"
        + "\n".join(report.problems)
    )
    assert len(report.pages) >= len(site_pages), "the crawl did not reach every page"


def test_links_from_the_domain_root(root_server, site_pages):
    _check(crawl(root_server.url, ["", *site_pages]), site_pages)


def test_links_from_a_sub_path(subpath_server, site_pages):
    _check(crawl(subpath_server.site_url, ["", *site_pages]), site_pages)
