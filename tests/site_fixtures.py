"""Session fixtures for the quality gates: one build, two servers, one browser.

- `built_site`: the real build (`make html`), once per session, into
  <tmp>/explainer/. QA_SITE=path/to/folder checks a folder you built yourself instead (e.g.
  QA_SITE=output after `make html`).
- `published_site`: the production build (`make publish`: PUBLISH=1, a SITEURL, feeds on).
- `site_pages`: every *.html in it, so the gates grow with the site.
- `root_server` serves the site at http://127.0.0.1:<port>/; `subpath_server` serves the
  folder above it, so the site answers under /explainer/ and a site-absolute link (`/theme/..`)
  answers 404 there, as it would on a host that publishes the site under a sub-path.
- `browser`: one headless Debian Chromium for the session, driven by Playwright.

Imported by tests/conftest.py (other fixtures may live there; these stay here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.qa.pages import discover_pages
from tests.qa.tools import ROOT, require_chromium
from tests.static_server import StaticServer

SUBPATH = "explainer"
# The address the production build is made for in tests (only written into the pages).
PUBLISHED_URL = "https://example.org/explainer"
SCREENSHOTS = ROOT / "tests" / "screenshots"


def build_site(out: Path, **env_overrides: str) -> None:
    """Run the project's real build into `out`; fail with its output if it fails.

    Without overrides: the development build (`make html`: relative URLs, no SITEURL).
    """
    if (ROOT / "plugins" / "site_tools" / "build.py").exists():
        cmd = [
            sys.executable,
            "-m",
            "site_tools.build",
            "--settings",
            "pelican.conf.py",
            "--output",
            str(out),
        ]
    else:  # before the atomic build CLI exists: plain Pelican, errors fatal
        cmd = [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            "pelican.conf.py",
            "-o",
            str(out),
            "--fatal",
            "errors",
        ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "plugins" / "pelican-datadirectives"), str(ROOT / "plugins"), str(ROOT)]
    )
    for name in ("SITEURL", "PUBLISH", "RELATIVE_URLS"):
        env.pop(name, None)  # the development build: relative URLs, works under any path
    env.update(env_overrides)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        pytest.fail(
            f"the site build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def served_root(tmp_path_factory) -> Path:
    """A folder holding the site as explainer/ (the sub-path server's document root)."""
    parent = tmp_path_factory.mktemp("served")
    override = os.environ.get("QA_SITE")
    if override:
        site = Path(override).resolve()
        if not site.is_dir():
            pytest.fail(f"QA_SITE={override}: no such folder", pytrace=False)
        (parent / SUBPATH).symlink_to(site, target_is_directory=True)
    else:
        build_site(parent / SUBPATH)
    return parent


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The production build (`make publish`: PUBLISH=1, feeds on) for PUBLISHED_URL."""
    out = tmp_path_factory.mktemp("published") / "site"
    build_site(out, PUBLISH="1", SITEURL=PUBLISHED_URL)
    return out


@pytest.fixture(scope="session")
def built_site(served_root) -> Path:
    return (served_root / SUBPATH).resolve()


@pytest.fixture(scope="session")
def site_pages(built_site) -> list[str]:
    pages = discover_pages(built_site)
    if not pages:
        pytest.fail(f"the build in {built_site} has no HTML pages", pytrace=False)
    return pages


@pytest.fixture(scope="session")
def root_server(built_site):
    with StaticServer(built_site) as server:
        yield server


@pytest.fixture(scope="session")
def subpath_server(served_root):
    with StaticServer(served_root) as server:
        server.site_url = f"{server.url}{SUBPATH}/"
        yield server


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    from tests.qa.browser import launch

    playwright = sync_playwright().start()
    chromium = launch(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
