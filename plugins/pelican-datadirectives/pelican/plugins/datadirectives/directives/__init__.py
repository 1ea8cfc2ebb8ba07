"""The directives, registered by name: `chart`, `table`, `datasets`, `sources`, `query` blocks
and `value` in prose.

    DIRECTIVES["chart"]            # the ChartDirective
    DIRECTIVES.names()             # ('chart', 'table', 'datasets', 'sources', 'query', 'value')

Each directive is one class in one module of this package (base.py says what a directive
is): its options as data, validated once by options.validate, and its rendering. The
Markdown extension and the prerender pass ask the registry which block names exist and which
are cached; nothing else keeps a list of directive names.

How to add a directive (e.g. `sources`):
1. write directives/sources.py: a `Directive` subclass with `name = "sources"`, `options`
   ({option: (default, validator)}, validators from options.py), `cached = True` if its HTML
   depends only on its text and the CSV named by its `data` option, and
   `render(opts, ctx) -> Rendered` (raise DirectiveError with `key=` the option at fault);
2. add `SourcesDirective()` to DIRECTIVES below (a name registered twice is refused);
3. document it in docs/directives.md under `## Sources`, with a table of its options and an
   example in a ````markdown block (tests/test_docs.py checks both), and add its tests
   (a real Pelican build into tmp_path; every error in a parametrized table).
"""

from __future__ import annotations

from ..registry import Registry
from .base import FIGURE_OPTIONS, Context, Directive, Rendered
from .chart import CHART_FIGURE_OPTIONS, ChartDirective
from .datasets import DatasetsDirective
from .query import QueryDirective
from .sources import SourcesDirective
from .table import TABLE_OPTIONS, TableDirective
from .value import ValueDirective

DIRECTIVES: Registry[Directive] = Registry(
    "directive",
    [
        ChartDirective(),
        TableDirective(),
        DatasetsDirective(),
        SourcesDirective(),
        QueryDirective(),
        ValueDirective(),
    ],
)


def block_names(directives: Registry[Directive] = DIRECTIVES) -> tuple[str, ...]:
    """The names written as ```name blocks (the Markdown extension looks for these)."""
    return tuple(name for name, d in directives.items() if d.block)


def cached_block_names(directives: Registry[Directive] = DIRECTIVES) -> tuple[str, ...]:
    """The blocks whose HTML is cached (the prerender pass renders these ahead)."""
    return tuple(name for name, d in directives.items() if d.block and d.cached)


__all__ = [
    "CHART_FIGURE_OPTIONS",
    "DIRECTIVES",
    "FIGURE_OPTIONS",
    "TABLE_OPTIONS",
    "Context",
    "block_names",
    "cached_block_names",
    "Directive",
    "Rendered",
]
