"""Subset the site's one font (Inter, SIL OFL 1.1) for the page and for the chart build.

One font for both: the build lays out chart text with it (vl-convert, through the plugin's
DATA_DIRECTIVES['FONT_DIR']) and readers' browsers draw the same text with it (site.css
`@font-face`), so labels measured at build time fit on the page. Writes, from the pinned npm
package @fontsource/inter (theme/tools/fonts/package-lock.json):

- theme/static/fonts/inter-{400,700}.woff2: the web fonts (published, content-hashed);
- theme/fonts/inter-{400,700}.ttf: the same glyphs as TrueType, which vl-convert reads (it
  cannot read WOFF2); not published;
- OFL.txt beside each: the licence travels with the font.

Subset to what the site writes: Basic Latin, Latin-1 (names with accents in future data),
the general punctuation the prose uses (dashes, curly quotes, ellipsis, bullets, primes), the
minus sign, euro and the up/down arrows; OpenType features kern and tnum (tables use tabular
figures) only; no hinting. tests/test_fonts.py checks every character on the built site is
covered. Deterministic (the fonts' own timestamps are kept): run it again and nothing changes.

    make fonts    # npm ci in theme/tools/fonts, then this script (maintainers only)
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "theme" / "tools" / "fonts" / "node_modules" / "@fontsource" / "inter"
WEB_DIR = ROOT / "theme" / "static" / "fonts"
BUILD_DIR = ROOT / "theme" / "fonts"
FAMILY = "Inter"
WEIGHTS = {400: "Regular", 700: "Bold"}
UNICODES = [
    *range(0x20, 0x7F),  # Basic Latin
    *range(0xA0, 0x100),  # Latin-1 Supplement (no-break space, accents, §, ·, ×)
    *range(0x2010, 0x2028),  # dashes, curly quotes, daggers, bullet, ellipsis
    0x2009,  # thin space
    0x202F,  # narrow no-break space
    *range(0x2030, 0x203B),  # per mille, primes, angle quotes
    0x20AC,  # euro
    0x2191,  # up arrow
    0x2193,  # down arrow
    0x2212,  # minus sign
]
FEATURES = ["kern", "tnum"]


def subset_font(src: Path, style: str) -> TTFont:
    """The subset font, named plainly "Inter" (the family vl-convert and the CSS ask for)."""
    font = TTFont(src, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = FEATURES
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    names = font["name"]
    for name_id, text in ((1, FAMILY), (2, style), (4, f"{FAMILY} {style}")):
        names.setName(text, name_id, 3, 1, 0x409)
    return font


def main() -> None:
    if not SOURCE.is_dir():
        raise SystemExit(f"{SOURCE} is missing: run `make fonts` (it runs npm ci first)")
    WEB_DIR.mkdir(parents=True, exist_ok=True)
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    for weight, style in WEIGHTS.items():
        src = SOURCE / "files" / f"inter-latin-{weight}-normal.woff2"
        font = subset_font(src, style)
        font.flavor = "woff2"
        font.save(WEB_DIR / f"inter-{weight}.woff2")
        font.flavor = None
        font.save(BUILD_DIR / f"inter-{weight}.ttf")
    for folder in (WEB_DIR, BUILD_DIR):
        shutil.copyfile(SOURCE / "LICENSE", folder / "OFL.txt")
    for path in sorted([*WEB_DIR.glob("inter-*"), *BUILD_DIR.glob("inter-*")]):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
