"""data/sources.csv: the `sources` directive in real builds, and `make check`'s sourcing rules."""

import re

import pytest
from pelican.plugins.datadirectives.sources import links
from test_chart_figure import parse
from test_check_and_changes import run_check
from test_directive_errors import stopped
from tiny_site import MONTHS_CSV, article_html, build, make_site, write_settings

SOURCES_CSV = (
    "id,publisher,title,date,url,kind,original,archived_url,accessed,note\n"
    "dhs-release,Department of Homeland Security,ICE partnerships grow,2025-09-02,"
    "https://www.dhs.gov/news/2025/09/02/x,primary,,,2026-12-01,\n"
    "ap-florida,The Associated Press,Florida gets money,2025-09-27,"
    "https://apnews.com/article/florida,secondary,,https://web.archive.org/x,2026-12-01,\n"
    "copy-of-cbs,Example Aggregator,A copy,2026-01,https://aggregator.example/cbs,repost,"
    '"CBS News, ""Agents in Minneapolis,"" Jan. 11, 2026",,2026-12-01,\n'
    "fwd-brief,FWD.us,New brief,2026,https://www.fwd.us/brief,advocacy,,,2026-12-01,\n"
)

PAGE = """\
DHS [said so](https://www.dhs.gov/news/2025/09/02/x), and
[AP reported](https://apnews.com/article/florida) it; an advocacy group
[estimated more](https://www.fwd.us/brief). A copy survives at
<https://aggregator.example/cbs>. DHS [again](https://www.dhs.gov/news/2025/09/02/x).

## Sources

```sources
```
"""


def site(tmp_path, page=PAGE, csv=SOURCES_CSV):
    return make_site(tmp_path, page, csvs={"months.csv": MONTHS_CSV, "sources.csv": csv})


def test_page_lists_the_sources_it_links_in_the_order_it_cites_them(tmp_path):
    tree = parse(article_html(build(site(tmp_path))))
    items = [li for li in tree.find("li") if li["attrs"].get("id", "").startswith("src-")]
    assert [li["attrs"]["id"] for li in items] == [
        "src-dhs-release",
        "src-ap-florida",
        "src-fwd-brief",
        "src-copy-of-cbs",
    ]
    texts = [li["text"] for li in items]
    assert texts[0] == "Department of Homeland Security: ICE partnerships grow (Sept. 2, 2025)."
    assert texts[1].endswith("(Sept. 27, 2025). Archived copy.")
    assert texts[2] == "FWD.us: New brief (2026). An advocacy group."
    assert texts[3] == (
        "Example Aggregator: A copy (Jan. 2026). A copy of the original: CBS News, "
        '"Agents in Minneapolis," Jan. 11, 2026.'
    )
    links_out = [a["attrs"]["href"] for a in tree.find("a") if a["text"] == "A copy"]
    assert links_out == ["https://aggregator.example/cbs"]


def test_all_lists_every_row_grouped_by_kind(tmp_path):
    page = "Every source.\n\n```sources\nall: true\nheading_level: 2\n```\n"
    tree = parse(article_html(build(site(tmp_path, page))))
    headings = [
        h["text"] for h in tree.find("h2") if h["attrs"].get("id", "").startswith("sources-")
    ]
    assert headings == [
        "Primary sources: agencies, courts, legislatures and laws",
        "News reports and research",
        "Advocacy groups",
        "Copies of other publishers' work",
    ]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("No links.\n\n```sources\n```\n", r"this page links to no source listed in data/sources"),
        ("Text.\n\n```sources\nids: [dhs-relase]\n```\n", r"no row .* has id 'dhs-relase'; did"),
        ("Text.\n\n```sources\nal: true\n```\n", r"unknown option 'al'; did you mean 'all'\?"),
    ],
)
def test_wrong_sources_block_stops_the_build(tmp_path, capsys, page, message):
    stopped(site(tmp_path, page))
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "error: content/article.md:" in err


def test_links_skips_code_and_directive_blocks():
    text = (
        "A [link](https://a.example/x) and `[code](https://b.example/)`.\n"
        "```chart\nsource: <https://c.example/>\n```\n"
        '<https://d.example/y> and [titled](https://e.example/ "Title")\n'
    )
    assert links(text) == [
        ("https://a.example/x", 1),
        ("https://d.example/y", 5),
        ("https://e.example/", 5),
    ]


def checked(tmp_path, page=PAGE, csv=SOURCES_CSV, extra_csv=None):
    s = site(tmp_path, page, csv)
    if extra_csv:
        (s / "data" / "counts.csv").write_text(extra_csv)
    write_settings(s)
    return run_check(s)


def test_check_passes_when_every_link_and_row_match(tmp_path):
    result = checked(tmp_path)
    assert result.returncode == 0, result.stdout


# (name, page, sources.csv, expected line in the output)
CHECK_CASES = [
    (
        "link_without_row",
        PAGE + "\nAnd [a new story](https://news.example/story).\n",
        SOURCES_CSV,
        r"content/article.md:15: the link to https://news.example/story has no row in "
        r"data/sources.csv; add a row for the source",
    ),
    (
        "link_spelled_differently",
        PAGE.replace("https://apnews.com/article/florida", "https://apnews.com/article/florida/"),
        SOURCES_CSV,
        r"content/article.md:6: the link to https://apnews.com/article/florida/ has no row .*; "
        r"the CSV has https://apnews.com/article/florida",
    ),
    (
        "repost_without_original",
        PAGE,
        SOURCES_CSV.replace('"CBS News, ""Agents in Minneapolis,"" Jan. 11, 2026"', ""),
        r"data/sources.csv:4: row 'copy-of-cbs' is a repost but 'original' is empty; name the "
        r"original's publisher, title and date",
    ),
    (
        "unused_row",
        PAGE,
        SOURCES_CSV + "unused,Nobody,Never cited,2025,https://nobody.example/,secondary,,,,\n",
        r"data/sources.csv:6: row 'unused' is cited nowhere .*; link to https://nobody.example/ "
        r"in the prose, .*or delete the row",
    ),
    (
        "unknown_kind",
        PAGE,
        SOURCES_CSV.replace(",advocacy,", ",opinion,"),
        r"data/sources.csv:5: row 'fwd-brief' has kind 'opinion'; use one of primary, secondary",
    ),
]


@pytest.mark.parametrize(
    ("name", "page", "csv", "message"), CHECK_CASES, ids=[c[0] for c in CHECK_CASES]
)
def test_check_fails_on_sourcing_faults(tmp_path, name, page, csv, message):
    result = checked(tmp_path, page, csv)
    assert result.returncode == 1
    assert re.search(message, result.stdout), result.stdout


def test_a_row_cited_by_a_data_csv_or_listed_by_id_is_used(tmp_path):
    csv = SOURCES_CSV + (
        "by-data,Star Tribune,Counties,2025-11-01,https://startribune.example/a,secondary,,,,\n"
        "by-id,GAO,GAO-09-109,2009-01,,primary,,,,\n"
    )
    page = PAGE + "\n```sources\nids: [by-id]\n```\n"
    extra = "date,count,url\n2025-11-01,8,https://startribune.example/a\n"
    result = checked(tmp_path, page, csv, extra_csv=extra)
    assert "by-data" not in result.stdout and "by-id" not in result.stdout, result.stdout


def test_not_sources_setting_skips_software_links(tmp_path):
    page = PAGE + "\nBuilt with [Pelican](https://getpelican.com/docs/).\n"
    s = site(tmp_path, page)
    write_settings(s)
    conf = s / "pelican.conf.py"
    failing = run_check(s)
    assert "the link to https://getpelican.com/docs/ has no row" in failing.stdout
    conf.write_text(
        conf.read_text().replace(
            '"CACHE_DIR": ".cache"}',
            '"CACHE_DIR": ".cache", "NOT_SOURCES": ["https://getpelican.com/"]}',
        )
    )
    passing = run_check(s)
    assert passing.returncode == 0, passing.stdout
