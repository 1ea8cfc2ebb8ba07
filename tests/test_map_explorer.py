"""Maps you can explore (issue 12), on the real build in the real Chromium: the three static
maps (states by agreements, states by law, counties by agreements) answer hover, tap and the
keyboard with the region's name and the numbers in data/, a screen reader hears the same
through a polite live region, and nothing of the map explorer loads before the reader turns
to a map. The CSP is not bypassed here: a violation or a console error fails the test.

Map explorer: plugins/pelican-datadirectives/js/src/map-explorer.js; region data:
charts/maps.py `regions`; the loader's hook: js/src/loader.js.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from tests.qa.browser import Monitor, run_axe
from tests.qa.tools import ROOT, require_npm_tools

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _rows(name):
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _state_total(state):
    (row,) = [
        r
        for r in _rows("agreements_by_state.csv")
        if r["snapshot_date"] == "2026-05-18" and r["state"] == state
    ]
    return f"Agreements: {int(row['total']):,}"


def _texas_law():
    (row,) = [r for r in _rows("state_policies.csv") if r["state"] == "Texas"]
    assert row["stance"] == "mandate"
    return f"Instrument: {row['instrument']}"


def _county_total(county, state):
    (row,) = [
        r
        for r in _rows("agreements_by_county.csv")
        if r["county"] == county and r["state"] == state
    ]
    return f"Agreements: {int(row['agreements']):,}"


# (page, figure id, region, a line its tooltip must show, computed from data/)
MAPS = [
    ("growth.html", "fig-where-the-287-g-agreements-are", "Texas", lambda: _state_total("Texas")),
    (
        "bans-and-mandates.html",
        "fig-where-states-ban-or-require-287-g-agreements",
        "Texas",
        _texas_law,
    ),
    (
        "pages/states.html",
        "fig-is-your-county-on-the-list",
        "Harris County, Texas",
        lambda: _county_total("Harris County", "Texas"),
    ),
]
IDS = ["states", "laws", "counties"]
EXPLORER_REQUEST = re.compile(r"/dd-explorer\.[0-9a-f]+\.js$|/data/figures/[^/]+\.json$")

# Record CSP violations before any of the page's own code runs.
CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
# A point inside region `i` that the pointer would hit (the region's path is on top there).
POINT_IN_REGION = """([fid, mark, i]) => {
    const svg = document.querySelector(`#${fid} .dd-graphic svg:not(.dd-narrow)`);
    const paths = [...svg.querySelectorAll('g.mark-shape')[mark].children]
        .filter(c => c.localName === 'path');
    const p = paths[i];
    p.scrollIntoView({block: 'center', behavior: 'instant'});
    const b = p.getBoundingClientRect();
    for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8])
        for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
            const x = b.left + b.width * fx, y = b.top + b.height * fy;
            if (document.elementFromPoint(x, y) === p) return [x, y];
        }
    return null;
}"""
SCROLL_THROUGH = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 500) {
        scrollTo({top: y, behavior: 'instant'});
        await new Promise(r => setTimeout(r, 30));
    }
}"""
STILL = """async () => {
    let y = -1;
    while (y !== scrollY) { y = scrollY; await new Promise(r => setTimeout(r, 250)); }
    return y;
}"""
# Scroll the map into view; a point in region `a`, and one in the first of regions `bs` that
# has one: [x, y, index].
TWO_POINTS = """([fid, mark, a, bs]) => {
    const svg = document.querySelector(`#${fid} .dd-graphic svg:not(.dd-narrow)`);
    svg.scrollIntoView({block: 'center', behavior: 'instant'});
    const paths = [...svg.querySelectorAll('g.mark-shape')[mark].children]
        .filter(c => c.localName === 'path');
    const at = (i) => {
        const p = paths[i], b = p.getBoundingClientRect();
        for (const fy of [0.5, 0.4, 0.6, 0.3, 0.7])
            for (const fx of [0.5, 0.4, 0.6, 0.3, 0.7]) {
                const x = b.left + b.width * fx, y = b.top + b.height * fy;
                if (document.elementFromPoint(x, y) === p) return [x, y, i];
            }
        return null;
    };
    return [at(a), bs.map(at).find(Boolean)];
}"""
RINGS = """(fid) => [...document.querySelectorAll(`#${fid} .dd-map-ring`)]
    .map(r => r.getAttribute('display'))"""
TIP = """() => {
    const t = document.querySelector('.dd-map-tip');
    return t && !t.hidden ? t.innerText : null;
}"""


def region_data(built_site, page, fid):
    html = (built_site / page).read_text(encoding="utf-8")
    href = re.search(rf'<figure [^>]*id="{fid}"[^>]*data-dd-regions="([^"]+)"', html).group(1)
    return json.loads(((built_site / page).parent / href).resolve().read_text(encoding="utf-8"))


def spoken(data, i):
    """What the live region says for region i (the tooltip's lines, as sentences)."""
    name, *values = data["regions"][i]
    if values == [None]:  # no row for this region
        lines = [data["empty"]]
    else:
        lines = [f"{k}: {v}" for k, v in zip(data["labels"], values, strict=True) if v != ""]
    return " ".join([f"{name}.", *(f"{line}." for line in lines)])


def open_page(browser, root_server, url, **context_args):
    context = browser.new_context(**context_args)
    monitor = Monitor(context, f"127.0.0.1:{root_server.port}")
    page = context.new_page()
    page.add_init_script(CSP_WATCH)
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(root_server.url + url)
    page.wait_for_load_state("networkidle")
    return context, monitor, page


def finish(context, monitor, page):
    csp = page.evaluate("window.__csp")
    monitor.wait_quiet(page)
    problems = monitor.take()
    context.close()
    assert not csp, f"CSP violations: {csp}"
    assert not problems, problems


def focus_title(page, fid):
    page.evaluate(
        "(fid) => { const t = document.getElementById(fid + '-title');"
        " t.tabIndex = -1; t.focus(); }",
        fid,
    )


def wait_spoken(page, fid, text):
    """Wait until the map's live region says `text` (what a screen reader hears)."""
    page.wait_for_function(
        "([fid, text]) => document.querySelector(`#${fid} .dd-map-live`)?.textContent === text",
        arg=[fid, text],
    )


def live_text(page, fid):
    return page.evaluate(
        "(fid) => { const l = document.querySelector(`#${fid} .dd-map-live`);"
        " return l ? l.textContent : null; }",
        fid,
    )


@pytest.mark.parametrize(("url", "fid", "region", "line"), MAPS, ids=IDS)
def test_hover_shows_the_region_and_its_numbers(
    browser, root_server, built_site, url, fid, region, line
):
    data = region_data(built_site, url, fid)
    names = [r[0] for r in data["regions"]]
    i = names.index(region)
    assert line() in spoken(data, i)  # the region file says what data/ says
    context, monitor, page = open_page(
        browser, root_server, url, viewport={"width": 1280, "height": 900}
    )
    # Before interaction: the map is one Tab stop, but nothing of the explorer has loaded,
    # not even after scrolling the whole page (which wakes the live charts).
    svg = page.locator(f"#{fid} .dd-graphic svg:not(.dd-narrow)")
    assert svg.get_attribute("tabindex") == "0"
    assert svg.get_attribute("role") == "application"
    assert svg.get_attribute("aria-roledescription") == "map"  # set by the loader
    hint = page.locator(f"#{fid}-keys")
    assert hint.get_attribute("hidden") is not None  # read only as the description
    assert "Escape hides" in hint.text_content()
    assert f"{fid}-keys" in svg.get_attribute("aria-describedby").split()
    page.evaluate(SCROLL_THROUGH)
    monitor.wait_quiet(page)
    assert not [u for u in page.requests if EXPLORER_REQUEST.search(u)]
    point = page.evaluate(POINT_IN_REGION, [fid, data["mark"], i])
    assert point, f"no point of {region} is under the pointer"
    page.mouse.move(*point)
    page.wait_for_function(TIP)
    tip = page.evaluate(TIP).splitlines()
    assert tip[0] == region and line() in tip
    wait_spoken(page, fid, spoken(data, i))
    loaded = [u for u in page.requests if EXPLORER_REQUEST.search(u)]
    assert len(loaded) == 2  # the explorer and this map's regions, once each
    # The ring: drawn over the region, in its shape.
    ring = page.evaluate(f"""() => [...document.querySelectorAll('#{fid} .dd-map-ring')]
        .map(r => r.getAttribute('display'))""")
    assert ring == [None, None]
    # Escape hides a hover tooltip and its ring though focus is not on the map (WCAG 1.4.13).
    assert page.evaluate("() => document.activeElement.localName") != "svg"
    page.keyboard.press("Escape")
    assert page.evaluate(TIP) is None
    assert page.evaluate(RINGS, fid) == ["none", "none"]
    # Leaving the map hides the tooltip.
    page.mouse.move(point[0] + 1, point[1])
    page.wait_for_function(TIP)
    page.mouse.move(2, 2)
    page.wait_for_function(f"() => !({TIP})()")
    finish(context, monitor, page)


@pytest.mark.parametrize(("url", "fid", "region", "line"), MAPS, ids=IDS)
def test_a_tap_on_a_phone_shows_the_region(
    browser, root_server, built_site, url, fid, region, line
):
    data = region_data(built_site, url, fid)
    i = [r[0] for r in data["regions"]].index(region)
    context, monitor, page = open_page(
        browser,
        root_server,
        url,
        viewport={"width": 375, "height": 800},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    point = page.evaluate(POINT_IN_REGION, [fid, data["mark"], i])
    assert point, f"no point of {region} can be tapped at 375 px"
    page.touchscreen.tap(*point)
    page.wait_for_function(TIP)
    tip = page.evaluate(TIP).splitlines()
    assert tip[0] == region and line() in tip
    box = page.evaluate(
        "() => document.querySelector('.dd-map-tip').getBoundingClientRect().toJSON()"
    )
    assert box["left"] >= 0 and box["right"] <= 375, box  # on screen on a phone
    wait_spoken(page, fid, spoken(data, i))
    # A scroll hides the tooltip and the ring (they pointed at where the tap was).
    page.evaluate("() => scrollBy({top: 40, behavior: 'instant'})")
    page.wait_for_function(f"() => !({TIP})()")
    assert page.evaluate(RINGS, fid) == ["none", "none"]
    # A tap outside the map closes it.
    point = page.evaluate(POINT_IN_REGION, [fid, data["mark"], i])
    page.touchscreen.tap(*point)
    page.wait_for_function(TIP)
    page.touchscreen.tap(5, 5)
    page.wait_for_function(f"() => !({TIP})()")
    finish(context, monitor, page)


@pytest.mark.parametrize(("url", "fid", "region", "line"), MAPS, ids=IDS)
def test_the_keyboard_moves_between_regions(
    browser, root_server, built_site, url, fid, region, line
):
    data = region_data(built_site, url, fid)
    order = data["order"]
    context, monitor, page = open_page(
        browser, root_server, url, viewport={"width": 1280, "height": 900}
    )
    # Start Tab navigation at the figure's title (made focusable for the test): the next
    # stop is the map.
    focus_title(page, fid)
    assert not [u for u in page.requests if EXPLORER_REQUEST.search(u)]
    page.keyboard.press("Tab")
    assert page.evaluate(
        f"() => document.activeElement === document.querySelector('#{fid} .dd-graphic "
        "svg:not(.dd-narrow)')"
    )
    # Focus shows the first region in `order` (the data table's first row), and says it.
    wait_spoken(page, fid, spoken(data, order[0]))
    assert page.evaluate(TIP).splitlines()[0] == data["regions"][order[0]][0]
    # The focused map shows a focus ring (the site's :focus-visible outline).
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    said = {live_text(page, fid)}
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]:
        before = live_text(page, fid)
        page.keyboard.press(key)
        page.wait_for_function(
            "([fid, text]) => document.querySelector(`#${fid} .dd-map-live`).textContent !== text",
            arg=[fid, before],
        )
        said.add(live_text(page, fid))
        assert page.evaluate(TIP).splitlines()[0] in live_text(page, fid)
    assert len(said) >= 4  # every arrow moved somewhere new or back
    page.keyboard.press("End")
    wait_spoken(page, fid, spoken(data, order[-1]))
    page.keyboard.press("Home")
    wait_spoken(page, fid, spoken(data, order[0]))
    # The page does not scroll under the arrows (they move on the map only).
    y = page.evaluate(STILL)  # (the site scrolls smoothly: wait until it rests)
    page.keyboard.press("ArrowDown")
    assert page.evaluate(STILL) == y
    # Escape hides the tooltip and ring; focus stays on the map; Tab then leaves it.
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.localName") == "svg"
    assert page.evaluate(TIP) is None
    assert page.evaluate(RINGS, fid) == ["none", "none"]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.localName") != "svg"
    finish(context, monitor, page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_passes_while_a_map_is_explored(browser, root_server, scheme, width):
    """The a11y gate audits pages as loaded; this audits them with a map in use (focused, a
    region active, its tooltip and live text shown)."""
    require_npm_tools()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    problems = {}
    for url, fid, *_ in MAPS:
        page.goto(root_server.url + url)
        page.wait_for_load_state("networkidle")
        focus_title(page, fid)
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(TIP)
        found = run_axe(page)
        if found:
            problems[url] = found
    context.close()
    assert not problems, problems


def test_without_javascript_a_map_is_the_static_picture(browser, root_server, built_site):
    """No script: the map is exactly the SVG the build wrote (role=img, not a Tab stop)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for url, fid, *_ in MAPS:
        page.goto(root_server.url + url)
        svg = page.locator(f"#{fid} .dd-graphic svg:not(.dd-narrow)")
        assert svg.get_attribute("role") == "img"
        assert svg.get_attribute("tabindex") is None
        built = (built_site / url).read_text(encoding="utf-8")
        tag = re.search(rf'<svg [^>]*aria-labelledby="{fid}-title"[^>]*>', built).group(0)
        assert "tabindex" not in tag and 'role="img"' in tag
        assert page.locator(f"#{fid} .dd-map-live").count() == 0
    context.close()


def test_a_map_whose_regions_fail_to_load_stays_the_static_picture(
    browser, root_server, built_site
):
    url, fid, region, _ = MAPS[0]
    data = region_data(built_site, url, fid)
    i = [r[0] for r in data["regions"]].index(region)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    warnings, errors = [], []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/data/figures/*.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(root_server.url + url)
    page.wait_for_load_state("networkidle")
    page.mouse.move(*page.evaluate(POINT_IN_REGION, [fid, data["mark"], i]))
    svg = page.locator(f"#{fid} .dd-graphic svg:not(.dd-narrow)")
    page.wait_for_function(
        "(fid) => document.querySelector(`#${fid} .dd-graphic svg:not(.dd-narrow)`)"
        ".getAttribute('role') === 'img'",
        arg=fid,
    )
    assert svg.get_attribute("tabindex") is None  # no longer a Tab stop, nor click-focusable
    assert page.locator(f"#{fid}-keys").count() == 0  # the key hint is gone
    assert f"{fid}-keys" not in (svg.get_attribute("aria-describedby") or "")
    assert page.evaluate(TIP) is None
    # More events on the dead map: still one warning, from one place, naming the map.
    page.mouse.move(2, 2)
    page.mouse.move(*page.evaluate(POINT_IN_REGION, [fid, data["mark"], i]))
    page.wait_for_timeout(300)
    assert len(warnings) == 1 and fid in warnings[0] and "static" in warnings[0], warnings
    assert not errors
    context.close()


def test_an_earlier_chart_failure_does_not_silence_a_map_failure(browser, root_server):
    """The chart runtime's warning and a map's are separate: each failure is reported."""
    url, fid, *_ = MAPS[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.route("**/dd-runtime.*.js", lambda route: route.fulfill(status=404, body="gone"))
    page.route("**/data/figures/*.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(root_server.url + url)
    page.wait_for_load_state("networkidle")
    page.evaluate(SCROLL_THROUGH)  # wakes the live charts: their runtime fails
    for _ in range(20):
        if any(w.startswith("dd-chart") for w in warnings):
            break
        page.wait_for_timeout(100)
    assert any(w.startswith("dd-chart") for w in warnings), warnings
    focus_title(page, fid)
    page.keyboard.press("Tab")  # wakes the map: its regions fail
    page.wait_for_function(
        "(fid) => document.querySelector(`#${fid} .dd-graphic svg:not(.dd-narrow)`)"
        ".getAttribute('role') === 'img'",
        arg=fid,
    )
    assert [w for w in warnings if w.startswith("dd-map")] == [w for w in warnings if fid in w]
    assert len([w for w in warnings if fid in w]) == 1, warnings
    context.close()


def test_a_mouse_sweep_is_not_announced_region_by_region(browser, root_server, built_site):
    """A hover is announced once the pointer rests; a sweep over many regions says only the
    one it stops on (not a queue of every region crossed)."""
    url, fid, _, _ = MAPS[2]  # the county map: many small regions
    data = region_data(built_site, url, fid)
    context, monitor, page = open_page(
        browser, root_server, url, viewport={"width": 1280, "height": 900}
    )
    names = [r[0] for r in data["regions"]]
    harris = names.index("Harris County, Texas")
    east = [i for i, n in enumerate(names) if n.endswith((", Florida", ", Georgia"))]
    start, end = page.evaluate(TWO_POINTS, [fid, data["mark"], harris, east])
    page.mouse.move(*start[:2])
    page.wait_for_function(TIP)
    page.wait_for_function(
        "(fid) => document.querySelector(`#${fid} .dd-map-live`)?.textContent", arg=fid
    )
    page.evaluate(
        """(fid) => { window.__said = [];
        new MutationObserver(() => window.__said.push(
            document.querySelector(`#${fid} .dd-map-live`).textContent))
          .observe(document.querySelector(`#${fid} .dd-map-live`),
                   {childList: true, characterData: true, subtree: true}); }""",
        fid,
    )
    # Sweep east in 30 quick steps, crossing many counties, to rest on one.
    page.mouse.move(*end[:2], steps=30)
    last = page.evaluate(TIP).splitlines()[0]
    assert last == names[end[2]]
    page.wait_for_function("() => window.__said.length > 0")
    page.wait_for_timeout(500)
    said = page.evaluate("() => window.__said")
    assert said == [spoken(data, names.index(last))], said
    finish(context, monitor, page)


def test_a_touch_drag_on_a_map_scrolls_and_says_nothing(browser, root_server, built_site):
    """A finger that lands on a region and drags is a scroll: no ring, no tooltip and nothing
    spoken for the regions it crosses (touch pointermove is ignored; pointercancel clears)."""
    url, fid, region, _ = MAPS[2]  # the county map
    data = region_data(built_site, url, fid)
    names = [r[0] for r in data["regions"]]
    context, monitor, page = open_page(
        browser,
        root_server,
        url,
        viewport={"width": 375, "height": 800},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    point = page.evaluate(POINT_IN_REGION, [fid, data["mark"], names.index(region)])
    page.touchscreen.tap(*point)  # loads the explorer; says Harris County
    page.wait_for_function(TIP)
    page.wait_for_function(
        "(fid) => document.querySelector(`#${fid} .dd-map-live`)?.textContent", arg=fid
    )
    page.touchscreen.tap(5, 5)
    page.wait_for_function(f"() => !({TIP})()")
    said = live_text(page, fid)
    # The drag starts on another county (a pointerdown there must not be spoken).
    other = next(i for i in data["order"] if names[i] != region)
    point = page.evaluate(POINT_IN_REGION, [fid, data["mark"], other])
    cdp = context.new_cdp_session(page)
    x, y = point

    def touch(kind, ty):
        points = [] if kind == "touchEnd" else [{"x": x, "y": ty}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", y)
    for step in range(1, 16):  # a drag up the screen, across counties
        touch("touchMove", y - step * 12)
        page.wait_for_timeout(16)
    touch("touchEnd", y - 180)
    page.wait_for_timeout(600)
    assert page.evaluate("() => scrollY") > 0  # the page scrolled
    assert page.evaluate(TIP) is None
    assert page.evaluate(RINGS, fid) == ["none", "none"]
    assert live_text(page, fid) == said  # nothing new was spoken
    finish(context, monitor, page)
