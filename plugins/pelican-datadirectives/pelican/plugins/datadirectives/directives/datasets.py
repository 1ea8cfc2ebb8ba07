"""The `datasets` directive: a catalogue of every CSV in the data package, for a data page.

    ```datasets
    heading_level: 2
    ```

For each resource in datapackage.json: its title and description, the file with a download
link, row count and size, its sources (linked), licence, "as of" date, SHA-256 checksum, and
its columns. Everything is read from the package, so the page can never disagree with it.
"""

from __future__ import annotations

from html import escape

from ..errors import DirectiveError
from ..figure import ROOT_MARKER
from ..formats import format_date
from ..options import int_between
from .base import Context, Directive, Rendered

OPTIONS = {"heading_level": (2, int_between(2, 4))}


class DatasetsDirective(Directive):
    """Not cached: it reads only the data package, which every build loads anyway."""

    name = "datasets"
    options = OPTIONS

    def render(self, opts: dict, ctx: Context) -> Rendered:
        return Rendered(catalog(opts, ctx.package, ctx.config.output_data_dir))


def catalog(opts: dict, package: dict, output_data_dir: str) -> str:
    """HTML for every resource in `package` ({csv name: metadata dict})."""
    h = f"h{opts['heading_level']}"
    if not package:
        raise DirectiveError(
            "there is no datapackage.json in DATA_DIRECTIVES['DATA_DIR'] to list; describe "
            "the CSVs in one first (https://datapackage.org/standard/data-package/)"
        )
    package_href = f"{ROOT_MARKER}/{output_data_dir}/datapackage.json"
    parts = [
        '<div class="dd-catalog">',
        f'<p class="dd-download"><a href="{package_href}" download>Get the data package '
        f"(datapackage.json)</a>, which describes all {len(package)} files.</p>",
    ]
    for name, info in package.items():
        anchor = "data-" + info["name"].replace("_", "-")
        href = f"{ROOT_MARKER}/{output_data_dir}/{name}"
        sources = "; ".join(_link(s) for s in info.get("sources") or []) or "not given"
        licences = "; ".join(_link(s) for s in info.get("licenses") or []) or "not given"
        as_of = format_date(info["as_of"]) if info.get("as_of") else "not given"
        parts += [
            f'<section class="dd-dataset" aria-labelledby="{anchor}">',
            f'<{h} id="{anchor}">{escape(info["title"])}</{h}>',
            f"<p>{escape(info.get('description') or '')}</p>",
            "<dl>",
            f'<dt>File</dt><dd><a href="{escape(href)}" download>{escape(name)}</a> '
            f"({info['rows']:,} rows, {_size(info['bytes'])})</dd>",
            f"<dt>As of</dt><dd>{escape(as_of)}</dd>",
            f"<dt>Source</dt><dd>{sources}</dd>",
            f"<dt>Licence</dt><dd>{licences}</dd>",
            f'<dt>SHA-256</dt><dd><code class="dd-checksum">{escape(info["sha256"])}</code></dd>',
            "</dl>",
            f'<details><summary>Columns of {escape(name)}</summary><div class="dd-table-wrap" '
            f'tabindex="0" role="region" aria-label="Columns of {escape(name)}">'
            # Three columns, one of prose: stacked on phones (figure.data_table says how).
            '<table class="dd-table dd-stack">'
            f'<caption class="dd-visually-hidden">Columns of {escape(name)}</caption>'
            '<thead><tr><th scope="col">Column</th><th scope="col">Type</th>'
            '<th scope="col">Meaning</th></tr></thead><tbody>',
        ]
        for field in info.get("fields") or []:
            meaning = field.get("description") or field.get("title") or ""
            parts.append(
                f'<tr><th scope="row" data-label="Column">'
                f"<code>{escape(field['name'])}</code></th>"
                f'<td data-label="Type">{escape(field.get("type") or "")}</td>'
                f'<td data-label="Meaning">{escape(meaning)}</td></tr>'
            )
        parts.append("</tbody></table></div></details></section>")
    parts.append("</div>")
    return "".join(parts)


def _link(item: dict) -> str:
    title = escape(item.get("title") or item.get("name") or item.get("path") or "")
    path = item.get("path") or ""
    if path.startswith(("https://", "http://")):
        return f'<a href="{escape(path)}">{title}</a>'
    return title


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1024 else f"{n / 1024:,.1f} KB"
