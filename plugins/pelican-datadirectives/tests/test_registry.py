"""The registries of directives and marks: one entry per name, asked instead of lists of kinds."""

from __future__ import annotations

import pytest
from pelican.plugins.datadirectives.charts import MARKS, _chart_options
from pelican.plugins.datadirectives.charts.marks import Mark
from pelican.plugins.datadirectives.directives import (
    DIRECTIVES,
    Directive,
    block_names,
    cached_block_names,
)
from pelican.plugins.datadirectives.options import int_between
from pelican.plugins.datadirectives.registry import Registry


class Sources(Directive):
    name = "sources"


class Table(Directive):
    name = "table"


def test_the_registries_list_what_exists():
    assert DIRECTIVES.names() == ("chart", "table", "datasets", "value")
    assert MARKS.names() == ("line", "area", "bar", "point", "map", "python")
    assert block_names() == ("chart", "table", "datasets")
    assert cached_block_names() == ("chart", "table")


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match=r"two directives are named 'table'"):
        DIRECTIVES.plus(Table())
    with pytest.raises(ValueError, match=r"two marks are named 'x'"):
        Registry("mark", [type("A", (Mark,), {"name": "x"})(), type("B", (Mark,), {"name": "x"})()])


def test_adding_makes_a_new_registry_and_leaves_the_old_one():
    more = DIRECTIVES.plus(Sources())
    assert more.names()[-1] == "sources" and "sources" not in DIRECTIVES
    assert block_names(more) == ("chart", "table", "datasets", "sources")
    with pytest.raises(TypeError):
        DIRECTIVES["sources"] = Sources()  # read-only


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("tabel", r"no directive named 'tabel'; did you mean 'table'\?; directives: chart, "),
        ("sources", r"no directive named 'sources'; directives: chart, table, datasets, value"),
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
    }
