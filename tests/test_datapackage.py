"""datadirectives.package: every kind of bad CSV is refused with a located message, the
committed data/ passes, and load_package describes each resource for the data page."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from pelican.plugins.datadirectives.errors import DataPackageError
from pelican.plugins.datadirectives.package import load_package, validate_package

ROOT = Path(__file__).resolve().parent.parent

GOOD_CSV = "state,year,count,kind\nTexas,2025,3,ban\nOhio,2025,0,mandate\nIowa,2026,12,ban\n"

DESCRIPTOR = {
    "name": "test",
    "resources": [
        {
            "name": "counts",
            "path": "counts.csv",
            "title": "Counts",
            "description": "A small table.",
            "sources": [{"title": "A source", "path": "https://example.org/"}],
            "as_of": "2026-02-17",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "header": True},
            "schema": {
                "fields": [
                    {"name": "state", "type": "string", "constraints": {"required": True}},
                    {"name": "year", "type": "integer"},
                    {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
                    {"name": "kind", "type": "string", "constraints": {"enum": ["ban", "mandate"]}},
                ],
                "primaryKey": ["state", "year"],
            },
        }
    ],
}


def make_data(tmp_path: Path, csv_bytes: bytes, descriptor: dict | None = None) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "datapackage.json").write_text(json.dumps(descriptor or DESCRIPTOR))
    if csv_bytes is not None:
        (data / "counts.csv").write_bytes(csv_bytes)
    return data


def problems_for(data: Path) -> list[str]:
    with pytest.raises(DataPackageError) as info:
        validate_package(data)
    return [str(problem) for problem in info.value.problems]


def test_good_package_passes(tmp_path):
    validate_package(make_data(tmp_path, GOOD_CSV.encode()))


def test_byte_order_mark_is_accepted_on_purpose(tmp_path):
    # Excel's "CSV UTF-8" writes a BOM; it is still UTF-8 and the plugin reads utf-8-sig.
    validate_package(make_data(tmp_path, b"\xef\xbb\xbf" + GOOD_CSV.encode()))


def test_crlf_line_endings_are_accepted(tmp_path):
    validate_package(make_data(tmp_path, GOOD_CSV.replace("\n", "\r\n").encode()))


BAD = [
    # (kind, csv text or bytes, expected located message as a regex)
    (
        "bad value: below minimum",
        GOOD_CSV.replace("Ohio,2025,0", "Ohio,2025,-4"),
        r"^data/counts\.csv:3:count: bad value '-4': breaks the schema's constraint minimum 0",
    ),
    (
        "bad value: not in enum",
        GOOD_CSV.replace("12,ban", "12,maybe"),
        r"^data/counts\.csv:4:kind: bad value 'maybe': breaks the schema's .*enum",
    ),
    (
        "bad value: required cell empty",
        GOOD_CSV.replace("Iowa,", ",", 1),
        r"^data/counts\.csv:4:state: bad value: empty, but column 'state' is required",
    ),
    (
        "wrong type",
        GOOD_CSV.replace("Texas,2025,3", "Texas,2025,three"),
        r"^data/counts\.csv:2:count: wrong type: 'three' is not a valid .*integer",
    ),
    (
        "missing column",
        GOOD_CSV.replace(",kind", "").replace(",ban", "").replace(",mandate", ""),
        r"^data/counts\.csv:1:kind: missing column 'kind'",
    ),
    (
        "extra column",
        GOOD_CSV.replace("kind\n", "kind,extra\n")
        .replace("ban\n", "ban,1\n")
        .replace("mandate\n", "mandate,2\n"),
        r"^data/counts\.csv:1:extra: extra column 'extra' not in the schema",
    ),
    (
        "misplaced column",
        GOOD_CSV.replace("state,year", "year,state"),
        r"^data/counts\.csv:1:year: column 1 is 'year' but the schema expects 'state'",
    ),
    (
        "duplicate primary key",
        GOOD_CSV + "Texas,2025,5,ban\n",
        r"^data/counts\.csv:5:state: duplicate primary key \(state, year\): same as line 2",
    ),
    (
        "bad encoding",
        (GOOD_CSV.replace("Iowa", "Io\xe9wa")).encode("latin-1"),
        r"^data/counts\.csv:4:state: bad encoding: byte 0xe9 is not UTF-8",
    ),
    (
        "bad encoding in a later column",
        (GOOD_CSV.replace("12,ban", "12,b\xe0n")).encode("latin-1"),
        r"^data/counts\.csv:4:kind: bad encoding: byte 0xe0 is not UTF-8",
    ),
    (
        "unquoted comma",
        GOOD_CSV.replace("Ohio,2025,0,mandate", "Ohio,2025,0,mandate,x"),
        r"^data/counts\.csv:3:-: row has more values than the header",
    ),
]


@pytest.mark.parametrize("kind,content,expected", BAD, ids=[b[0] for b in BAD])
def test_bad_csv_is_refused_with_located_message(tmp_path, kind, content, expected):
    raw = content if isinstance(content, bytes) else content.encode()
    problems = problems_for(make_data(tmp_path, raw))
    assert any(re.search(expected, p) for p in problems), problems


def test_blank_row_is_reported_once(tmp_path):
    data = make_data(tmp_path, GOOD_CSV.replace("Ohio", "\nOhio").encode())
    assert problems_for(data) == ["data/counts.csv:3:-: blank row; remove it"]
    # The same record type as a wrong directive's: file, line, column, message.
    with pytest.raises(DataPackageError) as info:
        validate_package(data)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.column) == ("data/counts.csv", 3, "-")
    assert problem.message == "blank row; remove it"


def test_bom_keeps_the_first_column_name_in_messages(tmp_path):
    raw = b"\xef\xbb\xbf" + GOOD_CSV.replace("Iowa,", ",", 1).encode()
    problems = problems_for(make_data(tmp_path, raw))
    assert problems == [
        "data/counts.csv:4:state: bad value: empty, but column 'state' is required; fill it in"
    ]


def test_missing_file(tmp_path):
    problems = problems_for(make_data(tmp_path, None))
    assert problems == [
        "data/counts.csv:1:-: missing file: data/datapackage.json describes it but it does not "
        "exist; add the CSV or remove the resource"
    ]


def test_undescribed_csv(tmp_path):
    data = make_data(tmp_path, GOOD_CSV.encode())
    (data / "stray.csv").write_text("a\n1\n")
    assert problems_for(data) == [
        "data/stray.csv:1:-: not described in data/datapackage.json; add a resource with its "
        "schema and sources"
    ]


def test_missing_descriptor(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    assert problems_for(data)[0].startswith("data/datapackage.json:1:-: missing file")


def test_broken_descriptor_json(tmp_path):
    data = make_data(tmp_path, GOOD_CSV.encode())
    (data / "datapackage.json").write_text('{"resources": [\n  {"name": }\n]}')
    assert problems_for(data)[0].startswith("data/datapackage.json:2:-: not valid JSON")


@pytest.mark.parametrize(
    "key,value,expected",
    [
        ("as_of", "Feb 2026", "has as_of 'Feb 2026'; give the date"),
        ("sources", [], "has no 'sources'"),
        ("title", "", "has no 'title'"),
    ],
)
def test_resource_metadata_required(tmp_path, key, value, expected):
    desc = json.loads(json.dumps(DESCRIPTOR))
    desc["resources"][0][key] = value
    problems = problems_for(make_data(tmp_path, GOOD_CSV.encode(), desc))
    assert any(expected in p for p in problems), problems


def test_path_outside_data_is_refused(tmp_path):
    desc = json.loads(json.dumps(DESCRIPTOR))
    desc["resources"][0]["path"] = "../secrets.csv"
    problems = problems_for(make_data(tmp_path, GOOD_CSV.encode(), desc))
    assert any("has path '../secrets.csv'" in p for p in problems), problems


def test_all_problems_reported_at_once(tmp_path):
    bad = GOOD_CSV.replace("Texas,2025,3", "Texas,2025,three").replace("12,ban", "12,maybe")
    problems = problems_for(make_data(tmp_path, bad.encode()))
    assert len(problems) == 2, problems


def test_committed_data_package_is_valid():
    validate_package(ROOT / "data")


def test_load_package_describes_each_resource(tmp_path):
    data = make_data(tmp_path, GOOD_CSV.encode())
    [info] = load_package(data)
    assert info.name == "counts"
    assert info.rows == 3
    assert info.as_of == "2026-02-17"
    assert info.bytes == len(GOOD_CSV.encode())
    assert info.sha256 == hashlib.sha256(GOOD_CSV.encode()).hexdigest()
    assert [f["name"] for f in info.fields] == ["state", "year", "count", "kind"]
    assert info.sources == [{"title": "A source", "path": "https://example.org/"}]


def test_load_package_counts_rows_with_quoted_newlines(tmp_path):
    text = 'state,year,count,kind\n"New\nYork",2025,1,ban\n'
    [info] = load_package(make_data(tmp_path, text.encode()))
    assert info.rows == 1


def test_load_package_on_committed_data():
    infos = {i.name: i for i in load_package(ROOT / "data")}
    assert infos["agreements_by_snapshot"].rows == 71
    for info in infos.values():
        assert info.sources, info.name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info.as_of), info.name
        raw = (ROOT / "data" / info.path).read_bytes()
        assert info.sha256 == hashlib.sha256(raw).hexdigest()


# -- the vectorised engine: record numbers, caps, Parquet ------------------------------------


def test_rows_after_a_blank_line_keep_their_numbers(tmp_path):
    # A blank line sends the file down the exact (Python csv) path: later rows keep their place.
    bad = GOOD_CSV.replace("Ohio", "\nOhio").replace("12,ban", "twelve,ban")
    assert problems_for(make_data(tmp_path, bad.encode())) == [
        "data/counts.csv:3:-: blank row; remove it",
        "data/counts.csv:5:count: wrong type: 'twelve' is not a valid integer; fix the value, "
        "or the field's type in data/datapackage.json",
    ]


def test_a_quoted_line_break_is_one_record(tmp_path):
    text = GOOD_CSV.replace("Ohio", '"Oh\nio"').replace("12,ban", "twelve,ban")
    [problem] = problems_for(make_data(tmp_path, text.encode()))
    assert problem.startswith("data/counts.csv:4:count: wrong type: 'twelve'")


def test_a_row_too_short_is_located(tmp_path):
    bad = GOOD_CSV.replace("Ohio,2025,0,mandate", "Ohio,2025")
    assert problems_for(make_data(tmp_path, bad.encode())) == [
        "data/counts.csv:3:count: row ends before column 'count'; add the value",
        "data/counts.csv:3:kind: row ends before column 'kind'; add the value",
    ]


def test_unique_constraint(tmp_path):
    desc = json.loads(json.dumps(DESCRIPTOR))
    desc["resources"][0]["schema"]["fields"][2]["constraints"]["unique"] = True
    bad = GOOD_CSV.replace("Iowa,2026,12", "Iowa,2026,3")
    [problem] = problems_for(make_data(tmp_path, bad.encode(), desc))
    assert problem.startswith(
        "data/counts.csv:4:count: bad value '3': breaks the schema's constraint unique (same as "
        "line 2)"
    )


def test_many_bad_rows_are_counted_not_all_listed(tmp_path):
    rows = "".join(f"S{i},2025,x{i},ban\n" for i in range(50))
    problems = problems_for(make_data(tmp_path, ("state,year,count,kind\n" + rows).encode()))
    assert len(problems) == 21
    assert problems[19].startswith("data/counts.csv:21:count: wrong type: 'x19'")
    assert problems[20].startswith(
        "data/counts.csv:22:count: and 30 more lines from here on with the same problem"
    )


@pytest.mark.parametrize(
    "field,expected",
    [
        ({"name": "state", "type": "geojson"}, "field 'state' has type 'geojson', which the build"),
        ({"name": "state", "constraints": {"jsonSchema": {}}}, "constraint(s) jsonSchema"),
        ({"name": "state", "type": "integer", "constraints": {"minimum": "x"}}, "minimum 'x'"),
    ],
)
def test_schema_the_build_cannot_check_is_refused(tmp_path, field, expected):
    desc = json.loads(json.dumps(DESCRIPTOR))
    desc["resources"][0]["schema"]["fields"][0] = field
    problems = problems_for(make_data(tmp_path, GOOD_CSV.encode(), desc))
    assert any(
        p.startswith("data/datapackage.json:1:-: resource 'counts'") and expected in p
        for p in problems
    ), problems


def test_validation_returns_row_counts(tmp_path):
    assert validate_package(make_data(tmp_path, GOOD_CSV.encode())) == {"counts.csv": 3}


def parquet_package(tmp_path: Path, select: str, schema_fields=None, pk=None) -> Path:
    """data/ with one Parquet resource written by DuckDB from `select`."""
    import duckdb

    data = tmp_path / "data"
    data.mkdir()
    duckdb.sql(f"COPY ({select}) TO '{data / 'rows.parquet'}' (FORMAT parquet)")
    res = json.loads(json.dumps(DESCRIPTOR["resources"][0]))
    res.update(name="rows", path="rows.parquet", format="parquet")
    del res["encoding"], res["dialect"]
    res["schema"] = {
        "fields": schema_fields
        or [
            {"name": "state", "type": "string", "constraints": {"required": True}},
            {"name": "day", "type": "date"},
            {"name": "count", "type": "integer", "constraints": {"minimum": 0}},
        ],
        **({"primaryKey": pk} if pk else {}),
    }
    (data / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [res]}))
    return data


GOOD_PARQUET = (
    "SELECT * FROM (VALUES ('Texas', DATE '2025-01-31', 3), ('Ohio', DATE '2025-02-28', 0)) "
    "AS t(state, day, count)"
)


def test_parquet_resource_passes_and_is_described(tmp_path):
    data = parquet_package(tmp_path, GOOD_PARQUET, pk=["state"])
    assert validate_package(data) == {"rows.parquet": 2}
    [info] = load_package(data)
    assert (info.path, info.rows) == ("rows.parquet", 2)


@pytest.mark.parametrize(
    "select,expected",
    [
        (
            GOOD_PARQUET.replace("3)", "-3)"),
            "data/rows.parquet:1:count: bad value '-3': breaks the schema's constraint minimum 0",
        ),
        (
            GOOD_PARQUET.replace("'Ohio'", "NULL"),
            "data/rows.parquet:2:state: bad value: empty, but column 'state' is required",
        ),
        (
            GOOD_PARQUET.replace("3)", "3.5)"),
            "data/rows.parquet:1:count: wrong type: '3.5' is not a valid integer",
        ),
        (
            GOOD_PARQUET.replace("'Ohio'", "'Texas'"),
            "data/rows.parquet:2:state: duplicate primary key (state): same as row 1",
        ),
        (
            GOOD_PARQUET.replace("state, day, count", "state, day, total"),
            "data/rows.parquet:1:count: missing column 'count'",
        ),
    ],
)
def test_bad_parquet_is_refused_with_located_message(tmp_path, select, expected):
    problems = problems_for(parquet_package(tmp_path, select, pk=["state"]))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_file_that_is_not_parquet(tmp_path):
    data = parquet_package(tmp_path, GOOD_PARQUET)
    (data / "rows.parquet").write_bytes(b"state,day,count\n")
    [problem] = problems_for(data)
    assert problem.startswith("data/rows.parquet:1:-: not a readable Parquet file")


def test_undescribed_parquet(tmp_path):
    data = parquet_package(tmp_path, GOOD_PARQUET)
    (data / "stray.parquet").write_bytes((data / "rows.parquet").read_bytes())
    assert problems_for(data) == [
        "data/stray.parquet:1:-: not described in data/datapackage.json; add a resource with its "
        "schema and sources"
    ]
