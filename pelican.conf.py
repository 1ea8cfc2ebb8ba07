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
# Empty SITEURL gives relative URLs, so output/ works from the domain root or a sub-path.
SITEURL = os.environ.get("SITEURL", "")
RELATIVE_URLS = not SITEURL
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%b. %-d, %Y"

PATH = str(ROOT / "content")
THEME = str(ROOT / "theme")
OUTPUT_PATH = str(ROOT / "output")
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["chapters"]
STATIC_PATHS = ["extra"]

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = ["datadirectives"]

# The data-directive plugin (docs/directives.md). Paths relative to this file.
DATA_DIRECTIVES = {
    "DATA_DIR": str(ROOT / "data"),
    "CACHE_DIR": str(ROOT / ".cache" / "charts"),
}

# Determinism: no build timestamps, stable ordering.
DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = 50
ARTICLE_ORDER_BY = "basename"
PAGE_ORDER_BY = "basename"

# Feeds: an Atom feed of the chapters; nothing else.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
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
