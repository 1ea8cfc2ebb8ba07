"""Build a tiny real Pelican site in a temporary folder, for end-to-end plugin tests.

The site uses Pelican's built-in theme, so plugin tests do not depend on the explainer's
theme; it has its own data/ folder and cache, and is built in-process with fatal errors on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pelican import Pelican
from pelican.log import FatalLogger
from pelican.settings import read_settings

PLUGINS = Path(__file__).resolve().parent.parent  # plugins/pelican-datadirectives
ROOT = PLUGINS.parent.parent  # the repository (the explainer site) around it
SITE_TOOLS = ROOT / "plugins"  # site_tools: the atomic build that `make html` runs

MONTHS_CSV = (
    "month,total,agencies,model\n2025-01,135,133,all\n2025-02,239,180,all\n2026-02,1425,1195,all\n"
)

# A line chart over MONTHS_CSV; format `y` with one of its number columns.
LINE_CHART = """\
```chart
data: months.csv
mark: line
x: month:T
y: {y}:Q
title: Agreements by month
description: Line chart.
source: ICE lists
as_of: 2026-02-17
```
"""


def package_for(
    name: str,
    fields: list[tuple[str, str]],
    *,
    as_of="2026-02-17",
    source="ICE 287(g) participating agencies lists",
) -> dict:
    """A minimal data package describing one CSV."""
    return {
        "name": "test-data",
        "resources": [
            {
                "name": name.removesuffix(".csv").replace("_", "-"),
                "path": name,
                "format": "csv",
                "title": name,
                "description": f"Test data in {name}.",
                "as_of": as_of,
                "sources": [
                    {"title": source, "path": "https://www.ice.gov/identify-and-arrest/287g"}
                ],
                "schema": {"fields": [{"name": n, "type": t} for n, t in fields]},
            }
        ],
    }


def make_site(
    tmp_path: Path,
    article: str,
    *,
    csvs: dict | None = None,
    package: dict | None = None,
    settings: dict | None = None,
    name: str = "article.md",
) -> Path:
    """Write content/<name>, data/*.csv (and datapackage.json) under tmp_path; return it."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    header = "Title: Test article\nDate: 2026-02-19\nSlug: test-article\n\n"
    (content / name).write_text(header + textwrap.dedent(article), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for csv_name, text in (csvs if csvs is not None else {"months.csv": MONTHS_CSV}).items():
        (data / csv_name).write_text(text, encoding="utf-8")
    if package is not None:
        (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / "settings.json").write_text(json.dumps(settings or {}), encoding="utf-8")
    return tmp_path


def build(site: Path, fatal: bool = True, **overrides) -> Path:
    """Build the site in-process (with fatal errors, as the build tool does, unless
    `fatal=False`); return the output folder."""
    with fatal_errors(fatal):
        Pelican(site_settings(site, **overrides)).run()
    return site / "output"


@contextlib.contextmanager
def fatal_errors(fatal: bool = True):
    """Pelican's `--fatal errors` (an error log raises) inside the block, if `fatal`."""
    if fatal:
        FatalLogger.fatal_lvl = logging.ERROR  # what `--fatal errors` sets
    try:
        yield
    finally:
        FatalLogger.fatal_lvl = logging.CRITICAL + 1


def site_settings(site: Path, **overrides) -> dict:
    """The Pelican settings `build` uses for the site."""
    extra = (
        json.loads((site / "settings.json").read_text())
        if (site / "settings.json").exists()
        else {}
    )
    output = site / "output"
    settings = read_settings(
        override={
            "PATH": str(site / "content"),
            "OUTPUT_PATH": str(output),
            "PLUGIN_PATHS": [str(PLUGINS)],
            "PLUGINS": ["datadirectives"],
            "SITEURL": "",
            "RELATIVE_URLS": True,
            "TIMEZONE": "UTC",
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "DATA_DIRECTIVES": {
                "DATA_DIR": str(site / "data"),
                "CACHE_DIR": str(site / ".cache"),
                **extra.get("DATA_DIRECTIVES", {}),
            },
            **{k: v for k, v in extra.items() if k != "DATA_DIRECTIVES"},
            **overrides,
        }
    )
    return settings


def article_html(output: Path) -> str:
    """The built article page's HTML."""
    return (output / "test-article.html").read_text(encoding="utf-8")


def run_build(
    site: Path, workers: int | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The build module on site/pelican.conf.py, as `make html` runs it (`env`: more
    environment variables)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PLUGINS), str(SITE_TOOLS)]),
        **(env or {}),
    }
    if workers is not None:
        env["DATADIRECTIVES_WORKERS"] = str(workers)
    command = [
        sys.executable,
        "-m",
        "site_tools.build",
        "--settings",
        str(site / "pelican.conf.py"),
        "--output",
        str(site / "output"),
    ]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def tree_digest(folder: Path) -> str:
    """One hash of every file name and byte under a folder (for byte-identical builds)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_settings(site: Path) -> Path:
    """A pelican.conf.py for the tiny site, for builds run as `make html` runs them."""
    (site / "pelican.conf.py").write_text(
        textwrap.dedent(f"""
        PATH = {str(site / "content")!r}
        PLUGIN_PATHS = [{str(PLUGINS)!r}]
        PLUGINS = ["datadirectives"]
        TIMEZONE = "UTC"
        RELATIVE_URLS = True
        FEED_ALL_ATOM = None
        CATEGORY_FEED_ATOM = None
        DATA_DIRECTIVES = {{"DATA_DIR": "data", "CACHE_DIR": ".cache"}}
    """)
    )
    return site
