"""Proof that the plugin is a package any Pelican site can install, with no Node.js.

Builds the plugin's wheel (pip, with the build backend pinned in its pyproject.toml, from
PyPI), installs it into a fresh virtual environment (its dependencies constrained by the
site's lock, so CI installs the same versions), makes a site with the real
`pelican-quickstart` (Pelican's default theme), adds the README's minimal example (a CSV and an
article with a value, a chart and a table) plus a plain article and a page, and builds it with
quickstart's own Makefile, with nothing but the new environment and `make` on PATH: no Node.js,
no npm. Then it builds the same site with `PLUGINS = []` and compares: the figures are in the
example article, and every file that differs is either one the plugin adds or a page that
shows the example article.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent  # plugins/pelican-datadirectives
ROOT = PLUGIN.parent.parent  # the site's repository: its lock pins the dependencies
# Bytes. Measured 617 KB: the prebuilt runtime (~170 KB zipped) and us-atlas's county shapes
# (counties-albers-10m.json, 795 KB raw, ~250 KB zipped, for county maps) are most of it.
WHEEL_BUDGET = 700_000

pytestmark = pytest.mark.slow

# pelican-quickstart's questions, answered: path, title, author, language (from the flags),
# no URL prefix, no pagination, time zone UTC, yes to the Makefile, no to every upload.
QUICKSTART_ANSWERS = "\n\n\n\nn\nn\nUTC\ny\n" + "n\n" * 8


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{cmd[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def readme_files() -> dict[str, str]:
    """The minimal example's files, as the README shows them (`**path**` then a fence)."""
    text = (PLUGIN / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^\*\*(\S+)\*\*\n\n(`{3,4})\w*\n(.*?)\n\2$", text, re.M | re.S)
    return {path: body + "\n" for path, _, body in found}


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtual environment with only the plugin's wheel and its dependencies."""
    base = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"),
         str(PLUGIN)])  # fmt: skip
    (wheel,) = (base / "dist").glob("pelican_datadirectives-*.whl")
    lock = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["explainer"]["lock"]
    (base / "constraints.txt").write_text("\n".join(lock) + "\n")
    env_dir = base / "venv"
    run([sys.executable, "-m", "venv", str(env_dir)])
    run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "-c", str(base / "constraints.txt"), str(wheel)])  # fmt: skip
    return env_dir


@pytest.fixture(scope="module")
def wheel(venv) -> Path:
    return next((venv.parent / "dist").glob("*.whl"))


def test_the_wheel_holds_the_plugin_and_its_prebuilt_runtime_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    package = "pelican/plugins/datadirectives/"
    assert f"{package}__init__.py" in names
    for shipped in ("dd-runtime.js", "dd-loader.js", "dd-explorer.js", "dd-figures.css"):
        assert f"{package}static/{shipped}" in names
    # A namespace plugin: no pelican/__init__.py or pelican/plugins/__init__.py to shadow
    # Pelican's own; no JavaScript sources, npm files or tests.
    assert not {"pelican/__init__.py", "pelican/plugins/__init__.py"} & set(names)
    assert not [n for n in names if "node_modules" in n or n.endswith("package.json")]
    assert not [n for n in names if "/tests/" in n or n.startswith(("js/", "tests/"))]
    size = wheel.stat().st_size
    assert size <= WHEEL_BUDGET, f"wheel is {size:,} bytes"
    # Dev tools are not runtime dependencies.
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA")))
    requires = re.findall(rb"^Requires-Dist: ([\w-]+)", meta, re.M)
    assert b"pelican" in requires and b"vl-convert-python" in requires
    assert not {b"pytest", b"playwright", b"ruff"} & set(requires)


def quickstart_site(venv: Path, dest: Path, plugins: str | None) -> Path:
    """A site made by pelican-quickstart, plus the README example, a plain article, a page."""
    dest.mkdir()
    run([str(venv / "bin" / "pelican-quickstart"), "--path", str(dest / "site"),
         "--title", "Test site", "--author", "Tester", "--lang", "en"],
        input=QUICKSTART_ANSWERS, cwd=dest)  # fmt: skip
    site = dest / "site"
    for rel, body in readme_files().items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(body, encoding="utf-8")
    (site / "content" / "plain.md").write_text(
        "Title: A plain article\nDate: 2025-01-09\n\nNo data here, `{{ code }}` stays.\n"
    )
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "about.md").write_text("Title: About\n\nAbout this site.\n")
    if plugins is not None:
        with (site / "pelicanconf.py").open("a") as conf:
            conf.write(f"\nPLUGINS = {plugins}\n")
    return site


def build(venv: Path, site: Path) -> Path:
    """quickstart's `make html`, errors fatal, with only the venv and make on PATH."""
    tools = site.parent / "bin"
    tools.mkdir()
    (tools / "make").symlink_to(shutil.which("make"))
    path = os.pathsep.join([str(venv / "bin"), str(tools)])
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    env = {"PATH": path, "HOME": str(site.parent), "LC_ALL": "C.UTF-8", "TZ": "UTC"}
    run(["make", "html", "PELICANOPTS=--fatal errors"], cwd=site, env=env)
    return site / "output"


@pytest.fixture(scope="module")
def builds(venv, tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("sites")
    # quickstart writes no PLUGINS line: Pelican then loads every installed namespace plugin,
    # so installing the wheel is all it takes.
    with_plugin = build(venv, quickstart_site(venv, base / "with", plugins=None))
    without = build(venv, quickstart_site(venv, base / "without", plugins="[]"))
    return with_plugin, without


class Elements(HTMLParser):
    """Every start tag as (tag, attrs), and the text inside elements with a class."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self._open.append(attrs.get("class") or "")

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for cls in self._open:
            for name in cls.split():
                self.text[name] = self.text.get(name, "") + data

    def find(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


def test_the_example_article_has_its_figures_value_and_styles(builds):
    output, _ = builds
    page = Elements((output / "the-harvest.html").read_text(encoding="utf-8"))
    assert page.text["dd-value"].strip() == "150"
    assert len(page.find("figure", "dd-chart")) == 1
    assert len(page.find("figure", "dd-table-figure")) == 1
    svgs = page.find("svg", "dd-svg")
    assert svgs and all(s.get("role") == "img" and s.get("aria-labelledby") for s in svgs)
    assert page.text["dd-title"].count("Apple crates picked per year") == 1
    assert page.find("table", "dd-table")
    # The default stylesheets are linked from the page and written beside the theme's files.
    links = [a["href"] for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    for name in ("charts.css", "dd-figures.css"):
        href = next(h for h in links if h.endswith(f"/{name}"))
        assert (output / "the-harvest.html").parent.joinpath(href).resolve().is_file(), href
    download = next(a["href"] for t, a in page.tags if t == "a" and "download" in a)
    assert (output / "the-harvest.html").parent.joinpath(download).resolve().is_file()


def test_pages_that_do_not_show_the_example_are_unchanged_by_the_plugin(builds):
    with_plugin, without = builds
    files = {
        p.relative_to(root).as_posix()
        for root in builds
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }
    # The plugin's own files: the CSV for "Get the data", its stylesheets, the chart runtime
    # and theme (theme/js/dd-*), the example's share card (cards/).
    added = {"data/harvest.csv", "theme/charts.css", "theme/dd-figures.css"}
    unchanged, changed = [], []
    for rel in sorted(files):
        a, b = with_plugin / rel, without / rel
        if a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes():
            unchanged.append(rel)
            continue
        changed.append(rel)
        if rel in added or rel.startswith(("theme/js/dd-", "cards/")):
            assert not b.exists(), f"{rel} is the plugin's, yet a build without it wrote it"
            continue
        # Anything else may differ only because it shows the example article.
        assert b.is_file(), f"the plugin added {rel}"
        assert "The harvest" in b.read_text(encoding="utf-8"), f"{rel} changed"
    assert {"a-plain-article.html", "pages/about.html", "theme/css/main.css"} <= set(unchanged)
    assert "the-harvest.html" in changed
