"""Content-hashed asset names, so static hosts can cache theme assets forever.

After Pelican has written the site, every CSS, JavaScript, image and font file under the theme's
static directory (`output/theme/`) is renamed `name.<hash8>.ext`, where hash8 is the first eight
hex digits of the SHA-256 of its final bytes, and every reference to it in the site's HTML and
CSS files is rewritten. HTML itself keeps its name (and is served uncached, see docs/deploy.md).

Properties the rest of the project relies on:
- deterministic: the names depend on file contents only, and files are processed in sorted
  order, so the same input gives byte-identical output;
- idempotent: a file whose name already carries a hash (`vega.1a2b3c4d.js`,
  `runtime-1a2b3c4d5e6f.js`, including the interactive runtime's own bundles) is left alone,
  so a second run changes nothing;
- a CSS file is hashed after its own references (images, fonts, imported CSS) were rewritten,
  so changing an image changes the name of the stylesheet that uses it too.

References are found in HTML attributes that hold URLs (src, href, srcset, poster, content,
data-*), in `url(...)` and `@import` inside CSS and inline styles, and are resolved the way a
browser would (relative to the referencing file, site-absolute, or under SITEURL) before being
matched, so `../theme/css/site.css`, `/sub/theme/css/site.css` and
`https://example.org/sub/theme/css/site.css` are all found. JavaScript is not rewritten: a
script that builds asset URLs by name must hash its own files (the interactive runtime does).

Run by the site_tools plugin once Pelican has written the site (setting FINGERPRINT_ASSETS,
default True), or by hand: `python -m site_tools.fingerprint output --siteurl https://example.org/sub`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

# What gets a hashed name. HTML, feeds and data downloads keep stable, linkable names.
HASHED_EXTENSIONS = frozenset(
    {
        ".css",
        ".js",
        ".mjs",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".svg",
        ".ico",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
    }
)
# A name that already carries a content hash: `.1a2b3c4d.` or `-1a2b3c4d.` (8+ hex digits)
# right before the extension, optionally followed by `.min`.
ALREADY_HASHED = re.compile(r"[.-][0-9a-f]{8,64}(?:\.min)?\.[A-Za-z0-9]+$")

# Attributes whose whole value is one URL, and srcset-like ones that hold a list of them.
_URL_ATTR = re.compile(
    r"""(?P<pre>\s(?:src|href|poster|content|action|data-[\w-]+)\s*=\s*)
        (?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""",
    re.I | re.X,
)
_SRCSET_ATTR = re.compile(
    r"""(?P<pre>\s(?:srcset|imagesrcset)\s*=\s*)(?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""", re.I | re.X
)
_CSS_URL = re.compile(r"""(?P<pre>url\(\s*)(?P<q>["']?)(?P<url>[^"')\s]+)(?P=q)(?=\s*\))""", re.I)
_URL_PARTS = re.compile(r"(?P<dir>[^?#]*/|)(?P<name>[^/?#]*)(?P<rest>.*)", re.S)
_CSS_IMPORT = re.compile(r"""(?P<pre>@import\s+)(?P<q>["'])(?P<url>[^"']+)(?P=q)""", re.I)


def fingerprint(output_dir: str | Path, *, siteurl: str = "", static_dir: str = "theme") -> dict:
    """Hash-rename the assets under `output_dir/static_dir`, rewrite references; return the map.

    The map goes from old to new output-relative POSIX paths (empty when nothing was renamed,
    e.g. on a second run). `siteurl` is the site's SITEURL, used to recognise absolute and
    site-absolute references when the site is published under a sub-path.
    """
    root = Path(output_dir)
    static_root = root / static_dir
    if not static_root.is_dir():
        return {}
    candidates = sorted(
        p.relative_to(root).as_posix()
        for p in static_root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in HASHED_EXTENSIONS
        and not ALREADY_HASHED.search(p.name)
    )
    renamed: dict[str, str] = {}
    # Leaves first (images, fonts, scripts): their names feed into the CSS that uses them.
    for rel in (c for c in candidates if not c.endswith(".css")):
        renamed[rel] = _rename(root, rel, (root / rel).read_bytes())
    # Stylesheets in dependency order, each after the ones it @imports.
    css = [c for c in candidates if c.endswith(".css")]
    done: set[str] = set()

    def visit(rel: str, stack: tuple[str, ...] = ()) -> None:
        if rel in done or rel in stack:  # an @import cycle is the browser's problem, not ours
            return
        text = (root / rel).read_text(encoding="utf-8")
        for dep in sorted(_css_dependencies(text, rel, siteurl) & set(css)):
            visit(dep, (*stack, rel))
        text = _rewrite_css(text, rel, renamed, siteurl)
        (root / rel).write_text(text, encoding="utf-8")
        renamed[rel] = _rename(root, rel, text.encode("utf-8"))
        done.add(rel)

    for rel in css:
        visit(rel)
    if renamed:
        _rewrite_site(root, renamed, siteurl, skip=set(renamed.values()))
    logger.info("fingerprint: %d asset names hashed under %s/", len(renamed), static_dir)
    return renamed


def _rename(root: Path, rel: str, data: bytes) -> str:
    """Rename one file to name.<hash8>.ext; return its new output-relative path."""
    digest = hashlib.sha256(data).hexdigest()[:8]
    stem, ext = posixpath.splitext(rel)
    new = f"{stem}.{digest}{ext}"
    (root / rel).replace(root / new)
    return new


def _rewrite_site(root: Path, renamed: dict[str, str], siteurl: str, skip: set[str]) -> None:
    """Rewrite references in every HTML and CSS file of the site (hashed CSS already done)."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel in skip:
            continue
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            rewrite = _rewrite_html
        elif suffix == ".css":
            rewrite = _rewrite_css
        else:
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, rel, renamed, siteurl)
        if new != text:
            path.write_text(new, encoding="utf-8")


# Inline chart drawings and their JSON specs are most of a chart page's bytes and never name
# a theme asset: skipping them keeps this pass fast on big sites (bench: 1 s of a 5 s build).
_OPAQUE = re.compile(r"<svg\b.*?</svg>|<script type=\"application/json\".*?</script>", re.S)


def _rewrite_html(text: str, rel: str, renamed: dict[str, str], siteurl: str) -> str:
    """Rewrite asset URLs in an HTML document's attributes and inline styles."""
    parts, last = [], 0
    for m in _OPAQUE.finditer(text):
        parts += [_rewrite_markup(text[last : m.start()], rel, renamed, siteurl), m.group(0)]
        last = m.end()
    parts.append(_rewrite_markup(text[last:], rel, renamed, siteurl))
    return "".join(parts)


_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")


def _rewrite_markup(text: str, rel: str, renamed: dict[str, str], siteurl: str) -> str:
    # A URL can only resolve to a renamed file if that file's name is in it, as written or
    # %-encoded (normalising a path drops segments, it never makes one): a stretch of a page
    # without any (a figure's table, prose) is left as it is without scanning its attributes.
    names = {posixpath.basename(old) for old in renamed}
    if not any(name in text for name in names) and not _ENCODED.search(text):
        return text
    swap = _swapper(rel, renamed, siteurl)
    text = _URL_ATTR.sub(lambda m: m["pre"] + m["q"] + swap(m["url"]) + m["q"], text)
    text = _SRCSET_ATTR.sub(
        lambda m: m["pre"] + m["q"] + _swap_srcset(m["url"], swap) + m["q"], text
    )
    return _CSS_URL.sub(lambda m: m["pre"] + m["q"] + swap(m["url"]) + m["q"], text)


def _rewrite_css(text: str, rel: str, renamed: dict[str, str], siteurl: str) -> str:
    """Rewrite asset URLs in a stylesheet (url() and @import)."""
    swap = _swapper(rel, renamed, siteurl)
    text = _CSS_URL.sub(lambda m: m["pre"] + m["q"] + swap(m["url"]) + m["q"], text)
    return _CSS_IMPORT.sub(lambda m: m["pre"] + m["q"] + swap(m["url"]) + m["q"], text)


def _css_dependencies(text: str, rel: str, siteurl: str) -> set[str]:
    """The output-relative paths a stylesheet refers to."""
    urls = [m["url"] for m in _CSS_URL.finditer(text)] + [
        m["url"] for m in _CSS_IMPORT.finditer(text)
    ]
    return {r for u in urls if (r := resolve(u, rel, siteurl))}


def _swap_srcset(value: str, swap: Callable[[str], str]) -> str:
    """Rewrite each URL of a srcset list ("a.png 1x, b.png 2x")."""
    parts = []
    for candidate in value.split(","):
        lead = candidate[: len(candidate) - len(candidate.lstrip())]
        bits = candidate.strip().split(None, 1)
        if not bits:
            parts.append(candidate)
            continue
        parts.append(lead + " ".join([swap(bits[0]), *bits[1:]]))
    return ",".join(parts)


def _swapper(rel: str, renamed: dict[str, str], siteurl: str) -> Callable[[str], str]:
    """A function that maps one URL found in `rel` to its hashed form (or returns it as is)."""
    names = {posixpath.basename(old) for old in renamed}

    def swap(url: str) -> str:
        # Most URLs of a big page (links between pages, row anchors, data downloads) end in
        # no renamed file's name: skip resolving them (a warm rebuild spent most of this pass
        # in resolve). Decoded as resolve() decodes it; a last segment that normalises away
        # ("", ".", "..") is resolved.
        name = posixpath.basename(unquote(_URL_PARTS.match(url.strip())["name"]))
        if name not in names and name not in ("", ".", ".."):
            return url
        target = resolve(url, rel, siteurl)
        if target not in renamed:
            return url
        # The hashed file sits beside the original: only the last path segment changes.
        m = _URL_PARTS.match(url.strip())
        return m["dir"] + posixpath.basename(renamed[target]) + m["rest"]

    return swap


def resolve(url: str, referrer: str, siteurl: str = "") -> str | None:
    """The output-relative path a URL in output file `referrer` points at, or None if external.

    >>> resolve("../theme/css/site.css", "chapters/growth.html")
    'theme/css/site.css'
    >>> resolve("https://example.org/sub/theme/a.png", "index.html", "https://example.org/sub")
    'theme/a.png'
    >>> resolve("/sub/theme/a.png", "index.html", "https://example.org/sub")
    'theme/a.png'
    """
    url = url.strip()
    if not url or url.startswith(("#", "data:", "mailto:", "javascript:", "tel:")):
        return None
    parts = urlsplit(url)
    path = unquote(parts.path)
    site = urlsplit(siteurl.rstrip("/")) if siteurl else None
    if parts.scheme or parts.netloc:
        if not site or (parts.netloc, parts.scheme or site.scheme) != (site.netloc, site.scheme):
            return None
        prefix = unquote(site.path)
        if not path.startswith(prefix + "/"):
            return None
        path = path[len(prefix) :]
    if path.startswith("/"):
        prefix = unquote(site.path) if site else ""
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix) :]
        resolved = posixpath.normpath(path.lstrip("/"))
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(referrer), path))
    if resolved.startswith("../") or resolved in ("..", "."):
        return None
    return resolved


def main(argv: list[str] | None = None) -> int:
    """CLI: fingerprint an already built output directory."""
    parser = argparse.ArgumentParser(
        prog="python -m site_tools.fingerprint",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("output", help="the built site, e.g. output")
    parser.add_argument("--siteurl", default="", help="the site's SITEURL, if absolute")
    parser.add_argument("--static-dir", default="theme", help="THEME_STATIC_DIR (default theme)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    renamed = fingerprint(args.output, siteurl=args.siteurl, static_dir=args.static_dir)
    for old, new in sorted(renamed.items()):
        print(f"{old} -> {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
