"""Lighthouse on every page of a built site, in mobile mode: one table of the four scores.

    make bench-lighthouse            # builds output/, installs bench/package-lock.json, runs this
    .venv/bin/python bench/lighthouse.py SITE_DIR

Serves SITE_DIR gzip-compressed on 127.0.0.1 (uncompressed scripts would dominate the
performance score, and real hosts compress), runs the pinned Lighthouse (12.8.x, which runs on
Node 20) with Debian's Chromium on each page, prints performance / accessibility /
best-practices / SEO per page, then every audit that kept a page from 100. Full JSON reports
go to bench/results/lighthouse/ (git-ignored). On demand only: never part of `make test`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.qa.pages import discover_pages, slug  # noqa: E402
from tests.qa.tools import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.static_server import StaticServer  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
RESULTS = HERE / "results" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def run_lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile is its default form factor); returns the JSON report."""
    flags = " ".join(a for a in CHROMIUM_ARGS if a != "--headless") + " --headless=new"
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",
        f"--chrome-flags={flags}",
    ]
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(out.read_text())


def _items(audit: dict, limit: int = 3) -> list[str]:
    """The first few things an audit flagged (a URL, a selector, a message), to act on."""
    out = []
    for item in (audit.get("details") or {}).get("items", [])[:limit]:
        node = item.get("node") or {}
        url = item.get("url") or (item.get("sourceLocation") or {}).get("url")
        text = item.get("description") or url or node.get("selector") or ""
        if url and item.get("description"):
            text = f"{url}: {item['description']}"
        if text:
            out.append(str(text)[:160])
    return out


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else ROOT / "output").resolve()
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            "Lighthouse is not installed: run `npm ci --prefix bench --ignore-scripts`"
        )
    pages = discover_pages(site)
    if not pages:
        raise SystemExit(f"no HTML pages in {site}: build the site first (`make html`)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows, shortfalls = [], []
    with StaticServer(site, gzip_enabled=True) as server:
        for page in pages:
            report = run_lighthouse(server.url + page, RESULTS / f"{slug(page)}.json")
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            rows.append((page, scores))
            for c in CATEGORIES:
                for ref in report["categories"][c]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        value = audit.get("displayValue", "")
                        shortfalls.append(f"{page} [{c}] {audit['title']} {value}".rstrip())
                        shortfalls += [f"    {item}" for item in _items(audit)]
    version = report.get("lighthouseVersion", "?")
    width = max(len(p) for p, _ in rows)
    print(f"Lighthouse {version}, mobile, {server.url} (gzip), {len(rows)} pages")
    print(f"{'page':<{width}}  perf  a11y  best   seo")
    for page, s in rows:
        cells = "  ".join(f"{'n/a' if s[c] is None else round(s[c] * 100):>4}" for c in CATEGORIES)
        print(f"{page:<{width}}  {cells}")
    below = [p for p, s in rows if any(v is None or v < 1 for v in s.values())]
    print(f"\nTarget 100 on all four: {len(rows) - len(below)}/{len(rows)} pages meet it.")
    if shortfalls:
        print("\nAudits below 100 (weighted):")
        print("\n".join(f"  {s}" for s in shortfalls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
