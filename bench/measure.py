"""Run one build as `make html` does and measure it: wall time, peak memory.

The build runs in a child process (`python -m site_tools.build`, which
itself runs Pelican in a grandchild). Two memory figures:
- `peak_rss`: the largest single process (ru_maxrss from os.wait4, which covers the child and
  every descendant it waited for: what /usr/bin/time -f %M reports);
- `peak_tree`: the largest sum of RSS over the whole process tree, sampled every 20 ms from
  /proc (what matters when a render pool runs two workers side by side).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the tree (steadier than wall time on a busy machine)
    peak_rss: int  # bytes, largest single process
    peak_tree: int  # bytes, largest sampled sum over the process tree
    log: str


def _children(pid: int) -> list[int]:
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def _tree_rss(root: int) -> int:
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack += _children(pid)
    return total


def _env(site: Path) -> dict:
    return {
        **os.environ,
        # The site's own copy of the plugin first: the editable install of the work tree's
        # would otherwise be imported (`pelican.plugins` is a namespace over sys.path).
        "PYTHONPATH": f"{site / 'plugins' / 'pelican-datadirectives'}:{site / 'plugins'}:{site}",
        "PYTHONHASHSEED": "0",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def plugin_folder(site: Path, python: str = sys.executable) -> Path:
    """The folder of the datadirectives plugin that builds of `site` import."""
    code = "import pelican.plugins.datadirectives as p; print(p.__file__)"
    run = subprocess.run(
        [python, "-c", code], env=_env(site), capture_output=True, text=True, check=True
    )
    return Path(run.stdout.strip()).parent


def build(site: Path, output: Path, python: str = sys.executable) -> Run:
    """Build `site` into `output` with the project's atomic build; raise if it fails."""
    env = _env(site)
    cmd = [
        python,
        "-m",
        "site_tools.build",
        "--settings",
        str(site / "pelican.conf.py"),
        "--output",
        str(output),
    ]
    log = site / "build.log"
    peak = [0]
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=site, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    text = log.read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(
            f"bench: build of {site} failed (exit {proc.returncode}):\n" + text[-3000:]
        )
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, peak[0], text)


def best(runs: list[Run]) -> Run:
    """The fastest of several runs (the least disturbed by other work on the machine)."""
    return min(runs, key=lambda r: r.seconds)
