"""The explainer's theme, end to end: a tiny real site built with the project's own settings.

The fixture content (tests/fixtures/theme_site/) has three chapters whose file names, Chapter
numbers (1, 2, 10) and dates disagree in order, a landing page (`Template: home`,
`Save_as: index.html`), a dated and an undated page, and one figure in the plugin's HTML
contract. The data-directive plugin is switched off (PLUGINS=[]): these tests are about the
templates and CSS, and must not depend on data/.

Two builds: the development build (`make html`: SITEURL unset, relative URLs, no feed) and the
published build (`make publish`: SITEURL under a sub-path, links still relative, Atom feed on).
Assertions are on parsed HTML/XML, never on regexes of whole pages. The tests marked `browser`
load the development build, served under /explainer/, in Debian's Chromium (layout from 320 to
1280 px, colour schemes, focus, reduced motion, print).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "theme_site"
CSS = ROOT / "theme" / "static" / "css" / "site.css"
SITEURL = "https://example.org/explainer"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
# Written by the data-directive plugin, which these tests switch off.
PLUGIN_FILES = {"theme/charts.css"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# ---- building ------------------------------------------------------------------------------


def build(out: Path, **override) -> Path:
    """Build the fixture site with the project's pelican.conf.py into `out`."""
    settings = read_settings(
        str(ROOT / "pelican.conf.py"),
        override={
            "PATH": str(FIXTURE),
            "OUTPUT_PATH": str(out),
            "PLUGINS": [],
            "CACHE_PATH": str(out.parent / "cache"),
            **override,
        },
    )
    Pelican(settings).run()
    return out


@pytest.fixture(scope="module")
def dev_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("dev") / "out")


@pytest.fixture(scope="module")
def prod_site(tmp_path_factory) -> Path:
    return build(
        tmp_path_factory.mktemp("prod") / "out",
        SITEURL=SITEURL,
        CANONICAL_SITEURL=SITEURL,
        RELATIVE_URLS=True,
        FEED_DOMAIN=SITEURL,
        FEED_ALL_ATOM="feeds/all.atom.xml",
    )


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---- a tiny DOM on html.parser ---------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.text_parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.text_parts) + "".join(c.text for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str, **attrs) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag
            and all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        )

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)


def parse(path: Path) -> Node:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def meta(doc: Node, key: str) -> str | None:
    for node in doc.find_all("meta"):
        if node.attrs.get("property") == key or node.attrs.get("name") == key:
            return node.attrs.get("content")
    return None


# ---- structure: landmarks, skip link, headings, CSP ------------------------------------------


def test_every_page_has_landmarks_skip_link_one_h1_and_the_csp(dev_site):
    pages = html_files(dev_site)
    assert {p.name for p in pages} >= {"index.html", "404.html", "growth.html", "about.html"}
    for page in pages:
        doc = parse(page)
        body = doc.find_all("body")[0]
        where = page.relative_to(dev_site)
        top = [n.tag for n in body.children]
        assert top.count("header") == 1 and top.count("main") == 1 and top.count("footer") == 1, (
            f"{where}: body must hold one header, one main and one footer: {top}"
        )
        assert body.find_all("nav"), f"{where}: no <nav>"
        skip = body.children[0]
        assert skip.tag == "a" and skip.attrs.get("class") == "skip-link", (
            f"{where}: the skip link must be the first thing in <body>"
        )
        target = skip.attrs["href"].removeprefix("#")
        targets = [n.tag for n in doc.iter() if n.attrs.get("id") == target]
        assert targets == ["main"], f"{where}: skip link target #{target} is {targets}, not <main>"
        assert len(doc.find_all("h1")) == 1, f"{where}: expected exactly one <h1>"
        csp = [
            n
            for n in doc.find_all("meta")
            if n.attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(csp) == 1 and csp[0].attrs["content"] == CSP, f"{where}: CSP meta"
        assert doc.find_all("html")[0].attrs.get("lang") == "en"


def test_no_inline_styles_and_only_data_scripts(dev_site, prod_site):
    for site in (dev_site, prod_site):
        for page in html_files(site):
            doc = parse(page)
            where = page.relative_to(site)
            assert not [n for n in doc.iter() if "style" in n.attrs and n.tag != "#document"], (
                f"{where}: inline style= attribute (the CSP forbids it)"
            )
            assert not doc.find_all("style"), f"{where}: <style> element (the CSP forbids it)"
            for script in doc.find_all("script"):
                kind = script.attrs.get("type")
                assert "src" in script.attrs or kind in {
                    "application/json",
                    "application/ld+json",
                }, f"{where}: inline script of type {kind!r} (only JSON data blocks)"
                assert not any(k.startswith("on") for k in script.attrs)


# ---- chapters: order, navigation, table of contents, dates, bylines --------------------------


def chapter_nav(doc: Node) -> dict[str, str]:
    navs = [n for n in doc.find_all("nav") if n.attrs.get("class") == "chapter-nav"]
    return {a.attrs["rel"]: a.attrs["href"] for nav in navs for a in nav.find_all("a")}


def test_chapters_are_ordered_by_their_chapter_number(dev_site):
    header_nav = parse(dev_site / "index.html").find_all("nav", aria_label="Chapters")[0]
    hrefs = [a.attrs["href"] for a in header_nav.find_all("a")]
    assert hrefs == ["./growth.html", "./second.html", "./tenth.html"]
    assert chapter_nav(parse(dev_site / "growth.html")) == {"next": "./second.html"}
    assert chapter_nav(parse(dev_site / "second.html")) == {
        "prev": "./growth.html",
        "next": "./tenth.html",
    }
    assert chapter_nav(parse(dev_site / "tenth.html")) == {"prev": "./second.html"}
    current = [
        a
        for a in parse(dev_site / "second.html").find_all("a")
        if a.attrs.get("aria-current") == "page"
    ]
    assert [a.attrs["href"] for a in current] == ["./second.html"]


def test_long_chapters_get_a_table_of_contents(dev_site):
    doc = parse(dev_site / "growth.html")
    toc = [n for n in doc.find_all("nav") if n.attrs.get("class") == "toc"]
    assert len(toc) == 1
    links = [a.attrs["href"] for a in toc[0].find_all("a")]
    assert links == ["#first-section", "#second-section", "#third-section"]
    ids = {n.attrs.get("id") for n in doc.iter()}
    assert all(link[1:] in ids for link in links), "every entry points at a heading id"
    short = parse(dev_site / "tenth.html")
    assert not [n for n in short.find_all("nav") if n.attrs.get("class") == "toc"]


def test_byline_and_published_updated_dates(dev_site):
    doc = parse(dev_site / "growth.html")
    byline = [n for n in doc.iter() if n.attrs.get("class") == "byline"][0]
    assert byline.text == "By Jane Doe and Explainer team"
    times = [(t.attrs["datetime"], t.text) for t in doc.find_all("time")]
    assert times == [("2026-02-19", "Feb. 19, 2026"), ("2026-03-02", "March 2, 2026")]
    dateline = [n for n in doc.iter() if n.attrs.get("class") == "dateline"][0].text
    assert dateline.startswith("Published") and "Updated" in dateline
    unmodified = parse(dev_site / "second.html")
    assert [t.attrs["datetime"] for t in unmodified.find_all("time")] == ["2026-02-20"]
    assert "Updated" not in unmodified.find_all("main")[0].text


def test_titles_are_escaped_and_the_lead_is_shown(dev_site):
    raw = (dev_site / "growth.html").read_text(encoding="utf-8")
    doc = parse(dev_site / "growth.html")
    assert doc.find_all("h1")[0].text == (
        'Growth: a long chapter with "quotes" & </script> in its title'
    )
    assert "in its title</script>" not in raw.replace("</script>\n", "")
    assert [n.text for n in doc.iter() if n.attrs.get("class") == "lead measure"] == [
        "The opening paragraph."
    ]


# ---- landing page, 404 --------------------------------------------------------------------


def test_landing_page_is_the_home_page_with_the_chapter_list(dev_site):
    doc = parse(dev_site / "index.html")
    assert doc.find_all("h1")[0].text == "Landing title"
    assert "The landing text." in doc.find_all("main")[0].text
    cards = doc.find_all("ol", class_="chapter-list")[0]
    assert [a.attrs["href"] for a in cards.find_all("a")] == [
        "./growth.html",
        "./second.html",
        "./tenth.html",
    ]
    assert not (dev_site / "pages" / "home.html").exists()
    footer_links = [a.attrs["href"] for a in doc.find_all("footer")[-1].find_all("a")]
    assert "./pages/about.html" in footer_links and "./index.html" not in footer_links


def test_landing_page_that_links_every_chapter_gets_no_second_list(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    home = content / "pages" / "home.md"
    home.write_text(
        home.read_text(encoding="utf-8")
        + "\n".join(
            f"- [{name}]({{filename}}/chapters/{name}.md)"
            for name in ("a-long", "b-tenth", "c-second")
        )
        + "\n",
        encoding="utf-8",
    )
    out = build(tmp_path / "out", PATH=str(content))
    doc = parse(out / "index.html")
    assert not doc.find_all("ol", class_="chapter-list")
    assert {a.attrs["href"] for a in doc.find_all("main")[0].find_all("a")} == {
        "./growth.html",
        "./second.html",
        "./tenth.html",
    }


def test_without_a_landing_page_the_index_template_lists_the_chapters(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages" / "home.md").unlink()
    doc = parse(build(tmp_path / "out", PATH=str(content)) / "index.html")
    assert doc.find_all("h1")[0].text == "287(g), explained"
    cards = doc.find_all("ol", class_="chapter-list")[0]
    assert [a.attrs["href"] for a in cards.find_all("a")] == [
        "./growth.html",
        "./second.html",
        "./tenth.html",
    ]
    assert meta(doc, "og:image") == "./theme/img/card-default.png"


def test_404_page_links_home(dev_site, prod_site):
    doc = parse(dev_site / "404.html")
    assert doc.find_all("h1")[0].text == "Page not found"
    assert meta(doc, "robots") is None  # the host's 404 status keeps it out of indexes
    assert "./index.html" in [a.attrs["href"] for a in doc.find_all("a")]
    prod = parse(prod_site / "404.html")
    assert "/explainer/index.html" in [a.attrs["href"] for a in prod.find_all("a")], (
        "with SITEURL set the 404 page links from the server root, so it works at any depth"
    )
    styles = [n.attrs["href"] for n in prod.find_all("link", rel="stylesheet")]
    assert styles == ["/explainer/theme/css/site.css", "/explainer/theme/charts.css"]


# ---- sharing and discovery ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["growth.html", "second.html", "index.html", "pages/about.html"])
def test_open_graph_and_twitter_cards(dev_site, prod_site, name):
    for site in (dev_site, prod_site):
        doc = parse(site / name)
        for key in (
            "og:title",
            "og:type",
            "og:description",
            "og:image",
            "og:image:alt",
            "og:site_name",
            "twitter:card",
            "twitter:title",
            "twitter:image",
            "twitter:image:alt",
        ):
            assert meta(doc, key), f"{name}: missing {key}"
        assert meta(doc, "twitter:card") == "summary_large_image"
        assert meta(doc, "og:image:width") == "1200" and meta(doc, "og:image:height") == "630"
    prod = parse(prod_site / name)
    assert meta(prod, "og:image").startswith(SITEURL + "/")
    assert meta(prod, "og:url") == meta(prod, "og:url").strip() and meta(prod, "og:url")


def test_share_image_from_the_plugin_else_the_default_card(prod_site):
    assert meta(parse(prod_site / "growth.html"), "og:image") == f"{SITEURL}/cards/growth.png"
    default = meta(parse(prod_site / "second.html"), "og:image")
    assert default == f"{SITEURL}/theme/img/card-default.png"
    png = (prod_site / "theme" / "img" / "card-default.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1200, 630)


def test_json_ld_news_article(dev_site, prod_site):
    scripts = parse(prod_site / "growth.html").find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == 'Growth: a long chapter with "quotes" & </script> in its title'
    assert data["datePublished"].startswith("2026-02-19")
    assert data["dateModified"].startswith("2026-03-02")
    assert [a["name"] for a in data["author"]] == ["Jane Doe", "Explainer team"]
    assert data["mainEntityOfPage"] == f"{SITEURL}/growth.html"
    assert data["image"] == [f"{SITEURL}/cards/growth.png"]
    raw = (prod_site / "growth.html").read_text(encoding="utf-8")
    assert raw.count("</script>") == len(re.findall(r"<script\b", raw)), (
        "a '</script>' in a title must not end the JSON-LD block early"
    )
    dev = json.loads(
        parse(dev_site / "growth.html").find_all("script", type="application/ld+json")[0].text
    )
    assert "mainEntityOfPage" not in dev and "image" not in dev, "no relative URLs in JSON-LD"


def test_canonical_only_with_siteurl(dev_site, prod_site):
    for page in html_files(dev_site):
        assert not parse(page).find_all("link", rel="canonical"), page.name
    expected = {
        "index.html": f"{SITEURL}/",
        "growth.html": f"{SITEURL}/growth.html",
        "pages/about.html": f"{SITEURL}/pages/about.html",
    }
    for name, url in expected.items():
        links = parse(prod_site / name).find_all("link", rel="canonical")
        assert [link.attrs["href"] for link in links] == [url]


def test_atom_feed_is_linked_and_lists_the_chapters(prod_site):
    doc = parse(prod_site / "growth.html")
    alternate = doc.find_all("link", rel="alternate")[0]
    assert alternate.attrs["type"] == "application/atom+xml"
    assert alternate.attrs["href"] == "./feeds/all.atom.xml"
    feed = ElementTree.parse(prod_site / "feeds" / "all.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    links = {e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")}
    assert links == {f"{SITEURL}/{s}.html" for s in ("growth", "second", "tenth")}


def test_sitemap_lists_every_page_with_content_dates(dev_site, prod_site):
    root = ElementTree.parse(prod_site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    entries = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.iter(f"{SITEMAP}url")
    }
    assert entries == {
        f"{SITEURL}/": "2026-03-02",
        f"{SITEURL}/growth.html": "2026-03-02",
        f"{SITEURL}/second.html": "2026-02-20",
        f"{SITEURL}/tenth.html": "2026-02-21",
        f"{SITEURL}/pages/about.html": "2026-01-05",
        f"{SITEURL}/pages/sources.html": None,
    }
    dev = ElementTree.parse(dev_site / "sitemap.xml").getroot()
    assert len(list(dev.iter(f"{SITEMAP}url"))) == len(entries)


def test_robots_txt_points_at_the_sitemap_only_with_siteurl(dev_site, prod_site):
    dev = (dev_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in dev and "Sitemap:" not in dev
    prod = (prod_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in prod.splitlines()


def test_favicons(dev_site):
    doc = parse(dev_site / "index.html")
    icons = {n.attrs.get("type"): n.attrs["href"] for n in doc.find_all("link", rel="icon")}
    assert icons == {
        "image/svg+xml": "./theme/img/favicon.svg",
        "image/png": "./theme/img/favicon-32.png",
    }
    png = (dev_site / "theme" / "img" / "favicon-32.png").read_bytes()
    assert struct.unpack(">II", png[16:24]) == (32, 32)


# ---- URLs: nothing from other hosts; relative links resolve (root or sub-path) ------------------


def urls(doc: Node):
    """(element, attribute, url) for every URL-carrying attribute."""
    for node in doc.iter():
        for attr in ("src", "href", "srcset", "poster", "action"):
            if attr in node.attrs:
                yield node, attr, node.attrs[attr]
        if node.tag == "meta" and str(node.attrs.get("content", "")).startswith(("http", "/", ".")):
            yield node, "content", node.attrs["content"]


def in_prose(node: Node) -> bool:
    return any(a.attrs.get("class") == "prose" for a in node.ancestors())


def test_no_request_to_another_host(dev_site, prod_site):
    """Only links in the authors' prose may point elsewhere (sources); nothing the theme emits."""
    for site, allowed in ((dev_site, ()), (prod_site, (SITEURL + "/",))):
        for page in html_files(site):
            for node, attr, url in urls(parse(page)):
                parts = urlsplit(url)
                if not (parts.scheme or parts.netloc):
                    continue
                if node.tag == "a" and in_prose(node):
                    continue
                assert url.startswith(allowed) if allowed else False, (
                    f"{page.relative_to(site)}: <{node.tag} {attr}={url!r}> leaves the site"
                )


@pytest.mark.parametrize("which", ["dev_site", "prod_site"])
def test_links_are_relative_and_resolve(which, request):
    """Works from / and from /explainer/: every internal URL is relative and exists."""
    site = request.getfixturevalue(which)
    for page in html_files(site):
        for node, attr, url in urls(parse(page)):
            parts = urlsplit(url)
            if url.startswith(SITEURL + "/"):  # canonical, og:*
                parts = urlsplit(url.replace(SITEURL, ".", 1))
                page_dir = site
            elif which == "prod_site" and page.name == "404.html" and url.startswith("/"):
                parts = urlsplit(url.replace(urlsplit(SITEURL).path, ".", 1))
                page_dir = site
            elif parts.scheme or parts.netloc or url.startswith("#"):
                continue
            else:
                page_dir = page.parent
            where = f"{page.relative_to(site)}: <{node.tag} {attr}={url!r}>"
            assert not parts.path.startswith("/"), f"{where} is site-absolute (breaks a sub-path)"
            target = (page_dir / parts.path).resolve()
            rel = target.relative_to(site.resolve()).as_posix()
            if rel in PLUGIN_FILES or rel.startswith(("cards/", "data/")):
                continue
            assert target.exists(), f"{where} points at a missing file"


# ---- colour contrast of the theme's custom properties ------------------------------------------

TEXT_ROLES = ("text", "muted", "link", "visited", "accent")
BACKGROUNDS = ("bg", "surface")


def custom_properties(css: str) -> dict[str, dict[str, str]]:
    """--name: #hex declarations of the light :root block and the dark-scheme :root block."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    light = re.search(r"^:root\s*\{(.*?)\}", css, re.S | re.M).group(1)
    dark = re.search(
        r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S
    ).group(1)

    def props(block: str) -> dict[str, str]:
        return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))

    return {"light": props(light), "dark": props(dark)}


def contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colour_contrast_meets_wcag_aa(scheme):
    props = custom_properties(CSS.read_text(encoding="utf-8"))[scheme]
    missing = {*TEXT_ROLES, *BACKGROUNDS, "focus", "rule"} - props.keys()
    assert not missing, f"{scheme}: custom properties not found in site.css: {missing}"
    for bg in BACKGROUNDS:
        for role in TEXT_ROLES:
            ratio = contrast(props[role], props[bg])
            assert ratio >= 4.5, f"{scheme}: --{role} on --{bg} is {ratio:.2f}:1 (< 4.5:1)"
        for role in ("focus", "rule"):  # non-text: focus ring, table and quote rules (1.4.11)
            ratio = contrast(props[role], props[bg])
            assert ratio >= 3.0, f"{scheme}: --{role} on --{bg} is {ratio:.2f}:1 (< 3:1)"


def test_page_colours_match_the_chart_theme():
    """Charts are drawn for the page colour; the page must be that colour in both schemes."""
    theme = pytest.importorskip("pelican.plugins.datadirectives.chart_theme")
    props = custom_properties(CSS.read_text(encoding="utf-8"))
    tokens = theme.TOKENS
    assert props["light"]["bg"] == tokens["background"]["light"]
    assert props["dark"]["bg"] == tokens["background"]["dark"]


def test_reduced_motion_print_and_only_the_shipped_font_is_downloaded():
    css = CSS.read_text(encoding="utf-8")
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert "@media print" in css and "details::details-content" in css
    assert "attr(href)" in css
    assert "@import" not in css
    # The one shipped font, self-hosted as woff2: the only url()s in the stylesheet.
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls == ['"../fonts/inter-400.woff2"', '"../fonts/inter-700.woff2"'], urls
    for url in urls:
        assert (CSS.parent.parent / url.strip('"').removeprefix("../")).is_file(), url
    assert css.count("@font-face") == 2 and css.count("font-display: swap") == 2
    assert "--font-ui: Inter," in css


# ---- determinism ----------------------------------------------------------------------------


def test_two_builds_are_byte_identical(dev_site, tmp_path):
    logging.getLogger("pelican").setLevel(logging.WARNING)
    again = build(tmp_path / "out")
    first = {p.relative_to(dev_site): p.read_bytes() for p in dev_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# ---- in a real browser: layout widths, schemes, focus, motion, print ---------------------------


@pytest.fixture(scope="module")
def served(dev_site, tmp_path_factory):
    """The development build served from a sub-path, /explainer/, as a static host would."""
    from tests.static_server import StaticServer

    parent = tmp_path_factory.mktemp("served")
    site = parent / "explainer"
    shutil.copytree(dev_site, site)
    (site / "theme" / "charts.css").write_text("/* written by the plugin */\n", encoding="utf-8")
    with StaticServer(parent) as server:
        yield server.url + "explainer/"


def open_page(browser, url: str, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    # A favicon fetch still in flight when the test moves on is aborted, not broken; a missing
    # file shows up as a console error ("Failed to load resource: 404").
    page.on(
        "requestfailed",
        lambda r: None if r.failure == "net::ERR_ABORTED" else problems.append(f"failed: {r.url}"),
    )
    page.goto(url)
    return ctx, page, problems


PAGES = ["index.html", "growth.html", "second.html", "pages/about.html", "404.html"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_no_horizontal_scroll_and_charts_fit_the_column(served, browser, width):
    ctx, page, problems = open_page(
        browser, served + "index.html", viewport={"width": width, "height": 800}
    )
    for name in PAGES:
        page.goto(served + name)
        assert problems == [], f"{name} at {width}px: {problems}"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width}px scrolls sideways ({scroll}px wide)"
        for box in page.evaluate(
            """[...document.querySelectorAll('.dd-graphic svg')].map(s => {
                 const r = s.getBoundingClientRect(), p = s.parentElement.getBoundingClientRect();
                 return [r.left, r.right, p.right, r.height]; })"""
        ):
            left, right, parent_right, height = box
            assert left >= 0 and right <= parent_right + 0.5 and height > 0, (
                f"{name} at {width}px: chart overflows its column {box}"
            )
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("scheme", "bg", "text"),
    [
        ("light", "rgb(255, 255, 255)", "rgb(26, 26, 26)"),
        ("dark", "rgb(18, 18, 18)", "rgb(232, 232, 232)"),
    ],
)
def test_colour_scheme_follows_the_system_setting(served, browser, scheme, bg, text):
    ctx, page, _ = open_page(browser, served + "growth.html", color_scheme=scheme)
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.body);"
        " return [s.backgroundColor, s.color]; })()"
    )
    assert style == [bg, text]
    ctx.close()


@pytest.mark.browser
def test_skip_link_shows_on_focus_and_moves_focus_to_main(served, browser):
    ctx, page, _ = open_page(browser, served + "growth.html")
    assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().bottom") <= 0
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const a = document.activeElement, r = a.getBoundingClientRect();"
        " return [a.className, r.top >= 0 && r.bottom > 0, getComputedStyle(a).outlineStyle]; })()"
    )
    assert focused == ["skip-link", True, "solid"], "skip link: first Tab stop, visible, outlined"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize(("motion", "behaviour"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_smooth_scrolling_only_without_reduced_motion(served, browser, motion, behaviour):
    ctx, page, _ = open_page(browser, served + "growth.html", reduced_motion=motion)
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == behaviour
    ctx.close()


@pytest.mark.browser
def test_print_opens_data_tables_and_spells_out_links(served, browser):
    ctx, page, _ = open_page(browser, served + "growth.html")
    visible = "document.querySelector('details.dd-data table').checkVisibility()"
    assert page.evaluate(visible) is False, "on screen the data table starts closed"
    page.emulate_media(media="print")
    assert page.evaluate(visible) is True, "in print the closed <details> is opened"
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.prose a[href^=\"http\"]'), '::after').content"
    )
    assert "https://example.com/source" in after
    hidden = page.evaluate(
        "[...document.querySelectorAll('.site-nav, .chapter-nav, .toc')]"
        ".map(n => getComputedStyle(n).display)"
    )
    assert hidden and set(hidden) == {"none"}
    ctx.close()


def test_chart_dark_mode_css_is_for_screens_only(dev_site):
    """Printing from a dark-mode browser must not print light-on-white chart text."""
    links = parse(dev_site / "growth.html").find_all("link", rel="stylesheet")
    media = {link.attrs["href"]: link.attrs.get("media") for link in links}
    # charts.css applies everywhere (it also picks the wide or phone drawing), but its dark
    # remapping sits inside `@media screen`, so paper keeps the SVG's light colours.
    assert media == {"./theme/css/site.css": None, "./theme/charts.css": None}
    from pelican.plugins.datadirectives.chart_theme import charts_css

    css = charts_css()
    assert "@media screen and (prefers-color-scheme: dark)" in css
    assert "@media (prefers-color-scheme: dark)" not in css
