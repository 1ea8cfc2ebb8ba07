"""A link checker that crawls a served site over HTTP, as a reader's browser would resolve it.

Why our own: linkchecker on local files silently skips site-absolute links (`/theme/...`),
which are exactly the links that break when the site is served from a sub-path. Over HTTP,
from the root and from /explainer/, a site-absolute link answers 404 in the second case.

Every href/src/srcset on every page (and every url() in the CSS) must answer 200; every
#fragment must name an id on the target page; nothing may load from another host (canonical
and Open Graph metadata are addresses, not requests, so they may name the public host). Links
a reader follows to another host (<a>, <area>) are listed apart, in `foreign_links`. Every page
declares an icon, or browsers ask the host root for /favicon.ico (outside a sub-path site).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlparse

# (tag, attribute) pairs whose value is a URL the page links to or loads.
URL_ATTRS = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("form", "action"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("input", "src"),
    ("blockquote", "cite"),
    ("q", "cite"),
}
# References a reader follows (navigation), rather than ones the browser loads by itself.
NAVIGATION = {"<a href>", "<area href>"}
SRCSET_TAGS = {"img", "source"}
# Metadata whose content is a URL (not og:image:alt and friends, which are text).
META_URLS = {
    "og:url",
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:video",
    "og:audio",
    "twitter:image",
    "twitter:url",
}
SKIP_SCHEMES = {"mailto", "tel", "data", "sms"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass
class Ref:
    """One URL found on a page: where (line), in which tag/attribute, and whether it is only
    metadata (canonical / Open Graph), which may point to the public host."""

    url: str
    line: int
    what: str
    metadata: bool = False


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[Ref] = []
        self.ids: set[str] = set()
        self.base: str | None = None
        self.has_icon = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        line = self.getpos()[0]
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "base" and "href" in a:
            self.base = a["href"]
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "icon" in rel and a.get("href"):
            self.has_icon = True
        for name, value in a.items():
            if (tag, name) in URL_ATTRS and value.strip():
                # The canonical address and translations name the public host: metadata.
                meta = tag == "link" and ("canonical" in rel or "hreflang" in a)
                self.refs.append(Ref(value.strip(), line, f"<{tag} {name}>", metadata=meta))
        if tag in SRCSET_TAGS and a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.refs.append(Ref(candidate.split()[0], line, f"<{tag} srcset>"))
        prop = a.get("property", "") or a.get("name", "")
        if tag == "meta" and prop in META_URLS and a.get("content"):
            self.refs.append(Ref(a["content"], line, f"<meta {prop}>", metadata=True))

    handle_startendtag = handle_starttag


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes
    error: str = ""


@dataclass
class CrawlReport:
    """What the crawl found: problems (located strings) and every URL it fetched."""

    problems: list[str] = field(default_factory=list)
    # Links a reader may follow to another host (<a>/<area>): not requests, kept apart so the
    # gate on them can be judged on its own (see docs/testing.md).
    foreign_links: list[str] = field(default_factory=list)
    fetched: dict[str, int] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)


def _fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return Fetched(r.status, r.headers.get("Content-Type", ""), r.read())
    except urllib.error.HTTPError as err:
        return Fetched(err.code, "", b"", str(err))
    except (urllib.error.URLError, OSError, ValueError) as err:  # ValueError: InvalidURL
        return Fetched(0, "", b"", str(err))


def crawl(base_url: str, seeds: list[str] = ("",)) -> CrawlReport:
    """Crawl from `base_url` (ending in "/") and the site-relative `seeds` (e.g. every page).

    Only URLs under `base_url` are followed as pages; every reference is fetched once.
    """
    origin = urlparse(base_url)
    report = CrawlReport()
    cache: dict[str, Fetched] = {}
    ids: dict[str, set[str]] = {}
    queue = [urljoin(base_url, s) for s in seeds]
    queued = set(queue)

    def get(url: str) -> Fetched:
        if url not in cache:
            cache[url] = _fetch(url)
            report.fetched[url] = cache[url].status
        return cache[url]

    def page_ids(url: str) -> set[str]:
        if url not in ids:
            parser = _PageParser()
            parser.feed(get(url).body.decode("utf-8", "replace"))
            ids[url] = parser.ids
        return ids[url]

    while queue:
        page = queue.pop(0)
        shown = "/" + page[len(base_url) :] if page.startswith(base_url) else page
        got = get(page)
        if got.status != 200:
            report.problems.append(f"{shown}: answers {got.status or got.error} (a seed page)")
            continue
        report.pages.append(shown)
        text = got.body.decode("utf-8", "replace")
        page_base = page
        if "text/css" in got.content_type:
            refs = [
                Ref(m.group(2) or m.group(4), text.count("\n", 0, m.start()) + 1, "url()")
                for m in CSS_URL.finditer(text)
            ]
        elif "text/html" in got.content_type:
            parser = _PageParser()
            parser.feed(text)
            ids[page] = parser.ids
            refs = parser.refs
            page_base = urljoin(page, parser.base) if parser.base else page
            if not parser.has_icon:
                report.problems.append(
                    f"{shown}: no <link rel=icon>: browsers then request /favicon.ico from the "
                    f"host root (a 404 console error, outside the site under a sub-path)"
                )
        else:
            continue
        for ref in refs:
            where = f"{shown}:{ref.line}: {ref.what} {ref.url!r}"
            scheme = urlparse(ref.url).scheme.lower()
            if scheme in SKIP_SCHEMES:
                continue
            if scheme == "javascript":
                report.problems.append(f"{where}: javascript: URLs break without JavaScript")
                continue
            target = urljoin(page_base, ref.url)
            parsed = urlparse(target)
            if parsed.scheme not in ("http", "https"):
                report.problems.append(f"{where}: unsupported URL scheme {parsed.scheme!r}")
                continue
            if parsed.netloc != origin.netloc:
                if ref.what in NAVIGATION:
                    found = f"{where}: a link to another host ({parsed.netloc})"
                    if found not in report.foreign_links:  # the same link twice on a line
                        report.foreign_links.append(found)
                elif not ref.metadata:
                    report.problems.append(
                        f"{where}: loads from another host ({parsed.netloc}); the site must "
                        f"not request anything outside itself"
                    )
                continue
            url, fragment = urldefrag(target)
            got_ref = get(url)
            if got_ref.status != 200:
                report.problems.append(f"{where}: {url} answers {got_ref.status or got_ref.error}")
                continue
            is_html = "text/html" in got_ref.content_type
            if is_html and url.startswith(base_url) and url not in queued:
                queued.add(url)
                queue.append(url)
            if "text/css" in got_ref.content_type and url not in queued:
                queued.add(url)
                queue.append(url)
            fragment = unquote(fragment)
            if fragment and fragment != "top":
                if not is_html:
                    report.problems.append(f"{where}: #{fragment} on a non-HTML resource")
                elif fragment not in page_ids(url):
                    report.problems.append(f"{where}: no element with id={fragment!r} on {url}")
    return report
