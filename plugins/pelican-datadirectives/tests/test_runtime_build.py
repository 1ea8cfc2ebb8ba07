"""The chart runtime ships prebuilt inside the plugin, and equals a fresh build from the lock.

`make runtime` (js/build.py) bundles js/src/ with the esbuild and Vega versions pinned by
js/package-lock.json into pelican/plugins/datadirectives/static/. Here esbuild runs again
into a temporary folder: the committed files must be byte-identical to what it makes, so the
shipped runtime is exactly the reviewed sources plus the locked packages, nothing stale.
Needs `npm ci` in js/ (`make js`; `make test` does it).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parent.parent  # plugins/pelican-datadirectives


def load_builder():
    spec = importlib.util.spec_from_file_location("dd_js_build", PLUGIN / "js" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = load_builder()


def test_shipped_runtime_equals_a_fresh_build():
    fresh = builder.build()
    assert set(fresh) == {"dd-loader.js", "dd-runtime.js", "dd-explorer.js"}
    for name, data in fresh.items():
        shipped = (builder.PACKAGE_STATIC / name).read_bytes()
        assert shipped == data, f"static/{name} is stale: run `make runtime` and commit it"


def test_missing_npm_install_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(builder, "ESBUILD", tmp_path / "esbuild")
    with pytest.raises(builder.RuntimeBuildError, match="npm ci"):
        builder.build()
