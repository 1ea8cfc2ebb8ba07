"""The browser side of interactive charts: build the two scripts, copy them, tell the templates.

Two files, both served from the site itself (no CDN) under content-hashed names:
- the loader (js/src/loader.js, ~1 KB): the only script on a page with interactive charts;
  it only watches the charts and imports the runtime when a reader shows interest;
- the runtime (js/src/chart-runtime.js + Vega 6 + vega-interpreter, ~190 KB gzip): draws the
  live chart in place of the static SVG.

The npm packages are pinned by js/package-lock.json and installed by `make js` (`npm ci`,
stamped; node_modules is git-ignored). This module runs esbuild from there with the chart
theme's dark colours (from chart_theme.py, as JSON) defined into the runtime, and caches the
result under js/node_modules/.dd-build/<key>/, the key hashing every input, so a second build
is a file copy. esbuild output is deterministic: the same inputs give the same bytes and names.

Pelican wiring (thin): `register_runtime(signals)` sets the Jinja globals DD_LOADER_JS and
DD_RUNTIME_JS (paths relative to SITEURL) on every generator, and copies the files into
output/<THEME_STATIC_DIR>/js/ when the site is written. theme/templates/_runtime.html turns
the globals into one deferred <script> tag on pages that have an interactive chart.

By hand: `python -m pelican.plugins.datadirectives.runtime OUTPUT_DIR` builds and copies,
printing the names
and sizes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import chart_theme

JS_DIR = Path(__file__).resolve().parent / "js"
NODE_MODULES = JS_DIR / "node_modules"
INSTALL_STAMP = NODE_MODULES / ".dd-installed"  # written by `make js` after `npm ci`
BUILD_CACHE = NODE_MODULES / ".dd-build"
ESBUILD = NODE_MODULES / ".bin" / "esbuild"
SOURCES = ("src/loader.js", "src/chart-runtime.js", "src/vega-subset.js")
# Inputs of the bundle besides the sources: a change to any of them changes the key.
LOCK_FILES = ("package.json", "package-lock.json")
# esbuild arguments (part of the cache key). Vega and d3 are BSD-3 / ISC: the banner keeps
# their notices with the minified code.
RUNTIME_ARGS = (
    "src/chart-runtime.js",
    "--bundle",
    "--format=esm",
    "--minify",
    "--target=es2020",
    "--platform=browser",
    "--legal-comments=eof",
    "--banner:js=/*! Chart runtime of the datadirectives plugin. Includes Vega and "
    "vega-interpreter (BSD-3-Clause, Copyright (c) 2015-2023, University of Washington "
    "Interactive Data Lab) and d3 modules (ISC, Copyright Mike Bostock). */",
)
LOADER_ARGS = ("src/loader.js", "--minify", "--target=es2018", "--legal-comments=eof")
BUDGET_GZIP = 200_000  # issue 5: the lazily loaded bundle is at most 200 KB gzip


class RuntimeBuildError(RuntimeError):
    """The chart runtime could not be built; the message says how to fix it."""


@dataclass(frozen=True)
class Bundle:
    """The built loader and runtime, with their content-hashed file names."""

    loader: bytes
    runtime: bytes

    @property
    def loader_name(self) -> str:
        return f"dd-loader.{_hash(self.loader)}.js"

    @property
    def runtime_name(self) -> str:
        return f"dd-runtime.{_hash(self.runtime)}.js"

    def gzip_size(self, which: str = "runtime") -> int:
        """Bytes of the file compressed as a host would (gzip -9, no name or time stamp)."""
        data = self.runtime if which == "runtime" else self.loader
        return len(gzip.compress(data, compresslevel=9, mtime=0))


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def theme_json(tokens: dict = chart_theme.TOKENS) -> str:
    """What the runtime needs from the chart theme, as compact, key-sorted JSON.

    `dark` is the same light-to-dark colour map as the static SVG's dark-mode CSS, so live
    and static charts repaint identically; `tooltip` colours follow the page background.
    """
    colors = tokens["colors"]
    theme = {
        "dark": chart_theme.dark_remaps(tokens),
        "tooltip": {
            mode: {
                "background": tokens["background"][mode],
                "color": colors["text"][i],
                "border": colors["domain"][i],
            }
            for i, mode in enumerate(("light", "dark"))
        },
    }
    return json.dumps(theme, separators=(",", ":"), sort_keys=True)


def build_key(theme: str) -> str:
    """Hash of every input of the bundle: sources, lock files, theme, esbuild version."""
    h = hashlib.sha256()
    for rel in SOURCES + LOCK_FILES:
        h.update(rel.encode() + b"\0" + (JS_DIR / rel).read_bytes() + b"\0")
    h.update(theme.encode() + b"\0" + "\0".join(RUNTIME_ARGS + LOADER_ARGS).encode())
    return h.hexdigest()[:24]


def _check_installed() -> None:
    if not INSTALL_STAMP.exists() or not ESBUILD.exists():
        raise RuntimeBuildError(
            f"the chart runtime's npm packages are not installed in {NODE_MODULES}; "
            f"run `make js` (npm ci in {JS_DIR})"
        )
    lock = JS_DIR / "package-lock.json"
    if lock.stat().st_mtime > INSTALL_STAMP.stat().st_mtime:
        raise RuntimeBuildError(
            f"{lock} changed after the last `npm ci`; run `make js` to reinstall"
        )


def _esbuild(args: list[str], outfile: Path) -> bytes:
    cmd = [str(ESBUILD), *args, f"--outfile={outfile}", "--log-level=warning"]
    done = subprocess.run(cmd, cwd=JS_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeBuildError(
            f"esbuild failed building {args[0]} in {JS_DIR}:\n{done.stderr.strip()}"
        )
    return outfile.read_bytes()


def build_bundle() -> Bundle:
    """The loader and runtime for the current sources and theme (cached, deterministic)."""
    _check_installed()
    theme = theme_json()
    cached = BUILD_CACHE / build_key(theme)
    if (cached / "loader.js").exists() and (cached / "runtime.js").exists():
        return Bundle((cached / "loader.js").read_bytes(), (cached / "runtime.js").read_bytes())
    with tempfile.TemporaryDirectory(dir=NODE_MODULES) as tmp:
        out = Path(tmp)
        runtime = _esbuild([*RUNTIME_ARGS, f"--define:DD_THEME={theme}"], out / "runtime.js")
        loader = _esbuild(LOADER_ARGS, out / "loader.js")
        staged = out / "bundle"
        staged.mkdir()
        (staged / "runtime.js").write_bytes(runtime)
        (staged / "loader.js").write_bytes(loader)
        cached.parent.mkdir(parents=True, exist_ok=True)
        if not cached.exists():
            staged.rename(cached)  # atomic: a half-written cache entry is never seen
    return Bundle(loader, runtime)


def write_bundle(bundle: Bundle, output_dir: Path, static_dir: str = "theme") -> list[Path]:
    """Copy loader and runtime into output/<static_dir>/js/ under their hashed names."""
    js = Path(output_dir) / static_dir / "js"
    js.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((bundle.loader_name, bundle.loader), (bundle.runtime_name, bundle.runtime)):
        (js / name).write_bytes(data)
        written.append(js / name)
    return written


def template_globals(bundle: Bundle, static_dir: str = "theme") -> dict[str, str]:
    """The Jinja globals for theme/templates/_runtime.html (paths relative to SITEURL)."""
    return {
        "DD_LOADER_JS": f"{static_dir}/js/{bundle.loader_name}",
        "DD_RUNTIME_JS": f"{static_dir}/js/{bundle.runtime_name}",
    }


# --- Pelican wiring ---------------------------------------------------------------------

_built: dict[str, Bundle] = {}


def _bundle_once() -> Bundle:
    # generator_init fires once per generator: build (or read the cache) once per process.
    key = build_key(theme_json())
    if key not in _built:
        _built.clear()
        _built[key] = build_bundle()
    return _built[key]


def _static_dir(settings: dict) -> str:
    return settings.get("THEME_STATIC_DIR", "theme")


def on_generator_init(generator) -> None:
    generator.env.globals.update(template_globals(_bundle_once(), _static_dir(generator.settings)))


def on_finalized(pelican) -> None:
    write_bundle(_bundle_once(), Path(pelican.output_path), _static_dir(pelican.settings))


def register_runtime(signals) -> None:
    """Connect the runtime to Pelican: template globals at start, files at the end."""
    signals.generator_init.connect(on_generator_init)
    signals.finalized.connect(on_finalized)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the site's output folder")
    parser.add_argument("--static-dir", default="theme")
    args = parser.parse_args(argv)
    try:
        bundle = build_bundle()
    except RuntimeBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for path in write_bundle(bundle, args.output, args.static_dir):
        data = path.read_bytes()
        size = len(gzip.compress(data, compresslevel=9, mtime=0))
        print(f"{path}  {len(data):,} bytes, {size:,} gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
