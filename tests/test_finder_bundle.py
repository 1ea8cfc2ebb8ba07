"""The search box's committed bundle (theme/static/js/finder.js) is what `make finder-js` builds
from theme/js/src/finder.js with the pinned MiniSearch and esbuild, and it stays CSP-safe."""

from __future__ import annotations

import gzip
import json
import subprocess

import pytest

from tests.qa.tools import ROOT

JS = ROOT / "theme" / "js"
BUNDLE = ROOT / "theme" / "static" / "js" / "finder.js"
ESBUILD = JS / "node_modules" / ".bin" / "esbuild"
BUDGET_GZIP = 10 * 1024  # loaded on the landing and state pages, deferred


def test_pins_are_exact():
    package = json.loads((JS / "package.json").read_text())
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert pins["minisearch"] == "7.2.0"
    assert all(v[0].isdigit() for v in pins.values()), pins
    lock = json.loads((JS / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/minisearch"]["version"] == "7.2.0"


def test_bundle_is_small_and_csp_safe():
    code = BUNDLE.read_bytes()
    assert len(gzip.compress(code, 9)) <= BUDGET_GZIP
    for needle in (b"eval(", b"new Function", b'setAttribute("style"', b"innerHTML"):
        assert needle not in code, needle


@pytest.mark.skipif(not ESBUILD.exists(), reason="run `make finder-js` to install esbuild")
def test_committed_bundle_matches_a_fresh_build(tmp_path):
    banner = BUNDLE.read_text().split("\n", 1)[0]
    out = tmp_path / "finder.js"
    subprocess.run(
        [
            str(ESBUILD),
            str(JS / "src" / "finder.js"),
            "--bundle",
            "--minify",
            "--format=iife",
            "--target=es2020",
            "--legal-comments=none",
            f"--outfile={out}",
            f"--banner:js={banner}",
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == BUNDLE.read_bytes(), "run `make finder-js` and commit the bundle"
