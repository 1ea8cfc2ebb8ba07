"""The Renderer: directive text in, HTML out, through the directive registry and the cache.

One Renderer per build (Pelican reuses one Markdown extension for every file), so it holds
only build-wide things: settings, the data package, the render cache, the registry of
directives, and the records the plugin needs after reading (CSVs used, share-card specs,
values printed). For a ```name block it:

1. reads the YAML body, locating each key's line (parsing.read_yaml);
2. looks the block up in the render cache when the directive is `cached` (a hit is the HTML
   of a block that rendered before: valid, so not validated again);
3. otherwise validates the options once (`directive.check`) and renders
   (`directive.render(opts, context)`), then stores the result;
4. reports a fault at the line of the option it concerns, else at the opening fence.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from . import annotation_rows, figure, render, sql
from .data import resolve_csv
from .directives import (
    DIRECTIVES,
    Context,
    Directive,
    Rendered,
    block_names,
    cached_block_names,
)
from .errors import DirectiveError
from .parsing import read_yaml
from .registry import Registry

logger = logging.getLogger(__name__)


@dataclass
class Records:
    """What reading the content found, for the plugin's work after reading."""

    csvs: set = field(default_factory=set)  # data files under data/ that pages link to
    files: dict = field(default_factory=dict)  # files figures made: {path: text} (Rendered)
    cards: dict = field(default_factory=dict)  # source path -> Vega-Lite spec of its first chart
    printed: dict = field(default_factory=dict)  # (source, line, expr) -> text printed
    queries: dict = field(default_factory=dict)  # source -> {name: (SQL, line)} (```query)
    printed_queries: dict = field(default_factory=dict)  # source -> names its values printed
    counts: Counter = field(default_factory=Counter)  # directive name -> times rendered

    @property
    def charts(self) -> int:
        return self.counts["chart"]

    @property
    def tables(self) -> int:
        return self.counts["table"]

    @property
    def values(self) -> int:
        return self.counts["value"]


class Renderer:
    """Turns directive text into HTML. One per build."""

    # The block directives (```name) the Markdown extension looks for, and those whose HTML
    # is cached (prerender.py renders them ahead): the registry's, set again per instance.
    block_names: tuple[str, ...] = block_names(DIRECTIVES)
    cached_block_names: tuple[str, ...] = cached_block_names(DIRECTIVES)

    def __init__(
        self,
        config,
        package: dict | None = None,
        *,
        dry_run: bool = False,
        directives: Registry[Directive] = DIRECTIVES,
        fingerprint: str | None = None,
    ):
        self.config = config
        self.dry_run = dry_run  # check everything, render nothing (`make check`)
        self.package = package or {}  # CSV name -> {title, sources, as_of, ...}
        self.directives = directives
        self.block_names = block_names(directives)
        self.cached_block_names = cached_block_names(directives)
        self.context = Context(config, self.package, dry_run)
        # What the cache key takes from the renderer itself, computed once per build (the
        # prerender workers are given the parent's, so both key the same entries).
        self.fingerprint = fingerprint or render.fingerprint()
        self.functions_fingerprint = render.folder_fingerprint(config.functions_dir)
        self.font_fingerprint = render.font_fingerprint(config.font_dir)
        self.hashes = render.FileHashes()
        self.cache = render.Cache(config.cache_dir)
        self.records = Records()
        render.use_fonts(config.font_dir)

    # -- blocks ---------------------------------------------------------------------------

    def render_block(self, kind: str, body: str, *, source: str, line: int) -> str:
        """Render a ```kind block whose opening fence is on `line` of `source`."""
        directive = self.directives[kind]
        key_lines: dict[str, int] = {}
        try:
            options, key_lines = read_yaml(body, first_line=line + 1)
            if directive.reads_page:
                rendered = directive.render_page(
                    directive.check(options), self.context, self._page_text(source)
                )
            else:
                rendered = self._rendered(directive, options, body)
            self._define_queries(rendered, source, key_lines.get("sql", line))
        except DirectiveError as exc:
            # A fault in an option is reported at that option's line, others at the fence.
            raise exc.located(source, exc.line or key_lines.get(exc.key) or line) from None
        self.records.counts[kind] += 1
        self.records.csvs.update(rendered.csvs)
        self.records.files.update(rendered.files)
        if rendered.card and source not in self.records.cards:
            self.records.cards[source] = rendered.card
        return rendered.html

    def start_page(self, source: str) -> None:
        """A conversion of `source` begins: forget the named queries an earlier conversion
        defined (one Renderer serves every build of a process: `pelican --autoreload`, a
        reused Pelican; a page set converts one file once per page)."""
        self.records.queries[source] = {}
        self.records.printed_queries[source] = set()

    def unused_queries(self, source: str) -> list[DirectiveError]:
        """A located error for each ```query block of the page that no value printed: a
        query nobody prints is never run, so its faults would go unseen."""
        printed = self.records.printed_queries.get(source, set())
        return [
            DirectiveError(
                f"the query {name!r} is printed by no value of this page, so it is never run",
                fix=f"print it with {{{{ sql {name} }}}}, or delete its ```query block",
                path=source,
                line=line,
            )
            for name, (_, line) in sorted(self.records.queries.get(source, {}).items())
            if name not in printed
        ]

    def _define_queries(self, rendered: Rendered, source: str, line: int) -> None:
        """Note the named queries a block defines for its page ({{ sql name }} values)."""
        page = self.records.queries.setdefault(source, {})
        for name, query in rendered.queries.items():
            if name in page:
                raise DirectiveError(
                    f"name: a query named {name!r} is defined on line {page[name][1]} already",
                    fix="give each query of a page its own name",
                    key="name",
                )
            page[name] = (query, line)

    def _page_text(self, source: str) -> str:
        """The Markdown of the page a block is in (source: its path from the site root)."""
        page = self.config.site_root / source
        return page.read_text(encoding="utf-8-sig") if page.is_file() else ""

    def _rendered(self, directive: Directive, options: dict, body: str) -> Rendered:
        key = None
        if directive.cached and (options.get("data") or options.get("sql")):
            key = self.cache_key(directive.name, body, options.get("data"), options.get("sql"))
        entry = None if key is None or self.dry_run else self.cache.get(key)
        if entry is not None:
            return Rendered.from_entry(entry)
        rendered = directive.render(directive.check(options), self.context)
        if key is not None and not self.dry_run:
            self.cache.put(key, rendered.entry())
        return rendered

    def cache_key(self, kind: str, body: str, csv_name, query=None) -> str:
        """The render-cache key of a block: a hash of everything that can change its HTML.

        Public because prerender.py computes the same keys to find the blocks to render in
        parallel before Pelican reads the content; one definition keeps the two in step.
        The data part: the bytes and package metadata of the file `data:` names, or, for a
        `sql:` query, of every resource whose name its text mentions (a superset of the ones
        it reads, found without parsing: a warm build does not load DuckDB).
        """
        mentioned = sql.mentioned(str(query), self.package) if query else []
        names = [r.path for r in mentioned] if query else [csv_name]
        data = []
        for name in names:
            csv_path = resolve_csv(name, self.config.data_dir)
            data += [self.hashes(csv_path), render.canonical_json(self.context.meta(name))]
        # CSVs an annotation row reads change the drawing too (none named: the key is as before).
        data += [
            self.hashes(resolve_csv(name, self.config.data_dir))
            for name in sorted(annotation_rows.csv_names(body) - {str(csv_name).strip()})
            if kind == "chart" and (self.config.data_dir / name).is_file()
        ]
        return render.cache_key(
            self.fingerprint,
            kind,
            body,
            *data,
            str(self.config.width),
            str(self.config.narrow_width),
            str(self.config.max_rows),
            str(self.config.interactive),
            self.functions_fingerprint,
            self.font_fingerprint,
            str(self.config.font_family or ""),
        )

    # -- inline values --------------------------------------------------------------------

    def render_value(self, expr: str, *, source: str, line: int) -> str:
        """Render `{{ expr }}` found on `line` of `source`."""
        words = expr.strip()
        if words == "corrections" or words.startswith("corrections "):
            return self._corrections_link(words.removeprefix("corrections").strip())
        directive = self.directives["value"]
        ref = directive.resolve(directive.parse(expr), self.records.queries.get(source, {}))
        if ref.name is not None:
            self.records.printed_queries.setdefault(source, set()).add(ref.name)
        try:
            value = self._value(directive, ref)
        except DirectiveError as exc:
            raise directive.at_query(exc, ref, source, line) from None
        self.records.counts["value"] += 1
        self.records.printed[(source, line, ref.text)] = value.text
        return directive.html(ref, value)

    def prefill_value(self, expr: str) -> bool:
        """Cache the text of `{{ expr }}` as render_value would, recording nothing (prerender.py
        evaluates a cold build's values while its workers draw); False for what it skips.
        Raises what evaluating raises."""
        words = expr.strip()
        if words == "corrections" or words.startswith("corrections "):
            return False
        directive = self.directives["value"]
        ref = directive.parse(expr)
        if ref.name is not None:
            return False  # {{ sql name }}: its query is the page's, known only while reading it
        self._value(directive, ref)
        return True

    def _corrections_link(self, words: str) -> str:
        """`{{ corrections open an issue }}`: the words, linked to the corrections channel
        (CORRECTIONS_URL; without one, the corrections page, through Pelican's {filename})."""
        if not words:
            raise DirectiveError(
                "{{ corrections }} needs the words to link, e.g. "
                "{{ corrections open an issue in the project's tracker }}"
            )
        href = self.config.corrections_url or "{filename}/" + self.config.corrections_page
        return f'<a class="dd-corrections" href="{figure.escape(href)}">{figure.escape(words)}</a>'

    def _value(self, directive, ref):
        """The formatted value, from the render cache when its data and expression are unchanged.

        Cached like blocks so that a warm build never loads pandas or parses a CSV: values
        were most of a warm rebuild's cost. Only successes are cached; a failing expression
        is evaluated every build and raises its own located error.
        """
        try:
            key = self.cache_key("value", *directive.cache_inputs(ref))
        except DirectiveError:
            key = None  # no such CSV: evaluate() says so, in its own words
        entry = None if key is None or self.dry_run else self.cache.get(key)
        if entry is not None:
            return directive.value_from_entry(entry)
        value = directive.evaluate(ref, self.context)
        if key is not None and not self.dry_run:
            self.cache.put(key, value.entry())
        return value
