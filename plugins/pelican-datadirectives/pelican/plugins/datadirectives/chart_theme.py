"""The chart theme: one dict of design tokens, the Vega-Lite config and the dark-mode CSS.

Charts are rendered once, at build time, to static SVG with the light theme's exact hex
colours. Dark mode is done in CSS: `charts_css()` writes one rule per light colour that
remaps the `fill`/`stroke` attributes vl-convert wrote (it copies colour strings verbatim,
so every colour here is a lowercase six-digit hex and the selectors match byte for byte).
Because the config and the CSS are both generated from `TOKENS`, they cannot drift apart.

Newsroom style: no chart border, light horizontal gridlines only, no y domain line, short
labels, titles in the figure's HTML (never in the SVG), transparent background, and direct
labels instead of legends where the chart builder can place them.
"""

from __future__ import annotations

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", sans-serif'
)

# Every colour is a (light, dark) pair. The light value is written into the SVG; the dark
# value replaces it under `prefers-color-scheme: dark`. A colour that reads well on both
# backgrounds (the categorical palette) has light == dark and needs no CSS rule.
TOKENS: dict = {
    "font": FONT_STACK,
    "font_size": {"label": 12, "title": 12, "annotation": 12, "direct_label": 12},
    "background": {"light": "#ffffff", "dark": "#121212"},  # the page behind the chart
    "colors": {
        "text": ("#1a1a1a", "#e8e8e8"),  # annotation text, direct labels fall-back
        "muted": ("#595959", "#a8a8a8"),  # axis labels and titles, legend labels
        "domain": ("#767676", "#8f8f8f"),  # the x baseline and ticks: a graphic, >= 3:1
        "grid": ("#949494", "#6b6b6b"),  # horizontal gridlines, dotted so they read light
        "rule": ("#4d4d4d", "#bdbdbd"),  # annotation rules
        "map_stroke": ("#fefefe", "#131313"),  # state borders: the page colour, one step off
        "no_data": ("#d9d9d9", "#3d3d3d"),  # map shapes without a row in the CSV
    },
    # Okabe-Ito derived, each 3:1 or better on white and on #121212, and at least 10 CIE76
    # units apart from every other entry under simulated deutan, protan and tritan vision
    # (tests/test_charts.py beside the plugin checks both). Same colours in both modes.
    "categorical": ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#888844", "#5e60ce"],
    # Choropleth classes, low to high. In dark mode low values are dark and high values
    # bright, so "more" still stands out from the page.
    "sequential": {
        "light": ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
        "dark": ["#1b3550", "#1f5a8a", "#3a84c1", "#74b0e0", "#bcdcf5"],
    },
    # Purple-orange (ColorBrewer PuOr, colour-blind safe), negative to positive.
    "diverging": {
        "light": ["#b35806", "#f1a340", "#fee0b6", "#f4f4f4", "#d8daeb", "#998ec3", "#542788"],
        "dark": ["#f5a54a", "#c9802f", "#6e5236", "#2f2f2f", "#4d4874", "#8e84c4", "#cbc3ee"],
    },
    "line_width": 2,
    "point_size": 40,
}

# Minimum contrast ratios (WCAG 2.x) each colour role must reach on the page background, in
# both modes. Text is 1.4.3 (4.5:1); the baseline, ticks, rules and gridlines are graphics
# needed to read the chart, 1.4.11 (3:1). Gridlines stay light to the eye by being dotted
# (`GRID_DASH`), not by being faint.
MIN_CONTRAST = {
    "text": 4.5,
    "muted": 4.5,
    "domain": 3.0,
    "rule": 3.0,
    "grid": 3.0,
}
GRID_DASH = [1, 3]


def with_font(tokens: dict, family: str | None) -> dict:
    """The tokens with `family` named first in the font stack (the site's shipped font)."""
    if not family:
        return tokens
    return {**tokens, "font": f"{family}, {FONT_STACK}"}


def use_font(spec: dict, family: str | None) -> dict:
    """A Vega-Lite spec whose theme names `family` first wherever it names the font stack
    (DATA_DIRECTIVES['FONT_FAMILY']; None leaves the spec as it is)."""
    if not family or "config" not in spec:
        return spec
    stack = with_font(TOKENS, family)["font"]

    def swap(value):
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return stack if value == FONT_STACK else value

    return {**spec, "config": swap(spec["config"])}


def light(tokens: dict, name: str) -> str:
    """The light-mode (as rendered) hex of a named colour token."""
    return tokens["colors"][name][0]


def vega_config(tokens: dict = TOKENS) -> dict:
    """The Vega-Lite `config` object for every chart, built from the tokens."""
    text, muted = light(tokens, "text"), light(tokens, "muted")
    domain, grid = light(tokens, "domain"), light(tokens, "grid")
    sizes = tokens["font_size"]
    font = tokens["font"]
    # Axes and legends share their type: muted labels and plain (not bold) titles.
    guide_text = {
        "labelFont": font,
        "labelFontSize": sizes["label"],
        "labelColor": muted,
        "titleFont": font,
        "titleFontSize": sizes["title"],
        "titleFontWeight": "normal",
        "titleColor": muted,
    }
    return {
        "font": font,
        # Room for labels a reader's font draws wider than the fonts vl-convert measures with.
        "padding": {"left": 8, "right": 12, "top": 4, "bottom": 2},
        "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 320},
        "axis": {
            **guide_text,
            "domainColor": domain,
            "tickColor": domain,
            "gridColor": grid,
            "gridDash": GRID_DASH,
            "labelLimit": 160,
            "labelOverlap": True,
        },
        # Horizontal gridlines only; the y axis is drawn by its labels, not a line.
        "axisY": {
            "grid": True,
            "domain": False,
            "ticks": False,
            "labelPadding": 6,
            "tickCount": 5,
            "titleAngle": 0,
            "titleAlign": "left",
            "titleAnchor": "end",
            "titleBaseline": "bottom",
            "titleX": 0,
            "titleY": -10,
        },
        "axisX": {"grid": False, "domain": True, "ticks": True, "tickSize": 4, "labelAngle": 0},
        "axisQuantitative": {"tickCount": 5},
        "axisTemporal": {"tickCount": 6},
        # Category axes (bar labels): no ticks, no grid.
        "axisBand": {"grid": False, "ticks": False, "domain": False},
        "legend": {
            "orient": "top",
            "direction": "horizontal",
            **guide_text,
            "symbolStrokeWidth": 0,
            "symbolStrokeColor": light(tokens, "grid"),
            "gradientStrokeColor": light(tokens, "grid"),
            "gradientStrokeWidth": 0,
            "symbolType": "square",
            "titleOrient": "left",
            "offset": 26,  # clears the y-axis title, which sits above the plot
            "labelLimit": 200,
            # vl-convert measures text in Liberation Sans; readers' system fonts can be ~15%
            # wider, so leave air between legend entries rather than let them overlap.
            "columnPadding": 20,
            "titlePadding": 14,
            "rowPadding": 6,
        },
        "header": {
            "labelFont": font,
            "labelFontSize": sizes["title"],
            "labelColor": text,
            "labelAnchor": "start",
            "title": None,
        },
        # Titles live in the figure's HTML, never in the SVG.
        "title": {"color": text, "font": font, "fontSize": sizes["title"], "anchor": "start"},
        "range": {
            "category": list(tokens["categorical"]),
            "ordinal": list(tokens["sequential"]["light"]),
            "ramp": list(tokens["sequential"]["light"]),
            "heatmap": list(tokens["sequential"]["light"]),
            "diverging": list(tokens["diverging"]["light"]),
        },
        # A null value on a colour scale (a map's state without a row) is painted "no data".
        "scale": {"invalid": {"color": {"value": light(tokens, "no_data")}}},
        "mark": {"color": tokens["categorical"][0], "font": font},
        "line": {"strokeWidth": tokens["line_width"], "strokeCap": "round"},
        "area": {"opacity": 0.85},
        "bar": {"stroke": None, "continuousBandSize": 8},
        "point": {"filled": True, "size": tokens["point_size"], "opacity": 1},
        "rule": {"color": light(tokens, "rule"), "strokeWidth": 1},
        "text": {"color": text, "font": font, "fontSize": sizes["annotation"]},
        "geoshape": {"stroke": light(tokens, "map_stroke"), "strokeWidth": 0.75},
    }


def dark_remaps(tokens: dict = TOKENS) -> dict[str, str]:
    """Map each light hex written into the SVG to its dark hex (only those that change)."""
    pairs = list(tokens["colors"].values())
    for scheme in ("sequential", "diverging"):
        pairs += list(zip(tokens[scheme]["light"], tokens[scheme]["dark"], strict=True))
    remap: dict[str, str] = {}
    for light_hex, dark_hex in pairs:
        if light_hex in remap and remap[light_hex] != dark_hex:
            raise ValueError(f"chart theme: {light_hex} has two dark counterparts")
        if light_hex != dark_hex:
            remap[light_hex] = dark_hex
    return dict(sorted(remap.items()))


# Below this viewport width a chart with a phone drawing shows it instead of the wide one.
NARROW_BREAKPOINT = 560


# A table too wide for a phone (class dd-stack, set by figure.data_table) becomes one block per
# row below 560 px: one "label  value" line per cell, the label from the cell's data-label. The
# header row stays for screen readers (visually hidden) and the HTML stays a plain table. This
# is the layout every theme needs, so it lives here, in the file every theme links; colours
# are the theme's (or dd-figures.css's): a row's border takes the text colour unless the
# theme sets `border-bottom-color` on `.dd-table.dd-stack tr`.
STACKED_TABLES_CSS = """\
/* Tables too wide for a phone (dd-stack): one block per row, "label  value" per cell. */
@media (max-width: 34.999em) {
  .dd-table.dd-stack,
  .dd-table.dd-stack tbody,
  .dd-table.dd-stack tr {
    display: block;
    width: 100%;
  }
  .dd-table.dd-stack caption {
    display: block;
  }
  .dd-table.dd-stack thead {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .dd-table.dd-stack tr {
    padding: 0.5rem 0;
    border-bottom-width: 1px;
    border-bottom-style: solid;
  }
  .dd-table.dd-stack th[scope="row"],
  .dd-table.dd-stack td {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    column-gap: 0.75rem;
    padding: 0.15rem 0;
    border: 0;
    text-align: left;
    overflow-wrap: anywhere;
  }
  .dd-table.dd-stack th[scope="row"]::before,
  .dd-table.dd-stack td::before {
    content: attr(data-label);
    content: attr(data-label) / "";
    font-weight: 600;
  }
}
"""


def charts_css(tokens: dict = TOKENS) -> str:
    """CSS that picks each chart's wide or phone drawing, stacks wide tables on phones, and
    repaints charts in dark mode."""
    lines = [
        "/* Generated by datadirectives (chart_theme.py): do not edit. */",
        "/* A chart may carry two drawings: wide, and narrow for phones (larger type). */",
        ".dd-graphic .dd-narrow { display: none; }",
        "/* A small chart (size: small) has one drawing, phone-wide: never stretched wider. */",
        ".dd-graphic svg.dd-small { width: auto; }",
        f"@media (max-width: {NARROW_BREAKPOINT - 0.02}px) {{",
        "  .dd-graphic .dd-wide.dd-has-narrow { display: none; }",
        "  .dd-graphic .dd-narrow { display: block; }",
        "  /* A map scales down whole; its legend is drawn again for the phone (dd-legend). */",
        "  .dd-graphic svg.dd-has-legend .role-legend { display: none; }",
        "}",
        "/* Charts are static SVG in the light theme's colours; dark screens remap them. */",
        "@media screen and (prefers-color-scheme: dark) {",
    ]
    for light_hex, dark_hex in dark_remaps(tokens).items():
        for attr in ("fill", "stroke"):
            lines.append(f'  .dd-graphic svg [{attr}="{light_hex}"] {{ {attr}: {dark_hex}; }}')
    lines.append("}")
    return "\n".join(lines) + "\n" + STACKED_TABLES_CSS


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    h = hex_colour.lstrip("#")
    channels = []
    for i in (0, 2, 4):
        c = int(h[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio between two #rrggbb colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)))
    return (lb + 0.05) / (la + 0.05)
