"""The build CLI: atomic swap into output/, non-zero exit on error, byte-identical rebuilds."""

import subprocess

import pytest
from tiny_site import make_site, run_build, tree_digest, write_settings

ARTICLE = """\
There were {{ months.csv[month=2026-02].total }} agreements.

```table
data: months.csv
title: Agreements by month
source: ICE lists
as_of: 2026-02-17
```
"""


@pytest.fixture
def site(tmp_path):
    site = make_site(tmp_path, ARTICLE)
    write_settings(site)
    return site


def test_failed_build_leaves_output_untouched(site):
    first = run_build(site)
    assert first.returncode == 0, first.stderr
    before = tree_digest(site / "output")
    article = site / "content" / "article.md"
    article.write_text(article.read_text().replace("].total }}", "].totl }}"))
    second = run_build(site)
    assert second.returncode != 0
    assert "content/article.md:5: column 'totl' not in months.csv" in second.stderr
    assert "output/ left as it was" in second.stderr
    assert tree_digest(site / "output") == before
    assert not list(site.glob(".output.*")), "staging folder left behind"


def test_builds_are_byte_identical_cold_and_warm(site):
    assert run_build(site).returncode == 0
    cold = tree_digest(site / "output")
    assert run_build(site).returncode == 0  # warm: everything from the cache
    assert tree_digest(site / "output") == cold
    subprocess.run(["rm", "-rf", str(site / ".cache")], check=True)
    assert run_build(site).returncode == 0  # cold again
    assert tree_digest(site / "output") == cold


def test_data_link_and_csv_copy(site):
    assert run_build(site).returncode == 0
    html = (site / "output" / "test-article.html").read_text()
    assert 'href="./data/months.csv" download' in html
    assert (site / "output" / "data" / "months.csv").read_bytes() == (
        site / "data" / "months.csv"
    ).read_bytes()
