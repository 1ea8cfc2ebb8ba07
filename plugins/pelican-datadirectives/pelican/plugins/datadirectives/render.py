"""Rendering with vl-convert, and the on-disk cache that makes rebuilds cheap.

A cache key is a hash of everything that can change the result: the directive's text, the
bytes of the CSV it reads, the plugin's own source (chart builders and theme included), any
escape-hatch chart functions, and the vl-convert (Vega) version. An unchanged chart costs one
file read on rebuild; a changed CSV always renders again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def plugin_fingerprint() -> str:
    """A hash of the plugin's Python source and the files it ships (theme, map shapes)."""
    digest = hashlib.sha256()
    for path in sorted(PLUGIN_DIR.rglob("*")):
        if path.suffix in (".py", ".json") and "node_modules" not in path.parts:
            digest.update(path.relative_to(PLUGIN_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def engine_version() -> str:
    """vl-convert's version: a new Vega can draw the same spec differently."""
    from importlib.metadata import version

    return version("vl-convert-python")


@lru_cache(maxsize=8)
def folder_fingerprint(folder: str | None) -> str:
    """A hash of the Python files in the escape-hatch functions folder ('' when none)."""
    if not folder:
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, computed once per build while its size and mtime hold.

    A 100-chart site asks for the same few CSVs' hashes hundreds of times (once per block in
    prerender's scan, once per block in the reader): read and hash each file once.
    """
    stat = Path(path).stat()
    return _file_sha256(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cache_key(*parts: str) -> str:
    """One hex key from the parts that decide a rendering."""
    digest = hashlib.sha256()
    for part in (plugin_fingerprint(), engine_version(), *parts):
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
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f, sort_keys=True)
        os.replace(tmp, folder / f"{key}.json")


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


@lru_cache(maxsize=8)
def font_fingerprint(folder: str | None) -> str:
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
