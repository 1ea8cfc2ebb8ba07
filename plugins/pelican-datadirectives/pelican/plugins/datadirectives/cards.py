"""Share cards: a page's first chart redrawn as a 1200x630 PNG for Open Graph and Twitter.

Social sites crop to 1.91:1 and show the card small, so the card repeats the chart's title in
large type above the chart and its source below, on an opaque background.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .chart_theme import TOKENS

WIDTH, HEIGHT = 1200, 630


def card_spec(vl: dict) -> dict:
    """A copy of the chart's Vega-Lite spec sized and titled for a share card."""
    spec = {k: v for k, v in vl.items() if k not in ("width", "height", "autosize")}
    title = spec.get("title") or {}
    spec["title"] = {
        "text": title.get("text", ""),
        "subtitle": title.get("subtitle", ""),
        "anchor": "start",
        "fontSize": 40,
        "subtitleFontSize": 22,
        "subtitlePadding": 10,
        "offset": 24,
        "orient": "top" if "subtitle" not in title else "top",
    }
    spec["background"] = TOKENS["background"]["light"]
    spec["padding"] = {"left": 40, "right": 40, "top": 36, "bottom": 30}
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    if (
        "facet" not in spec
        and "concat" not in spec
        and "hconcat" not in spec
        and "vconcat" not in spec
    ):
        spec["width"] = WIDTH
        spec["height"] = HEIGHT
    return spec


def cached_card(cache_dir: Path, vl: dict, fingerprint: str) -> Path:
    """The card PNG for a chart's Vega-Lite spec, rendered once into the cache; its path.

    `fingerprint` is the renderer's (render.fingerprint, held by the build's Renderer).

    Written atomically: prerender.py renders cards in worker processes before the build
    reads the content, and plugin.write_cards copies them when the site is written.
    """
    from . import render

    spec = card_spec(vl)
    key = render.cache_key(fingerprint, "card", render.canonical_json(spec))
    path = Path(cache_dir) / "cards" / f"{key}.png"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(render.to_png(spec))
        os.replace(tmp, path)
    return path
