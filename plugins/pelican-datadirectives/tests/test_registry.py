"""The registries of directives and marks: one entry per name, asked instead of lists of kinds."""

from __future__ import annotations

import markdown
import pytest
from pelican.plugins.datadirectives.charts import MARKS, _chart_options
from pelican.plugins.datadirectives.charts.marks import Mark
from pelican.plugins.datadirectives.directives import (
    DIRECTIVES,
    Directive,
    Rendered,
    block_names,
    cached_block_names,
)
from pelican.plugins.datadirectives.errors import DirectiveError, DirectiveErrors
from pelican.plugins.datadirectives.markdown_ext import DataDirectivesExtension
from pelican.plugins.datadirectives.options import REQUIRED, int_between, text
from pelican.plugins.datadirectives.registry import Registry
from pelican.plugins.datadirectives.renderer import Renderer
from pelican.plugins.datadirectives.settings import load_config
from tiny_site import MONTHS_CSV, make_site


class Glossary(Directive):
    name = "glossary"


class Table(Directive):
    name = "table"


def test_the_registries_list_what_exists():
    assert DIRECTIVES.names() == ("chart", "table", "datasets", "sources", "query", "value")
    assert MARKS.names() == ("line", "area", "bar", "point", "map", "python", "timeline")
    assert block_names() == ("chart", "table", "datasets", "sources", "query")
    assert cached_block_names() == ("chart", "table")


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match=r"two directives are named 'table'"):
        DIRECTIVES.plus(Table())
    with pytest.raises(ValueError, match=r"two marks are named 'x'"):
        Registry("mark", [type("A", (Mark,), {"name": "x"})(), type("B", (Mark,), {"name": "x"})()])


def test_adding_makes_a_new_registry_and_leaves_the_old_one():
    more = DIRECTIVES.plus(Glossary())
    assert more.names()[-1] == "glossary" and "glossary" not in DIRECTIVES
    assert block_names(more) == ("chart", "table", "datasets", "sources", "query", "glossary")
    with pytest.raises(TypeError):
        DIRECTIVES["glossary"] = Glossary()  # read-only


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("tabel", r"no directive named 'tabel'; did you mean 'table'\?; directives: chart, "),
        (
            "glossary",
            r"no directive named 'glossary'; directives: chart, table, datasets, sources, query, "
            "value",
        ),
    ],
)
def test_an_unknown_name_says_what_there_is(name, match):
    with pytest.raises(KeyError, match=match):
        DIRECTIVES[name]


def test_two_marks_may_not_give_one_option_two_meanings():
    class Tall(Mark):
        name = "tall"
        options = {"height": (None, int_between(80, 5000))}

    with pytest.raises(ValueError, match=r"marks declare option 'height' twice, differently"):
        _chart_options(MARKS.plus(Tall()))


def test_each_mark_declares_its_drawing_and_interactivity():
    flags = {name: (m.phone_drawing, m.interactive) for name, m in MARKS.items()}
    assert flags == {
        "line": (True, True),
        "area": (True, True),
        "bar": (True, True),
        "point": (True, True),
        "map": (False, False),
        "python": (False, True),
        "timeline": (True, False),
    }


class Count(Directive):
    """A directive written as docs/directives.md says: one class, options as data."""

    name = "count"
    options = {"data": (REQUIRED, text), "label": ("rows", text)}
    cached = True

    def render(self, opts, ctx):
        table = ctx.tables.load(opts["data"])
        if table.frame.empty:
            raise DirectiveError(f"{table.name} has no rows", fix="add some", key="data")
        return Rendered(f"<p>{len(table.frame)} {opts['label']}</p>", (table.name,))


def test_a_new_directive_is_one_class_and_one_registration(tmp_path):
    site = make_site(tmp_path, "", csvs={"months.csv": MONTHS_CSV, "empty.csv": "month\n"})
    config = load_config(
        {"PATH": str(site / "content"), "DATA_DIRECTIVES": {"DATA_DIR": "data", "CACHE_DIR": ".c"}}
    )
    renderer = Renderer(config, directives=DIRECTIVES.plus(Count()))
    assert "count" in renderer.block_names and "count" in renderer.cached_block_names
    md = markdown.Markdown(extensions=[DataDirectivesExtension(renderer)])
    text = "Intro.\n\n```count\ndata: months.csv\nlabel: months\n```\n"
    assert "<p>3 months</p>" in md.convert(text)
    assert renderer.records.counts["count"] == 1 and "months.csv" in renderer.records.csvs
    # Cached like the built-in blocks, and its faults are located at the option's line.
    md.reset().convert(text)
    assert renderer.cache.hits == 1
    with pytest.raises(DirectiveErrors) as failed:
        md.reset().convert("Intro.\n\n```count\nlabel: none\ndata: empty.csv\n```\n")
    (problem,) = failed.value.problems
    assert (problem.line, problem.key) == (5, "data")
    assert problem.text == "empty.csv has no rows; add some"
    with pytest.raises(DirectiveErrors, match=r"unknown option 'lable'; did you mean 'label'\?"):
        md.reset().convert("```count\ndata: months.csv\nlable: x\n```\n")
