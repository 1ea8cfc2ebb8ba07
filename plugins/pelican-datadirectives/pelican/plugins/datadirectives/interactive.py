"""The spec an interactive chart ships to the browser: compiled Vega, data inlined, safe to embed.

`interactive_spec(vega_lite)` takes the same Vega-Lite dict the static SVG was rendered from
and returns compact JSON for `<script type="application/json" class="dd-spec">`:

- tooltips: every data mark without a tooltip gets one built from its encoding (field titles,
  the axis/legend number and date formats), so the reader sees formatted values;
- hover highlight: a `point` selection per data mark, drawn as an outline (bars, points,
  shapes) or as a dot on the nearest data point (lines, areas). Nothing changes until the
  pointer is over the chart, so the live view matches the static SVG pixel for pixel;
- compiled to Vega at build time (vl-convert, the same engine as the static SVG), so the page
  never ships the Vega-Lite compiler; data stays inline (no request at read time);
- what the live view does not need is dropped: `$schema`, `usermeta`, the root `description`
  (the figure's HTML names and describes the chart) and `background` (the page's own colour
  shows through, as in the static SVG, where figure.py drops the background rect);
- escaped for a <script> element: `<`, `>`, `&`, U+2028 and U+2029 become \\u escapes, so no
  string in the data can close the element or start a comment.

Pure functions: no Pelican, no file system, no network. Tests: tests/test_interactive.py.
"""

from __future__ import annotations

import copy
import json
import re

import vl_convert as vlc

from .chart_theme import TOKENS, light

# Marks that carry data (rules and text are annotations: no tooltip, no highlight).
_OUTLINE_MARKS = {"bar", "rect", "arc", "point", "circle", "square", "geoshape", "tick", "image"}
_SERIES_MARKS = {"line", "area", "trail"}
# Channels whose fields a tooltip lists, in reading order.
_TOOLTIP_CHANNELS = ("x", "y", "color", "fill", "stroke", "theta", "size", "shape", "detail")
# Keys of a unit spec that stay on the unit when it is wrapped in a layer; the rest (data,
# transform, width, height, title, config, ...) move to the new layer, shared by both.
_UNIT_ONLY = {"mark", "encoding", "params", "projection", "name"}
# Facet-by-encoding cannot live inside a layer.
_FACET_CHANNELS = {"row", "column", "facet"}

HOVER_PARAM = "dd_hover"
DEFAULT_NUMBER_FORMAT = ","
DEFAULT_DATE_FORMAT = "%b %-d, %Y"
_TIME_UNIT_FORMATS = {"year": "%Y", "yearmonth": "%b %Y", "yearquarter": "Q%q %Y", "month": "%b"}


class InteractiveSpecError(ValueError):
    """The Vega-Lite spec cannot become an interactive chart (e.g. data by URL)."""


def interactive_spec(vega_lite: dict) -> str:
    """Return the compiled, enhanced, script-safe Vega JSON for one chart."""
    vl = copy.deepcopy(vega_lite)
    vl = enhance(vl, vl.get("config") or {}, counter=[0])
    vega = vlc.vegalite_to_vega(vl)
    return script_safe_json(strip_vega(vega))


def enhance(spec: dict, config: dict, counter: list[int], inherited: dict | None = None) -> dict:
    """Add tooltips and hover highlight to every data mark of a Vega-Lite spec (mutates it).

    Walks views (layer, facet, concat, repeat); `inherited` is the encoding a layer passes to
    its children, so tooltips see the whole effective encoding. Use the returned spec: a line
    or area unit comes back wrapped in a new layer with its hover dots.
    """
    for key in ("layer", "concat", "hconcat", "vconcat"):
        if key in spec:
            enc = {**(inherited or {}), **spec.get("encoding", {})} if key == "layer" else None
            spec[key] = [enhance(child, config, counter, enc) for child in spec[key]]
            return spec
    if isinstance(spec.get("spec"), dict):  # facet and repeat
        spec["spec"] = enhance(spec["spec"], config, counter, None)
        return spec
    if "mark" not in spec:
        return spec
    return _enhance_unit(spec, config, counter, inherited or {})


def _enhance_unit(unit: dict, config: dict, counter: list[int], inherited: dict) -> dict:
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
    kind = mark.get("type")
    if kind not in _OUTLINE_MARKS | _SERIES_MARKS:
        return unit
    encoding = unit.setdefault("encoding", {})
    effective = {**inherited, **encoding}
    has_tooltip = "tooltip" in effective or mark.get("tooltip") not in (None, False)
    tooltip = None if has_tooltip else tooltip_for(effective)
    # An author's own selection wins: no second one on the same view.
    has_selection = any("select" in p for p in unit.get("params", []))

    if kind in _OUTLINE_MARKS:
        if tooltip:
            encoding["tooltip"] = tooltip
        if not has_selection and not {"stroke", "strokeWidth"} & effective.keys():
            name = _param_name(counter)
            unit.setdefault("params", []).append(_hover_param(name, nearest=False))
            encoding.update(_outline_encoding(name, kind, mark, config))
        return unit

    # Lines and areas: the path is one element, so a tooltip on it would show one row
    # whatever the pointer is near. Dots at each data point carry the tooltip instead,
    # invisible until the nearest one is hovered.
    if has_selection or _FACET_CHANNELS & effective.keys() or not {"x", "y"} <= effective.keys():
        if tooltip:
            encoding["tooltip"] = tooltip
        return unit
    name = _param_name(counter)
    dots_enc = {k: copy.deepcopy(v) for k, v in effective.items() if k in _TOOLTIP_CHANNELS}
    if (
        kind == "area"
        and "stack" not in dots_enc.get("y", {})
        and ({"color", "fill", "detail"} & dots_enc.keys())
    ):
        dots_enc["y"]["stack"] = "zero"  # dots sit on the stacked areas' tops
    dots_enc.pop("size", None)
    dots_enc["opacity"] = {"condition": {"param": name, "empty": False, "value": 1}, "value": 0}
    if tooltip or has_tooltip:
        dots_enc["tooltip"] = tooltip or copy.deepcopy(effective.get("tooltip"))
    dots = {
        "mark": {"type": "point", "filled": True, "size": TOKENS["point_size"] * 2, "clip": True},
        "encoding": dots_enc,
        "params": [_hover_param(name, nearest=True)],
    }
    line = {k: v for k, v in unit.items() if k in _UNIT_ONLY}
    layer = {k: v for k, v in unit.items() if k not in _UNIT_ONLY}
    layer["layer"] = [line, dots]
    return layer


def tooltip_for(encoding: dict) -> list[dict] | None:
    """Tooltip field definitions from an encoding: titled and formatted like the axes."""
    items, seen = [], set()
    for channel in _TOOLTIP_CHANNELS:
        cdef = encoding.get(channel)
        if not isinstance(cdef, dict) or "field" not in cdef and "aggregate" not in cdef:
            continue
        ident = (cdef.get("field"), cdef.get("aggregate"), cdef.get("timeUnit"))
        if ident in seen:
            continue
        seen.add(ident)
        item = {
            k: copy.deepcopy(cdef[k])
            for k in ("field", "type", "aggregate", "timeUnit", "bin", "format", "formatType")
            if k in cdef
        }
        guide = cdef.get("axis") or cdef.get("legend") or {}
        title = cdef.get("title", guide.get("title") if isinstance(guide, dict) else None)
        item["title"] = title if isinstance(title, str) and title else _field_title(cdef)
        if "format" not in item and isinstance(guide, dict) and "format" in guide:
            item["format"] = guide["format"]
            if "formatType" in guide:
                item["formatType"] = guide["formatType"]
        if "format" not in item:
            if cdef.get("type") == "quantitative" and "bin" not in cdef:
                item["format"] = DEFAULT_NUMBER_FORMAT
            elif cdef.get("type") == "temporal":
                unit = str(cdef.get("timeUnit", "")).replace("utc", "")
                item["format"] = _TIME_UNIT_FORMATS.get(unit, DEFAULT_DATE_FORMAT)
        items.append(item)
    return items or None


def _field_title(cdef: dict) -> str:
    field = str(cdef.get("field", ""))
    if cdef.get("aggregate") == "count" and not field:
        return "Count"
    return field.replace("_", " ").capitalize() or "Value"


def _param_name(counter: list[int]) -> str:
    counter[0] += 1
    return f"{HOVER_PARAM}_{counter[0]}"


def _hover_param(name: str, *, nearest: bool) -> dict:
    select = {"type": "point", "on": "pointerover", "clear": "pointerout", "toggle": False}
    if nearest:
        select["nearest"] = True
    return {"name": name, "select": select}


def _outline_encoding(name: str, kind: str, mark: dict, config: dict) -> dict:
    """stroke/strokeWidth that outline the hovered mark and leave the others as they were."""
    base_stroke = _mark_prop("stroke", kind, mark, config)
    base_width = _mark_prop("strokeWidth", kind, mark, config)
    outline = light(TOKENS, "text")
    return {
        "stroke": {
            "condition": {"param": name, "empty": False, "value": outline},
            "value": base_stroke,
        },
        "strokeWidth": {
            "condition": {"param": name, "empty": False, "value": 2},
            "value": base_width if base_width is not None else 0,
        },
    }


def _mark_prop(prop: str, kind: str, mark: dict, config: dict):
    for source in (mark, config.get(kind) or {}, config.get("mark") or {}):
        if prop in source:
            return source[prop]
    return None


def strip_vega(vega: dict) -> dict:
    """Drop what the live view does not need; refuse data the page would have to fetch."""
    for key in ("$schema", "usermeta", "description", "background"):
        vega.pop(key, None)
    for mark in _all_marks(vega):
        # The live <svg> is role="img", named by the figure: Vega's per-mark ARIA roles would
        # be nameless images inside it (axe svg-img-alt). aria: false hides them, as the
        # static SVG has none.
        mark["aria"] = False
        # Vega-Lite's nearest-point cells reach 1px past the plot; clipped, they cannot widen
        # the chart's autosized bounds (the live chart must keep the static one's size).
        if mark.get("name", "").endswith("_voronoi"):
            mark["clip"] = True
            _fix_voronoi_datum(mark)
    for guide in _all_guides(vega):
        guide["aria"] = False
    for data in vega.get("data", []):
        if "url" in data:
            raise InteractiveSpecError(
                f"chart data {data.get('name')!r} is loaded from {data['url']!r}; an "
                "interactive chart must carry its data inline (pass values, not a URL, "
                "to the chart builder)"
            )
    return vega


# A bare `datum[` (not `.datum[`): in a Voronoi cell, `datum` is the cell and the data row is
# `datum.datum`. Vega-Lite 6.4 rewrites quantitative and temporal tooltip fields but leaves
# nominal ones bare, so they showed "undefined".
_BARE_DATUM = re.compile(r"(?<![.\w$])datum\[")


def _fix_voronoi_datum(mark: dict) -> None:
    update = mark.get("encode", {}).get("update", {})
    for channel in ("tooltip", "description"):
        signal = (
            update.get(channel, {}).get("signal") if isinstance(update.get(channel), dict) else None
        )
        if signal:
            update[channel]["signal"] = _BARE_DATUM.sub("datum.datum[", signal)


def _all_guides(node: dict):
    """Every axis and legend, at the top level and inside group marks (facets, layers)."""
    for key in ("axes", "legends"):
        yield from node.get(key, [])
    for mark in node.get("marks", []):
        yield from _all_guides(mark)


def _all_marks(node: dict):
    for mark in node.get("marks", []):
        yield mark
        yield from _all_marks(mark)


def script_safe_json(value) -> str:
    """Compact JSON that can sit inside <script type="application/json"> verbatim."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
