"""The render cache key: what affects a rendering, and no more."""

from __future__ import annotations

import shutil

import pytest
from pelican.plugins.datadirectives import render
from pelican.plugins.datadirectives.render import NOT_RENDERING, PLUGIN_DIR, RENDERING


def test_every_plugin_file_is_placed_once():
    # A new module must be declared rendering (its edits re-render charts) or not.
    present = {p.name for p in PLUGIN_DIR.iterdir() if p.name != "__pycache__"}
    assert set(RENDERING) & set(NOT_RENDERING) == set()
    assert present - set(RENDERING) - set(NOT_RENDERING) == set(), "place it in render.py"
    assert set(RENDERING) | set(NOT_RENDERING) <= present, "render.py lists a file that is gone"


@pytest.fixture
def plugin_copy(tmp_path):
    """The plugin's Python and JSON files, copied (the real ones are never edited)."""
    copy = tmp_path / "datadirectives"
    shutil.copytree(
        PLUGIN_DIR, copy, ignore=shutil.ignore_patterns("node_modules", "__pycache__", "*.js")
    )
    return copy


@pytest.mark.parametrize(
    ("edited", "rerenders"),
    [
        ("charts/xy.py", True),
        ("chart_theme.py", True),
        ("directives/chart.py", True),
        ("figure.py", True),
        ("geo/states-albers-10m.json", True),
        ("geo/territory-counties.json", True),
        ("plugin.py", False),
        ("prerender.py", False),
        ("markdown_ext.py", False),
        ("settings.py", False),
        ("check.py", False),
    ],
)
def test_only_rendering_modules_change_the_key(plugin_copy, edited, rerenders):
    before = render.fingerprint(root=plugin_copy)
    path = plugin_copy / edited
    if path.suffix == ".json":
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = render.fingerprint(root=plugin_copy)
    assert (after != before) is rerenders


def test_the_renderers_version_is_in_the_key(plugin_copy):
    with_vega = render.fingerprint(root=plugin_copy)
    assert render.fingerprint(root=plugin_copy, packages=()) != with_vega
    assert render.fingerprint(root=plugin_copy) == with_vega  # and it is stable


def test_file_hashes_follow_the_file(tmp_path):
    hashes = render.FileHashes()
    csv = tmp_path / "a.csv"
    csv.write_text("a\n1\n")
    first = hashes(csv)
    assert hashes(csv) == first == render.file_sha256(csv)
    csv.write_text("a\n12\n")  # another size: hashed again
    assert hashes(csv) != first
