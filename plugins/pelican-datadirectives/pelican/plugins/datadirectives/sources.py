"""The `sources` directive and the sourcing rules of `make check`, both from data/sources.csv.

Syntax (docs/directives.md, "Sources"):

    ```sources
    ```

lists the sources this page cites: the rows of data/sources.csv whose `url` the page links
to, in the order the page first cites them (plus any `ids:` named). With `all: true` it lists
every row, grouped by kind (the sources page). Prose cites a source with an ordinary Markdown
link to its `url`, exactly as in the CSV.

`problems()` is what `make check` adds: a link in content/ to an address with no row, a
repost whose `original` is empty, and a row nothing cites (no page links to its url, no data
CSV's url column names it, no sources directive lists its id). Each message gives the file
and line and the fix.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import DirectiveError
from .figure import escape
from .formats import format_date
from .markdown_ext import fences
from .options import boolean, did_you_mean, int_between, list_of, text, validate

FILE = "sources.csv"
COLUMNS = ("id", "publisher", "title", "date", "url", "kind", "original")
# Kinds in the order the sources page shows them, with its headings.
KINDS = {
    "primary": "Primary sources: agencies, courts, legislatures and laws",
    "secondary": "News reports and research",
    "advocacy": "Advocacy groups",
    "data": "Data",
    "repost": "Copies of other publishers' work",
}
OPTIONS = {
    "all": (False, boolean),
    "ids": (None, list_of(text)),
    "heading_level": (3, int_between(2, 4)),
}

# A Markdown link's target or an <autolink>, to an outside address.
_LINK = re.compile(
    r"\]\(\s*<?(?P<target>https?://[^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(?P<auto>https?://[^>\s]+)>"
)
_CODE_SPAN = re.compile(r"(`+).*?\1")


@dataclass(frozen=True)
class Source:
    """One row of data/sources.csv (`line` is its line in the file, for messages)."""

    id: str
    publisher: str
    title: str
    date: str
    url: str
    kind: str
    original: str
    archived_url: str
    line: int


def load(data_dir: Path) -> list[Source]:
    """Every row of data/sources.csv ([] if the site has none)."""
    path = Path(data_dir) / FILE
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DirectiveError(
                f"data/{FILE} has no column {missing[0]!r}; its columns are "
                f"{', '.join(COLUMNS)}, archived_url, accessed, note (COORDINATION.md)"
            )
        start = 2
        for row in reader:
            cell = {k: (v or "").strip() for k, v in row.items() if k}
            rows.append(
                Source(
                    **{c: cell.get(c, "") for c in COLUMNS},
                    archived_url=cell.get("archived_url", ""),
                    line=start,
                )
            )
            start = reader.line_num + 1
    return rows


def links(markdown: str) -> list[tuple[str, int]]:
    """(url, line) of every outside link in a Markdown text, outside fenced blocks and code."""
    fenced = _fenced_lines(markdown)
    found = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        if number in fenced:
            continue
        for m in _LINK.finditer(_CODE_SPAN.sub("", line)):
            found.append((m["target"] or m["auto"], number))
    return found


def _fenced_lines(markdown: str) -> set[int]:
    """Line numbers inside fenced blocks (fences included), as Python-Markdown reads them."""
    return {n for f in fences(markdown) for n in range(f.line, f.end_line + 1)}


# ------------------------------------------------------------------------- the directive


def render(options: dict, page_text: str, data_dir: Path) -> str:
    """The HTML of one ```sources block on a page whose Markdown is `page_text`."""
    opts = validate(options, OPTIONS)
    rows = load(data_dir)
    if not rows:
        raise DirectiveError(
            f"there is no data/{FILE} to list sources from; add it (one row per source)",
            key="all" if opts["all"] else None,
        )
    by_id = {r.id: r for r in rows}
    for wanted in opts["ids"] or []:
        if wanted not in by_id:
            raise DirectiveError(
                f"no row of data/{FILE} has id {wanted!r}{did_you_mean(wanted, list(by_id))}",
                key="ids",
            )
    if opts["all"]:
        return _grouped(rows, opts["heading_level"])
    by_url = {r.url: r for r in rows if r.url}
    cited = [by_url[url] for url, _ in links(page_text) if url in by_url]
    cited += [by_id[i] for i in opts["ids"] or []]
    cited = list(dict.fromkeys(cited))
    if not cited:
        raise DirectiveError(
            f"this page links to no source listed in data/{FILE}; cite sources with links to "
            "their url (exactly as in the CSV), or name rows with 'ids: [...]'"
        )
    return f'<ul class="dd-sources">{"".join(_item(r) for r in cited)}</ul>'


def _grouped(rows: list[Source], level: int) -> str:
    parts = []
    for kind, heading in KINDS.items():
        members = sorted(
            (r for r in rows if r.kind == kind), key=lambda r: (r.publisher.lower(), r.date)
        )
        if members:
            parts.append(f'<h{level} id="sources-{kind}">{escape(heading)}</h{level}>')
            parts.append(f'<ul class="dd-sources">{"".join(_item(r) for r in members)}</ul>')
    return "".join(parts)


def _item(row: Source) -> str:
    title = escape(row.title or row.url)
    title = f'<a href="{escape(row.url)}">{title}</a>' if row.url else title
    text = f"{escape(row.publisher)}: {title}"
    if row.date:
        text += f" ({escape(_date(row.date))})"
    text += "."
    if row.kind == "repost" and row.original:
        text += f" A copy of the original: {escape(row.original)}."
    if row.kind == "advocacy":
        text += " An advocacy group."
    if row.archived_url:
        text += f' <a href="{escape(row.archived_url)}">Archived copy</a>.'
    return f'<li id="src-{escape(row.id)}">{text}</li>'


def _date(value: str) -> str:
    if re.fullmatch(r"\d{4}", value):
        return value
    try:
        return format_date(value)
    except DirectiveError:
        return value


# ------------------------------------------------------------------------ `make check`


def problems(
    content_dir: Path, data_dir: Path, site_root: Path, not_sources: tuple[str, ...] = ()
) -> list[str]:
    """Every sourcing fault: uncited links, reposts without originals, unused rows.

    Links that start with one of `not_sources` (DATA_DIRECTIVES['NOT_SOURCES']: software,
    specifications) need no row."""
    try:
        rows = load(data_dir)
    except DirectiveError as exc:
        return [str(exc)]
    if not rows:
        return []
    shown_csv = f"{_shown(Path(data_dir), site_root)}/{FILE}"
    found = []
    urls = {r.url for r in rows if r.url}
    cited_urls: set[str] = set()
    listed_ids: set[str] = set()
    for path in sorted(Path(content_dir).rglob("*.md")):
        page = path.read_text(encoding="utf-8-sig")
        shown = _shown(path, site_root)
        for url, line in links(page):
            cited_urls.add(url)
            if url not in urls and not url.startswith(tuple(not_sources)):
                found.append(
                    f"{shown}:{line}: the link to {url} has no row in {shown_csv}; add a row "
                    "for the source (id, publisher, title, date, url, kind) or link its url "
                    f"exactly as the CSV has it{_near(url, urls)}"
                )
        listed_ids.update(_listed_ids(page))
    cited_urls |= _urls_in_data(data_dir)
    for row in rows:
        where = f"{shown_csv}:{row.line}"
        if row.kind == "repost" and not row.original:
            found.append(
                f"{where}: row {row.id!r} is a repost but 'original' is empty; name the "
                "original's publisher, title and date (e.g. 'The Associated Press, \"...\", "
                "Sept. 27, 2025')"
            )
        if row.kind not in KINDS:
            found.append(
                f"{where}: row {row.id!r} has kind {row.kind!r}; use one of {', '.join(KINDS)}"
            )
        if row.url not in cited_urls and row.id not in listed_ids:
            cite = f"link to {row.url} in the prose" if row.url else "add its url and cite it"
            found.append(
                f"{where}: row {row.id!r} is cited nowhere (no page links to its url, no data "
                f"CSV names it, no sources directive lists its id); {cite}, or delete the row"
            )
    return found


def _listed_ids(page: str) -> set[str]:
    """Ids named in the `ids:` option of the page's ```sources blocks."""
    import yaml

    ids: set[str] = set()
    for block in fences(page):
        if block.directive(("sources",)):
            try:
                body = yaml.safe_load(block.body) or {}
            except yaml.YAMLError:
                body = {}  # the directive itself reports the fault
            if isinstance(body, dict) and isinstance(body.get("ids"), list):
                ids.update(str(x) for x in body["ids"])
    return ids


def _urls_in_data(data_dir: Path) -> set[str]:
    """Addresses in the url columns of the other CSVs (rows cite their sources there)."""
    urls: set[str] = set()
    for path in sorted(Path(data_dir).rglob("*.csv")):
        if path.name == FILE:
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c for c in reader.fieldnames or [] if c and "url" in c.lower()]
            if not columns:
                continue
            for row in reader:
                urls.update((row.get(c) or "").strip() for c in columns)
    urls.discard("")
    return urls


def _near(url: str, urls: set[str]) -> str:
    """A hint when the CSV has the same address spelled slightly differently."""
    key = _loose(url)
    for candidate in sorted(urls):
        if _loose(candidate) == key:
            return f"; the CSV has {candidate}"
    return ""


def _loose(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"


def _shown(path: Path, site_root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(site_root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
