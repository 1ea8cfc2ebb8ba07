"""The plugin's settings: one namespaced dict, `DATA_DIRECTIVES`, checked once at start-up.

Relative paths are resolved against the site root (the folder above Pelican's content PATH),
never against the working directory, so a build works from anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    # Folder holding the CSVs and datapackage.json. Directives cannot read outside it.
    "DATA_DIR": "data",
    # Where rendered charts are cached between builds (git-ignored).
    "CACHE_DIR": ".cache/datadirectives",
    # Folder under output/ where the CSVs are copied for "Get the data" links.
    "OUTPUT_DATA_DIR": "data",
    # A chart may embed at most this many data rows (aggregate or filter bigger CSVs).
    "MAX_ROWS": 5000,
    # A table directive may show at most this many rows.
    "TABLE_MAX_ROWS": 1000,
    # Width in pixels charts are drawn at (the SVG scales down on narrow screens).
    "WIDTH": 640,
    # Width of the second drawing shown on phones, so type stays readable (0: none).
    "NARROW_WIDTH": 340,
    # Folder of Python modules that `mark: python` charts may import (None: escape hatch off).
    "FUNCTIONS_DIR": None,
    # Validate every CSV against datapackage.json before any chart renders.
    "VALIDATE_PACKAGE": True,
    # Whether charts become interactive in the browser unless a directive says otherwise.
    "INTERACTIVE": True,
    # Make a 1200x630 PNG share card from each article's first chart.
    "SHARE_CARDS": True,
    # Folder of page-set templates (pagesets.py): one page per group of a CSV. None: the
    # folder `page-sets` inside Pelican's content PATH.
    "PAGE_SETS_DIR": None,
    # The default figure stylesheet (static/dd-figures.css), for themes that do not style
    # figures: "link" copies it beside charts.css and links both from every page that has a
    # figure (works with any theme); "file" only copies it (the theme links DD_FIGURE_CSS);
    # None: the theme styles figures itself.
    "STYLESHEET": "link",
    # Folder of TrueType/OpenType fonts vl-convert lays chart text out with (None: only the
    # build machine's fonts). Ship the same font to readers (as woff2 in the site's CSS), so
    # the text the build measures is the text they see.
    "FONT_DIR": None,
    # Family the chart theme names first (None: the theme's system font stack). Letters,
    # digits and spaces, not starting a word with a digit ("Inter", not "Source Sans 3"):
    # vl-convert measures text only for family names it reads unquoted.
    "FONT_FAMILY": None,
    # Addresses that content may link to without a row in data/sources.csv because they are
    # not sources (software, specifications): `make check` (sources.py) skips links that
    # start with one of these.
    "NOT_SOURCES": (),
    # Keep each figure's HTML out of Markdown, Pelican's link rewriting and the templates (a
    # short token in its place, put back when the page is written: placeholders.py). The
    # output is the same either way; False only to compare, or to rule it out.
    "PLACEHOLDERS": True,
}
STYLESHEET_CHOICES = ("link", "file", None)


FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@dataclass(frozen=True)
class Config:
    """The checked settings, with paths resolved."""

    data_dir: Path
    cache_dir: Path
    output_data_dir: str
    max_rows: int
    table_max_rows: int
    width: int
    narrow_width: int
    functions_dir: Path | None
    validate_package: bool
    interactive: bool
    share_cards: bool
    site_root: Path
    page_sets_dir: Path | None = None
    stylesheet: str | None = "link"
    font_dir: Path | None = None
    font_family: str | None = None
    not_sources: tuple[str, ...] = ()
    # The corrections channel (top-level settings, shared with the theme): where readers
    # report errors, and the page `{{ corrections ... }}` links to when no address is set.
    corrections_url: str = ""
    corrections_page: str = "pages/corrections.md"
    placeholders: bool = True


class SettingsError(Exception):
    """A wrong DATA_DIRECTIVES setting."""


def load_config(pelican_settings: dict) -> Config:
    """Merge DATA_DIRECTIVES over the defaults and check every key, naming each bad one."""
    given = pelican_settings.get("DATA_DIRECTIVES") or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SettingsError(
            f"DATA_DIRECTIVES: unknown setting(s) {', '.join(unknown)}; "
            f"known settings: {', '.join(sorted(DEFAULTS))}"
        )
    merged = {**DEFAULTS, **given}
    for key in ("MAX_ROWS", "TABLE_MAX_ROWS", "WIDTH", "NARROW_WIDTH"):
        minimum = 0 if key == "NARROW_WIDTH" else 1
        if (
            not isinstance(merged[key], int)
            or isinstance(merged[key], bool)
            or merged[key] < minimum
        ):
            raise SettingsError(
                f"DATA_DIRECTIVES['{key}'] must be a whole number of at least "
                f"{minimum}, not {merged[key]!r}"
            )
    for key in ("VALIDATE_PACKAGE", "INTERACTIVE", "SHARE_CARDS", "PLACEHOLDERS"):
        if not isinstance(merged[key], bool):
            raise SettingsError(f"DATA_DIRECTIVES['{key}'] must be True or False")
    if merged["STYLESHEET"] not in STYLESHEET_CHOICES:
        raise SettingsError(
            f'DATA_DIRECTIVES[\'STYLESHEET\'] must be "link", "file" or None, '
            f"not {merged['STYLESHEET']!r}"
        )
    not_sources = merged["NOT_SOURCES"]
    if isinstance(not_sources, str) or not all(
        isinstance(u, str) and u.startswith(("http://", "https://")) for u in not_sources
    ):
        raise SettingsError(
            "DATA_DIRECTIVES['NOT_SOURCES'] must be a list of addresses starting with http:// "
            "or https://, e.g. ['https://getpelican.com/']"
        )
    corrections_url = (pelican_settings.get("CORRECTIONS_URL") or "").strip()
    if corrections_url and not corrections_url.startswith(("https://", "http://", "mailto:")):
        raise SettingsError(
            f"CORRECTIONS_URL must be an address (https://..., or mailto:...), not "
            f"{corrections_url!r}; e.g. the repository's issue tracker"
        )
    root = Path(pelican_settings["PATH"]).resolve().parent

    def resolve(value) -> Path:
        path = Path(value)
        return path if path.is_absolute() else (root / path)

    data_dir = resolve(merged["DATA_DIR"]).resolve()
    if not data_dir.is_dir():
        raise SettingsError(f"DATA_DIRECTIVES['DATA_DIR']: {data_dir} is not a folder")
    functions_dir = resolve(merged["FUNCTIONS_DIR"]).resolve() if merged["FUNCTIONS_DIR"] else None
    font_dir = resolve(merged["FONT_DIR"]).resolve() if merged["FONT_DIR"] else None
    if font_dir is not None and not any(
        p.suffix.lower() in FONT_SUFFIXES for p in (font_dir.iterdir() if font_dir.is_dir() else [])
    ):
        raise SettingsError(
            f"DATA_DIRECTIVES['FONT_DIR']: {font_dir} is not a folder of fonts "
            f"({', '.join(FONT_SUFFIXES)} files; vl-convert cannot read woff2)"
        )
    family = merged["FONT_FAMILY"]
    if family is not None and (
        not isinstance(family, str)
        or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*( [A-Za-z][A-Za-z0-9]*)*", family)
    ):
        raise SettingsError(
            f"DATA_DIRECTIVES['FONT_FAMILY'] must be one family name of words that start with a "
            f"letter, unquoted (e.g. 'Inter'), not {family!r}: vl-convert measures text only "
            "for names it can read without quotes"
        )
    return Config(
        data_dir=data_dir,
        cache_dir=resolve(merged["CACHE_DIR"]),
        output_data_dir=str(merged["OUTPUT_DATA_DIR"]).strip("/"),
        max_rows=merged["MAX_ROWS"],
        table_max_rows=merged["TABLE_MAX_ROWS"],
        width=merged["WIDTH"],
        narrow_width=merged["NARROW_WIDTH"],
        functions_dir=functions_dir,
        validate_package=merged["VALIDATE_PACKAGE"],
        interactive=merged["INTERACTIVE"],
        share_cards=merged["SHARE_CARDS"],
        site_root=root,
        not_sources=tuple(not_sources),
        corrections_url=corrections_url,
        corrections_page=str(pelican_settings.get("CORRECTIONS_PAGE") or "pages/corrections.md"),
        page_sets_dir=(
            resolve(merged["PAGE_SETS_DIR"])
            if merged["PAGE_SETS_DIR"]
            else Path(pelican_settings["PATH"]).resolve() / "page-sets"
        ),
        stylesheet=merged["STYLESHEET"],
        font_dir=font_dir,
        font_family=family,
        placeholders=merged["PLACEHOLDERS"],
    )
