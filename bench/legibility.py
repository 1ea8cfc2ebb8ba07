"""The legibility gate's figures for a built site, per page (issue 15; docs/testing.md).

    .venv/bin/python bench/legibility.py output            # after `make html`

Serves the folder on 127.0.0.1, measures every page at 375 and 1280 px, light and dark,
JavaScript on and off (tests/qa/legibility.py), and prints per page: the smallest rendered
chart text in px (over all variants), texts under 11 px, clipped texts, overlapping label
pairs and tables wider than the viewport (each counted in its worst variant), then every
problem with --problems.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.qa import legibility  # noqa: E402
from tests.qa.pages import discover_pages  # noqa: E402
from tests.static_server import StaticServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--problems", action="store_true", help="list every problem")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.qa.browser import launch

    pages = discover_pages(args.site)
    with StaticServer(args.site.resolve()) as server, sync_playwright() as pw:
        browser = launch(pw)
        results = legibility.audit_site(browser, server.url, pages)
        browser.close()
    head = ("page", "smallest px", "<11px", "clipped", "overlap", "wide tables")
    print(f"{head[0]:32} {head[1]:>11} {head[2]:>6} {head[3]:>8} {head[4]:>8} {head[5]:>11}")
    totals = [0, 0, 0, 0]
    for page in pages:
        sums = [legibility.summary(results[v][page]) for v in results]
        sizes = [s["smallest_px"] for s in sums if s["smallest_px"] is not None]
        worst = [
            max(s[k] for s in sums) for k in ("small", "clipped", "overlapping", "wide_tables")
        ]
        totals = [a + b for a, b in zip(totals, worst, strict=True)]
        low = f"{min(sizes):.1f}" if sizes else "-"
        print(f"{page:32} {low:>11} {worst[0]:>6} {worst[1]:>8} {worst[2]:>8} {worst[3]:>11}")
    print(f"{'total':32} {'':>11} {totals[0]:>6} {totals[1]:>8} {totals[2]:>8} {totals[3]:>11}")
    if args.problems:
        for variant, per_page in results.items():
            for page, result in per_page.items():
                for problem in legibility.problems(result):
                    print(f"{variant} {page}: {problem}")


if __name__ == "__main__":
    main()
