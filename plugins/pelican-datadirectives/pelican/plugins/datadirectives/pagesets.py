"""Page sets: one Markdown template, one CSV, one real Pelican page per group of rows.

A page set is a Markdown file in `DATA_DIRECTIVES['PAGE_SETS_DIR']` (default
`content/page-sets/`, a folder Pelican does not read as pages) whose metadata says which CSV
to group and how:

    Pages_from: states.csv
    Pages_by: state
    Pages_where: agreements > 0
    Title: 287(g) agreements in ${state}
    Save_as: states/${slug}.html
    URL: states/${slug}.html

For each group of rows (the distinct values of `Pages_by`, after `Pages_where`), every
`${column}` in the file is replaced by the group's value of that column (the `Pages_by`
columns, or any column with one value in the group), and the result is read as one Markdown
page: the chart, table and value directives work as anywhere else, so
`filter: state == ${state}` narrows them to the group. Replacement keeps every line where it
was, so a fault is reported at the template's own file and line, with the group it was
building: `content/page-sets/state.md:14: column 'totl' not in ... (page for state=Texas)`.

The pages are ordinary `Page` objects (content_object_init runs, so data links and share
cards work), written with the theme's `page.html` unless `Template:` says otherwise, listed
in the Jinja context as `generated_pages` (for the sitemap and index pages) and linkable from
other content as `{filename}/page-sets/<template stem>/<slug>.md`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

from markdown import Markdown
from pelican.contents import Page
from pelican.generators import Generator
from pelican.readers import MarkdownReader

from .data import apply_filters, load_table
from .errors import DirectiveError, DirectiveErrors, Problem
from .markdown_ext import current_source

logger = logging.getLogger(__name__)

KEYS = ("pages_from", "pages_by", "pages_where")
_PLACEHOLDER = re.compile(r"(?<!\$)\$\{\s*([^{}]*?)\s*\}")
_HEADER = re.compile(r"^(?P<key>[A-Za-z][\w-]*)\s*:\s*(?P<value>.*)$")
SYNTAX = "Pages_from: file.csv, Pages_by: column[, column], optional Pages_where: condition"


class PageSet:
    """One template file and what its header declares."""

    def __init__(self, path: Path, display: str, text: str):
        self.path, self.display, self.text = path, display, text
        self.header = {}  # lower-case key -> (value, line)
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                break
            m = _HEADER.match(line)
            if m:
                self.header[m["key"].lower()] = (m["value"].strip(), n)

    def fault(self, message: str, key: str | None = None) -> DirectiveError:
        line = self.header[key][1] if key in self.header else 1
        return DirectiveError(message).located(self.display, line)

    def groups(self, data_dir: Path):
        """[(label, {column: value})] for every group, in the CSV's row order."""
        if "pages_from" not in self.header or "pages_by" not in self.header:
            raise self.fault(f"a page set needs Pages_from and Pages_by in its header; {SYNTAX}")
        try:
            table = load_table(self.header["pages_from"][0], data_dir)
        except DirectiveError as exc:
            raise self.fault(exc.message, "pages_from") from None
        frame = table.frame
        where = self.header.get("pages_where", ("", 0))[0]
        by = [c.strip() for c in self.header["pages_by"][0].split(",") if c.strip()]
        try:
            if where:
                conditions = [c.strip() for c in re.split(r";|\band\b", where) if c.strip()]
                frame = apply_filters(frame, conditions, table.name, key="pages_where")
        except DirectiveError as exc:
            raise self.fault(exc.message, "pages_where") from None
        missing = [c for c in by if c not in frame.columns]
        if missing:
            raise self.fault(
                f"Pages_by: column {missing[0]!r} not in {table.name}; columns: "
                + ", ".join(map(str, frame.columns)),
                "pages_by",
            )
        if frame.empty:
            raise self.fault(
                f"no rows of {table.name} for this page set"
                + (f" where {where}" if where else "")
                + "; check Pages_where against the CSV",
                "pages_where" if where else "pages_from",
            )
        out = []
        for key, rows in frame.groupby(by, sort=False, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            fields = {}
            for column in frame.columns:
                values = rows[column].drop_duplicates()
                if len(values) == 1:
                    fields[str(column)] = _text(values.iloc[0])
            label = ", ".join(f"{c}={_text(v)}" for c, v in zip(by, key, strict=True))
            out.append((label, fields, table.name))
        return out

    def expand(self, fields: dict, label: str, table: str) -> str:
        """The template with every ${column} replaced by the group's value; lines kept."""
        errors = []
        lines = self.text.split("\n")
        for n, line in enumerate(lines):
            if "${" not in line:
                continue

            def sub(m, n=n):
                name = m[1]
                if name in fields:
                    return fields[name]
                errors.append(
                    DirectiveError(
                        f"${{{name}}}: no column {name!r} with one value for the page for "
                        f"{label} in {table}; use a Pages_by column or one that is the same "
                        f"in every row of a group: {', '.join(sorted(fields))}"
                    ).located(self.display, n + 1)
                )
                return ""

            lines[n] = _PLACEHOLDER.sub(sub, line).replace("$${", "${")
        if errors:
            raise DirectiveErrors(errors)
        return "\n".join(lines)


def _once(errors: list[tuple[Problem, str | None]]) -> list[Problem]:
    """One report per fault in a template, naming the first page it broke and how many more
    (a wrong column in a per-state template would otherwise be reported 50 times)."""
    first: dict[Problem, str | None] = {}
    count: dict[Problem, int] = {}
    for problem, page in errors:
        first.setdefault(problem, page)
        count[problem] = count.get(problem, 0) + 1
    out = []
    for problem, page in first.items():
        if page:
            more = f" and {count[problem] - 1} more" if count[problem] > 1 else ""
            note = f" (page for {page}{more})"
            if problem.fix:
                problem = dataclasses.replace(problem, fix=problem.fix + note)
            else:
                problem = dataclasses.replace(problem, message=problem.message + note)
        out.append(problem)
    return out


def _text(value) -> str:
    """A cell as the text a page shows: whole numbers without '.0', no line breaks."""
    if value is None or value != value:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "item"):
        value = value.item()
    return " ".join(str(value).split())


def check_page_sets(config, make_markdown) -> list[Problem]:
    """`make check`: every page of every page set, expanded and checked like any page, each
    fault reported once at the template's line (with the first page it broke).

    `make_markdown()` returns a Markdown instance with the directive extension (dry run)."""
    from .plugin import display_path

    folder = config.page_sets_dir
    errors: list[tuple[Problem, str | None]] = []  # (problem, the page it broke)
    for path in sorted(folder.glob("*.md")) if folder and folder.is_dir() else []:
        display = display_path(path, config.site_root)
        page_set = PageSet(path, display, path.read_text(encoding="utf-8-sig"))
        try:
            groups = page_set.groups(config.data_dir)
        except DirectiveError as exc:
            errors.append((exc.problem, None))
            continue
        for label, fields, table in groups:
            token = current_source.set(display)
            try:
                make_markdown().convert(page_set.expand(fields, label, table))
            except DirectiveErrors as exc:
                errors.extend((problem, label) for problem in exc.problems)
            except DirectiveError as exc:
                errors.append((exc.problem.at(display, 1), label))
            finally:
                current_source.reset(token)
    return _once(errors)


class PageSetGenerator(Generator):
    """Reads every page set and writes its pages (added by the plugin's get_generators)."""

    def __init__(self, *args, **kwargs):
        self.pages = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        from .plugin import STATE, display_path, report

        state = self.settings.get(STATE)
        self.context.setdefault("generated_pages", [])
        if state is None:
            return
        folder = state.config.page_sets_dir
        templates = sorted(folder.glob("*.md")) if folder and folder.is_dir() else []
        errors: list[tuple[Problem, str | None]] = []  # (problem, the page it broke)
        for path in templates:
            display = display_path(path, state.config.site_root)
            page_set = PageSet(path, display, path.read_text(encoding="utf-8-sig"))
            try:
                groups = page_set.groups(state.config.data_dir)
            except DirectiveError as exc:
                errors.append((exc.problem, None))
                continue
            for label, fields, table in groups:
                try:
                    self.pages.append(self._page(state, page_set, fields, label, table))
                except DirectiveErrors as exc:
                    errors.extend((problem, label) for problem in exc.problems)
        if errors:
            raise report(_once(errors), "page sets")
        seen = {}
        for page in self.pages:
            if page.save_as in seen:
                raise report(
                    [
                        Problem(
                            f"two pages would be saved as {page.save_as} ({seen[page.save_as]}"
                            f" and {page.source_path})",
                            fix="put a Pages_by column in Save_as",
                        )
                    ],
                    "page sets",
                )
            seen[page.save_as] = page.source_path
        self.context["generated_pages"] = sorted(self.pages, key=lambda p: p.title)
        logger.info("datadirectives: %d pages from %d page sets", len(self.pages), len(templates))

    def _page(self, state, page_set: PageSet, fields: dict, label: str, table: str) -> Page:
        from .plugin import display_path

        text = page_set.expand(fields, label, table)
        reader = MarkdownReader(self.settings)
        reader._md = Markdown(**self.settings["MARKDOWN"])
        reader._source_path = str(page_set.path)
        token = current_source.set(page_set.display)
        try:
            content = reader._md.convert(text)
            meta = reader._parse_metadata(getattr(reader._md, "Meta", {}))
        finally:
            current_source.reset(token)
        for key in KEYS:
            meta.pop(key, None)
        meta.setdefault("template", "page")
        slug = meta.get("slug") or fields.get("slug") or label
        # A path per page (not the template's), so share cards and {filename} links are per page.
        source = page_set.path.with_suffix("") / f"{slug}.md"
        cards = state.renderer.records.cards
        if page_set.display in cards:
            cards[display_path(source, state.config.site_root)] = cards.pop(page_set.display)
        page = Page(
            content,
            metadata=meta,
            settings=self.settings,
            source_path=str(source),
            context=self.context,
        )
        page.generated_from = page_set.display
        self.add_source_path(page)
        return page

    def generate_output(self, writer):
        for page in self.pages:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                page=page,
                relative_urls=self.settings["RELATIVE_URLS"],
                override_output=hasattr(page, "override_save_as"),
                url=page.url,
            )


def get_generators(pelican):
    """Pelican's get_generators signal: add the page-set generator to builds with the plugin."""
    return PageSetGenerator
