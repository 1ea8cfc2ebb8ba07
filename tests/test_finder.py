"""The search box (theme/templates/_finder.html, theme/js/src/finder.js, plugins/search_index.py)
on the real build: the index loads only on focus, typing an agency, a city, a county or a state
lists matches in an ARIA combobox, the keyboard picks one and lands on its row of the state
page; without JavaScript the box is the list of state pages; the CSP holds (the real header)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.qa.browser import Monitor
from tests.qa.tools import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _rows(name):
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_index_has_every_agency_and_state_page(built_site):
    index = json.loads((built_site / "search" / "index.json").read_text(encoding="utf-8"))
    docs = [dict(zip(index["fields"], d, strict=True)) for d in index["docs"]]
    states = [d for d in docs if d["kind"] == "state"]
    assert len(states) == len(_rows("states.csv"))
    agencies = {(r["state"], r["agency"].casefold()) for r in _rows("agreements_latest.csv")}
    assert len(docs) - len(states) == len(agencies)
    for d in docs:  # every link lands on a page, and on a row that exists
        page, _, anchor = d["url"].partition("#")
        html = (built_site / page).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, d


@pytest.fixture
def page(browser, root_server):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    monitor = Monitor(context, f"127.0.0.1:{root_server.port}")
    tab = context.new_page()
    requests = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.requests = requests
    yield tab
    problems = monitor.take()
    context.close()
    assert not problems, problems


@pytest.mark.parametrize(
    "query,expected_text,expected_url",
    [
        # an agency
        (
            "harris county sheriff",
            ("Harris County Sheriff", "Georgia"),
            "states/georgia.html#ga-r544",
        ),
        # a city, in an agency's name (Houston, Missouri, in Texas County)
        ("houston police", ("Houston Police", "Missouri"), "states/missouri.html#mo-r841"),
        # a county
        ("poinsett", ("Harrisburg Police", "Poinsett County"), "states/arkansas.html#ar-r117"),
        # a state
        ("delaware", ("Delaware", "State page"), "states/delaware.html"),
    ],
)
def test_typing_finds_and_the_keyboard_goes_to_the_row(
    page, root_server, query, expected_text, expected_url
):
    page.goto(root_server.url + "index.html")
    assert not any("index.json" in r for r in page.requests), "index loaded before focus"
    box = page.locator("#finder-input")
    assert box.is_visible() and box.get_attribute("role") == "combobox"
    box.focus()
    page.keyboard.type(query)
    page.wait_for_selector("#finder-options [role=option]")
    assert any("search/index.json" in r for r in page.requests)
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator("#finder-options [role=option]")
    texts = [options.nth(i).inner_text() for i in range(options.count())]
    n = next(i for i, t in enumerate(texts) if all(e in t for e in expected_text))
    for _ in range(n + 1):
        page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{expected_url}*")
    if "#" in expected_url:
        row_id = page.url.split("#", 1)[1]
        row = page.locator(f"tr#{row_id}")
        assert expected_text[0] in row.inner_text()


def test_escape_closes_the_list(page, root_server):
    page.goto(root_server.url + "states/texas.html")
    page.locator("#finder-input").focus()
    page.keyboard.type("sheriff")
    page.wait_for_selector("#finder-options [role=option]")
    page.keyboard.press("Escape")
    assert page.locator("#finder-options").is_hidden()
    assert page.locator("#finder-input").get_attribute("aria-expanded") == "false"


def test_without_javascript_the_box_is_the_list_of_states(browser, root_server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(root_server.url + "index.html")
    assert tab.locator("#finder-input").is_hidden()
    links = tab.locator(".finder-states a")
    assert links.count() == len(_rows("states.csv"))
    links.filter(has_text="Texas").first.click()
    tab.wait_for_url("**/states/texas.html")
    context.close()
