"""The Python-Markdown extension: data directives, read with Python-Markdown's own grammar.

The rule: the extension changes nothing Python-Markdown would render, except directives.

- A directive block is a fenced block exactly as the fenced_code extension reads one (its
  FENCED_BLOCK_RE, searched the way FencedBlockPreprocessor searches it: same opening and
  closing rules, same skips) whose opening line is a directive name alone: ```chart, ~~~table.
  `fences()` is that one scanner; the preprocessor below and prerender.py both use it.
  The preprocessor runs before metadata and fenced code (which find the same blocks, so
  they never see a directive), while lines still count from the top of the file, and puts
  each directive's HTML in Markdown's htmlStash (in a Pelican build, a figure's HTML is held
  back and a short token stashed instead: placeholders.py).
- A value `{{ ... }}` is an inline pattern, so Markdown applies it wherever it applies inline
  syntax (paragraphs, lists, tables, headings, link text, `markdown="1"` HTML) and never in
  code spans, code blocks, raw HTML blocks or the metadata header. `\\{{` writes a literal
  `{{` through Markdown's own backslash escape.

Every fault in a file (blocks, values, a value in the metadata header) is collected and
raised once, together, as DirectiveErrors, in line order.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from contextvars import ContextVar
from dataclasses import dataclass

from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import figure
from .errors import DirectiveError, DirectiveErrors

# The file being converted (set by the Pelican reader; a plain Markdown call has none).
current_source: ContextVar[str] = ContextVar("current_source", default="<markdown>")

# fenced_code's own pattern: one definition of what a fenced block is.
FENCED_BLOCK_RE = FencedBlockPreprocessor.FENCED_BLOCK_RE
# A value: one line, `{{` to the first `}}`. (Markdown's escape pattern runs first, so `\{{`
# never reaches it.)
VALUE = re.compile(r"\{\{(?P<expr>[^\n]*?)\}\}")
# After the backslash escape (180), before references and links (170, 160): a value's
# [conditions] are never read as link text.
VALUE_PRIORITY = 175


@dataclass(frozen=True)
class Fence:
    """One fenced block as fenced_code reads it."""

    lang: str | None  # its language as fenced_code reads it: the word, or the first {.class}
    plain: bool  # the opening line is the fence and that word alone: ```chart
    fence: str  # the opening fence (``` or ~~~~ ...)
    body: str  # the lines between the fences, without the last line end
    line: int  # 1-based line of the opening fence
    end_line: int  # 1-based line of the closing fence
    start: int  # offsets of the block in the text
    end: int

    def directive(self, names) -> str | None:
        """The directive this block is (```chart alone on its line), or None."""
        return self.lang if self.plain and self.lang in names else None


def fences(text: str) -> list[Fence]:
    """Every fenced block of `text`, found exactly as FencedBlockPreprocessor.run finds them."""
    found, index = [], 0
    while m := FENCED_BLOCK_RE.search(text, index):
        if m["attrs"]:
            attrs, remainder = get_attrs_and_remainder(m["attrs"])
            if remainder:  # unbalanced braces: fenced_code skips past them, so do we
                index = m.end("attrs")
                continue
            classes = [v for k, v in attrs if k == "."]
            lang = classes[0] if classes else None
        else:
            lang = m["lang"] or None
        opening = text[m.start() : text.index("\n", m.start())]
        code = m["code"]
        line = text.count("\n", 0, m.start()) + 1
        found.append(
            Fence(
                lang=lang,
                plain=bool(lang) and opening[len(m["fence"]) :].strip(" ") == lang,
                fence=m["fence"],
                body=code[:-1] if code.endswith("\n") else code,
                line=line,
                end_line=line + m.group(0).count("\n"),
                start=m.start(),
                end=m.end(),
            )
        )
        index = m.end()
    return found


def directive_blocks(text: str, names) -> list[tuple[str, str, int]]:
    """(name, body, line of the opening fence) of each directive block in a Markdown text."""
    return [(f.lang, f.body, f.line) for f in fences(text) if f.directive(names)]


class DataDirectivesExtension(Extension):
    """Registers the directive processors. `renderer` turns directives into HTML; `held`
    (placeholders.Held, a Pelican build's) keeps figures' HTML out of Markdown."""

    def __init__(self, renderer, held=None, **kwargs):
        self.renderer = renderer
        self.held = held
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API name)
        # Pelican reuses this extension for every file but makes a Markdown (and so calls
        # this) per file: what one conversion found lives in its own _Page.
        page = _Page()
        # Priority 29: after whitespace normalisation (30), before metadata (27) and fenced
        # code (25), so line numbers still count from the top of the file.
        md.preprocessors.register(
            DirectivePreprocessor(md, self.renderer, page, self.held), "datadirectives", 29
        )
        md.inlinePatterns.register(
            ValueInlineProcessor(VALUE.pattern, md, self.renderer, page),
            "datadirectives_value",
            VALUE_PRIORITY,
        )
        # After inline (20): every value has been read; report the page's faults together.
        md.treeprocessors.register(
            ReportFaults(md, self.renderer, page), "datadirectives_faults", 19
        )


class _Page:
    """What one conversion found: its file, its faults, its figure ids, where its values are."""

    def __init__(self):
        self.start("<markdown>", [])

    def start(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        self.errors: list[DirectiveError] = []
        self.ids: set[str] = set()  # ids of the figures placed so far
        self.value_lines: dict[str, deque] = defaultdict(deque)  # "{{ x }}" -> its lines

    def value_line(self, text: str) -> int:
        """The line of the next unread occurrence of this exact `{{ ... }}` text.

        Markdown keeps no line numbers; inline processing meets values in document order,
        so the n-th reading of a text is its n-th occurrence outside fenced blocks. (Should
        the same text also sit in a code span before it, the line is the code span's.)
        """
        lines = self.value_lines.get(text)
        if lines:
            return lines.popleft()
        # Read more often than written (another extension repeated it): its first line.
        return _first_line_with(self.lines, text) or 1

    def fail(self, exc: DirectiveError, line: int | None) -> None:
        self.errors.append(exc.located(self.source, line))


class DirectivePreprocessor(Preprocessor):
    """Replaces directive blocks with stashed HTML; notes where each value is."""

    def __init__(self, md, renderer, page: _Page, held=None):
        super().__init__(md)
        self.renderer = renderer
        self.page = page
        self.held = held

    def run(self, lines: list[str]) -> list[str]:
        page = self.page
        page.start(current_source.get(), lines)
        # Optional hooks (the Renderer has them; a renderer that defines no queries need not).
        getattr(self.renderer, "start_page", lambda source: None)(page.source)
        names = self.renderer.block_names
        text = "\n".join(lines)
        found = fences(text)
        # A fenced block is code where fenced_code reads fences (the site's `extra` does) and
        # prose where it does not; a directive is never prose.
        code_fences = "fenced_code_block" in self.md.preprocessors
        out, last = [], 0
        for fence in found:
            name = fence.directive(names)
            self._note_values(text, last, fence.start if name or code_fences else fence.end)
            if name:
                # As fenced_code replaces a block: the placeholder on a line of its own.
                html = self._render(name, fence)
                # A block that shows nothing (```query) leaves nothing, not an empty <p>.
                stashed = f"\n{self.md.htmlStash.store(html)}\n" if html else "\n"
                out += [text[last : fence.start], stashed]
            else:
                out.append(text[last : fence.end])  # someone else's fence: leave it whole
                if fence.lang in names:
                    page.fail(
                        DirectiveError(
                            f"a {fence.lang} block's fence line holds its name alone (no "
                            "{attributes}, no hl_lines); write "
                            f"{fence.fence}{fence.lang} and put its options inside the block"
                        ),
                        fence.line,
                    )
            last = fence.end
        self._note_values(text, last, len(text))
        out.append(text[last:])
        self._unclosed(text, found, names)
        return "".join(out).split("\n")

    def _render(self, name: str, fence: Fence) -> str:
        page = self.page
        try:
            html = self.renderer.render_block(name, fence.body, source=page.source, line=fence.line)
        except DirectiveError as exc:
            page.fail(exc, fence.line)
            return ""
        html = figure.unique_ids(html, page.ids)
        if self.held is not None and self.held.holdable(self.md, html):
            return self.held.hold(html)  # a token; the figure comes back in the written page
        return html

    def _note_values(self, text: str, start: int, end: int) -> None:
        """Record the line of each `{{ ... }}` between two fenced blocks."""
        line = text.count("\n", 0, start) + 1
        pos = start
        for m in VALUE.finditer(text, start, end):
            line += text.count("\n", pos, m.start())
            pos = m.start()
            self.page.value_lines[m.group(0)].append(line)

    def _unclosed(self, text: str, found: list[Fence], names) -> None:
        """A directive's opening line that no closing fence matched: say so, located.

        (Markdown would show it, and the rest of the file, as a paragraph.)
        """
        inside = [(f.start, f.end) for f in found]
        offset = 0
        for number, line in enumerate(text.split("\n"), start=1):
            here, offset = offset, offset + len(line) + 1
            fence = line[: len(line) - len(line.lstrip("`~"))]
            if len(fence) < 3 or fence.strip(fence[0]):
                continue
            name = line[len(fence) :].strip(" ")
            if name in names and not any(a <= here < b for a, b in inside):
                self.page.fail(
                    DirectiveError(
                        f"the {fence}{name} block opened here is never closed; add a line "
                        f"with {fence} (the same fence) after its options"
                    ),
                    number,
                )


class ValueInlineProcessor(InlineProcessor):
    """`{{ ... }}` in prose: the value's HTML, stashed so Markdown leaves it as it is."""

    def __init__(self, pattern: str, md, renderer, page: _Page):
        super().__init__(pattern, md)
        self.renderer = renderer
        self.page = page

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's API name)
        page = self.page
        line = page.value_line(m.group(0))
        try:
            html = self.renderer.render_value(m["expr"], source=page.source, line=line)
        except DirectiveError as exc:
            page.fail(exc, line)
            html = ""
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class ReportFaults(Treeprocessor):
    """Raise every fault of the page at once; refuse values in the metadata header and
    ```query blocks that no value printed."""

    def __init__(self, md, renderer, page: _Page):
        super().__init__(md)
        self.renderer = renderer
        self.page = page

    def run(self, root) -> None:
        page = self.page
        if not page.errors:  # (a value that failed to read may have been a query's printer)
            page.errors += getattr(self.renderer, "unused_queries", lambda source: [])(page.source)
        for key, values in (getattr(self.md, "Meta", None) or {}).items():
            for value in values:
                for m in VALUE.finditer(value):
                    page.fail(
                        DirectiveError(
                            f"{m.group(0)} is in the metadata header ('{key}:'), where values "
                            "are not read (metadata is taken as written); write the number in "
                            "the text of the page instead"
                        ),
                        _first_line_with(page.lines, m.group(0)),
                    )
        if page.errors:
            errors = sorted(page.errors, key=lambda e: e.line or 0)
            page.errors = []
            raise DirectiveErrors(errors)


def _first_line_with(lines: list[str], text: str) -> int | None:
    """The 1-based number of the first line holding `text`, if any."""
    return next((n for n, line in enumerate(lines, start=1) if text in line), None)
