"""Draw the theme's images: the favicon (SVG, 32 px PNG, 180 px touch icon) and the default
1200x630 share card used when a page has no chart card of its own.

Run from the repository root after changing a colour or the site name:

    .venv/bin/python theme/tools/make_images.py

Everything is drawn from the SVG strings below and rasterised with vl-convert (already a pinned
dependency), so the output is reproducible; the results are committed in theme/static/img/.
Colours match the light scheme in theme/static/css/site.css.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

import vl_convert as vlc

OUT = Path(__file__).resolve().parents[1] / "static" / "img"

TEXT = "#1a1a1a"
MUTED = "#595959"
ACCENT = "#a3212a"
BG = "#ffffff"
FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"

# Three rising bars: the site's mark, in the favicon and on the card.
FAVICON = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
<rect width="32" height="32" rx="6" fill="{ACCENT}"/>
<rect x="6" y="18" width="5" height="8" fill="{BG}"/>
<rect x="13.5" y="12" width="5" height="14" fill="{BG}"/>
<rect x="21" y="6" width="5" height="20" fill="{BG}"/>
</svg>
"""


def card_svg(title: str, subtitle: str) -> str:
    """The default share card: site name, subtitle, the bar mark, a rule in the accent colour."""
    bars = "".join(
        f'<rect x="{896 + i * 80}" y="{470 - h}" width="56" height="{h}" fill="{ACCENT}"/>'
        for i, h in enumerate((90, 170, 300))
    )
    svg = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630" width="1200" height="630"'
    return f"""<svg {svg}>
<rect width="1200" height="630" fill="{BG}"/>
<rect x="0" y="0" width="1200" height="14" fill="{ACCENT}"/>
<text x="80" y="250" font-family="{FONT}" font-size="88" font-weight="700"
 fill="{TEXT}">{escape(title)}</text>
{_wrapped(subtitle, x=80, y=330, size=40, width_chars=34, fill=MUTED)}
{bars}
<rect x="80" y="470" width="1040" height="4" fill="{TEXT}"/>
</svg>
"""


def _wrapped(text: str, *, x: int, y: int, size: int, width_chars: int, fill: str) -> str:
    """Greedy word wrap into <text> lines (SVG has no text wrapping of its own)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "".join(
        f'<text x="{x}" y="{y + i * int(size * 1.3)}" font-family="{FONT}" font-size="{size}" '
        f'fill="{fill}">{escape(part)}</text>'
        for i, part in enumerate(lines)
    )


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import importlib.util

    spec = importlib.util.spec_from_file_location("conf", OUT.parents[2] / "pelican.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    (OUT / "favicon-32.png").write_bytes(vlc.svg_to_png(FAVICON, scale=1.0))
    (OUT / "apple-touch-icon.png").write_bytes(vlc.svg_to_png(FAVICON, scale=180 / 32))
    card = card_svg(conf.SITENAME, conf.SITESUBTITLE)
    (OUT / "card-default.png").write_bytes(vlc.svg_to_png(card, scale=1.0))
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png", "card-default.png"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
