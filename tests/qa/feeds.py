"""Check the Atom feed (RFC 4287) and sitemap.xml (sitemaps.org protocol 0.9) of a build.

No schema validator is installed for these two small formats, so the rules that matter are
written out here: the required elements, their cardinality and the shape of their values.
Each function returns a list of problems ("file: what is wrong"), empty when all is well.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# RFC 3339 date-time, as Atom requires (section 3.3).
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# W3C Datetime, as sitemaps allow for lastmod: a date, or a date-time with a zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}


def _parse(path: Path, problems: list[str]) -> ET.Element | None:
    if not path.is_file():
        problems.append(f"{path}: missing (the build must write it)")
        return None
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as err:
        problems.append(f"{path}: not well-formed XML: {err}")
        return None


def _one(parent: ET.Element, tag: str, where: str, problems: list[str]) -> ET.Element | None:
    found = parent.findall(tag)
    name = tag.split("}")[-1]
    if len(found) != 1:
        problems.append(f"{where}: needs exactly one <{name}>, found {len(found)}")
        return None
    return found[0]


def check_atom(path: Path, *, siteurl: str = "") -> list[str]:
    """Problems with the Atom feed at `path`. With `siteurl`, links must be absolute under it."""
    problems: list[str] = []
    root = _parse(Path(path), problems)
    if root is None:
        return problems
    if root.tag != f"{ATOM}feed":
        return [f"{path}: root element is {root.tag}, expected the Atom <feed>"]
    entries = root.findall(f"{ATOM}entry")
    for where, el in [(f"{path}: <feed>", root)] + [
        (f"{path}: <entry> #{i + 1}", e) for i, e in enumerate(entries)
    ]:
        ident = _one(el, f"{ATOM}id", where, problems)
        if ident is not None and not IRI.match((ident.text or "").strip()):
            problems.append(f"{where}: <id> {ident.text!r} is not an absolute IRI")
        title = _one(el, f"{ATOM}title", where, problems)
        if title is not None and not (title.text or "").strip():
            problems.append(f"{where}: <title> is empty")
        updated = _one(el, f"{ATOM}updated", where, problems)
        if updated is not None and not RFC3339.match((updated.text or "").strip()):
            problems.append(f"{where}: <updated> {updated.text!r} is not an RFC 3339 date-time")
        for link in el.findall(f"{ATOM}link"):
            href = link.get("href", "")
            if not href:
                problems.append(f"{where}: <link> without href")
            elif siteurl and not href.startswith(siteurl):
                problems.append(f"{where}: <link href={href!r}> is not under SITEURL {siteurl}")
    feed_author = root.find(f"{ATOM}author")
    for i, e in enumerate(entries):
        where = f"{path}: <entry> #{i + 1}"
        if feed_author is None and e.find(f"{ATOM}author") is None:
            problems.append(f"{where}: no <author> here or on the feed (RFC 4287 4.1.1)")
        has_alternate = any(
            link.get("rel", "alternate") == "alternate" for link in e.findall(f"{ATOM}link")
        )
        if e.find(f"{ATOM}content") is None and not has_alternate:
            problems.append(f"{where}: needs <content> or a <link rel=alternate>")
    return problems


def _page_for(loc: str, siteurl: str, site_dir: Path) -> Path:
    path = loc[len(siteurl) :] if siteurl and loc.startswith(siteurl) else urlparse(loc).path
    path = unquote(path).lstrip("/")
    target = site_dir / path
    return target / "index.html" if (not path or path.endswith("/")) else target


def check_sitemap(path: Path, site_dir: Path, *, siteurl: str = "") -> list[str]:
    """Problems with the sitemap at `path`: protocol shape, and every <loc> a page in the build.

    The protocol wants absolute URLs; a build without SITEURL cannot know its host, so then
    the locs must be site-relative (never some other host), and with SITEURL absolute under it.
    """
    problems: list[str] = []
    root = _parse(Path(path), problems)
    if root is None:
        return problems
    if root.tag != f"{SITEMAP}urlset":
        return [f"{path}: root element is {root.tag}, expected {SITEMAP}urlset"]
    urls = list(root)
    if len(urls) > 50_000:
        problems.append(f"{path}: {len(urls)} URLs, the protocol allows 50,000 per file")
    seen: set[str] = set()
    for i, url in enumerate(urls):
        where = f"{path}: <url> #{i + 1}"
        if url.tag != f"{SITEMAP}url":
            problems.append(f"{where}: unexpected element {url.tag} in <urlset>")
            continue
        for child in url:
            if child.tag.startswith(SITEMAP) and child.tag[len(SITEMAP) :] not in {
                "loc",
                "lastmod",
                "changefreq",
                "priority",
            }:
                problems.append(f"{where}: unexpected element <{child.tag[len(SITEMAP) :]}>")
        loc_el = _one(url, f"{SITEMAP}loc", where, problems)
        if loc_el is None:
            continue
        loc = (loc_el.text or "").strip()
        where = f"{path}: <loc>{loc}</loc>"
        if not loc or len(loc) >= 2048:
            problems.append(f"{where}: empty or longer than 2,048 characters")
            continue
        if loc in seen:
            problems.append(f"{where}: listed twice")
        seen.add(loc)
        parsed = urlparse(loc)
        if siteurl and not loc.startswith(siteurl.rstrip("/") + "/"):
            problems.append(f"{where}: not an absolute URL under SITEURL {siteurl}")
        elif not siteurl and (parsed.scheme or parsed.netloc):
            problems.append(f"{where}: absolute URL, but the build has no SITEURL")
        elif not _page_for(loc, siteurl, site_dir).is_file():
            problems.append(f"{where}: no such page in the build")
        for tag, ok in [
            ("lastmod", lambda v: W3C_DATETIME.match(v)),
            ("changefreq", lambda v: v in CHANGEFREQ),
            ("priority", lambda v: re.fullmatch(r"(0(\.\d+)?|1(\.0+)?)", v)),
        ]:
            for el in url.findall(f"{SITEMAP}{tag}"):
                if not ok((el.text or "").strip()):
                    problems.append(f"{where}: bad <{tag}> {el.text!r}")
    return problems
