"""Maintainer command: build the chart runtime that ships inside the plugin.

    make runtime        # = npm ci here, then: python js/build.py

Bundles js/src/ with esbuild, from the npm packages pinned by js/package-lock.json, into
pelican/plugins/datadirectives/static/dd-loader.js, dd-runtime.js and dd-explorer.js (the
map explorer). Those files are
committed and ship in the wheel, so building a site never needs Node.js; a test builds them
again and checks that the shipped bytes equal a fresh build (esbuild output is
deterministic: the same sources, lock and arguments give the same bytes).

Nothing site-specific goes into the bundle: the chart theme reaches the runtime as data at
page time (see runtime.py), so one prebuilt file serves every site.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent
PACKAGE_STATIC = JS_DIR.parent / "pelican" / "plugins" / "datadirectives" / "static"
NODE_MODULES = JS_DIR / "node_modules"
ESBUILD = NODE_MODULES / ".bin" / "esbuild"
# esbuild arguments. Vega and d3 are BSD-3 / ISC: the banner keeps their notices with the
# minified code.
# An ES module bundle for browsers (the runtime and the map explorer, imported on demand).
MODULE_ARGS = (
    "--bundle",
    "--format=esm",
    "--minify",
    "--target=es2020",
    "--platform=browser",
    "--legal-comments=eof",
)
RUNTIME_ARGS = (
    "src/chart-runtime.js",
    *MODULE_ARGS,
    "--banner:js=/*! Chart runtime of the datadirectives plugin. Includes Vega and "
    "vega-interpreter (BSD-3-Clause, Copyright (c) 2015-2023, University of Washington "
    "Interactive Data Lab) and d3 modules (ISC, Copyright Mike Bostock). */",
)
LOADER_ARGS = ("src/loader.js", "--minify", "--target=es2018", "--legal-comments=eof")
# The map explorer: the project's own code only (no npm package), loaded on interaction.
EXPLORER_ARGS = ("src/map-explorer.js", *MODULE_ARGS)
# File name in static/ -> esbuild arguments.
OUTPUTS = {
    "dd-loader.js": LOADER_ARGS,
    "dd-runtime.js": RUNTIME_ARGS,
    "dd-explorer.js": EXPLORER_ARGS,
}


class RuntimeBuildError(RuntimeError):
    """The chart runtime could not be built; the message says how to fix it."""


def _esbuild(args: tuple[str, ...], outfile: Path) -> bytes:
    if not ESBUILD.exists():
        raise RuntimeBuildError(
            f"esbuild is not installed in {NODE_MODULES}; run `npm ci` in {JS_DIR} first"
        )
    cmd = [str(ESBUILD), *args, f"--outfile={outfile}", "--log-level=warning"]
    done = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeBuildError(f"esbuild failed building {args[0]}:\n{done.stderr.strip()}")
    return outfile.read_bytes()


def build() -> dict[str, bytes]:
    """A fresh build of every shipped file: {file name in static/: bytes}."""
    with tempfile.TemporaryDirectory() as tmp:
        return {name: _esbuild(args, Path(tmp) / name) for name, args in OUTPUTS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PACKAGE_STATIC, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        files = build()
    except RuntimeBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        size = len(gzip.compress(data, compresslevel=9, mtime=0))
        print(f"{args.out / name}  {len(data):,} bytes, {size:,} gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
