"""The Python-Markdown extension: finds data directives in a Markdown source, with line numbers.

A preprocessor runs before fenced code and metadata handling, so it sees the whole file as the
author wrote it and can name the exact line of a fault. It replaces

- fenced blocks whose info string is a directive name (```chart, ```table, ...) and
- inline values `{{ ... }}` outside code

with placeholders in Markdown's htmlStash, so Markdown never touches the generated HTML. Other
fenced blocks and `code spans` are left alone; `\\{{` writes a literal `{{`.

Every fault in a file is collected and raised once, together, as DirectiveErrors.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .errors import DirectiveError, DirectiveErrors

# The file being converted (set by the Pelican reader; a plain Markdown call has none).
current_source: ContextVar[str] = ContextVar("current_source", default="<markdown>")

FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[\w-]*)\s*$")
VALUE = re.compile(r"(?<!\\)\{\{(?P<expr>.*?)\}\}")
_CODE_SPAN = re.compile(r"(`+).*?\1")


class DataDirectivesExtension(Extension):
    """Registers the directive preprocessor. `renderer` turns directives into HTML."""

    def __init__(self, renderer, **kwargs):
        self.renderer = renderer
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's API name)
        # Priority 29: after whitespace normalisation (30), before metadata (27) and fenced
        # code (25), so line numbers still count from the top of the file.
        md.preprocessors.register(DirectivePreprocessor(md, self.renderer), "datadirectives", 29)


class DirectivePreprocessor(Preprocessor):
    """Replaces directive blocks and inline values with stashed HTML."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, lines: list[str]) -> list[str]:
        source = current_source.get()
        out: list[str] = []
        errors: list[DirectiveError] = []
        i = 0
        while i < len(lines):
            m = FENCE_OPEN.match(lines[i])
            if not m:
                out.append(self._values(lines[i], source, i + 1, errors))
                i += 1
                continue
            end = find_close(lines, i, m["fence"])
            if m["info"] not in self.renderer.block_names:
                out.extend(lines[i : end + 1])  # someone else's fence: leave it whole
                i = end + 1
                continue
            if end == len(lines):
                # Rendering would swallow the rest of the file as options: say so instead.
                errors.append(
                    DirectiveError(
                        f"the ```{m['info']} block opened here is never closed; add a line "
                        f"with {m['fence']} after its options"
                    ).located(source, i + 1)
                )
                break
            body = "\n".join(lines[i + 1 : end])
            try:
                html = self.renderer.render_block(m["info"], body, source=source, line=i + 1)
            except DirectiveError as exc:
                errors.append(exc.located(source, i + 1))
                html = ""
            out.extend(["", self.md.htmlStash.store(html), ""])
            i = end + 1
        if errors:
            raise DirectiveErrors(errors)
        return out

    def _values(self, line: str, source: str, lineno: int, errors: list) -> str:
        if "{{" not in line:
            return line
        # Leave `code spans` alone: split them out, substitute the rest.
        pieces, last = [], 0
        for span in _CODE_SPAN.finditer(line):
            pieces.append((line[last : span.start()], True))
            pieces.append((span.group(0), False))
            last = span.end()
        pieces.append((line[last:], True))
        result = []
        for text, live in pieces:
            if live:
                text = VALUE.sub(lambda m: self._value(m, source, lineno, errors), text)
                text = text.replace("\\{{", "{{")
            result.append(text)
        return "".join(result)

    def _value(self, match, source: str, lineno: int, errors: list) -> str:
        try:
            html = self.renderer.render_value(match["expr"], source=source, line=lineno)
        except DirectiveError as exc:
            errors.append(exc.located(source, lineno))
            return ""
        return self.md.htmlStash.store(html)


def find_close(lines: list[str], start: int, fence: str) -> int:
    """Index of the closing fence line (same character, at least as long), or len(lines)."""
    close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for j in range(start + 1, len(lines)):
        if close.match(lines[j]):
            return j
    return len(lines)
