"""Encodings: an option like `sum(total):Q` checked against the data and drawn as a channel.

`resolve()` turns a normalised encoding option (options.shorthand_or_mapping) into an `Enc`:
the column exists (else "did you mean"), its type is known or inferred, and its values are
converted (numbers, UTC dates) with a located error for any cell that is not what the type
says. The `*_channel` helpers turn an `Enc` into Altair's position, colour and tooltip
channels with the newsroom defaults (untitled date axes, `,~r` numbers, UTC time scales).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from ..chart_theme import TOKENS
from ..errors import DirectiveError
from ..options import TYPE_CODES, did_you_mean


@dataclass
class Enc:
    """One resolved encoding: a column of the prepared frame and how to draw it."""

    channel: str  # the option it came from: x, y, color, facet, tooltip
    field: str  # the column in the prepared (maybe aggregated) frame
    source: str | None  # the CSV column (None for count())
    type: str  # Q, N, O or T
    aggregate: str | None
    title: str | None
    format: str | None
    sort: Any
    axis: Any

    @property
    def vl_type(self) -> str:
        return TYPE_CODES[self.type]


def _columns(frame: pd.DataFrame) -> str:
    return ", ".join(str(c) for c in frame.columns)


def require_column(name: str, frame: pd.DataFrame, key: str) -> None:
    if name not in frame.columns:
        raise DirectiveError(
            f"{key}: column {name!r} is not in the data{did_you_mean(name, frame.columns)}; "
            f"columns: {_columns(frame)}",
            key=key,
        )


def _examples(values: pd.Series) -> str:
    uniq = list(dict.fromkeys(str(v) for v in values))
    shown = ", ".join(repr(v) for v in uniq[:3])
    return shown + (f" and {len(uniq) - 3} more" if len(uniq) > 3 else "")


def _infer_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "N"
    if pd.api.types.is_numeric_dtype(series):
        return "Q"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "T"
    sample = series.dropna().astype(str)
    if len(sample) and sample.str.fullmatch(r"\d{4}-\d{2}(-\d{2}([T ].*)?)?").all():
        return "T"
    return "N"


def _as_numbers(series: pd.Series, where: str, key: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(series) or not (
        pd.api.types.is_numeric_dtype(series)
        or pd.api.types.is_object_dtype(series)
        or pd.api.types.is_string_dtype(series)
    ):
        raise DirectiveError(f"{where} is not numeric; use :N or :O for it", key=key)
    if pd.api.types.is_numeric_dtype(series):
        return series
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series[numbers.isna() & series.notna() & (series.astype(str).str.strip() != "")]
    if len(bad):
        raise DirectiveError(
            f"{where} has values that are not numbers: {_examples(bad)}; a text column goes "
            "on a :N (nominal) or :O (ordinal) axis, or fix those cells in the CSV "
            "(plain digits, no thousands separators or units)",
            key=key,
        )
    return numbers


def _as_dates(series: pd.Series, where: str, key: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        dates = series
    elif pd.api.types.is_integer_dtype(series) and series.dropna().between(1000, 2999).all():
        dates = pd.to_datetime(series.astype("Int64").astype(str), format="%Y", errors="coerce")
    elif pd.api.types.is_numeric_dtype(series):
        raise DirectiveError(
            f"{where} holds numbers, not dates; use :Q or :O for numbers, or write dates "
            "as YYYY-MM-DD in the CSV",
            key=key,
        )
    else:
        text = series.astype("string").str.strip()
        dates = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
        bad = series[dates.isna() & series.notna() & (text != "")]
        if len(bad):
            raise DirectiveError(
                f"{where} has values that are not dates: {_examples(bad)}; write dates as "
                "YYYY-MM-DD (or YYYY-MM, YYYY) in the CSV, or use :N or :O for labels",
                key=key,
            )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates


def _default_title(source: str | None, aggregate: str | None) -> str:
    if source is None:
        return "Count"
    name = source.replace("_", " ")
    name = name[:1].upper() + name[1:]
    prefix = {
        "mean": "Average",
        "median": "Median",
        "min": "Lowest",
        "max": "Highest",
        "count": "Count of",
        "distinct": "Distinct",
    }.get(aggregate or "")
    return f"{prefix} {name[:1].lower() + name[1:]}" if prefix else name


def resolve(
    key: str, spec: dict, frame: pd.DataFrame, converted: dict, label: str | None = None
) -> Enc:
    """Check an encoding against the frame; convert its column; return it resolved."""
    label = label or key
    source, aggregate = spec["field"], spec["aggregate"]
    if source is not None:
        require_column(source, frame, key)
    kind = spec["type"]
    if aggregate in ("count", "distinct"):
        kind = kind or "Q"
    elif kind is None:
        kind = _infer_type(frame[source])
    if aggregate in ("count", "distinct") and kind != "Q":
        raise DirectiveError(f"{label}: {aggregate}() gives numbers; use :Q", key=key)
    if aggregate and aggregate not in ("count", "distinct") and kind != "Q":
        raise DirectiveError(f"{label}: {aggregate}({source}) gives numbers; use :Q", key=key)
    if source is not None and aggregate not in ("count", "distinct"):
        where = f"{label}: column {source!r} (used as :{kind})"
        if kind == "Q":
            converted[source] = _as_numbers(converted.get(source, frame[source]), where, key)
        elif kind == "T":
            converted[source] = _as_dates(converted.get(source, frame[source]), where, key)
    if spec.get("title_set"):
        title = spec["title"]
    elif kind == "T" and key in ("x", "y"):
        title = None  # dates explain themselves; newsroom axes leave them untitled
    else:
        title = _default_title(source, aggregate)
    field = source if aggregate is None else (source or "count")
    return Enc(
        key,
        field,
        source,
        kind,
        aggregate,
        title or None,
        spec["format"],
        spec["sort"],
        spec["axis"],
    )


def vl_field(name: str) -> str:
    """Escape a column name for Vega-Lite, where '.' and '[' mean nested access."""
    for ch in ("\\", ".", "[", "]"):
        name = name.replace(ch, "\\" + ch)
    return name


def _axis(enc: Enc, stack: Any) -> Any:
    if enc.axis is False:
        return None
    props = dict(enc.axis or {})
    if enc.format and "format" not in props:
        props["format"] = enc.format
    if stack == "normalize" and "format" not in props:
        props["format"] = ".0%"
    if enc.type == "Q" and "format" not in props:
        props["format"] = ",~r"
    return alt.Axis(**props)


def position_channel(
    cls: Any, enc: Enc, stack: Any, sort: Any, time_unit: str | None = None
) -> Any:
    kwargs: dict[str, Any] = {
        "field": vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title,
        "axis": _axis(enc, stack),
    }
    if stack is not None:
        kwargs["stack"] = stack
    if sort is not None:
        kwargs["sort"] = sort
    if enc.type == "T":
        kwargs["scale"] = alt.Scale(type="utc")
        if time_unit:
            kwargs["timeUnit"] = time_unit
    return cls(**kwargs)


def time_unit_of(dates: pd.Series) -> str:
    """Bars on a time axis need a unit to be a sensible width: years, months or days."""
    d = dates.dropna()
    if len(d) and (d.dt.month == 1).all() and (d.dt.day == 1).all():
        return "utcyear"
    if len(d) and (d.dt.day == 1).all():
        return "utcyearmonth"
    return "utcyearmonthdate"


def color_channel(
    enc: Enc,
    legend: bool,
    domain: list | None = None,
    legend_columns: int | None = None,
) -> alt.Color:
    """The colour channel; `legend_columns` wraps a long legend into rows (labels.py)."""
    kwargs: dict[str, Any] = {
        "field": vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title,
    }
    if enc.sort is not None:
        kwargs["sort"] = enc.sort
    if not legend:
        kwargs["legend"] = None
    elif legend_columns:
        kwargs["legend"] = alt.Legend(columns=legend_columns)
    if enc.type == "Q":
        # Classed (quantize), not continuous: each class is an exact theme colour the
        # dark-mode CSS can remap, and readers compare five shades more reliably than many.
        kwargs["scale"] = alt.Scale(type="quantize", range=TOKENS["sequential"]["light"])
    elif domain is not None:
        kwargs["scale"] = alt.Scale(domain=domain)
    return alt.Color(**kwargs)


def tooltip_channel(enc: Enc) -> alt.Tooltip:
    kwargs: dict[str, Any] = {
        "field": vl_field(enc.field),
        "type": enc.vl_type,
        "title": enc.title or enc.field,
    }
    if enc.type == "T":
        kwargs["timeUnit"] = "utcyearmonthdate"  # formatted in UTC in every reader's browser
    elif enc.type == "Q":
        kwargs["format"] = enc.format or ","
    return alt.Tooltip(**kwargs)
