"""The atomic build: render the site into a fresh folder, swap it in only if everything worked.

    python -m site_tools.build --settings pelican.conf.py --output output

Pelican runs in fatal-errors mode in a child process (a clean interpreter per build, so
nothing leaks between rebuilds of `make serve`). On any error the new folder is deleted and
the previous output/ stays byte-for-byte as it was; the exit status is non-zero.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def build(settings: Path, output: Path, extra_env: dict | None = None) -> int:
    """Build into a sibling folder, then swap it into `output`. Returns Pelican's exit code."""
    settings, output = Path(settings).resolve(), Path(output).resolve()
    staging = output.with_name(f".{output.name}.building")
    if staging.exists():
        shutil.rmtree(staging)
    env = {**os.environ, **(extra_env or {})}
    # Determinism: hash seeds and locale must not leak into the output.
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("TZ", "UTC")
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        "--settings",
        str(settings),
        "--output",
        str(staging),
        "--fatal",
        "errors",
        "--delete-output-directory",
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, env=env, cwd=settings.parent, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(
            f"build failed (exit {result.returncode}); {output.name}/ left as it was",
            file=sys.stderr,
        )
        return result.returncode or 1
    swap(staging, output)
    print(f"built {output.name}/ in {time.perf_counter() - started:.2f} s")
    return 0


def swap(staging: Path, output: Path) -> None:
    """Replace `output` with `staging` using renames (the old tree is removed last)."""
    old = output.with_name(f".{output.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", type=Path, default=Path("pelican.conf.py"))
    parser.add_argument("--output", type=Path, default=Path("output"))
    args = parser.parse_args(argv)
    return build(args.settings, args.output)


if __name__ == "__main__":
    sys.exit(main())
