"""`make check` lists every problem at once; a CSV edit reports the numbers it changed."""

import logging
import subprocess
import sys
import textwrap

from tiny_site import PLUGINS, build, make_site, package_for, write_settings

GOOD = "There were {{ months.csv[month=2026-02].total }} agreements.\n"


def run_check(site):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican.plugins.datadirectives.check",
            "--settings",
            str(site / "pelican.conf.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(PLUGINS), "PATH": "/usr/bin:/bin"},
    )


def test_check_lists_every_problem_in_every_file_and_the_data(tmp_path):
    broken = textwrap.dedent("""\
        {{ months.csv[month=2026-02].totl }}

        ```chart
        data: months.csv
        mark: line
        x: month:T
        y: totl:Q
        title: T
        description: D
        ```

        ```table
        data: nope.csv
        title: T
        ```
        """)
    package = package_for(
        "months.csv",
        [("month", "string"), ("total", "integer"), ("agencies", "integer"), ("model", "string")],
    )
    site = make_site(tmp_path, broken, package=package)
    (site / "content" / "second.md").write_text(
        "Title: Second\nDate: 2026-01-01\n\n{{ count months.csv[mnth=1] }}\n"
    )
    (site / "data" / "months.csv").write_text(
        "month,total,agencies,model\n2025-01,lots,133,all\n2026-02,1425,1195,all\n"
    )
    write_settings(site)
    result = run_check(site)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("data/months.csv:2:total:") for line in lines), lines
    assert "content/article.md:5: column 'totl' not in months.csv" in result.stdout
    assert (
        "content/article.md:11: y: column 'totl' is not in the data; did you mean 'total'"
        in result.stdout
    )
    assert "content/article.md:17: no CSV named 'nope.csv'" in result.stdout
    assert "content/second.md:4: column 'mnth' not in months.csv" in result.stdout
    assert "5 problem(s) found" in result.stderr
    assert not (site / "output").exists(), "check must not render or write the site"


def test_check_passes_a_good_tree(tmp_path):
    site = make_site(tmp_path, GOOD)
    write_settings(site)
    result = run_check(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout


def test_a_csv_edit_reports_the_numbers_it_changed(tmp_path, caplog):
    site = make_site(tmp_path, "Intro.\n\n" + GOOD)
    build(site)
    csv = site / "data" / "months.csv"
    csv.write_text(csv.read_text().replace("2026-02,1425", "2026-02,1430"))
    with caplog.at_level(logging.WARNING, logger="pelican.plugins.datadirectives.plugin"):
        build(site)
    changed = [r.getMessage() for r in caplog.records if "number changed" in r.getMessage()]
    assert changed == [
        "content/article.md:7: number changed: "
        "{{ months.csv[month=2026-02].total }} was 1,425, now 1,430; "
        "re-read the sentence"
    ]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pelican.plugins.datadirectives.plugin"):
        build(site)  # nothing changed since: nothing reported
    assert not [r for r in caplog.records if "number changed" in r.getMessage()]
