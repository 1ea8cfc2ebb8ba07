"""What data-package validation costs: install size of its engine (DuckDB) and what it pulls in,
its import time, and the time to validate every CSV in data/. Run on demand:

    .venv/bin/python bench/datapackage_cost.py
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's other direct dependencies: what they pull in is not the engine's cost.
OTHERS = [
    "pelican",
    "markdown",
    "altair",
    "pandas",
    "vl-convert-python",
    "pyyaml",
    "openpyxl",
    "livereload",
    "pytest",
    "playwright",
    "ruff",
]


def _requires(name: str) -> list[str]:
    try:
        reqs = md.requires(name) or []
    except md.PackageNotFoundError:
        return []
    return [re.split(r"[ ;<>=!~\[(]", r)[0] for r in reqs if "extra ==" not in r]


def _closure(names: list[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(names)
    while stack:
        key = stack.pop().lower().replace("_", "-")
        if key not in seen:
            seen.add(key)
            stack += _requires(key)
    return seen


def _size(name: str) -> int:
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        return 0  # not installed (a platform-only requirement)
    total = 0
    for f in dist.files or []:
        with contextlib.suppress(OSError):
            total += os.path.getsize(dist.locate_file(f))
    return total


ENGINE, MODULE = "duckdb", "duckdb"


def main() -> None:
    closure = _closure([ENGINE])
    shared = _closure(OTHERS)
    only = {n for n in closure if n not in shared}
    total = sum(_size(n) for n in closure)
    own = sum(_size(n) for n in only)
    print(f"{ENGINE} alone:                  {_size(ENGINE) / 1e6:6.1f} MB")
    print(f"with all its dependencies:     {total / 1e6:6.1f} MB ({len(closure)} packages)")
    print(
        f"only there for {ENGINE}:         {own / 1e6:6.1f} MB ({len(only)} packages: "
        f"{', '.join(sorted(only))})"
    )
    code = f"import time; t = time.perf_counter(); import {MODULE}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    print(f"import {MODULE} (cold process, best of 5): {min(runs) * 1000:.0f} ms")
    sys.path.insert(0, str(ROOT / "plugins" / "pelican-datadirectives"))
    from pelican.plugins.datadirectives.package import validate_package

    validate_package(ROOT / "data")  # warm
    times = []
    for _ in range(5):
        t = time.perf_counter()
        validate_package(ROOT / "data")
        times.append(time.perf_counter() - t)
    rows = sum(
        max(len(p.read_text(encoding="utf-8-sig").splitlines()) - 1, 0)
        for p in (ROOT / "data").glob("*.csv")
    )
    print(
        f"validate_package(data/): best {min(times) * 1000:.0f} ms, median "
        f"{sorted(times)[2] * 1000:.0f} ms ({rows} rows in "
        f"{len(list((ROOT / 'data').glob('*.csv')))} CSVs)"
    )


if __name__ == "__main__":
    main()
