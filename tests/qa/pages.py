"""Find the pages a gate must check: every *.html in the build, so the gates grow with the site."""

from __future__ import annotations

from pathlib import Path


def discover_pages(site_dir: Path) -> list[str]:
    """Every HTML file under `site_dir`, as sorted site-relative POSIX paths."""
    return sorted(p.relative_to(site_dir).as_posix() for p in Path(site_dir).rglob("*.html"))


def slug(page: str) -> str:
    """A file-name-safe name for a page, for screenshots: "chapters/a.html" -> "chapters--a"."""
    return page.removesuffix(".html").replace("/", "--") or "index"
