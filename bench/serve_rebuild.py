"""How long `make serve` takes from saving one article to the changed page being served.

    .venv/bin/python bench/serve_rebuild.py [--edits 5] [--article content/chapters/1-growth.md]

Copies the project (with its chart render cache, as on an author's machine after a first
build) to a temporary folder, starts `python -m site_tools.serve` there,
waits for the first build, then appends a unique sentence to one article N times and measures,
for each, the wall time from the write to the page answering with the new sentence over HTTP
(what an author waits for), and prints the serve log's own "rebuilt in" times. On demand only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _served(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _until(predicate, what: str, timeout: float = 300):
    """Poll predicate() until truthy; raise naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise SystemExit(f"serve_rebuild: timed out waiting for {what}")
        time.sleep(0.02)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--article", default="content/chapters/1-growth.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for name in ("content", "data", "theme", "plugins"):
            shutil.copytree(ROOT / name, project / name, symlinks=True)
        shutil.copy2(ROOT / "pelican.conf.py", project)
        if (ROOT / ".cache").is_dir():
            shutil.copytree(ROOT / ".cache", project / ".cache")
        port = _free_port()
        log = project / "serve.log"
        env = {**os.environ, "PYTHONPATH": f"{project / 'plugins'}{os.pathsep}{project}"}
        cmd = [sys.executable, "-m", "site_tools.serve", "--port", str(port)]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=log.open("w"),
                                stderr=subprocess.STDOUT)  # fmt: skip
        try:
            while "serving output" not in log.read_text():
                if proc.poll() is not None:
                    print(log.read_text(), file=sys.stderr)
                    return 1
                time.sleep(0.1)
            print(f"first build and serve: {time.perf_counter() - started:.2f} s")
            article = project / args.article
            # Which page shows this article: the one a marker lands in.
            article.write_text(article.read_text() + "\n\nbench-marker-0\n")
            page = _until(lambda: next((p for p in _pages(project / "output")
                                        if "bench-marker-0" in p.read_text()), None),
                          "the first edit to be built")  # fmt: skip
            url = f"http://127.0.0.1:{port}/{page.relative_to(project / 'output').as_posix()}"
            waits = []
            for n in range(1, args.edits + 1):
                time.sleep(1.0)  # let the watcher settle between edits
                marker = f"bench-marker-{n}"
                article.write_text(article.read_text() + f"\n\n{marker}\n")
                t0 = time.perf_counter()
                _until(lambda m=marker: m in _served(url), f"edit {n} to be served")
                waits.append(time.perf_counter() - t0)
                print(f"edit {n}: page updated after {waits[-1]:.2f} s")
            print(f"median {statistics.median(waits):.2f} s, min {min(waits):.2f} s, "
                  f"max {max(waits):.2f} s over {len(waits)} edits of {args.article}")  # fmt: skip
            rebuilt = [line for line in log.read_text().splitlines() if "rebuilt in" in line]
            shown = [line.split(": ", 1)[-1] for line in rebuilt[-args.edits :]]
            print("serve log:", "; ".join(shown))
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
