"""`make check`'s rule that keeps "every figure comes from a data file" true.

It fails on figures typed by hand:
- in prose: a number outside `{{ ... }}` values, code, links' addresses and directive blocks;
- in directive YAML: an annotation value typed as a number (use `row:`, annotation_rows.py),
  and a list of three or more US states typed out (in a filter, a sort, a description...).

What may be typed (the allow-list, documented in docs/authoring.md, "Numbers you may type"):
- dates: years (1996, 2010s), days after a month ("Jan. 20", "Sept. 2, 2025", "July 4"),
  ISO dates (2025-01-20) and times of day (9:30);
- statute, bill, order and report numbers: a number right after one of LEGAL_WORDS ("8
  U.S.C. 1357(g)", "Executive Order 14159", "SB 54", "90 Fed. Reg. 8443", "chapter 3"), a
  number written with letters as one word (287(g), HB19-1124, GAO-09-109, 19th), and the
  numbers of a section heading's or a page's title;
- citations: list items under a "Sources" heading are titles and names ("KIRO 7",
  "GAO-09-109"): their numbers are allowed, as is the whole sources page (Slug: sources) and
  the corrections log (Slug: corrections), which quotes the figures it corrected;
- references to parts: "chapters 2 and 4", "section 3". Elsewhere a
  quoted figure must come from the data too: a quotation's number is still a number.
Each message gives the file and line, the figure, and the fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import Problem
from .markdown_ext import VALUE, fences
from .us_states import STATES

# A number right after one of these names a law, an order, a report or a page, not a quantity.
LEGAL_WORDS = (
    "U.S.C.",
    "Order",
    "Orders",
    "SB",
    "HB",
    "AB",
    "HF",
    "SF",
    "Bill",
    "Act of",
    "Reg.",
    "Stat.",
    "Stat",
    "Title",
    "ch.",
    "Code",
    "Section",
    "section",
    "No.",
    "chapter",
    "Chapter",
    "Appendix",
    "Amendment",
    "Rule",
    "Form",
    "Directive",
    "Statutes",
    "EO",
    "§",
    "Attribution",  # a licence's version: Creative Commons Attribution 4.0
    "BY",
)
# ... and a number right before one of these: 8 U.S.C., 90 Fed. Reg.
LEGAL_AFTER = ("U.S.C.", "Fed.", "C.F.R.", "CFR")
MONTHS = (
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NUMBER = re.compile(r"(?<![\w.$/#-])\$?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%| percent)?(?![\w(/-]|\.\d)")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_DATE_BEFORE = re.compile(r"(?:" + "|".join(re.escape(m) for m in MONTHS) + r")\s+$")
_LEGAL_BEFORE = re.compile(r"(?:" + "|".join(re.escape(w) for w in LEGAL_WORDS) + r")\s+$")
_LEGAL_AFTER = re.compile(r"^\s+(?:" + "|".join(re.escape(w) for w in LEGAL_AFTER) + r")")
_ISO = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|\{(?:filename|static|attach)\}[^)\s]*")
_CODE_SPAN = re.compile(r"(`+).*?\1")
# "chapters 2 and 4", "sections 3, 5 or 7": numbers that name parts of this site or a text.
_PART_REFERENCES = re.compile(
    r"\b(?:chapters?|sections?|pages?|parts?)\s+\d+(?:(?:\s*,\s*|\s+(?:and|or|to)\s+)\d+)*",
    re.I,
)
_HTML = re.compile(r"<[^>]+>")
_STATE_NAMES = sorted({name for _, _, name, _ in STATES}, key=len, reverse=True)
_ONE_STATE = r"(?:" + "|".join(re.escape(n) for n in _STATE_NAMES) + r")"
# Three or more state names in a row, joined only by commas, "and" or "or".
_STATE_LIST = re.compile(
    rf"\b{_ONE_STATE}(?:(?:\s*,\s*|\s*,?\s+(?:and|or)\s+){_ONE_STATE}){{2,}}\b", re.I
)
PROSE_METADATA = ("Summary", "Lead")  # metadata readers see as text


def problems(content_dir: Path, site_root: Path) -> list[Problem]:
    """Every hand-typed figure in the Markdown files under content_dir."""
    found = []
    for path in sorted(Path(content_dir).rglob("*.md")):
        shown = _shown(path, site_root)
        found += [
            Problem(msg, path=shown, line=line) for line, msg in scan(path.read_text("utf-8-sig"))
        ]
    return found


def scan(markdown: str) -> list[tuple[int, str]]:
    """(line, message) for each hand-typed figure in one Markdown text."""
    lines = markdown.splitlines()
    found: list[tuple[int, str]] = []
    blocks = {f.line: f for f in fences(markdown)}  # fenced blocks as Python-Markdown reads them
    i = 0
    in_header = True
    in_sources = False
    sources_page = False
    citation = False
    previous = ""  # the line before, for a date split across lines ("May / 18, 2026")
    while i < len(lines):
        line = lines[i]
        if in_header:
            key, _, value = line.partition(":")
            if not line.strip():
                in_header = False
            elif key.strip().lower() == "slug":
                # The sources page cites titles; the corrections log quotes the figures it
                # corrected (they are no longer in the data): their numbers may be typed.
                sources_page = value.strip() in ("sources", "corrections")
            elif key.strip() in PROSE_METADATA:
                found += [(i + 1, m) for m in _prose(value)]
            i += 1
            continue
        block = blocks.get(i + 1)
        if block is not None:
            if block.directive(("chart", "table")):
                found += _directive(block.body, block.line + 1)
            i = block.end_line
            continue
        if line.startswith("#"):
            in_sources = line.lstrip("#").strip().lower() == "sources"
            i += 1
            continue  # headings are titles
        # A citation (a list item, or its continuation, in a Sources list) is titles and
        # names: its numbers are allowed.
        if sources_page or in_sources and line.lstrip().startswith(("-", "*", "1")):
            citation = True
        elif not line.startswith("  "):
            citation = False
        if not citation:
            found += [(i + 1, m) for m in _prose(line, previous)]
        previous = line
        i += 1
    return found


def _prose(line: str, previous: str = "") -> list[str]:
    text = _CODE_SPAN.sub(_blank, line)
    text = VALUE.sub(_blank, text)
    text = _LINK_TARGET.sub(_blank, text)
    text = _HTML.sub(_blank, text)
    text = _ISO.sub(_blank, text)
    text = _TIME.sub(_blank, text)
    text = _PART_REFERENCES.sub(_blank, text)
    messages = []
    for m in _NUMBER.finditer(text):
        figure = m.group(0)
        digits = figure.lstrip("$").rstrip("%").removesuffix(" percent")
        before = text[: m.start()]
        if not before.strip():
            before = previous.rstrip() + " "  # the line broke between a month and its day
        if _YEAR.match(digits) and not figure.startswith("$") and figure == digits:
            continue
        if text[m.end() : m.end() + 1] == "s" and _YEAR.match(digits):
            continue  # the 2010s
        if _DATE_BEFORE.search(before) or _LEGAL_BEFORE.search(before):
            continue
        if _LEGAL_AFTER.match(text[m.end() :]):
            continue
        messages.append(
            f"{figure!r} is typed by hand; take it from a CSV, e.g. "
            "{{ file.csv[column=value].column }} (may be typed: dates, statute and report "
            "numbers, titles; docs/authoring.md, 'Numbers you may type')"
        )
    return messages


def _directive(body: str, first_line: int) -> list[tuple[int, str]]:
    """Typed annotation values and typed lists of states in a chart or table's YAML."""
    try:
        options = yaml.load(body, Loader=_DateText)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError:
        return []  # the directive's own check reports it
    if not isinstance(options, dict):
        return []
    lines = body.splitlines()

    def line_of(key: str) -> int:
        for n, text in enumerate(lines):
            if text.startswith(f"{key}:"):
                return first_line + n
        return first_line

    found = []
    for n, item in enumerate(options.get("annotations") or [], start=1):
        if not isinstance(item, dict) or "row" in item:
            continue
        where = item.get("point") if "point" in item else item.get("rule")
        values = where.values() if isinstance(where, dict) else [where]
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.append(
                    (
                        line_of("annotations"),
                        f"annotation {n}: the value {value} is typed by hand; take it from "
                        "the data with row: file.csv[conditions] and name its columns "
                        "(docs/directives.md, 'Annotations from the data')",
                    )
                )
    for key, value in options.items():
        for text in _strings(value):
            for typed in _STATE_LIST.finditer(text):
                found.append(
                    (
                        line_of(key),
                        f"{key}: the list of states {typed.group(0)!r} is typed by hand; "
                        "describe the pattern in words, or filter on a column "
                        "(e.g. 'stance == ban') instead of naming the states",
                    )
                )
    return found


class _DateText(yaml.SafeLoader):
    """Keeps dates as text, like the directives' own loader."""


_DateText.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        joined = [v for v in value if isinstance(v, str)]
        return [", ".join(joined)] + [s for v in value for s in _strings(v) if isinstance(v, dict)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _blank(match: re.Match) -> str:
    """Blank out a span but keep the line's length, so positions stay meaningful."""
    return " " * len(match.group(0))


def _shown(path: Path, site_root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(site_root).resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
