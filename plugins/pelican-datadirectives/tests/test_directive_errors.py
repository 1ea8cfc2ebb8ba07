"""Every wrong directive stops a real Pelican build with `content/<file>.md:<line>: message`.

Built in-process into tmp_path with fatal errors on, exactly as `make html` builds (the
first file with a wrong directive ends the build), and once without, where the plugin itself
stops the build before anything is written, with every file's problems.
"""

import pytest
from pelican.plugins.datadirectives.errors import BuildFailed, DirectiveErrors
from tiny_site import MONTHS_CSV, build, make_site


def stopped(site) -> DirectiveErrors:
    """Build `site` with --fatal errors; return the wrong directives that ended the build."""
    # Pelican logs "Could not process <file>" for the reader's exception; with fatal errors
    # that log raises, so the reader's DirectiveErrors is the context of what ends the build.
    with pytest.raises(RuntimeError) as ended:
        build(site)
    assert isinstance(ended.value.__context__, DirectiveErrors), ended.value
    return ended.value.__context__


TABLE = """\
Some text.

```table
data: months.csv
title: Agreements by month
source: ICE lists
as_of: 2026-02-17
{extra}
```
"""

CHART = """\
Some text.

```chart
data: months.csv
mark: line
x: month:T
y: {y}
title: Agreements by month
description: Line chart.
source: ICE lists
as_of: 2026-02-17
{extra}
```
"""

# (name, directive body or prose, expected message, expected line in the .md file)
# The header takes 4 lines, so the fence opens on line 7 and 'data:' is line 8.
CASES = [
    (
        "unknown_csv",
        TABLE.replace("months.csv", "month.csv").format(extra=""),
        r"no CSV named 'month.csv' in data/; did you mean 'months.csv'\?; available: months.csv",
        8,
    ),
    (
        "path_outside_data",
        TABLE.replace("months.csv", "../secrets.csv").format(extra=""),
        r"'../secrets.csv' is outside the data folder",
        8,
    ),
    (
        "not_a_csv",
        TABLE.replace("months.csv", "months.xlsx").format(extra=""),
        r"'months.xlsx' is not a .csv file",
        8,
    ),
    (
        "unknown_column",
        TABLE.format(extra="columns: [month, totl]"),
        r"column 'totl' not in months.csv; did you mean 'total'\?; columns: month, total, agencies",
        12,
    ),
    (
        "unknown_key",
        TABLE.format(extra="colums: [month]"),
        r"unknown option 'colums'; did you mean 'columns'\?",
        12,
    ),
    ("yaml_syntax", TABLE.format(extra="columns: [month, total"), r"YAML syntax error", 12),
    (
        "empty_after_filter",
        TABLE.format(extra="filter: month == 1999-01"),
        r"months.csv has no rows after the filter",
        12,
    ),
    (
        "bad_filter",
        TABLE.format(extra="filter: month is 2025"),
        r"cannot read the filter 'month is 2025'",
        12,
    ),
    (
        "missing_title",
        TABLE.replace("title: Agreements by month\n", "").format(extra=""),
        r"option 'title' is required",
        7,
    ),
    ("bad_format", TABLE.format(extra="format: {total: '0,0'}"), r"unknown format '0,0'", 12),
    ("unclosed_fence", "Text.\n\n```table\ndata: months.csv\ntitle: T\n", r"never closed", 7),
    (
        "wrong_type_text_on_quantitative_axis",
        CHART.format(y="model:Q", extra=""),
        r"y: column 'model' \(used as :Q\) has values that are not numbers: 'all'; a text "
        r"column goes on a :N \(nominal\) or :O \(ordinal\) axis",
        11,
    ),
    (
        "too_many_rows",
        CHART.format(y="total:Q", extra=""),
        r"would embed 4 rows of months.csv "
        r"\(limit 2\); aggregate",
        8,
    ),
    (
        "value_unknown_column",
        "There were {{ months.csv[month=2026-02].totl }} agreements.\n",
        r"column 'totl' not in months.csv; did you mean 'total'\?",
        5,
    ),
    (
        "value_two_rows",
        "Text.\n\nThere were {{ months.csv[model=all].total }}.\n",
        r"4 rows of months.csv match where model==all",
        7,
    ),
]


@pytest.mark.parametrize(("name", "body", "message", "line"), CASES, ids=[c[0] for c in CASES])
def test_wrong_directive_stops_the_build(tmp_path, capsys, name, body, message, line):
    limits = {"DATA_DIRECTIVES": {"MAX_ROWS": 2}} if name == "too_many_rows" else None
    csvs = {"months.csv": MONTHS_CSV + "2026-03,1504,1263,all\n"}
    site = make_site(tmp_path, body, csvs=csvs, settings=limits)
    errors = stopped(site)
    assert [(p.path, p.line) for p in errors.problems] == [("content/article.md", line)]
    err = capsys.readouterr().err
    assert f"error: content/article.md:{line}: " in err, err
    assert __import__("re").search(message, err), err
    assert not (site / "output" / "test-article.html").exists()


def test_every_problem_in_a_file_is_reported_together(tmp_path, capsys):
    body = "{{ months.csv[month=2026-02].totl }} and {{ nope.csv.total }}\n\n" + TABLE.format(
        extra="colums: [a]"
    )
    site = make_site(tmp_path, body)
    stopped(site)
    err = capsys.readouterr().err
    assert err.count("error: content/article.md:") == 3, err
    assert "3 problem(s)" in err


def test_empty_csv(tmp_path, capsys):
    site = make_site(tmp_path, TABLE.format(extra=""), csvs={"months.csv": ""})
    stopped(site)
    assert "months.csv is empty" in capsys.readouterr().err


def test_bad_encoding(tmp_path, capsys):
    site = make_site(tmp_path, TABLE.format(extra=""))
    (site / "data" / "months.csv").write_bytes("month,total\n2025-01,13\xe9\n".encode("latin-1"))
    stopped(site)
    assert "months.csv is not valid UTF-8" in capsys.readouterr().err


def test_source_is_required_somewhere(tmp_path, capsys):
    body = TABLE.replace("source: ICE lists\n", "").format(extra="")
    site = make_site(tmp_path, body)
    stopped(site)
    assert "no source for months.csv: add 'source:'" in capsys.readouterr().err


def test_without_fatal_errors_the_plugin_stops_the_build_with_every_file(tmp_path, capsys):
    site = make_site(tmp_path, TABLE.format(extra="colums: [a]"))
    (site / "content" / "second.md").write_text(
        "Title: Second\nDate: 2026-02-19\nSlug: second\n\n{{ nope.csv.total }}\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildFailed, match=r"build stopped: 2 problem\(s\) in directives") as failed:
        build(site, fatal=False)
    assert sorted((p.path, p.line) for p in failed.value.problems) == [
        ("content/article.md", 12),
        ("content/second.md", 5),
    ]
    assert not (site / "output").exists() or not list((site / "output").rglob("*.html"))
    err = capsys.readouterr().err
    assert "error: content/second.md:5: no CSV named 'nope.csv'" in err


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("../evil:waffle", r"function: '\.\./evil:waffle' names a path, not a module inside"),
        ("/etc/evil:waffle", r"function: '/etc/evil:waffle' names a path"),
        ("evil..up:waffle", r"function: 'evil\.\.up' is not a module name inside the functions"),
    ],
)
def test_a_chart_function_outside_its_folder_is_refused_at_its_line(
    tmp_path, capsys, function, message
):
    folder = tmp_path / "functions"
    folder.mkdir()
    (tmp_path / "evil.py").write_text("def waffle(frame):\n    raise SystemExit\n")
    body = CHART.format(y="total:Q", extra=f"function: {function}").replace(
        "mark: line\nx: month:T\ny: total:Q\n", "mark: python\n"
    )
    site = make_site(tmp_path, body, settings={"DATA_DIRECTIVES": {"FUNCTIONS_DIR": str(folder)}})
    errors = stopped(site)
    # The header takes 4 lines; the fence opens on line 7; `function:` is on line 14.
    assert [(p.path, p.line, p.key) for p in errors.problems] == [
        ("content/article.md", 14, "function")
    ]
    assert __import__("re").search(message, capsys.readouterr().err)
