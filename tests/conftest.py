"""Shared pytest fixtures. The quality-gate fixtures live in tests/site_fixtures.py."""

from tests.site_fixtures import (  # noqa: F401 - pytest finds fixtures by name here
    browser,
    built_site,
    published_site,
    root_server,
    screenshots_dir,
    served_root,
    site_pages,
    subpath_server,
)
