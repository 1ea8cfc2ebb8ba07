"""Style is checked like behaviour: ruff's lint and format rules (pyproject.toml) on all code."""

import subprocess
import sys

from tiny_site import ROOT

PATHS = ["plugins", "tests", "data", "bench", "pelican.conf.py"]


def ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_lint():
    result = ruff("check")
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout
