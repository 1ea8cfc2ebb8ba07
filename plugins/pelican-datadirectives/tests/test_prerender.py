"""prerender.py: cold builds render charts in worker processes, with the reader's own results.

Real builds (the atomic build CLI, Pelican in a child process) and real vl-convert renders:
the parallel build must give byte-identical output to the one-process build, fill the cache
with exactly the entries the reader looks up, and leave error reporting to the reader.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from pelican.plugins.datadirectives.prerender import (
    blocks,
    done_stamp,
    markdown_files,
    misses,
    prerender,
)
from pelican.plugins.datadirectives.renderer import Renderer
from pelican.plugins.datadirectives.settings import load_config
from tiny_site import (
    MONTHS_CSV,
    PLUGINS,
    SITE_TOOLS,
    make_site,
    run_build,
    tree_digest,
    write_settings,
)

CHART = """\
```chart
data: months.csv
mark: {mark}
x: month:T
y: total:Q
title: Chart {n}
description: A {mark} chart of agreements by month ({n}).
source: ICE lists
as_of: 2026-02-17
```
"""

ARTICLE = "\n".join(
    CHART.format(mark=m, n=i) for i, m in enumerate(["line", "bar", "area", "point"], start=1)
)
ARTICLE += """
```table
data: months.csv
title: Agreements by month
source: ICE lists
as_of: 2026-02-17
```
"""


def renderer_for(site):
    settings = {
        "PATH": str(site / "content"),
        "DATA_DIRECTIVES": {"DATA_DIR": "data", "CACHE_DIR": ".cache"},
    }
    return settings, Renderer(load_config(settings))


VALUES = "\nThere were {{ months.csv[month=2026-02].total }} agreements.\n"


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_parallel_build_is_byte_identical_to_one_process(tmp_path, method):
    # A build process forks its workers (it runs one thread); spawning is the fallback.
    serial = write_settings(make_site(tmp_path / "serial", ARTICLE + VALUES))
    parallel = write_settings(make_site(tmp_path / "parallel", ARTICLE + VALUES))
    one = run_build(serial, workers=1)
    two = run_build(parallel, workers=2, env={"DATADIRECTIVES_START_METHOD": method})
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    assert tree_digest(serial / "output") == tree_digest(parallel / "output")
    # Same cache entries too: the workers (and the parent's values) wrote exactly what the
    # reader looked up.
    names = {p.name for p in (serial / ".cache").rglob("*.json") if len(p.stem) == 64}
    assert names == {p.name for p in (parallel / ".cache").rglob("*.json") if len(p.stem) == 64}


def test_a_fresh_build_process_forks_its_workers_and_draws_the_same(tmp_path):
    # Run prerender as a build process does (a fresh interpreter, nothing drawn yet): it forks,
    # the parent fills the values meanwhile, and the cache is the one a spawned pool fills.
    code = textwrap.dedent(
        """
        import logging, sys
        from pathlib import Path
        logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
        from pelican.plugins.datadirectives.prerender import prerender
        from pelican.plugins.datadirectives.renderer import Renderer
        from pelican.plugins.datadirectives.settings import load_config
        site = Path(sys.argv[1])
        settings = {"PATH": str(site / "content"),
                    "DATA_DIRECTIVES": {"DATA_DIR": "data", "CACHE_DIR": ".cache"}}
        renderer = Renderer(load_config(settings))
        print(prerender(settings, renderer, workers=2))
        """
    )
    entries = {}
    for method in ("fork", "spawn"):
        site = make_site(tmp_path / method, ARTICLE + VALUES)
        run = subprocess.run(
            [sys.executable, "-c", code, str(site)],
            capture_output=True,
            text=True,
            cwd=site,
            env={**os.environ, "DATADIRECTIVES_START_METHOD": method},
            check=False,
        )
        assert run.returncode == 0, run.stderr
        expected = f"5 of 5 uncached blocks and 1 share cards on 2 {method}ed processes"
        assert expected in run.stdout, run.stdout
        entries[method] = {
            p.relative_to(site / ".cache").as_posix(): p.read_bytes()
            for p in (site / ".cache").rglob("*")
            if p.is_file() and "prerendered" not in p.parts
        }
        # The value was evaluated by the parent while the workers drew: the reader finds it.
        settings, renderer = renderer_for(site)
        renderer.render_value(" months.csv[month=2026-02].total ", source="a.md", line=1)
        assert (renderer.cache.hits, renderer.cache.misses) == (1, 0)
    assert entries["fork"] == entries["spawn"]  # 5 blocks, 1 value, 1 share card


def test_start_method_forks_only_a_process_with_one_thread():
    # Real threads in a fresh interpreter: a Python thread, then vl-convert's engine (V8 and
    # tokio threads once it has drawn anything) make forking unsafe.
    code = textwrap.dedent(
        """
        import os, threading
        os.environ["OPENBLAS_NUM_THREADS"] = "1"  # as prerender() sets before the scan
        import pandas, altair, vl_convert
        from pelican.plugins.datadirectives.prerender import start_method
        print(start_method())
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        print(start_method())
        stop.set()
        thread.join()
        # join() returns when the thread's Python code is done; the OS thread can linger in
        # /proc/self/task for a moment (spawn meanwhile: safe). Wait for it to go.
        import time
        for _ in range(200):
            if start_method() == "fork":
                break
            time.sleep(0.01)
        print(start_method())
        vl_convert.vegalite_to_svg({"mark": "point"})
        print(start_method())
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "DATADIRECTIVES_START_METHOD"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["fork", "spawn", "fork", "spawn"]


def test_prerender_fills_the_cache_the_reader_reads(tmp_path):
    site = make_site(tmp_path, ARTICLE)
    settings, renderer = renderer_for(site)
    assert len(misses(settings, renderer)) == 5  # four charts and a table
    assert prerender(settings, renderer, workers=2) == 5
    assert misses(settings, renderer) == []
    # The article's share card (its first chart) was rendered in the pool too.
    assert len(list((site / ".cache" / "cards").glob("*.png"))) == 1
    assert prerender(settings, renderer, workers=2) == 0  # warm: nothing to do
    files = markdown_files(settings)
    stamp = done_stamp(files, renderer)
    assert stamp.exists()  # the next build of these inputs skips the scan
    # The reader finds every block in the cache: no render, five hits.
    text = (site / "content" / "article.md").read_text()
    for kind, body, line in blocks(text):
        renderer.render_block(kind, body, source="content/article.md", line=line)
    assert (renderer.cache.hits, renderer.cache.misses) == (5, 0)
    (site / "data" / "months.csv").write_text(MONTHS_CSV + "2026-03,1500,1250,all\n")
    assert not done_stamp(files, renderer).exists()  # any data change scans again


def test_block_bodies_match_the_markdown_preprocessor():
    # Markdown normalises line ends and tabs before the directive preprocessor runs; the body,
    # and so the cache key, must be the very text the reader passes to render_block.
    import markdown
    from pelican.plugins.datadirectives.directives import block_names as registered_blocks
    from pelican.plugins.datadirectives.markdown_ext import DataDirectivesExtension

    class Recorder:
        block_names = registered_blocks()
        seen = []

        def render_block(self, kind, body, *, source, line):
            self.seen.append((kind, body, line))
            return ""

    text = (
        "Title: t\n\n```chart\r\ndata: months.csv\r\ntitle:\tChart  \r\n```\r\n\n"
        "```python\nx = 1\n```\n\n````table\ndata: months.csv\n\t\n````\n"
    )
    recorder = Recorder()
    markdown.Markdown(extensions=[DataDirectivesExtension(recorder)]).convert(text)
    assert len(recorder.seen) == 2
    assert blocks(text) == recorder.seen


def test_errors_are_left_to_the_reader(tmp_path):
    bad = ARTICLE + CHART.format(mark="line", n=9).replace("y: total:Q", "y: totl:Q")
    serial = write_settings(make_site(tmp_path / "serial", bad))
    parallel = write_settings(make_site(tmp_path / "parallel", bad))
    one = run_build(serial, workers=1)
    two = run_build(parallel, workers=2)
    assert one.returncode != 0 and two.returncode != 0
    errors = [line for line in two.stderr.splitlines() if line.startswith("error:")]
    assert errors == [line for line in one.stderr.splitlines() if line.startswith("error:")]
    assert any("column 'totl' is not in the data" in e for e in errors), two.stderr


def test_warm_build_imports_neither_pandas_nor_altair(tmp_path):
    # Charts, tables and {{ values }} all come from the cache on a warm build, so the heavy
    # libraries are never imported (bench/run.py measures what that saves).
    article = ARTICLE + "\nThere were {{ months.csv[month=2026-02].total }} agreements.\n"
    site = write_settings(make_site(tmp_path, article))
    assert run_build(site, workers=2).returncode == 0
    env = {"PYTHONPROFILEIMPORTTIME": "1"}
    warm = subprocess.run(
        [
            sys.executable,
            "-m",
            "site_tools.build",
            "--settings",
            str(site / "pelican.conf.py"),
            "--output",
            str(site / "output"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": f"{PLUGINS}{os.pathsep}{SITE_TOOLS}", **env},
    )
    assert warm.returncode == 0, warm.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in warm.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert (
        "pelican.plugins.datadirectives.directives" in imported
    )  # the check can see the plugin's imports
    assert not {"pandas", "altair", "vl_convert", "duckdb"} & imported
    assert "1,425" in (site / "output" / "test-article.html").read_text()
