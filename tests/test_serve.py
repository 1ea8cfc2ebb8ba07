"""`make serve`: the live preview rebuilds on a Markdown or CSV edit and reloads the page.

Runs the real command (`make serve`'s module) on a free port in a temporary copy of
the project, adds a small page with a value from a CSV, edits the Markdown and the CSV, and
watches the page change over HTTP; a broken edit keeps the last good page and prints the
located error. The browser test opens the page in Chromium, under the site's real CSP, and
checks that a CSV edit reloads it by itself.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/preview-check.html"
CSV = "agreements_by_snapshot.csv"
PAGE_MD = """Title: Preview check
Slug: preview-check
Status: hidden

The last snapshot lists {{{{ last {csv}.total }}}} agreements. {marker}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:
        return 0, ""


def wait_for(predicate, what: str, timeout: float = 120):
    """Poll until predicate() is truthy; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class Preview:
    """The serve command running in a copy of the project; its log is kept for assertions."""

    def __init__(self, project: Path):
        self.project = project
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = project / "serve.log"
        plugin_path = project / "plugins" / "pelican-datadirectives"
        env = {**os.environ, "PORT": str(self.port),
               "PYTHONPATH": os.pathsep.join([str(plugin_path), str(project / "plugins"),
                                             str(project)])}  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "site_tools.serve",
             "--settings", "pelican.conf.py",
             "--output", "output"],
            cwd=project, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def page(self) -> str:
        status, body = _get(self.url + PAGE)
        return body if status == 200 else ""

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def set_last_total(project: Path, value: int) -> None:
    path = project / "data" / CSV
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[-1][rows[0].index("total")] = str(value)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def preview(tmp_path):
    """A copy of the project with a preview-check page, served by `site_tools.serve`."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "data", "theme", "plugins"):
        shutil.copytree(ROOT / name, project / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy2(ROOT / "pelican.conf.py", project)
    if (ROOT / ".cache").is_dir():  # the chart render cache: a warm start, same output
        shutil.copytree(ROOT / ".cache", project / ".cache")
    (project / "content" / "pages" / "preview-check.md").write_text(
        PAGE_MD.format(csv=CSV, marker="first-version"), encoding="utf-8"
    )
    server = Preview(project)
    try:
        wait_for(lambda: "first-version" in server.page() or server.proc.poll() is not None,
                 "the first build to be served", timeout=600)  # fmt: skip
        if server.proc.poll() is not None:
            pytest.fail(f"serve exited ({server.proc.returncode}):\n{server.text()[-4000:]}")
        yield server
    finally:
        server.stop()


def test_markdown_and_csv_edits_rebuild_the_page(preview):
    project = preview.project
    md = project / "content" / "pages" / "preview-check.md"
    # The livereload tag is added when serving, never written to the output.
    assert '<script src="/livereload.js" defer></script></head>' in preview.page()
    assert "livereload" not in (project / "output" / PAGE).read_text(encoding="utf-8")
    status, script = _get(preview.url + "livereload.js")
    assert status == 200 and "LiveReload" in script

    md.write_text(PAGE_MD.format(csv=CSV, marker="second-version"), encoding="utf-8")
    wait_for(lambda: "second-version" in preview.page(), "the Markdown edit to show")

    set_last_total(project, 987654)
    wait_for(lambda: "987,654" in preview.page() or "987654" in preview.page(),
             "the CSV edit to show")  # fmt: skip

    # A broken edit: the located error in the terminal, the last good page still served.
    md.write_text(PAGE_MD.format(csv="no_such_file.csv", marker="broken-version"))
    wait_for(lambda: "FAILED" in preview.text(), "the failed build to be reported")
    assert "preview-check.md:5" in preview.text()
    page = preview.page()
    assert "second-version" in page and "broken-version" not in page

    md.write_text(PAGE_MD.format(csv=CSV, marker="fixed-version"), encoding="utf-8")
    wait_for(lambda: "fixed-version" in preview.page(), "the fixed page to show")
    assert preview.proc.poll() is None


@pytest.mark.browser
def test_csv_edit_reloads_the_open_page(preview, browser):
    """In Chromium, under the site's CSP: the page reloads itself after a CSV edit."""
    context = browser.new_context()
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else 0)
    page.goto(preview.url + PAGE)
    wait_for(lambda: "Browser Connected" in preview.text(), "livereload.js to connect")
    with page.expect_event("load", timeout=120_000):
        set_last_total(preview.project, 123456)
    assert "123,456" in page.content() or "123456" in page.content()
    assert not blocked, blocked
    context.close()
