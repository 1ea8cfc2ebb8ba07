"""The `value` directive: `{{ file.csv[column=value].column | format }}`, a number in prose.

The expression language (aggregates, conditions, formats) is values.py's; this class is its
place in the registry. Values are inline (`block = False`): the Markdown extension finds them
in prose and asks the Renderer, which caches each formatted value by its expression and its
CSV's bytes, so a warm build never loads pandas.
"""

from __future__ import annotations

from .. import figure, values
from .base import Context, Directive


class ValueDirective(Directive):
    name = "value"
    block = False
    cached = True

    def parse(self, expression: str) -> values.ValueRef:
        """The parsed expression (a located error if it cannot be read)."""
        return values.parse(expression)

    def evaluate(self, ref: values.ValueRef, ctx: Context) -> str:
        """The value, formatted."""
        return values.evaluate(ref, ctx.config.data_dir, ctx.package, ctx.tables)

    def html(self, ref: values.ValueRef, text: str) -> str:
        """The value in prose: a span naming the CSV it came from."""
        return (
            f'<span class="dd-value" data-dd-source="{figure.escape(ref.file)}">'
            f"{figure.escape(text)}</span>"
        )
