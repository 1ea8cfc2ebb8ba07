"""Docs that cannot drift: every directive option is documented, and the docs' examples build.

Examples are the ````markdown fenced blocks in docs/directives.md and docs/authoring.md; each
is built as an article of a real Pelican site that reads the project's own data/.
"""

import re

import pytest
from pelican.plugins.datadirectives import settings
from pelican.plugins.datadirectives.charts import MARKS
from pelican.plugins.datadirectives.directives import DIRECTIVES
from tiny_site import ROOT, article_html, build, make_site

DOCS = [ROOT / "docs" / "directives.md", ROOT / "docs" / "authoring.md"]
EXAMPLE = re.compile(r"^````markdown\n(.*?)^````$", re.S | re.M)


def documented_options(section: str) -> set[str]:
    """Option names in the first column of the tables under a '## <section>' heading."""
    text = (ROOT / "docs" / "directives.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"docs/directives.md has no '## {section}' section"
    names = set()
    for first_cell in re.findall(r"^\|([^|]*)\|", match.group(1), re.M):
        names.update(re.findall(r"`([a-z_]+)`", first_cell))
    return names


@pytest.mark.parametrize(
    "directive", [d for d in DIRECTIVES.values() if d.options], ids=lambda d: d.name
)
def test_every_option_is_documented(directive):
    # Asks the registry, so a new directive is checked as soon as it is registered.
    section, options = directive.name.capitalize(), directive.options
    missing = set(options) - documented_options(section)
    assert not missing, f"undocumented {section.lower()} options: {sorted(missing)}"
    stale = documented_options(section) - set(options)
    assert not stale, f"docs describe options that do not exist: {sorted(stale)}"


def test_every_mark_is_documented():
    text = (ROOT / "docs" / "directives.md").read_text(encoding="utf-8")
    section = re.search(r"^## Chart\n(.*?)(?=^## |\Z)", text, re.S | re.M).group(1)
    undocumented = [name for name in MARKS if f"`{name}`" not in section]
    assert not undocumented, f"marks missing from docs/directives.md: {undocumented}"


def test_every_setting_is_documented():
    text = (ROOT / "docs" / "directives.md").read_text(encoding="utf-8")
    section = text[text.index("## Settings") : text.index("## Errors")]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, re.M))
    assert documented == set(settings.DEFAULTS)


def test_the_plugin_readme_lists_every_setting():
    # The plugin's README is what a newsroom reusing the plugin reads first.
    readme = (ROOT / "plugins" / "pelican-datadirectives" / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"^\| `([A-Z_]+)` \|", readme, re.M)) == set(settings.DEFAULTS)
    # A shell reads PELICANOPTS=--fatal errors as PELICANOPTS=--fatal and a command `errors`.
    assert not re.search(r"PELICANOPTS=[^\"']", readme)


def examples():
    for doc in DOCS:
        if doc.exists():
            for i, m in enumerate(EXAMPLE.finditer(doc.read_text(encoding="utf-8"))):
                yield pytest.param(m.group(1), id=f"{doc.name}-{i}")


@pytest.mark.slow
@pytest.mark.parametrize("example", list(examples()))
def test_examples_build(tmp_path, example):
    site = make_site(
        tmp_path, example, csvs={}, settings={"DATA_DIRECTIVES": {"DATA_DIR": str(ROOT / "data")}}
    )
    html = article_html(build(site))
    assert "dd-" in html or "{{" not in example


PARQUET_EXAMPLE = re.compile(r"^````markdown parquet\n(.*?)^````$", re.S | re.M)


def parquet_data(tmp_path):
    """The project's data/ plus agreements_latest.parquet (a Parquet copy of the CSV, written
    by DuckDB), described in datapackage.json: what docs/directives.md's Parquet example reads."""
    import json
    import shutil

    import duckdb

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("ingest"))
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{data / 'agreements_latest.csv'}', all_varchar = true)) "
        f"TO '{data / 'agreements_latest.parquet'}' (FORMAT parquet)"
    )
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    [csv] = [r for r in package["resources"] if r["path"] == "agreements_latest.csv"]
    parquet = {k: v for k, v in csv.items() if k not in ("dialect", "encoding", "mediatype")}
    parquet.update(name="agreements_latest_parquet", path="agreements_latest.parquet")
    parquet["format"] = "parquet"
    package["resources"].append(parquet)
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return data


@pytest.mark.slow
def test_parquet_example_builds(tmp_path):
    [example] = PARQUET_EXAMPLE.findall((ROOT / "docs" / "directives.md").read_text())
    data = parquet_data(tmp_path)
    site = make_site(
        tmp_path / "site", example, csvs={}, settings={"DATA_DIRECTIVES": {"DATA_DIR": str(data)}}
    )
    html = article_html(build(site))
    assert "Full data: agreements_latest.parquet" in html
    assert "Jail enforcement" in html


@pytest.mark.slow
def test_sql_value_example_prints_what_the_docs_say(tmp_path):
    # docs/directives.md "A value from a query": the list's date, two counts, a date.
    [example] = [e for e in examples() if "{{ sql SELECT max(signed)" in e.values[0]]
    site = make_site(
        tmp_path,
        example.values[0],
        csvs={},
        settings={"DATA_DIRECTIVES": {"DATA_DIR": str(ROOT / "data")}},
    )
    spans = re.findall(
        r'<span class="dd-value" data-dd-source="([^"]*)">([^<]*)</span>', article_html(build(site))
    )
    date = r"[A-Z][a-z]+\.? \d{1,2}, \d{4}"
    assert [s for s, _ in spans] == ["agreements_latest.csv"] * 4
    for (_, text), pattern in zip(spans, [date, r"\d[\d,]*", r"\d+", date], strict=True):
        assert re.fullmatch(pattern, text), (text, pattern)
