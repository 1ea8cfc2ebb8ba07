"""The corrections channel: one setting (CORRECTIONS_URL) for `{{ corrections ... }}` in prose."""

import pytest
from test_directive_errors import stopped
from tiny_site import article_html, build, make_site

PAGE = "To report an error, {{ corrections open an issue in the tracker }}.\n"


def corrections_site(tmp_path, settings=None):
    site = make_site(tmp_path, PAGE, settings=settings)
    pages = site / "content" / "pages"
    pages.mkdir()
    (pages / "corrections.md").write_text("Title: Corrections\nSlug: corrections\n\nThe log.\n")
    return site


def test_link_goes_to_the_configured_tracker(tmp_path):
    url = "https://github.com/example/explainer/issues"
    html = article_html(build(corrections_site(tmp_path, {"CORRECTIONS_URL": url})))
    assert f'<a class="dd-corrections" href="{url}">open an issue in the tracker</a>' in html


def test_without_a_tracker_the_link_goes_to_the_corrections_page(tmp_path):
    html = article_html(build(corrections_site(tmp_path)))
    assert '<a class="dd-corrections" href="./pages/corrections.html">' in html


@pytest.mark.parametrize(
    ("body", "settings", "message"),
    [
        ("See {{ corrections }}.\n", None, r"\{\{ corrections \}\} needs the words to link"),
    ],
)
def test_wrong_corrections_value_stops_the_build(tmp_path, capsys, body, settings, message):
    site = make_site(tmp_path, body, settings=settings)
    stopped(site)
    err = capsys.readouterr().err
    assert __import__("re").search(message, err), err
    assert "content/article.md:5:" in err


def test_a_corrections_url_that_is_not_an_address_is_refused(tmp_path):
    from pelican.plugins.datadirectives.settings import SettingsError, load_config

    with pytest.raises(SettingsError, match=r"CORRECTIONS_URL must be an address"):
        load_config({"PATH": str(tmp_path), "CORRECTIONS_URL": "the tracker"})
