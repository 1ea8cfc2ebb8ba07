"""The browser side of interactive charts: copy the shipped scripts and the theme, tell templates.

Four files, all served from the site itself (no CDN) under content-hashed names:
- the loader (static/dd-loader.js, ~1 KB): the only script on a page with interactive charts;
  it only watches the charts and fetches the runtime when a reader shows interest;
- the runtime (static/dd-runtime.js: Vega 6 + vega-interpreter, ~170 KB gzip): draws the
  live chart in place of the static SVG;
- the chart theme (dd-theme.<hash>.json, from chart_theme.py): what the runtime needs to
  repaint live charts like the static ones (dark-mode colours, tooltip colours);
- the map explorer (static/dd-explorer.js, ~3 KB gzip): fetched by the loader when a reader
  points at, taps or tabs to a static map; it reads the map's region JSON (charts/maps.py).

The two scripts are prebuilt and ship inside the package (built from the pinned npm lock by
the maintainer command `make runtime`, js/build.py in the plugin's repository), so a site
build needs no Node.js. The theme reaches the runtime as data: the loader fetches the JSON
and hands it over, so the same prebuilt runtime serves any site and any chart theme. This
module only reads the package; it writes into the site's output, never into the package.

Pelican wiring (thin): `on_generator_init` sets the Jinja globals DD_LOADER_JS, DD_RUNTIME_JS,
DD_THEME_JSON and DD_EXPLORER_JS (paths relative to SITEURL) on every generator;
`write_runtime` copies the files into output/<THEME_STATIC_DIR>/js/. A theme turns the globals
into one deferred tag:

    <script defer src="{{ SITEURL }}/{{ DD_LOADER_JS }}"
            data-dd-runtime="{{ SITEURL }}/{{ DD_RUNTIME_JS }}"
            data-dd-theme="{{ SITEURL }}/{{ DD_THEME_JSON }}"
            data-dd-explorer="{{ SITEURL }}/{{ DD_EXPLORER_JS }}"></script>
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import chart_theme

STATIC = Path(__file__).resolve().parent / "static"
LOADER_FILE = STATIC / "dd-loader.js"
RUNTIME_FILE = STATIC / "dd-runtime.js"
EXPLORER_FILE = STATIC / "dd-explorer.js"
BUDGET_GZIP = 200_000  # issue 5: the lazily loaded bundle is at most 200 KB gzip


@dataclass(frozen=True)
class Bundle:
    """The loader, runtime and chart theme a site serves, with content-hashed file names."""

    loader: bytes
    runtime: bytes
    theme: bytes
    explorer: bytes = b""

    @property
    def loader_name(self) -> str:
        return f"dd-loader.{_hash(self.loader)}.js"

    @property
    def runtime_name(self) -> str:
        return f"dd-runtime.{_hash(self.runtime)}.js"

    @property
    def theme_name(self) -> str:
        return f"dd-theme.{_hash(self.theme)}.json"

    @property
    def explorer_name(self) -> str:
        return f"dd-explorer.{_hash(self.explorer)}.js"

    def files(self) -> dict[str, bytes]:
        """{hashed file name: bytes}, in a fixed order."""
        return {
            self.loader_name: self.loader,
            self.runtime_name: self.runtime,
            self.theme_name: self.theme,
            self.explorer_name: self.explorer,
        }

    def gzip_size(self, which: str = "runtime") -> int:
        """Bytes of the file compressed as a host would (gzip -9, no name or time stamp)."""
        data = {
            "runtime": self.runtime,
            "loader": self.loader,
            "theme": self.theme,
            "explorer": self.explorer,
        }[which]
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


@functools.cache
def _shipped() -> tuple[bytes, bytes, bytes]:
    return LOADER_FILE.read_bytes(), RUNTIME_FILE.read_bytes(), EXPLORER_FILE.read_bytes()


def bundle(tokens: dict = chart_theme.TOKENS) -> Bundle:
    """The shipped loader, runtime and map explorer, with this site's chart theme."""
    loader, runtime, explorer = _shipped()
    return Bundle(loader, runtime, theme_json(tokens).encode(), explorer)


def write_runtime(output_dir: Path, static_dir: str = "theme") -> list[Path]:
    """Copy loader, runtime and theme into output/<static_dir>/js/ under their hashed names."""
    js = Path(output_dir) / static_dir / "js"
    js.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in bundle().files().items():
        (js / name).write_bytes(data)
        written.append(js / name)
    return written


def template_globals(static_dir: str = "theme") -> dict[str, str]:
    """The Jinja globals a theme uses for the loader tag (paths relative to SITEURL)."""
    b = bundle()
    return {
        "DD_LOADER_JS": f"{static_dir}/js/{b.loader_name}",
        "DD_RUNTIME_JS": f"{static_dir}/js/{b.runtime_name}",
        "DD_THEME_JSON": f"{static_dir}/js/{b.theme_name}",
        "DD_EXPLORER_JS": f"{static_dir}/js/{b.explorer_name}",
    }


def on_generator_init(generator) -> None:
    """Give the generator's templates the runtime's URLs."""
    static_dir = generator.settings.get("THEME_STATIC_DIR", "theme")
    generator.env.globals.update(template_globals(static_dir))
