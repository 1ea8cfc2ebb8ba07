"""The state pages on the real build, checked against the ingest reading ICE's sheet itself:
a page for every state and territory; every count on a page equals a count of rows of ICE's
May 18, 2026 sheet for that state, with its "as of" date and source; every agreement on the
sheet appears on exactly one page, as a row whose id is its sheet row; the index links them all;
the sitemap lists them; the published build gives each its canonical URL and share card."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from html.parser import HTMLParser

import pytest
from ingest.derive import agency_key
from ingest.read import read_snapshot

from tests.qa.tools import ROOT

pytestmark = pytest.mark.slow

SNAPSHOTS = ROOT.parent / "shared" / "data" / "ice-287g-snapshots"
LATEST = SNAPSHOTS / "participatingAgencies05182026am.xlsx"
JANUARY = SNAPSHOTS / "ParticipatingEntities-20250131031421.xlsx"
needs_snapshots = pytest.mark.skipif(not LATEST.is_file(), reason=f"no {LATEST}")
MODELS = ("task_force", "warrant_service_officer", "jail_enforcement")


class Page(HTMLParser):
    """Values, table rows (id and cells) and links of a built page."""

    def __init__(self, text):
        super().__init__()
        self.values, self.rows, self.links, self.meta = [], [], [], {}
        self._value = self._row = self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and "dd-value" in (a.get("class") or ""):
            self._value = ""
        elif tag == "tr" and a.get("id"):
            self._row = (a["id"], [])
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content")
        elif tag == "link" and a.get("rel") == "canonical":
            self.meta["canonical"] = a["href"]

    def handle_data(self, data):
        if self._value is not None:
            self._value += data
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag == "span" and self._value is not None:
            self.values.append(self._value)
            self._value = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row[1].append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def _states():
    with (ROOT / "data" / "states.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def sheet():
    latest, january = read_snapshot(LATEST), read_snapshot(JANUARY)
    by_state = defaultdict(list)
    for a in latest.agreements:
        by_state[a.state.name].append(a)
    return by_state, Counter(a.state.name for a in january.agreements)


def _page(built_site, slug):
    return Page((built_site / "states" / f"{slug}.html").read_text(encoding="utf-8"))


@needs_snapshots
def test_every_count_equals_rows_of_the_sheet(built_site, sheet):
    by_state, january = sheet
    source = "U.S. Immigration and Customs Enforcement, 287(g) participating agencies list"
    for st in _states():
        rows = by_state.get(st["state"], [])
        page = _page(built_site, st["slug"])
        jan = f"{january.get(st['state'], 0):,}"
        if rows:
            models = Counter(a.model for a in rows)
            agencies = len({agency_key(a) for a in rows})
            expected = ["May 18, 2026", f"{len(rows):,}", f"{agencies:,}", jan]
            expected += [f"{models.get(m, 0):,}" for m in MODELS] + ["May 18, 2026"]
            assert page.values[:8] == expected, st["state"]
            assert page.values[8].startswith(source)
        else:
            assert page.values[:3] == ["May 18, 2026", "0", jan], st["state"]


@needs_snapshots
def test_every_agreement_is_on_exactly_one_page_as_its_sheet_row(built_site, sheet):
    by_state, _ = sheet
    seen = Counter()
    for st in _states():
        page = _page(built_site, st["slug"])
        agreement_rows = [(i, cells) for i, cells in page.rows if "-r" in i]
        expected = {
            f"{st['state_code'].lower()}-r{a.row}": a for a in by_state.get(st["state"], [])
        }
        assert {i for i, _ in agreement_rows} == set(expected), st["state"]
        for row_id, cells in agreement_rows:
            a = expected[row_id]
            assert cells[0] == a.agency
            # "#N/A" and blank counties are listed as "not listed", never dropped
            assert cells[1] == ("not listed" if not a.county else cells[1])
            seen[row_id] += 1
    total = sum(len(v) for v in by_state.values())
    assert len(seen) == total == 1843 and set(seen.values()) == {1}


def test_every_state_page_is_linked_from_the_index_and_the_sitemap(built_site):
    index = Page((built_site / "pages" / "states.html").read_text(encoding="utf-8"))
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for st in _states():
        assert f"../states/{st['slug']}.html" in index.links, st["state"]
        assert f"states/{st['slug']}.html</loc>" in sitemap, st["state"]


def test_pages_without_agreements_say_why(built_site):
    california = (built_site / "states" / "california.html").read_text(encoding="utf-8")
    assert "no agreements on ICE" in california and "ban" in california and "SB 54" in california
    vermont = (built_site / "states" / "vermont.html").read_text(encoding="utf-8")
    assert "has no entry for Vermont" in vermont


def test_published_state_pages_have_their_own_meta_and_share_card(published_site):
    page = Page((published_site / "states" / "texas.html").read_text(encoding="utf-8"))
    assert page.meta["canonical"] == "https://example.org/explainer/states/texas.html"
    assert page.meta["og:title"] == "287(g) agreements in Texas"
    assert "Texas" in page.meta["description"]
    assert page.meta["og:image"] == "https://example.org/explainer/cards/state-texas.png"
    assert (published_site / "cards" / "state-texas.png").is_file()


SEARCH_INDEX_BUDGET = 40 * 1024  # gzip bytes; loaded only when a reader focuses the box


def test_search_index_is_within_budget(built_site):
    import gzip

    index = (built_site / "search" / "index.json").read_bytes()
    assert len(gzip.compress(index, 9)) <= SEARCH_INDEX_BUDGET
