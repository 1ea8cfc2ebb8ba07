"""Page sets (pagesets.py): one real Pelican page per group of a CSV, from a Markdown template
with the same directives; faults located in the template's file and line; the docs' example
builds against the project's own data."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

import pytest
from pelican.plugins.datadirectives.errors import BuildFailed
from tiny_site import ROOT, build, make_site, package_for

CSV = "state,slug,agency,model,url\nTexas,texas,A,Task force,https://ice.gov/a.pdf\nTexas,texas,B,Jail,\nOhio,ohio,C,Jail,https://ice.gov/c.pdf\n"
PACKAGE = package_for(
    "rows.csv",
    [
        ("state", "string"),
        ("slug", "string"),
        ("agency", "string"),
        ("model", "string"),
        ("url", "string"),
    ],
)
TEMPLATE = """\
Title: Agreements in ${state}
Pages_from: rows.csv
Pages_by: state
Slug: ${slug}
Save_as: states/${slug}.html
URL: states/${slug}.html
Summary: Every agreement in ${state}.

${state} has {{ count rows.csv[state=${state}] }} agreements.

```table
data: rows.csv
title: Agreements in ${state}
filter: state == ${state}
columns: [agency, model]
links: {agency: "{url}"}
row_id: agency
```
"""


def site_with(tmp_path, template=TEMPLATE, csv=CSV, name="state.md"):
    site = make_site(tmp_path, "Some text.\n", csvs={"rows.csv": csv}, package=PACKAGE)
    folder = site / "content" / "page-sets"
    folder.mkdir()
    (folder / name).write_text(template, encoding="utf-8")
    return site


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.title, self.values, self.rows, self.links, self._in = "", [], [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title" or (tag == "span" and "dd-value" in (a.get("class") or "")):
            self._in = tag
        if tag == "tr" and a.get("id"):
            self.rows.append(a["id"])
        if tag == "a" and a.get("href", "").startswith("https://ice.gov"):
            self.links.append(a["href"])

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "span":
            self.values.append(data)

    def handle_endtag(self, tag):
        self._in = None


def parse(path):
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_one_page_per_group_with_filtered_directives(tmp_path):
    out = build(site_with(tmp_path))
    texas, ohio = parse(out / "states" / "texas.html"), parse(out / "states" / "ohio.html")
    assert "Agreements in Texas" in texas.title and "Agreements in Ohio" in ohio.title
    assert texas.values == ["2"] and ohio.values == ["1"]
    assert texas.rows == ["A", "B"] and ohio.rows == ["C"]
    assert texas.links == ["https://ice.gov/a.pdf"]  # B has no url: plain text, no link
    # "Get the data" links resolve from the page's own folder
    assert 'href="../data/rows.csv"' in (out / "states" / "texas.html").read_text()
    # the template itself is not a page
    assert not list(out.rglob("state.html"))


def test_pages_where_selects_groups(tmp_path):
    template = TEMPLATE.replace(
        "Pages_by: state\n", "Pages_by: state\nPages_where: state != Ohio\n"
    )
    out = build(site_with(tmp_path, template))
    assert (out / "states" / "texas.html").exists() and not (out / "states" / "ohio.html").exists()


@pytest.mark.parametrize(
    "change,where,message",
    [
        (
            ("filter: state == ${state}", "filter: stat == ${state}"),
            14,
            r"column 'stat' not in rows\.csv.*\(page for state=Texas and 1 more\)",
        ),
        (
            ("${state} has", "${county} has"),
            9,
            r"\$\{county\}: no column 'county'.*page for state=Texas",
        ),
        (("Pages_by: state", "Pages_by: county"), 3, r"Pages_by: column 'county' not in rows\.csv"),
        (("Pages_from: rows.csv", "Pages_from: row.csv"), 2, r"no CSV named 'row\.csv'"),
        (
            ("Slug: ${slug}", "Slug: ${agency}"),
            4,
            r"\$\{agency\}: no column 'agency' with one value",
        ),
    ],
)
def test_faults_name_the_template_file_and_line(tmp_path, capsys, change, where, message):
    site = site_with(tmp_path, TEMPLATE.replace(*change))
    with pytest.raises(BuildFailed):
        build(site)
    err = capsys.readouterr().err
    assert re.search(rf"content/page-sets/state\.md:{where}: {message}", err), err


def test_two_pages_saved_at_one_address_stop_the_build(tmp_path, capsys):
    template = TEMPLATE.replace("states/${slug}.html", "states/all.html")
    with pytest.raises(BuildFailed):
        build(site_with(tmp_path, template))
    assert "two pages would be saved as states/all.html" in capsys.readouterr().err


def test_generated_pages_are_in_the_context_for_templates(tmp_path):
    site = site_with(tmp_path)
    theme = tmp_path / "theme" / "templates"
    theme.mkdir(parents=True)
    (theme / "index.html").write_text(
        "{% for p in generated_pages %}<a href='{{ p.url }}'>{{ p.title }}</a>{% endfor %}"
    )
    (theme / "page.html").write_text("<title>{{ page.title }}</title>{{ page.content }}")
    (theme / "article.html").write_text("{{ article.content }}")
    for name in (
        "tag",
        "tags",
        "category",
        "categories",
        "author",
        "authors",
        "archives",
        "period_archives",
    ):
        (theme / f"{name}.html").write_text("")
    out = build(site, THEME=str(tmp_path / "theme"))
    index = (out / "index.html").read_text()
    assert "<a href='states/ohio.html'>Agreements in Ohio</a>" in index
    assert index.index("Ohio") < index.index("Texas")


def test_the_authoring_guide_example_builds(tmp_path):
    """docs/authoring.md's page-set example, against the project's own data/."""
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    match = re.search(r"^````markdown page-set\n(.*?)^````$", text, re.S | re.M)
    assert match, "docs/authoring.md has no ````markdown page-set example"
    site = make_site(
        tmp_path, "Text.\n", csvs={}, settings={"DATA_DIRECTIVES": {"DATA_DIR": str(ROOT / "data")}}
    )
    (site / "content" / "page-sets").mkdir()
    (site / "content" / "page-sets" / "state.md").write_text(textwrap.dedent(match.group(1)))
    out = build(site)
    page = out / "states" / "texas.html"
    assert page.exists() and "dd-value" in page.read_text()
    assert len(list((out / "states").glob("*.html"))) >= 40


def test_make_check_checks_every_page_of_a_page_set(tmp_path):
    from pelican.plugins.datadirectives.check import check
    from tiny_site import write_settings

    site = write_settings(
        site_with(tmp_path, TEMPLATE.replace("columns: [agency", "columns: [agncy"))
    )
    problems = [str(p) for p in check(site / "pelican.conf.py")]
    assert len(problems) == 1, problems
    assert problems[0].startswith("content/page-sets/state.md:15: ")
    assert "'agncy'" in problems[0] and "(page for state=Texas and 1 more)" in problems[0]
    assert check(write_settings(site_with(tmp_path / "ok")) / "pelican.conf.py") == []


def test_prerender_sees_each_generated_page_not_the_template(tmp_path):
    """Cold builds render page-set charts in the pool: the scan expands every page."""
    from pelican.plugins.datadirectives import prerender
    from pelican.plugins.datadirectives.renderer import Renderer
    from pelican.plugins.datadirectives.settings import load_config

    site = site_with(tmp_path)
    settings = {
        "PATH": str(site / "content"),
        "DATA_DIRECTIVES": {"DATA_DIR": str(site / "data"), "CACHE_DIR": str(site / ".c")},
    }
    found = prerender.scan(settings, Renderer(load_config(settings)))
    bodies = [body for kind, body, *_ in found if kind == "table"]
    assert len(bodies) == 2
    assert any("state == Texas" in b for b in bodies) and any("state == Ohio" in b for b in bodies)
    assert not any("${" in b for b in bodies)
