"""Figures held out of Markdown, Pelican and Jinja come back byte for byte (placeholders.py).

Real Pelican builds of one tiny site, with DATA_DIRECTIVES['PLACEHOLDERS'] on and off, must
write the same bytes into every file. The site exercises each reader of a page's HTML: the
same chart twice (ids renamed when put back), a table linking another article through the
site root (ROOT_MARKER, per page depth), a live chart (dd_live_charts), the stylesheet link,
summaries (cut before a figure, and a short page whose summary is its whole HTML, figures and
all), the index page listing them, Atom and RSS feeds with absolute URLs. A token left in a
written file (a template that escapes the content) ends the build naming the file.
"""

from __future__ import annotations

import textwrap

import markdown
import pytest
from pelican import signals
from pelican.plugins.datadirectives import placeholders
from pelican.plugins.datadirectives.plugin import STATE
from tiny_site import LINE_CHART, build, make_site, run_build, write_settings

TABLE = """\
```table
data: months.csv
title: Months and the second article
source: ICE lists
as_of: 2026-02-17
links: {month: "chapters/second-article.html#m-{month}"}
```
"""

# No Summary: Pelican's summary is the whole (short) HTML, figures included.
FIRST = "\n".join(["Intro.", "", LINE_CHART.format(y="total"), LINE_CHART.format(y="total"), TABLE])

WORDS = " ".join(f"word{n}" for n in range(80))
SECOND = f"""\
Title: Second article
Date: 2026-02-20
Slug: second-article

{WORDS}

{LINE_CHART.format(y="agencies")}

## After the chart

More text.
"""

PAGE = f"""\
Title: About
Slug: about

A page with a table.

{TABLE}
"""

SETTINGS = {
    "ARTICLE_URL": "chapters/{slug}.html",
    "ARTICLE_SAVE_AS": "chapters/{slug}.html",
}
PUBLISHED = {
    **SETTINGS,
    "SITEURL": "https://example.org/sub",
    "RELATIVE_URLS": False,
    "FEED_DOMAIN": "https://example.org/sub",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
}


def site(tmp_path):
    folder = make_site(tmp_path, FIRST)
    (folder / "content" / "second.md").write_text(SECOND, encoding="utf-8")
    (folder / "content" / "pages").mkdir()
    (folder / "content" / "pages" / "about.md").write_text(PAGE, encoding="utf-8")
    return folder


def files(folder):
    found = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.*")}
    assert "chapters/test-article.html" in found, f"no article in {folder}"
    return found


def build_into(folder, name, placeholders_on, settings):
    """Build with placeholders on or off into output-<name>; return (files, held figures)."""
    found = {}

    def keep_state(pelican):
        found["state"] = pelican.settings.get(STATE)

    output = folder / f"output-{name}"
    signals.finalized.connect(keep_state)
    try:
        build(
            folder,
            OUTPUT_PATH=str(output),
            DATA_DIRECTIVES={
                "DATA_DIR": str(folder / "data"),
                "CACHE_DIR": str(folder / ".cache"),
                "PLACEHOLDERS": placeholders_on,
            },
            **settings,
        )
    finally:
        signals.finalized.disconnect(keep_state)
    held = found["state"].held
    return files(output), (len(held.figures) if held else 0)


@pytest.mark.parametrize("settings", [SETTINGS, PUBLISHED], ids=["relative", "published"])
def test_every_file_is_byte_identical_with_placeholders_on_and_off(tmp_path, settings):
    folder = site(tmp_path)
    before, none = build_into(folder, "off", False, settings)
    after, held = build_into(folder, "on", True, settings)
    assert none == 0
    # Every figure was held: 3 on the first article, 1 on the second, 1 on the page.
    assert held == 5
    assert sorted(after) == sorted(before)
    differ = [name for name in before if before[name] != after[name]]
    assert not differ, f"placeholders changed these files: {differ}"
    first = after["chapters/test-article.html"].decode()
    # What the page needed from its figures is really there, in this build.
    assert 'href="../chapters/second-article.html#m-2025-01"' in first or settings is PUBLISHED
    assert first.count('class="dd-figure') == 3 and "-title-2" in first
    assert "dd-figure:" not in first
    if settings is PUBLISHED:
        feed = after["feeds/all.atom.xml"].decode()
        assert feed.count("dd-figure dd-chart") >= 2 and "dd-figure:" not in feed


def test_page_dd_figures_answers_for_the_held_figures(tmp_path):
    folder = site(tmp_path)
    seen = {}

    def look(instance):
        if getattr(instance, "slug", "") == "about":
            seen["figures"] = instance.dd_figures
            seen["content"] = instance._content

    signals.content_object_init.connect(look)
    try:
        build_into(folder, "on", True, SETTINGS)
    finally:
        signals.content_object_init.disconnect(look)
    # The page's own HTML holds a token; its figure, with the link resolved, answers `in`.
    assert "second-article.html#m-2025-01" not in seen["content"]
    assert "chapters/second-article.html#m-2025-01" in seen["figures"]
    assert "no-such-text" not in seen["figures"]


OVERRIDE = """\
<!DOCTYPE html>
<html><head><title>{{ article.title }}</title>
<meta name="description" content="{{ article.content | e }}"></head>
<body>{{ article.content }}</body></html>
"""


def test_a_token_left_in_a_written_page_ends_the_build_naming_it(tmp_path):
    folder = site(tmp_path)
    templates = folder / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(OVERRIDE, encoding="utf-8")
    with pytest.raises(
        placeholders.PlaceholderLeft, match=r"chapters/[a-z-]+\.html: a figure placeholder"
    ):
        build_into(folder, "on", True, {**SETTINGS, "THEME_TEMPLATES_OVERRIDES": [str(templates)]})
    # Without placeholders the same template writes the escaped figures: the failure is the
    # token's, not the template's.
    build_into(folder, "off", False, {**SETTINGS, "THEME_TEMPLATES_OVERRIDES": [str(templates)]})


def test_the_build_tool_exits_non_zero_on_a_leftover_token(tmp_path):
    folder = write_settings(site(tmp_path))
    templates = folder / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(OVERRIDE, encoding="utf-8")
    with (folder / "pelican.conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"THEME_TEMPLATES_OVERRIDES = [{str(templates)!r}]\n")
    result = run_build(folder, workers=1)
    assert result.returncode != 0
    assert "article.html: a figure placeholder" in result.stderr
    assert not (folder / "output").exists()  # the atomic build left no half-written site


@pytest.mark.parametrize(
    ("html", "holdable"),
    [
        ('<figure class="dd-figure">x</figure>', True),
        ('<div class="dd-table-wrap">x</div>', True),
        ('<span class="dd-value">3</span>', False),  # inline: Markdown keeps its <p>
        ("plain text", False),
        ('<figure><a href="{filename}/x.md">x</a></figure>', False),  # Pelican rewrites it
        ("<figure><a href='|static|x.png'>x</a></figure>", False),
        ('<figure><a title="x" href="{static}/y.png">y</a></figure>', False),
        # A quote and brace in text, not in a tag (a live chart's JSON spec): no link.
        ('<figure><script type="application/json">{"t": "{\\"m\\": x}"}</script></figure>', True),
        ("<figure>\x02wzxhzdk:1\x03</figure>", False),  # Markdown's own placeholder
    ],
)
def test_only_figures_every_skipped_step_would_leave_alone_are_held(html, holdable):
    md = markdown.Markdown(extensions=["extra", "toc"])
    held = placeholders.Held({"INTRASITE_LINK_REGEX": placeholders.PELICAN_LINKS})
    assert held.holdable(md, html) is holdable
    other = placeholders.Held({"INTRASITE_LINK_REGEX": r"\[(?P<what>.*?)\]"})
    assert not other.holdable(md, '<figure class="dd-figure">x</figure>')


def test_a_markdown_postprocessor_we_do_not_know_turns_holding_off():
    class Shout(markdown.postprocessors.Postprocessor):
        def run(self, text):
            return text.upper()

    md = markdown.Markdown(extensions=["extra"])
    md.postprocessors.register(Shout(md), "shout", 5)
    held = placeholders.Held({"INTRASITE_LINK_REGEX": placeholders.PELICAN_LINKS})
    assert not held.holdable(md, '<figure class="dd-figure">x</figure>')


def test_the_site_pelican_default_is_the_pattern_placeholders_know():
    from pelican.settings import DEFAULT_CONFIG

    assert DEFAULT_CONFIG["INTRASITE_LINK_REGEX"] == placeholders.PELICAN_LINKS
    assert textwrap.dedent(placeholders.__doc__)
