"""The `value` directive: `{{ file.csv[column=value].column | format }}`, a number in prose.

The expression language (aggregates, conditions, formats, `sql` queries) is values.py's; this
class is its place in the registry. Values are inline (`block = False`): the Markdown
extension finds them in prose and asks the Renderer, which caches each formatted value by its
expression and its data's bytes (a `sql` value: every resource its query mentions), so a warm
build never loads pandas or DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import figure, values
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

    def cache_inputs(self, ref: values.ValueRef) -> tuple[str | None, str | None]:
        """(the data file, the query) whose bytes the cache key covers."""
        return ref.file, ref.sql

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
