"""Figures kept out of Markdown, Pelican and Jinja: a short token in their place, the figure
put back when the page is written.

Why: most of a chart page's bytes are its figures (inline SVG, specs, tables), and every step
that reads a page's HTML pays for them: Markdown's raw-HTML restore, Pelican's link-rewriting
regexes (run on the whole HTML at every access of `content`), Jinja, an asset pass. None of
them changes a figure. So the Markdown extension stashes `<!--dd-figure:NONCE-N-->` instead
of a figure's HTML, and the figure comes back in each written file (`content_written`) and in
feeds (`feed_generated`). A warm 100x rebuild: docs/performance.md, "Placeholders".

The output stays byte for byte what it was; what makes it so:
- A figure is held only where the steps it skips would have left it as it is (`holdable`):
  Markdown restores block-level raw HTML unchanged (a comment counts as block-level too, so
  a figure and its token lose the same `<p>`), and its later postprocessors replace only
  placeholders that start with STX; Pelican rewrites only `{filename}`/`|static|` links (a
  tag's attribute whose value starts with `{` or `|`). A figure holding STX or such a link
  stays inline, as before.
- Per page, as before: ids are made unique in document order (figure.unique_ids, before the
  figure is held), and ROOT_MARKER becomes the page's path to the site root when it is put
  back.
- The page's other readers: its summary is Pelican's own, computed over the whole HTML when
  the held page's summary reaches a figure (`summary`); `dd_live_charts` and the stylesheet
  link look at held figures too; templates that search a page's HTML for a link read
  `page.dd_figures` as well (theme/templates/page.html).
- A token left in any written file ends the build with an error naming the file.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

from pelican.contents import Content

from . import figure

PREFIX = "<!--dd-figure:"
_TOKEN = re.compile(r"<!--dd-figure:([0-9a-f]+-\d+)-->")
# Pelican's INTRASITE_LINK_REGEX as shipped; with another one, nothing is held.
PELICAN_LINKS = "[{|](?P<what>.*?)[|}]"
# Markdown postprocessors after the raw-HTML restore whose work a held figure may skip: each
# replaces only placeholders that start with STX (\x02).
SAFE_POSTPROCESSORS = {"raw_html", "amp_substitute", "footnote"}
# Files a leftover token is looked for in, besides those put back page by page.
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt", ".atom", ".rss"}


class _Figure:
    __slots__ = ("html", "root", "final")

    def __init__(self, html: str):
        self.html = html  # ids unique on its page; ROOT_MARKER unresolved
        self.root = None  # its page's path to the site root, once Pelican made the page
        self.final = None

    def resolved(self) -> str:
        """The bytes the page had before placeholders: links resolved against the page."""
        if self.final is None:
            html = self.html
            self.final = html.replace(figure.ROOT_MARKER, self.root) if self.root else html
        return self.final


class Held:
    """One build's held figures: token -> figure."""

    def __init__(self, settings: dict):
        self.nonce = secrets.token_hex(4)  # a token from another build is never put back
        # In any form a template could give it (escaped, in JSON), a token still holds this.
        self.marker = f"dd-figure:{self.nonce}-"
        self.figures: dict[str, _Figure] = {}
        self.done: set[str] = set()  # written files whose tokens were put back
        self.enabled = (
            settings.get("INTRASITE_LINK_REGEX") == PELICAN_LINKS
            and not settings.get("CACHE_CONTENT")  # a cached page's tokens outlive the build
            and not settings.get("LOAD_CONTENT_CACHE")
        )

    def holdable(self, md, html: str) -> bool:
        """Whether skipping Markdown's and Pelican's processing leaves `html` as it was."""
        return (
            self.enabled
            and html.startswith("<")
            and md.postprocessors["raw_html"].isblocklevel(html)
            and set(_names(md.postprocessors)) <= SAFE_POSTPROCESSORS
            and "\x02" not in html
            and not _pelican_link(html)
        )

    def hold(self, html: str) -> str:
        """Keep a figure's HTML; return the token that stands for it."""
        token = f"{self.nonce}-{len(self.figures)}"
        self.figures[token] = _Figure(html)
        return f"{PREFIX}{token}-->"

    def attach(self, instance, root: str) -> list[_Figure]:
        """Give a page's held figures its root; return them, in order."""
        found = [self.figures[t] for t in _TOKEN.findall(instance._content) if t in self.figures]
        for f in found:
            if f.root is None:
                f.root = root
        if found:
            instance.dd_figures = Figures(found)
            original, known = instance.get_summary, {}

            def get_summary(siteurl: str) -> str:  # memoised per URL, as Pelican's is
                if siteurl not in known:
                    known[siteurl] = summary(self, instance, original, siteurl)
                return known[siteurl]

            instance.get_summary = get_summary
        return found

    def put_back(self, text: str, where: str) -> str:
        """`text` with every token replaced by its figure; a token left ends the build."""

        def figure_html(m: re.Match) -> str:
            f = self.figures.get(m[1])
            if f is None or f.root is None:
                return m.group(0)  # reported below
            return f.resolved()

        text = _TOKEN.sub(figure_html, text)
        if self.marker in text:
            raise leaked(where)
        return text


def _pelican_link(html: str) -> bool:
    """Whether Pelican's link pattern could match in `html`: `<`, then no `>` up to an
    attribute's opening quote followed by `{` or `|`. A quote and brace in text (a chart's
    JSON spec: `"{\"month\": ...`) is no link. (Reads every figure's bytes: it looks for
    the rare `{` and `|` with str.find, a memchr, rather than a regex or quote pairs.)"""
    starts = []
    for char in "{|":
        at = html.find(char, 1)
        while at >= 0:
            if html[at - 1] in "\"'":
                starts.append(at - 1)
            at = html.find(char, at + 1)
    inside, last = False, 0  # whether a tag is open at `last`
    for at in sorted(starts):
        opened, closed = html.rfind("<", last, at), html.rfind(">", last, at)
        if opened != closed:  # both -1 (neither seen since `last`): unchanged
            inside = opened > closed
        if inside:
            return True
        last = at
    return False


class Figures:
    """A page's held figures, for templates: `x in page.dd_figures` (a link, a class) is
    whether any of them holds `x` as it is written into the page."""

    def __init__(self, figures: list[_Figure]):
        self._figures = figures

    def __contains__(self, text) -> bool:
        return any(str(text) in f.resolved() for f in self._figures)

    def __bool__(self) -> bool:
        return bool(self._figures)


class _Whole:
    """What Pelican's summary code reads of a page, with its whole HTML as `content`."""

    def __init__(self, instance, content: str):
        self.metadata, self.settings, self.content = instance.metadata, instance.settings, content


_pelican_summary = Content.__dict__["get_summary"].func  # the function under Pelican's memo


def summary(held: Held, instance, original, siteurl: str) -> str:
    """The page's summary as Pelican makes it from the page's whole HTML.

    Pelican truncates the HTML after SUMMARY_MAX_LENGTH words. When that happens before the
    first token, the held page gives the very same summary (the same prefix is parsed, and a
    figure's start tag ends the last word as the comment's end does); otherwise (a short page,
    or a cut by paragraphs) it is computed again over the whole HTML."""
    text = original(siteurl)
    if held.marker not in text and instance.settings.get("SUMMARY_MAX_PARAGRAPHS") is None:
        return text
    whole = held.put_back(instance.get_content(siteurl), instance.source_path)
    return _pelican_summary(_Whole(instance, whole), siteurl)


def put_back_file(held: Held, path: str) -> None:
    """content_written: put the figures back into a file Pelican just wrote."""
    file = Path(path)
    with file.open(encoding="utf-8", newline="") as f:
        text = f.read()
    held.done.add(os.path.abspath(path))
    if held.marker not in text:
        return
    text = held.put_back(text, path)
    with file.open("w", encoding="utf-8", newline="") as f:
        f.write(text)


def put_back_feed(held: Held, feed) -> None:
    """feed_generated: figures back into each feed item before the feed is written. Pelican
    drops an Atom item's summary when it equals its content: compare them whole, as it did."""
    from feedgenerator import Atom1Feed

    for item in feed.items:
        for key in ("description", "content"):
            if item.get(key) and held.marker in item[key]:
                item[key] = held.put_back(item[key], f"feed {feed.feed['feed_url']}")
        if isinstance(feed, Atom1Feed) and item["description"] == item["content"]:
            item["description"] = None


def check_output(held: Held, output: Path) -> None:
    """finalized: no token in any other text file of the output (a plugin writing a page's
    content by itself would carry them)."""
    marker = held.marker.encode()
    for path in sorted(output.rglob("*")):
        if (
            path.suffix in TEXT_SUFFIXES
            and os.path.abspath(path) not in held.done
            and path.is_file()
            and marker in path.read_bytes()
        ):
            raise leaked(str(path))


class PlaceholderLeft(Exception):
    """A figure's token was left in a written file: the build stops (exit status 1)."""


def leaked(where: str) -> PlaceholderLeft:
    """The error for a token left in `where`, also printed plainly (Pelican's log wraps
    long lines), as the plugin prints every error."""
    error = PlaceholderLeft(
        f"{where}: a figure placeholder ({PREFIX}...-->, maybe escaped) was left in this "
        "file: something wrote the page's HTML before its figures were put back (a template "
        "filter such as |e or |truncate on content, or another plugin); build with "
        "DATA_DIRECTIVES['PLACEHOLDERS'] = False to write the figures where it reads them"
    )
    print(f"error: {error}", file=sys.stderr)
    return error


def _names(registry) -> list[str]:
    return [item.name for item in registry._priority]
