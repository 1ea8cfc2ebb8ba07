"""The `value` directive: `{{ file.csv[column=value].column | format }}`, a number in prose.

`{{ sql SELECT ... }}` prints the one cell of a query; `{{ sql name }}` that of the page's
```query block `name` (directives/query.py), resolved from what the page's blocks defined.

The expression language (aggregates, conditions, formats, `sql` queries) is values.py's; this
class is its place in the registry. Values are inline (`block = False`): the Markdown
extension finds them in prose and asks the Renderer, which caches each formatted value by its
expression and its data's bytes (a `sql` value: every resource its query mentions), so a warm
build never loads pandas or DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import figure, values
from ..errors import DirectiveError
from .base import Context, Directive


@dataclass(frozen=True)
class Value:
    """A value's text and the data files it came from (what its span names)."""

    text: str
    files: tuple[str, ...]

    def entry(self) -> dict:
        """The render-cache entry (JSON)."""
        return {"text": self.text, "files": list(self.files)}

    @classmethod
    def from_entry(cls, entry: dict) -> Value:
        return cls(entry["text"], tuple(entry["files"]))


class ValueDirective(Directive):
    name = "value"
    block = False
    cached = True

    def parse(self, expression: str) -> values.ValueRef:
        """The parsed expression (a located error if it cannot be read)."""
        return values.parse(expression)

    def resolve(self, ref: values.ValueRef, queries: dict) -> values.ValueRef:
        """`{{ sql name }}` with the SQL of the page's ```query `name` (values.resolve)."""
        return values.resolve(ref, queries)

    def cache_inputs(self, ref: values.ValueRef) -> tuple[str, str | None, str | None]:
        """(the text, the data file, the query) the cache key covers; a named query's text
        is part of the key, as the value's own text is."""
        body = ref.text if ref.name is None else f"{ref.text}\n{ref.sql}"
        return body, ref.file, ref.sql

    def at_query(self, exc: DirectiveError, ref: values.ValueRef, source: str, line: int):
        """A named query's fault, reported at its block's `sql:` line, naming the value."""
        if ref.name is None or ref.query_line is None:
            return exc
        return DirectiveError(
            f"query {ref.name!r} (printed by the value on line {line}): {exc.problem.message}",
            fix=exc.problem.fix,
            path=source,
            line=ref.query_line,
        )

    def value_from_entry(self, entry: dict) -> Value:
        """A cached value (Value.entry) read back."""
        return Value.from_entry(entry)

    def evaluate(self, ref: values.ValueRef, ctx: Context) -> Value:
        """The value, formatted, and the files it read."""
        if ref.sql is not None:
            text, files = values.evaluate_sql(
                ref, ctx.config.data_dir, ctx.package, ctx.config.cache_dir / "duckdb"
            )
            return Value(text, files)
        return Value(
            values.evaluate(ref, ctx.config.data_dir, ctx.package, ctx.tables), (ref.file,)
        )

    def html(self, ref: values.ValueRef, value: Value) -> str:
        """The value in prose: a span naming the data files it came from."""
        return (
            f'<span class="dd-value" data-dd-source="{figure.escape(" ".join(value.files))}">'
            f"{figure.escape(value.text)}</span>"
        )
