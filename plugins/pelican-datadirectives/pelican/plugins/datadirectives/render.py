"""Rendering with vl-convert, and the on-disk cache that makes rebuilds cheap.

A cache key is a hash of what can change a rendering, and no more:

- the renderer: `fingerprint()`, a hash of the RENDERING modules of the plugin (chart
  builders, directives, theme, figure HTML, formats, map shapes...) and the versions of the
  RENDERING_PACKAGES (vl-convert, which carries Vega; Altair; pandas; DuckDB). Editing the
  build's wiring (plugin.py, prerender.py, the Markdown scanner, settings checks) does not
  invalidate a single chart; every plugin module is listed in RENDERING or NOT_RENDERING, and
  a test fails until a new module is placed in one of them;
- the inputs: the directive's text, the bytes of the data file it reads, its data-package
  metadata, the settings that change a figure, and any escape-hatch chart functions.

The fingerprint is computed once per build (the Renderer holds it, and hands it to the
prerender workers); nothing here is cached at module level. An unchanged chart costs one
file read on rebuild; a changed CSV always renders again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent

# The plugin's files that decide what a directive renders (a folder: its .py and .json files).
RENDERING = (
    "annotation_rows.py",
    "charts",
    "directives",
    "geo",
    "cards.py",
    "chart_theme.py",
    "data.py",
    "engine.py",
    "figure.py",
    "formats.py",
    "interactive.py",
    "options.py",
    "parsing.py",
    "render.py",
    "renderer.py",
    "sql.py",
    "table_links.py",
    "us_states.py",
    "values.py",
)
# The rest: how the build runs, reports and checks, not what a figure looks like.
NOT_RENDERING = (
    "__init__.py",
    "check.py",
    "errors.py",
    "markdown_ext.py",
    "package.py",
    "pagesets.py",
    "placeholders.py",
    "plugin.py",
    "prerender.py",
    "progress.py",
    "registry.py",
    "runtime.py",
    "settings.py",
    "sources.py",  # the sources block is not cached: rendered every build
    "static",
    "tableschema.py",
    "typed_figures.py",
)
RENDERING_PACKAGES = ("vl-convert-python", "altair", "pandas", "duckdb")


def fingerprint(
    paths: Iterable[str] = RENDERING,
    packages: Iterable[str] = RENDERING_PACKAGES,
    root: Path = PLUGIN_DIR,
) -> str:
    """A hash of the files under `root` named by `paths` and of the packages' versions."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for name in sorted(paths):
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".py", ".json") and "node_modules" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0")
                digest.update(file.read_bytes())
    for package in sorted(packages):
        try:
            digest.update(f"{package}=={version(package)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{package} absent\0".encode())
    return digest.hexdigest()


def folder_fingerprint(folder: str | Path | None) -> str:
    """A hash of the Python files in the escape-hatch functions folder ('' when none)."""
    if not folder:
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class FileHashes:
    """SHA-256 of files, each read and hashed once while its size and mtime hold.

    One per build (the Renderer's): a 100-chart site asks for the same few CSVs' hashes
    hundreds of times (once per block in prerender's scan, once per block in the reader).
    """

    def __init__(self):
        self._known: dict[tuple[str, int, int], str] = {}

    def __call__(self, path: Path) -> str:
        stat = Path(path).stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self._known:
            self._known[key] = file_sha256(path)
        return self._known[key]


def cache_key(fingerprint: str, *parts: str) -> str:
    """One hex key from the renderer's fingerprint and the parts that decide a rendering."""
    digest = hashlib.sha256()
    for part in (fingerprint, *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class Cache:
    """A folder of JSON entries, one per key, written atomically."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists, without reading it or counting a hit (prerender.py)."""
        return self.path(key).is_file()

    def get(self, key: str) -> dict | None:
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: dict) -> None:
        folder = self.folder / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        # One json.dumps (C encoder) and one write: json.dump would write the entry's big
        # HTML strings in many small chunks. The same bytes.
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True))
        os.replace(tmp, folder / f"{key}.json")


# vl-convert keeps one font database per process: which folders this process gave it.
_registered_fonts: set[str] = set()


def use_fonts(folder: Path | None) -> None:
    """Let vl-convert lay text out with the fonts in `folder` (once per process).

    vl-convert keeps one font database per process, so this is the one place the plugin
    changes process state; the render pool's workers call it too (via Renderer).
    """
    if folder is None or str(folder) in _registered_fonts:
        return
    import vl_convert as vlc

    vlc.register_font_directory(str(Path(folder).resolve()))
    _registered_fonts.add(str(folder))


def font_fingerprint(folder: str | Path | None) -> str:
    """A hash of the font files in FONT_DIR ('' when none): new glyphs, new layout."""
    if not folder:
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def to_svg(spec: dict) -> str:
    """Render a Vega-Lite spec to SVG with vl-convert (no network: data is inline)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, allowed_base_urls=[])


def to_png(spec: dict, scale: float = 1.0) -> bytes:
    """Render a Vega-Lite spec to PNG (share cards)."""
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])


def canonical_json(value) -> str:
    """JSON with sorted keys and no spaces: the same spec always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
