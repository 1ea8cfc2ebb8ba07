"""The Markdown extension reads Markdown as Python-Markdown does, and changes only directives.

Tested the way Python-Markdown tests its extensions (`markdown.test_tools.TestCase`,
`assertMarkdownRenders`), with the site's own Markdown extensions (pelican.conf.py MARKDOWN:
extra, meta, toc). `Shown` stands in for the Renderer so that what the extension hands it
(which blocks, which body, which line; which values) is visible in the HTML; the real
Renderer is tested by the builds in test_chart_figure.py, test_directive_errors.py and below.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import markdown
import pytest
from markdown.test_tools import TestCase
from pelican.plugins.datadirectives.errors import DirectiveError, DirectiveErrors
from pelican.plugins.datadirectives.markdown_ext import DataDirectivesExtension, current_source
from pelican.plugins.datadirectives.prerender import blocks
from pelican.plugins.datadirectives.renderer import Renderer

ROOT = Path(__file__).resolve().parents[3]  # the repository: its pelican.conf.py
PLAIN = sorted((Path(__file__).parent / "fixtures" / "markdown" / "plain").glob("*.md"))
SITE_EXTENSIONS = [
    "markdown.extensions.extra",
    "markdown.extensions.meta",
    "markdown.extensions.toc",
]


class Shown:
    """Renders a directive as what it was given; a body or value with 'fail' is a fault."""

    block_names = Renderer.block_names

    def render_block(self, kind, body, *, source, line):
        if "fail" in body:
            raise DirectiveError(f"{kind} failed; fix it")
        return f'<figure id="fig-{kind}" data-line="{line}">{escape(body)}</figure>'

    def render_value(self, expr, *, source, line):
        if "fail" in expr:
            raise DirectiveError(f"value {expr.strip()} failed; fix it")
        return f'<span class="v" data-line="{line}">{escape(expr.strip())}</span>'


# One instance for every conversion, as Pelican uses it.
EXTENSION = DataDirectivesExtension(Shown())


def convert(text: str, extensions=SITE_EXTENSIONS) -> str:
    return markdown.Markdown(extensions=[*extensions, EXTENSION]).convert(text)


def faults(text: str, extensions=SITE_EXTENSIONS) -> list[str]:
    """The located faults the extension raises for `text` (in file 'page.md')."""
    token = current_source.set("page.md")
    try:
        with pytest.raises(DirectiveErrors) as raised:
            convert(text, extensions)
    finally:
        current_source.reset(token)
    return [str(e) for e in raised.value.errors]


def test_the_site_uses_the_extensions_these_tests_use():
    from pelican.settings import read_settings

    configured = read_settings(str(ROOT / "pelican.conf.py"))["MARKDOWN"]["extension_configs"]
    assert set(configured) == set(SITE_EXTENSIONS)


# -- plain Markdown is untouched ---------------------------------------------------------------


@pytest.mark.parametrize("extensions", [SITE_EXTENSIONS, ["fenced_code"]], ids=["site", "fenced"])
@pytest.mark.parametrize("document", PLAIN, ids=[p.stem for p in PLAIN])
def test_plain_markdown_renders_byte_identically_with_the_extension(document, extensions):
    text = document.read_text(encoding="utf-8")
    assert "{{" in text  # each document tempts the extension with a `{{` where it must not act
    assert convert(text, extensions) == markdown.markdown(text, extensions=extensions)


# -- fences ------------------------------------------------------------------------------------


class TestFences(TestCase):
    default_kwargs = {"extensions": [*SITE_EXTENSIONS, EXTENSION]}

    def test_backtick_fence_is_a_directive(self):
        self.assertMarkdownRenders(
            "```chart\ndata: a.csv\n```",
            '<figure id="fig-chart" data-line="1">data: a.csv</figure>',
        )

    def test_tilde_fence_is_a_directive(self):
        self.assertMarkdownRenders(
            "Text.\n\n~~~table\ndata: a.csv\n~~~\n",
            '<p>Text.</p>\n<figure id="fig-table" data-line="3">data: a.csv</figure>',
        )

    def test_longer_fence_holds_a_shorter_one_in_its_body(self):
        self.assertMarkdownRenders(
            "`````chart\nnote: |\n  ```\n  x\n  ```\n`````",
            '<figure id="fig-chart" data-line="1">note: |\n  ```\n  x\n  ```</figure>',
        )

    def test_directive_after_a_fence_with_attributes(self):
        self.assertMarkdownRenders(
            "``` { .python }\nx = '{{ a.csv.b }}'\n```\n\n```chart\ndata: a.csv\n```",
            "<pre><code class=\"language-python\">x = '{{ a.csv.b }}'\n</code></pre>\n"
            '<figure id="fig-chart" data-line="5">data: a.csv</figure>',
        )

    def test_directive_after_a_fence_with_hl_lines(self):
        self.assertMarkdownRenders(
            '```python hl_lines="1"\nx = "{{ a.csv.b }}"\n```\n\n```chart\ndata: a.csv\n```',
            '<pre><code class="language-python" hl_lines="[1]">'
            "x = &quot;{{ a.csv.b }}&quot;\n</code></pre>\n"
            '<figure id="fig-chart" data-line="5">data: a.csv</figure>',
        )

    def test_directive_after_an_html_jinja_fence(self):
        self.assertMarkdownRenders(
            "```html+jinja\n<p>{{ page.title }}</p>\n```\n\n```table\ndata: a.csv\n```",
            '<pre><code class="language-html+jinja">&lt;p&gt;{{ page.title }}&lt;/p&gt;\n'
            "</code></pre>\n"
            '<figure id="fig-table" data-line="5">data: a.csv</figure>',
        )

    def test_directive_shown_inside_a_longer_fence_is_code(self):
        self.assertMarkdownRenders(
            "````markdown\n```chart\ndata: a.csv\n```\n````",
            '<pre><code class="language-markdown">```chart\ndata: a.csv\n```\n</code></pre>',
        )

    def test_indented_fence_is_indented_code(self):
        self.assertMarkdownRenders(
            "Text.\n\n    ```chart\n    data: a.csv\n    ```",
            "<p>Text.</p>\n<pre><code>```chart\ndata: a.csv\n```\n</code></pre>",
        )

    def test_fence_in_a_list_item_is_not_a_fence(self):
        # fenced_code reads fences at the start of a line only (no nesting, unlike superfences).
        self.assertMarkdownRenders(
            "- item\n\n    ```chart\n    data: a.csv\n    ```",
            "<ul>\n<li>\n<p>item</p>\n<p><code>chart\ndata: a.csv</code></p>\n</li>\n</ul>",
        )

    def test_fence_inside_a_raw_html_block_is_read_as_fenced_code_reads_it(self):
        self.assertMarkdownRenders(
            '<div class="wide">\n```chart\ndata: a.csv\n```\n</div>',
            '<div class="wide">\n\n<figure id="fig-chart" data-line="2">data: a.csv</figure>\n\n'
            "</div>",
        )

    def test_empty_directive_body(self):
        self.assertMarkdownRenders(
            "```datasets\n```", '<figure id="fig-datasets" data-line="1"></figure>'
        )

    def test_windows_line_ends_and_tabs_are_normalised_first(self):
        self.assertMarkdownRenders(
            "```chart\r\ndata: a.csv\r\ntitle:\tT\r\n```\r\n",
            '<figure id="fig-chart" data-line="1">data: a.csv\ntitle:  T</figure>',
        )


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("Text.\n\n```chart\ndata: a.csv\n", "page.md:3: the ```chart block opened here is never"),
        ("```chart\ndata: a.csv\n````\n", "page.md:1: the ```chart block opened here is never"),
        ("~~~~table\ndata: a.csv\n~~~\n", "page.md:1: the ~~~~table block opened here is never"),
        ("```{ .chart }\ndata: a.csv\n```\n", "page.md:1: a chart block's fence line holds"),
        ('```chart hl_lines="1"\ndata: a.csv\n```\n', "page.md:1: a chart block's fence line"),
        ("Text.\n\n```chart\nfail: 1\n```\n", "page.md:3: chart failed; fix it"),
    ],
    ids=[
        "unclosed",
        "closed_by_longer_fence",
        "closed_by_shorter_fence",
        "attributes",
        "hl_lines",
        "render_fault",
    ],
)
def test_fence_faults_are_located(text, fault):
    assert [f[: len(fault)] for f in faults(text)] == [fault]


# -- values ------------------------------------------------------------------------------------


class TestValues(TestCase):
    default_kwargs = {"extensions": [*SITE_EXTENSIONS, EXTENSION]}

    def test_value_in_a_paragraph(self):
        self.assertMarkdownRenders(
            "Title: T\n\nICE listed\n{{ a.csv[x=1].total }} agreements.",
            '<p>ICE listed\n<span class="v" data-line="4">a.csv[x=1].total</span> agreements.</p>',
        )

    def test_value_in_a_heading_and_its_toc_id(self):
        self.assertMarkdownRenders(
            "## {{ a.csv.n }} agreements",
            '<h2 id="acsvn-agreements"><span class="v" data-line="1">a.csv.n</span> agreements'
            "</h2>",
        )

    def test_value_in_a_table_cell(self):
        self.assertMarkdownRenders(
            "| state | total |\n|---|---:|\n| Texas | {{ a.csv[state=Texas].total }} |",
            '<table>\n<thead>\n<tr>\n<th>state</th>\n<th style="text-align: right;">total</th>\n'
            "</tr>\n</thead>\n<tbody>\n<tr>\n<td>Texas</td>\n"
            '<td style="text-align: right;"><span class="v" data-line="3">'
            "a.csv[state=Texas].total</span></td>\n</tr>\n</tbody>\n</table>",
        )

    def test_value_in_link_text_and_emphasis(self):
        self.assertMarkdownRenders(
            "[{{ a.csv.n }} deals](http://example.com) and *{{ a.csv.m }}*",
            '<p><a href="http://example.com"><span class="v" data-line="1">a.csv.n</span> deals'
            '</a> and <em><span class="v" data-line="1">a.csv.m</span></em></p>',
        )

    def test_conditions_are_not_read_as_links(self):
        self.assertMarkdownRenders(
            "[x]: http://example.com\n\n{{ a.csv[x].n }}",
            '<p><span class="v" data-line="3">a.csv[x].n</span></p>',
        )

    def test_value_in_a_list_and_a_quote(self):
        self.assertMarkdownRenders(
            "- {{ a.csv.n }}\n\n> {{ a.csv.m }}",
            '<ul>\n<li><span class="v" data-line="1">a.csv.n</span></li>\n</ul>\n'
            '<blockquote>\n<p><span class="v" data-line="3">a.csv.m</span></p>\n</blockquote>',
        )

    def test_code_span_keeps_its_text(self):
        self.assertMarkdownRenders(
            "Write `{{ a.csv.n }}` to get {{ a.csv.n }}.",
            '<p>Write <code>{{ a.csv.n }}</code> to get <span class="v" data-line="1">a.csv.n'
            "</span>.</p>",
        )

    def test_indented_code_keeps_its_text(self):
        self.assertMarkdownRenders(
            "An example.\n\n    {{ a.csv.n }}",
            "<p>An example.</p>\n<pre><code>{{ a.csv.n }}\n</code></pre>",
        )

    def test_fenced_code_keeps_its_text(self):
        self.assertMarkdownRenders(
            "```\n{{ a.csv.n }}\n```", "<pre><code>{{ a.csv.n }}\n</code></pre>"
        )

    def test_backslash_writes_a_literal_value(self):
        self.assertMarkdownRenders(r"\{{ a.csv.n }}", "<p>{{ a.csv.n }}</p>")

    def test_raw_html_block_is_left_as_written(self):
        # Markdown reads no inline syntax in a raw HTML block, so neither does the extension.
        self.assertMarkdownRenders("<div>\n{{ a.csv.n }}\n</div>", "<div>\n{{ a.csv.n }}\n</div>")

    def test_markdown_in_html_reads_values(self):
        self.assertMarkdownRenders(
            '<div markdown="1">\n{{ a.csv.n }}\n</div>',
            '<div>\n<p><span class="v" data-line="2">a.csv.n</span></p>\n</div>',
        )

    def test_value_spans_one_line_only(self):
        self.assertMarkdownRenders("{{ a.csv\n.n }}", "<p>{{ a.csv\n.n }}</p>")

    def test_lines_count_each_occurrence_of_the_same_value(self):
        self.assertMarkdownRenders(
            "{{ a.csv.n }}\n\n```\n{{ a.csv.n }}\n```\n\n`{{ a.csv.m }}` and {{ a.csv.n }}",
            '<p><span class="v" data-line="1">a.csv.n</span></p>\n'
            "<pre><code>{{ a.csv.n }}\n</code></pre>\n"
            '<p><code>{{ a.csv.m }}</code> and <span class="v" data-line="7">a.csv.n</span></p>',
        )


def test_value_in_the_metadata_header_is_refused_where_it_is():
    text = "Title: Deals\nSummary: ICE listed {{ a.csv.n }}.\n\nBody."
    assert faults(text) == [
        "page.md:2: {{ a.csv.n }} is in the metadata header ('summary:'), where values are "
        "not read (metadata is taken as written); write the number in the text of the page "
        "instead"
    ]


def test_every_fault_of_a_page_is_raised_together_in_line_order():
    text = "Title: T\n\nA {{ fail.csv.n }}.\n\n```chart\nfail: 1\n```\n\n> {{ fail.csv.n }}\n"
    assert faults(text) == [
        "page.md:3: value fail.csv.n failed; fix it",
        "page.md:5: chart failed; fix it",
        "page.md:9: value fail.csv.n failed; fix it",
    ]


def test_prerender_finds_the_blocks_the_extension_renders():
    # One scanner: whatever the fences around them, prerender.blocks() and the extension agree.
    text = "\n\n".join(
        [
            "Title: T",
            "``` { .python }\nx\n```",
            "```chart\ndata: a.csv\n```",
            '```python hl_lines="1"\ny\n```',
            "~~~~table\r\ndata: b.csv\r\n~~~~",
            "```html+jinja\n{{ x }}\n```",
            "````markdown\n```chart\nhidden: true\n```\n````",
            "    ```chart\n    indented: true\n    ```",
            "```datasets\n```",
        ]
    )
    seen = []

    class Recorder(Shown):
        def render_block(self, kind, body, *, source, line):
            seen.append((kind, body, line))
            return ""

    markdown.Markdown(extensions=[*SITE_EXTENSIONS, DataDirectivesExtension(Recorder())]).convert(
        text
    )
    assert seen == [("chart", "data: a.csv", 7), ("table", "data: b.csv", 15)] + [
        ("datasets", "", 33)
    ]
    assert blocks(text) == seen[:2]  # prerender caches charts and tables


def test_a_real_build_reads_directives_and_values_only_where_markdown_does(tmp_path):
    from tiny_site import article_html, build, make_site

    value = "{{ months.csv[month=2026-02].total }}"
    article = "\n".join(
        [
            f"## {value} agreements",
            "",
            "| month | total |",
            "|---|---|",
            f"| Feb. 2026 | {value} |",
            "",
            f"[{value} agreements](https://www.ice.gov/) and `{value}`.",
            "",
            f"    {value}",
            "",
            "<div>",
            f"{value}",
            "</div>",
            "",
            '``` { .yaml hl_lines="1" }',
            f"total: {value}",
            "```",
            "",
            "```table",
            "data: months.csv",
            "title: Agreements by month",
            "source: ICE lists",
            "as_of: 2026-02-17",
            "```",
        ]
    )
    # Pelican's default Markdown settings here (extra, codehilite, meta): other sites' view.
    html = article_html(build(make_site(tmp_path, article)))
    number = '<span class="dd-value" data-dd-source="months.csv">1,425</span>'
    assert f"<h2>{number} agreements</h2>" in html
    assert f"<td>{number}</td>" in html
    assert f'<a href="https://www.ice.gov/">{number} agreements</a>' in html
    assert f"<code>{value}</code>" in html  # the code span
    assert f"<div>\n{value}\n</div>" in html  # the raw HTML block
    # The indented and the fenced code blocks are highlighted code, not values.
    assert html.count(number) == 3
    assert html.count('<div class="highlight"><pre>') == 2
    assert 'id="tbl-agreements-by-month"' in html  # the directive after the fence with attributes
