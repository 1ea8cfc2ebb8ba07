"""progress.py: a bar (done / total, elapsed) on a terminal, nothing in CI logs or files; and
the prerender pool draws it for a cold build's charts."""

from __future__ import annotations

import io

import pytest
from pelican.plugins.datadirectives.prerender import prerender
from pelican.plugins.datadirectives.progress import progress, wanted
from test_prerender import ARTICLE, renderer_for
from tiny_site import make_site


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(
    "env,stream,expected",
    [
        ({}, Terminal(), True),
        ({}, io.StringIO(), False),  # a pipe or a file: quiet
        ({"CI": "true"}, Terminal(), False),  # CI logs: quiet even on a pseudo-terminal
        ({"TERM": "dumb"}, Terminal(), False),
        ({"DATADIRECTIVES_PROGRESS": "0"}, Terminal(), False),
        ({"DATADIRECTIVES_PROGRESS": "1", "CI": "true"}, io.StringIO(), True),
    ],
)
def test_progress_only_on_a_terminal(monkeypatch, env, stream, expected):
    for name in ("CI", "TERM", "DATADIRECTIVES_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert wanted(stream) is expected


def test_quiet_progress_does_nothing(monkeypatch, capsys):
    monkeypatch.setenv("DATADIRECTIVES_PROGRESS", "0")
    with progress("working", 3) as advance:
        for _ in range(3):
            advance()
    assert capsys.readouterr() == ("", "")


def test_cold_build_shows_done_over_total(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATADIRECTIVES_PROGRESS", "1")
    settings, renderer = renderer_for(make_site(tmp_path, ARTICLE))
    assert prerender(settings, renderer, workers=2) == 5
    err = capsys.readouterr().err
    assert "rendering charts and tables" in err
    assert "5/5" in err  # four charts and a table, done over total
    assert "rendering share cards" in err and "1/1" in err
