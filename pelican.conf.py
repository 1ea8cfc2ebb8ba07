"""Pelican settings for the 287(g) explainer (development and default build).

Paths are resolved from this file, never from the working directory, so the build works from
anywhere. Production overrides (site URL, feeds) come from the environment; see `make publish`.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

AUTHOR = "Explainer team"
SITENAME = "287(g), explained"
SITESUBTITLE = "How ICE deputizes local police, and where states stand"
# `make publish` sets PUBLISH=1: the production build (docs/deploy.md). It takes SITEURL (the
# published address, e.g. https://example.org/explainer) from the environment and turns the Atom
# feed on; feeds, the sitemap and share cards need that absolute address. Links between pages
# stay relative unless RELATIVE_URLS=0, so the same folder works at the domain root or under a
# sub-path. Without PUBLISH (make html, make serve), an empty SITEURL gives relative URLs.
PUBLISH = os.environ.get("PUBLISH", "") == "1"
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if PUBLISH and not SITEURL.startswith(("https://", "http://")):
    raise SystemExit(
        f"pelican.conf.py: PUBLISH=1 needs SITEURL, the published address "
        f"(got {SITEURL!r}); e.g. SITEURL=https://example.org/explainer make publish"
    )
# Where readers report errors: the repository's issue tracker. One setting, used by the
# about and corrections pages ({{ corrections ... }} in their text) and by the theme's footer.
# GitHub Actions names the repository (GITHUB_REPOSITORY), so `make publish` there needs
# nothing; elsewhere set CORRECTIONS_URL. Without one (a local preview), the links go to the
# corrections page (CORRECTIONS_PAGE).
CORRECTIONS_URL = os.environ.get("CORRECTIONS_URL", "").strip() or (
    f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/"
    f"{os.environ['GITHUB_REPOSITORY']}/issues"
    if os.environ.get("GITHUB_REPOSITORY")
    else ""
)
CORRECTIONS_PAGE = "pages/corrections.md"
RELATIVE_URLS = not SITEURL or os.environ.get("RELATIVE_URLS", "1" if PUBLISH else "0") != "0"
# The theme's absolute address for canonical links, og:url/og:image, JSON-LD and the sitemap.
# Pelican rewrites SITEURL to a relative path when RELATIVE_URLS is on; this copy keeps it.
CANONICAL_SITEURL = SITEURL
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%b. %-d, %Y"

PATH = str(ROOT / "content")
THEME = str(ROOT / "theme")
OUTPUT_PATH = str(ROOT / "output")
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["chapters"]
STATIC_PATHS = ["extra"]

# pelican-datadirectives is a namespace plugin (plugins/pelican-datadirectives, installed by
# `make venv`): Pelican finds it by its short name. site_tools (plugins/site_tools) is this
# site's own: content-hashed asset names, then the _headers file for static hosts.
# search_index (plugins/search_index.py) writes the search box's index (issue 12).
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["datadirectives", "search_index", "site_tools"]
# site_tools settings (plugins/site_tools/__init__.py): both on by default.
FINGERPRINT_ASSETS = True
HOST_HEADERS = True

# The data-directive plugin (docs/directives.md). Paths relative to this file.
DATA_DIRECTIVES = {
    "DATA_DIR": str(ROOT / "data"),
    "CACHE_DIR": str(ROOT / ".cache" / "charts"),
    # Share cards are for social sites, which need the published address: publish builds only.
    "SHARE_CARDS": PUBLISH,
    # The theme styles figures itself (theme/static/css/site.css) and links charts.css.
    "STYLESHEET": None,
    # One font for the build and the page: charts are laid out with Inter (theme/fonts, the
    # TrueType subset) and readers get the same glyphs (theme/static/fonts, site.css).
    "FONT_DIR": str(ROOT / "theme" / "fonts"),
    "FONT_FAMILY": "Inter",
    # Links that are not sources (the software and specifications the about and data pages
    # name): `make check` needs no row in data/sources.csv for them.
    "NOT_SOURCES": [
        "https://getpelican.com/",
        "https://altair-viz.github.io/",
        "https://specs.frictionlessdata.io/",
    ],
}

# Determinism: no build timestamps, stable ordering.
DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = 50


def chapter_order(article):
    """Chapters in the order of their numeric `Chapter` metadata (2 before 10); articles
    without one follow, by file name. Templates use `articles` in this order."""
    try:
        number = int(getattr(article, "chapter", ""))
    except ValueError:
        number = 10**6
    return (number, Path(article.source_path).name)


ARTICLE_ORDER_BY = chapter_order
PAGE_ORDER_BY = "basename"

# Feeds: an Atom feed of the chapters; nothing else.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml" if PUBLISH else None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Pages this explainer does not want.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
# Theme pages (docs/theme.md): the fallback landing page, the 404, sitemap.xml and robots.txt.
# A page with `Save_as: index.html` replaces the fallback landing page.
DIRECT_TEMPLATES = ["index", "404", "sitemap", "robots"]
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"

# Theme: Markdown gives headings ids (`toc`) for the chapter table of contents, which the theme
# shows when a chapter has at least TOC_MIN_HEADINGS second-level headings. Templates escape
# by default (autoescape); article and page bodies are marked safe explicitly.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"toc_depth": "2-3"},
    },
    "output_format": "html5",
}
TOC_MIN_HEADINGS = 3
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
