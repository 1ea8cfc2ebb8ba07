"""The live preview's parts, without a build: what it watches, what it ignores, the script tag
it adds to pages, and the `_headers` rules it applies. (The whole command: tests/test_serve.py.)
"""

from pathlib import Path

import pytest
from site_tools.serve import (
    LIVERELOAD_TAG,
    SourceFilter,
    host_headers,
    inject_livereload,
    watched_paths,
)

ROOT = Path(__file__).resolve().parents[1]


def test_watches_content_data_theme_plugins_and_settings():
    paths = watched_paths(ROOT / "pelican.conf.py")
    plugin = ROOT / "plugins" / "pelican-datadirectives" / "pelican" / "plugins" / "datadirectives"
    assert plugin.resolve() in paths, "the chart plugin's own folder"
    for name in ("content", "data", "theme", "pelican.conf.py"):
        assert (ROOT / name).resolve() in paths, name
    assert (ROOT / "output").resolve() not in paths


@pytest.mark.parametrize(
    ("path", "watched"),
    [
        ("content/chapters/1-growth.md", True),
        ("data/agreements_by_month.csv", True),
        ("theme/static/css/site.css", True),
        ("plugins/pelican-datadirectives/pelican/plugins/datadirectives/figure.py", True),
        ("content/chapters/.1-growth.md.swp", False),  # editor swap file
        ("content/chapters/1-growth.md~", False),  # editor backup
        (
            "plugins/pelican-datadirectives/pelican/plugins/datadirectives/__pycache__/figure.cpython-311.pyc",
            False,
        ),
        ("output/index.html", False),
        (".cache/charts/abc.svg", False),
    ],
)
def test_source_filter(tmp_path, path, watched):
    from watchfiles import Change

    keep = SourceFilter([tmp_path / "output", tmp_path / ".cache"])
    assert keep(Change.modified, str(tmp_path / path)) is watched


def test_livereload_tag_goes_before_head_end_once():
    page = b"<html><head><title>x</title></head><body></head></body></html>"
    out = inject_livereload(page)
    assert out.count(LIVERELOAD_TAG) == 1
    assert out.index(LIVERELOAD_TAG) < out.index(b"</head>") < out.index(b"<body>")
    # An external, same-origin script: allowed by script-src 'self', no inline code.
    assert LIVERELOAD_TAG == b'<script src="/livereload.js" defer></script>'
    assert inject_livereload(b"<p>fragment</p>").endswith(LIVERELOAD_TAG)


def test_host_headers_applies_matching_rules_but_never_cache_control(tmp_path):
    headers = tmp_path / "_headers"
    headers.write_text(
        "# a comment\n"
        "/*\n"
        "  Content-Security-Policy: default-src 'self'\n"
        "  X-Frame-Options: DENY\n"
        "\n"
        "/growth.html\n"
        "  Cache-Control: no-cache\n"
        "/theme/*\n"
        "  X-Asset: yes\n"
        "/\n"
        "  X-Front: yes\n"
    )
    got = dict(host_headers(headers, "/growth.html"))
    assert got == {"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY"}
    assert dict(host_headers(headers, "/theme/css/site.1a2b3c4d.css"))["X-Asset"] == "yes"
    assert dict(host_headers(headers, "/index.html")).get("X-Front") == "yes"
    assert "X-Asset" not in dict(host_headers(headers, "/growth.html"))
    assert host_headers(tmp_path / "missing", "/") == []


def test_a_busy_port_fails_fast_with_advice():
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}{os.pathsep}{ROOT}"}
        proc = subprocess.run(
            [sys.executable, "-m", "site_tools.serve", "--port", str(port),
             "--output", "/nonexistent/never-built"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert proc.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert f"PORT={port + 1} make serve" in proc.stderr
    assert not Path("/nonexistent/never-built").exists()
