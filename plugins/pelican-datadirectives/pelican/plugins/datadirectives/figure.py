"""The HTML a directive becomes: an accessible <figure> around a chart or a table.

Everything that came from a CSV or a directive is escaped here, once, at the point it enters
HTML. The layout is a contract with the theme's CSS and the chart runtime
(docs/directives.md, "What a chart becomes").
"""

from __future__ import annotations

import re
from html import escape

from .formats import format_value

# Replaced per page with the path back to the site root (see plugin.relative_root).
ROOT_MARKER = "__DD_ROOT__"

_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_PATH_DATA = re.compile(r'(\sd=")([^"]*)"')
_FINE_NUMBER = re.compile(r"-?\d*\.\d{2,}")


def slugify(text: str) -> str:
    """A short, stable HTML id fragment from a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:48].rstrip("-") or "chart"


def accessible_svg(svg: str, fig_id: str, id_prefix: str, classes: str = "") -> str:
    """Give vl-convert's SVG an accessible name and description, and page-unique ids.

    vl-convert marks axes with ARIA but leaves the root unnamed; role="img" with
    aria-labelledby/-describedby points screen readers at the figure's title and alt text.
    Its internal ids (clip paths, gradients) are the same in every chart, so two charts on one
    page would collide: prefix them with the chart's content hash.
    """
    for old in sorted(set(_SVG_ID.findall(svg)), key=len, reverse=True):
        new = f"{id_prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    match = _SVG_OPEN.search(svg)
    if not match:
        raise ValueError("vl-convert returned no <svg> element")
    tag = match.group(0)
    tag_new = re.sub(r'\sclass="[^"]*"', "", tag)
    tag_new = tag_new[:-1] + (
        f' class="{" ".join(["dd-svg", *classes.split()])}" role="img"'
        f' aria-labelledby="{fig_id}-title"'
        f' aria-describedby="{fig_id}-desc" focusable="false">'
    )
    # Below a role="img" root everything is presentational, so Vega's per-mark ARIA (roles,
    # labels, role descriptions) only adds bytes, and axe flags inner role="img" groups
    # without names: the figure's title and description speak for the whole chart.
    body = _INNER_ARIA.sub("", svg[match.end() :])
    # The background is the page's: drop the opaque rect vl-convert paints first.
    svg = svg[: match.start()] + tag_new + body
    svg = round_paths(svg)
    return re.sub(
        r'<rect width="[\d.]+" height="[\d.]+" fill="(?:white|#ffffff|#fff)"/>', "", svg, count=1
    )


def decorative_svg(svg: str, id_prefix: str, classes: str) -> str:
    """An SVG that repeats what its figure already says (a map's phone legend), hidden from
    screen readers: the map's own SVG and the data table carry the same information."""
    named = accessible_svg(svg, "x", id_prefix, classes)
    return re.sub(
        r'\srole="img" aria-labelledby="x-title" aria-describedby="x-desc"',
        ' aria-hidden="true"',
        named,
        count=1,
    )


# Every place a figure's HTML names one of its own ids: the id itself, references by id
# (aria-labelledby="a b" lists, headers, for) and fragment links (href="#a", url(#a)). An
# attribute name must not continue a longer name (data-id=, xlink:href= does count): that
# check is made in Python on each match, not as a leading lookbehind, because a pattern that
# starts with literal text lets the regex engine skip ahead to candidates in C (a warm 100x
# rebuild spent 1.8 s of CPU here with the lookbehind first; now 0.3 s).
_ID_USE = re.compile(
    r'(?P<head>(?:id|for|headers|aria-(?:labelledby|describedby|controls|owns|details))=")'
    r'(?P<ids>[^"]*)(?=")'
    r'|(?P<link>(?:href="|url\()#)(?P<target>[^")]+)(?=[")])'
)
_NAME_CHAR = re.compile(r"[\w-]")


def _ids(html: str) -> list[str]:
    """The values of the `id` attributes in `html`, in order (str.find: no regex per char)."""
    found, at = [], html.find('id="')
    while at >= 0:
        end = html.find('"', at + 4)
        if end < 0:
            break
        if at == 0 or not _NAME_CHAR.match(html, at - 1):
            found.append(html[at + 4 : end])
        at = html.find('id="', at + 4)
    return found


def unique_ids(html: str, used: set) -> str:
    """`html` with its ids unique among `used` (the ids already on the page), which it extends.

    A figure's ids come from its content (its title or `id:`, its chart's hash), so two
    figures on one page can share them: the same chart twice, two charts with one title.
    The second such figure gets every one of its ids suffixed "-2" (a third "-3"), and every
    reference to them too, so the page stays valid and each figure's aria references name its
    own caption. Deterministic: it depends only on the page's figures, in order.
    """
    ids = _ids(html)
    if used.isdisjoint(ids):
        used.update(ids)
        return html
    n = 2
    while not used.isdisjoint(f"{i}-{n}" for i in ids):
        n += 1
    new = {i: f"{i}-{n}" for i in ids}

    def rename(m: re.Match) -> str:
        at = m.start()
        if at and m["link"] != "url(#" and _NAME_CHAR.match(html, at - 1):
            return m.group(0)  # part of a longer attribute name (data-id="...")
        if m["head"]:
            return m["head"] + " ".join(new.get(i, i) for i in m["ids"].split(" "))
        return m["link"] + new.get(m["target"], m["target"])

    used.update(new.values())
    return _ID_USE.sub(rename, html)


def round_paths(svg: str) -> str:
    """Round path coordinates to a tenth of a pixel (vl-convert writes thousandths).

    Page weight: a US map's state outlines are ~200 KB of path data; a tenth of a pixel is
    invisible at any zoom a reader uses and makes the map's SVG ~35% smaller gzipped
    (bench/run.py, docs/performance.md). Only `d` attributes change; text, ids and
    transforms are left as they are.
    """

    def tenth(m: re.Match) -> str:
        text = f"{float(m.group(0)):.1f}".removesuffix(".0")
        return "0" if text == "-0" else text

    return _PATH_DATA.sub(lambda m: m.group(1) + _FINE_NUMBER.sub(tenth, m.group(2)) + '"', svg)


_MAP_PATH = re.compile(r' d="([^"]*)"')
_MAP_DECIMAL = re.compile(r"-?\d+\.\d+")


def whole_pixel_paths(svg: str) -> str:
    """Round path coordinates to whole pixels.

    A state map's borders are most of its bytes (about 170 KB at one decimal). On a chart
    at most 640 px wide, a tenth of a pixel is invisible, and rounding halves the map's
    weight on the page.
    """

    def round_path(match):
        path = _MAP_DECIMAL.sub(lambda n: str(round(float(n.group()))), match.group(1))
        return f' d="{path}"'

    return _MAP_PATH.sub(round_path, svg)


_PATH_TOKEN = re.compile(r"([MLZ])|(-?\d+),(-?\d+)")
_WHOLE_PIXEL_PATH = re.compile(r"[MLZ0-9,\-]*")


def relative_path(d: str) -> str:
    """One whole-pixel path (M/L/Z only) in relative steps, repeated points dropped.

    `M187,176L190,176L195,177` becomes `M187,176l3,0 5,1`: small numbers, and the same few
    steps over and over, which gzip packs well. Any other path is returned as it is."""
    if not _WHOLE_PIXEL_PATH.fullmatch(d):
        return d
    out: list[str] = []
    append = out.append  # a county map has ~900 paths of ~80 points: a tight loop
    x = y = start_x = start_y = 0
    command, last = "M", ""
    for letter, text_x, text_y in _PATH_TOKEN.findall(d):
        if letter:
            if letter == "Z":
                append("z")
                x, y, last = start_x, start_y, "z"
            else:
                command = letter
            continue
        nx, ny = int(text_x), int(text_y)
        if command == "M":
            append(f"M{nx},{ny}")
            start_x, start_y, last, command = nx, ny, "M", "L"
        elif nx != x or ny != y:
            step = f"{nx - x},{ny - y}"
            if last == "l":
                append(step if step[0] == "-" else " " + step)
            else:
                append("l" + step)
                last = "l"
        x, y = nx, ny
    return "".join(out)


def relative_paths(svg: str) -> str:
    """Every whole-pixel path of an SVG in relative steps (a county map: 79 KB gzip -> 33)."""
    return _MAP_PATH.sub(lambda m: f' d="{relative_path(m.group(1))}"', svg)


def caption(fig_id: str, title: str, subtitle: str | None) -> str:
    """The figure's title and optional subtitle."""
    parts = [
        '<figcaption class="dd-caption">',
        f'<p class="dd-title" id="{fig_id}-title">{escape(title)}</p>',
    ]
    if subtitle:
        parts.append(f'<p class="dd-subtitle" id="{fig_id}-subtitle">{escape(subtitle)}</p>')
    parts.append("</figcaption>")
    return "".join(parts)


def meta(
    source: str,
    as_of: str | None,
    notes: str | None,
    csv_href: str | None,
    full: list[tuple[str, str]] = (),
) -> str:
    """The footer: source line with 'as of' date, notes, and the 'Get the data' link; then,
    for a figure that shows a digest of bigger data (`sql:`, Parquet), a link to each full
    data file as (file name, href)."""
    line = f"Source: {escape(source.rstrip('.'))}."
    if as_of:
        line += f" As of {escape(as_of)}."
    parts = ['<footer class="dd-meta">', f'<p class="dd-source">{line}</p>']
    if notes:
        parts.append(f'<p class="dd-notes">{escape(notes)}</p>')
    if csv_href:
        parts.append(
            f'<p class="dd-download"><a href="{escape(csv_href)}" download>'
            "Get the data (CSV)</a>"
            + "".join(
                f' · <a href="{escape(href)}" download>Full data: {escape(name)}</a>'
                for name, href in full
            )
            + "</p>"
        )
    parts.append("</footer>")
    return "".join(parts)


# A table wider than this (px, estimated) stacks on phones: the 375 px viewport less the
# page's side margins. Its cells are drawn in the theme's UI font at about 14.4 px.
PHONE_TABLE_WIDTH = 335
CHAR_PX = 8.0  # a generous average glyph width of Inter at 0.9rem
CELL_PADDING_PX = 12
WRAP_CHARS = 28  # a longer cell wraps onto more lines rather than widen its column


def fits_phone(texts_by_column: list[list[str]]) -> bool:
    """Whether a table's columns, each as wide as its longest cell (or WRAP_CHARS, where a
    long cell wraps), fit in PHONE_TABLE_WIDTH."""
    width = 0.0
    for texts in texts_by_column:
        longest = max((len(t) for t in texts), default=0)
        width += min(longest, WRAP_CHARS) * CHAR_PX + CELL_PADDING_PX
    return width <= PHONE_TABLE_WIDTH


def data_table(
    rows: list[dict],
    columns: list[str],
    *,
    caption_text: str,
    table_id: str,
    headers: dict | None = None,
    formats: dict | None = None,
    total_rows: int | None = None,
    links: dict | None = None,
    row_ids: list | None = None,
) -> str:
    """An accessible HTML table: caption, column headers with scope, row headers, numbers right.

    `links` maps a column to one href per row (None: plain text); `row_ids` gives each row
    an id, so a link can point at it.

    A table too wide for a phone (fits_phone) gets the class `dd-stack`: below 560 px the
    theme shows each row as a block of label/value lines (each cell's `data-label` names its
    column), so nothing scrolls sideways. The HTML stays a plain table (caption, header row,
    scopes): HTML forbids explicit roles on the rows and cells of a table, and Chromium and
    Firefox keep a table's semantics when CSS changes its display."""
    headers = headers or {}
    links = links or {}
    formats = formats or {}
    numeric = {c for c in columns if rows and all(_is_num(r.get(c)) for r in rows)}
    labels = [str(headers.get(c, c)) for c in columns]
    cells = [[format_value(row.get(c), formats.get(c)) for c in columns] for row in rows]
    stack = not fits_phone([[labels[i]] + [r[i] for r in cells] for i in range(len(columns))])

    def label(i: int) -> str:
        return f' data-label="{escape(labels[i])}"' if stack else ""

    table_class = "dd-table dd-stack" if stack else "dd-table"
    out = [
        f'<div class="dd-table-wrap" tabindex="0" role="region" '
        f'aria-labelledby="{table_id}-caption">',
        f'<table class="{table_class}">',
        f'<caption id="{table_id}-caption">{escape(caption_text)}</caption>',
        "<thead><tr>",
    ]
    for c, text in zip(columns, labels, strict=True):
        cls = ' class="dd-num"' if c in numeric else ""
        out.append(f'<th scope="col"{cls}>{escape(text)}</th>')
    out.append("</tr></thead><tbody>")
    for n, row_cells in enumerate(cells):
        row_id = f' id="{escape(row_ids[n])}"' if row_ids else ""
        out.append(f"<tr{row_id}>")
        for i, c in enumerate(columns):
            text = escape(row_cells[i])
            href = links[c][n] if c in links else None
            if href and text:
                text = f'<a href="{escape(href)}">{text}</a>'
            cls = ' class="dd-num"' if c in numeric else ""
            if i == 0:
                out.append(f'<th scope="row"{cls}{label(i)}>{text}</th>')
            else:
                out.append(f"<td{cls}{label(i)}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if total_rows is not None and total_rows > len(rows):
        out.append(
            f'<p class="dd-notes">Showing the first {len(rows):,} of {total_rows:,} '
            "rows; get the data for all of them.</p>"
        )
    return "".join(out)


def _is_num(value) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
