"""Browser-side checkers, run in Debian's Chromium through Playwright (Python).

Each function takes a Playwright page (or context) and returns problems as strings:
- `Monitor`: console errors, page errors, failed requests, HTTP errors, and requests to any
  host but the site's own (logged, then aborted, so nothing leaves the machine).
- `run_axe`: axe-core (pinned npm package, injected from disk) at WCAG 2.2 AA.
- `chart_name_problems`: every svg[role=img] has a non-empty accessible name.
- `keyboard_problems`: Tab reaches every control, in DOM order, each with a visible focus ring.
- `nojs_chart_problems`: with JavaScript off, every figure.dd-chart still shows its SVG.
- `horizontal_overflow_problems`: nothing makes the page scroll sideways at this width.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from .tools import AXE_JS, CHROMIUM, CHROMIUM_ARGS

# WCAG 2.2 AA, as axe-core tags it (2.2 A criteria carry no tag of their own in axe 4.x).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def launch(playwright):
    """One headless Chromium for the whole session (starting one costs about a second)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


class Monitor:
    """Watch every page of a browser context; `take()` returns and clears what went wrong.

    Requests to any host other than `allowed_netloc` are logged as problems and aborted.
    With `block_site_scripts`, the site's own scripts are aborted too (quietly): that is how
    the no-JavaScript view is audited with axe, which needs JavaScript itself.
    """

    def __init__(self, context, allowed_netloc: str, *, block_site_scripts: bool = False):
        self.allowed = allowed_netloc
        self.block_scripts = block_site_scripts
        self.problems: list[str] = []
        self._aborted: set[str] = set()
        self._pending: set = set()  # requests started and not yet finished or failed
        context.on("request", self._started)
        context.on("requestfinished", self._finished)
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", lambda e: self.problems.append(f"uncaught error: {e.error}"))
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != self.allowed:
            self.problems.append(f"request to another host (aborted): {url}")
            self._aborted.add(url)
            return route.abort("blockedbyclient")
        if self.block_scripts and route.request.resource_type == "script":
            self._aborted.add(url)
            return route.abort("blockedbyclient")
        return route.continue_()

    def _console(self, msg):
        if msg.type == "error":
            loc = msg.location or {}
            if "ERR_BLOCKED_BY_CLIENT" in msg.text and loc.get("url") in self._aborted:
                return  # the echo of a request this monitor aborted (already reported)
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc else ""
            self.problems.append(f"console error: {msg.text}{where}")

    def _started(self, request):
        self._pending.add(request)

    def _finished(self, request):
        self._pending.discard(request)

    def wait_quiet(self, page, quiet_ms: int = 300, timeout_ms: int = 30_000) -> None:
        """Wait until no request of this context is in flight for `quiet_ms`. (Playwright's
        wait_for_load_state("networkidle") returns at once when the page reached that state
        earlier, so a runtime fetched on hover could still be in flight, and the next page
        load would abort it: a failure of the test, not of the site.)"""
        quiet = waited = 0
        while quiet < quiet_ms:
            if waited >= timeout_ms:
                names = ", ".join(sorted(r.url for r in self._pending))
                self.problems.append(f"requests still in flight after {timeout_ms} ms: {names}")
                return
            page.wait_for_timeout(50)
            waited += 50
            quiet = quiet + 50 if not self._pending else 0

    def _failed(self, request):
        self._pending.discard(request)
        if request.url not in self._aborted:
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


def settle(page) -> None:
    """Scroll to the bottom and back, so lazy things (charts near the viewport) load, then
    wait until the network is quiet."""
    page.wait_for_load_state("load")
    page.evaluate(
        """async () => {
            const step = Math.max(200, window.innerHeight * 0.8);
            for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
                window.scrollTo(0, y);
                await new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
            }
            window.scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")


def run_axe(page, *, axe_js: Path = AXE_JS, tags: list[str] = AXE_TAGS) -> list[str]:
    """axe-core violations on the loaded page, one string per rule with its failing nodes.

    The page's context needs bypass_csp=True: the injected <script> is inline, which a strict
    Content-Security-Policy (rightly) refuses.
    """
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary}))}));
        }""",
        tags,
    )
    problems = []
    for v in result:
        nodes = "; ".join(
            f"{n['target']} -> {(n['summary'] or '').splitlines()[-1].strip()}"
            for n in v["nodes"][:5]
        )
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        problems.append(f"axe {v['id']} ({v['impact']}): {v['help']}: {nodes}{more}")
    return problems


def chart_name_problems(page) -> list[str]:
    """Every svg[role=img] needs a non-empty accessible name; every figure.dd-chart needs one
    such svg (a map the explorer made one Tab stop is an svg[role=application], named the
    same way)."""
    return page.evaluate(
        """() => {
            const out = [];
            const text = el => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
            const fig = el => el.parentElement && el.parentElement.closest('figure[id]');
            const desc = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (fig(el) ? ' in figure#' + fig(el).id : '');
            const charts = 'svg[role="img"], svg[role="application"]';
            for (const svg of document.querySelectorAll(charts)) {
                let name = '';
                const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/)
                    .filter(Boolean);
                for (const id of ids) {
                    const target = document.getElementById(id);
                    if (!target) out.push(`${desc(svg)}: aria-labelledby names missing #${id}`);
                    name += ' ' + text(target);
                }
                if (!ids.length) name = svg.getAttribute('aria-label') ||
                    text(svg.querySelector(':scope > title'));
                if (!name.trim()) out.push(`${desc(svg)}: svg[role=img] has no accessible name`);
            }
            for (const fig of document.querySelectorAll('figure.dd-chart')) {
                if (!fig.querySelector(charts))
                    out.push(`${desc(fig)}: figure.dd-chart has no svg[role=img]`);
            }
            return out;
        }"""
    )


# Focusable in Chromium by default, or made so by tabindex.
_FOCUSABLE = (
    'a[href], area[href], button, input:not([type="hidden"]), select, textarea, '
    "details > summary:first-of-type, iframe, audio[controls], video[controls], "
    '[contenteditable=""], [contenteditable="true"], [tabindex]'
)

_KEYBOARD_JS_PREPARE = """(selector) => {
    const all = [...document.querySelectorAll('*')];
    window.__qaAll = all;
    const describe = el => {
        const tag = el.tagName.toLowerCase();
        const label = (el.getAttribute('aria-label') || el.textContent || '')
            .replace(/\\s+/g, ' ').trim().slice(0, 40);
        return `<${tag}${el.id ? '#' + el.id : ''}${el.getAttribute('href') ?
            ' href=' + el.getAttribute('href') : ''}> "${label}"`;
    };
    window.__qaDescribe = describe;
    window.__qaStyle = el => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset,
                s.boxShadow].join(' | ');
    };
    const expected = [...document.querySelectorAll(selector)].filter(el =>
        el.tabIndex >= 0 && !el.disabled && !el.closest('[inert]') &&
        el.checkVisibility({visibilityProperty: true}));
    return expected.map(el => ({index: all.indexOf(el), desc: describe(el)}));
}"""

_KEYBOARD_JS_ACTIVE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) ||
                 s.boxShadow !== 'none';
    return {index: window.__qaAll.indexOf(el), desc: window.__qaDescribe(el),
            style: window.__qaStyle(el), ring};
}"""

_KEYBOARD_JS_UNFOCUSED = """(indexes) => {
    if (document.activeElement) document.activeElement.blur();
    return indexes.map(i => window.__qaStyle(window.__qaAll[i]));
}"""


def keyboard_problems(page) -> list[str]:
    """Tab through the page from the top: focus must move in DOM order, reach every focusable
    control (links, summaries, buttons, scrollable regions with tabindex...), and each
    focused control must look different (outline or box-shadow) from its unfocused self.

    Run it in a context with reduced motion and no transitions, so the focus ring is final
    when measured.
    """
    expected = page.evaluate(_KEYBOARD_JS_PREPARE, _FOCUSABLE)
    problems: list[str] = []
    visited: list[dict] = []
    for _ in range(len(expected) + 10):
        page.keyboard.press("Tab")
        active = page.evaluate(_KEYBOARD_JS_ACTIVE)
        if active is None or (visited and active["index"] == visited[0]["index"]):
            break  # focus left the page, or wrapped around
        visited.append(active)
    for before, after in zip(visited, visited[1:], strict=False):
        if after["index"] <= before["index"]:
            problems.append(
                f"focus order: Tab went from {before['desc']} back to {after['desc']}, "
                f"against DOM order (positive tabindex, or CSS reordering?)"
            )
    reached = {v["index"] for v in visited}
    for el in expected:
        if el["index"] not in reached:
            problems.append(f"keyboard: Tab never reaches {el['desc']}")
    unfocused = page.evaluate(_KEYBOARD_JS_UNFOCUSED, [v["index"] for v in visited])
    for v, style in zip(visited, unfocused, strict=True):
        if v["style"] == style or not v["ring"]:
            problems.append(
                f"focus indicator: {v['desc']} looks the same focused and unfocused "
                f"(outline/box-shadow: {style})"
            )
    return problems


def nojs_chart_problems(page) -> list[str]:
    """With JavaScript disabled: every figure.dd-chart shows an svg with a nonzero size.

    A figure may carry several SVGs (a wide one and a narrow one for phones, CSS showing one):
    at least one must be visible at this width. Uses Playwright locators (they work without
    page JavaScript), not page.evaluate.
    """
    problems = []
    figures = page.locator("figure.dd-chart")
    for i in range(figures.count()):
        fig = figures.nth(i)
        name = fig.get_attribute("id") or f"#{i + 1}"
        svgs = fig.locator("svg")
        if svgs.count() == 0:
            problems.append(f"figure.dd-chart {name}: no svg without JavaScript")
            continue
        boxes = [svgs.nth(k).bounding_box() for k in range(svgs.count())]
        if not any(b and b["width"] >= 1 and b["height"] >= 1 for b in boxes):
            problems.append(
                f"figure.dd-chart {name}: no svg has a visible size without JavaScript "
                f"({len(boxes)} svg, boxes {boxes})"
            )
    return problems


def horizontal_overflow_problems(page) -> list[str]:
    """The page must not scroll sideways; name the widest elements that stick out."""
    return page.evaluate(
        """() => {
            const root = document.documentElement, width = root.clientWidth;
            if (root.scrollWidth <= width) return [];
            const out = [`page is ${root.scrollWidth}px wide in a ${width}px viewport`];
            for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && out.length < 6 && !el.closest('[class*=visually-hidden]')
                    && getComputedStyle(el).position !== 'absolute') {
                    const cls = el.getAttribute('class');
                    const id = el.id ? '#' + el.id : (cls ? '.' + cls.split(' ')[0] : '');
                    out.push(`<${el.tagName.toLowerCase()}${id}> reaches ${Math.round(r.right)}px`);
                }
            }
            return out;
        }"""
    )
