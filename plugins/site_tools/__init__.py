"""site_tools: this site's own build tools, kept apart from the chart plugin.

The chart plugin (pelican-datadirectives) draws charts, tables and numbers; nothing here is
about charts, and the plugin works without any of it. Four small modules:

- `fingerprint.py`: content-hashed names for theme assets (`site.1a2b3c4d.css`), references
  rewritten, so hosts can cache them forever;
- `headers.py`: the `_headers` file (security headers with the Content-Security-Policy, and
  Cache-Control per file) for Netlify and Cloudflare Pages;
- `build.py`: the atomic build behind `make html` and `make publish`
  (`python -m site_tools.build`);
- `serve.py`: the live preview behind `make serve` (`python -m site_tools.serve`).

As a Pelican plugin (`PLUGIN_PATHS = ["plugins"]`, `PLUGINS = [..., "site_tools"]`) it runs
the two output steps once the site is written, in the order that matters: fingerprint the
assets, then write `_headers`, which lists the hashed names. Settings (Pelican settings,
both optional):

    FINGERPRINT_ASSETS = True   # hash-rename files under THEME_STATIC_DIR
    HOST_HEADERS = True         # write output/_headers (base path taken from SITEURL)

Every file another plugin writes into the output (the chart plugin's CSS and scripts, the
search index) must be written by a generator, before Pelican's `finalized` signal, whose
receivers run in no fixed order: then it is fingerprinted and listed in `_headers` too.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pelican import signals


def enabled(settings: dict) -> bool:
    """Whether this build lists the plugin (Pelican's signals outlive a build in one process)."""
    return any(getattr(p, "__name__", p) == __name__ for p in settings.get("PLUGINS") or [])


def finalized(pelican) -> None:
    """Fingerprint the theme's assets, then write _headers (which lists their hashed names)."""
    settings = pelican.settings
    if not enabled(settings):
        return
    from . import fingerprint, headers

    output = Path(pelican.output_path)
    if settings.get("FINGERPRINT_ASSETS", True):
        fingerprint.fingerprint(
            output,
            siteurl=settings.get("SITEURL", ""),
            static_dir=settings.get("THEME_STATIC_DIR", "theme"),
        )
    if settings.get("HOST_HEADERS", True):
        headers.write_headers(output, urlparse(settings.get("SITEURL") or "").path)


def register():
    """One receiver, so the two steps run in order."""
    signals.finalized.connect(finalized)
