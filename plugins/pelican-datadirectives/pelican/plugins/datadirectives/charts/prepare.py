"""Data preparation: the directive's frame made into the rows the chart embeds.

`shaped` is every data mark's first step: `fold` turns wide columns into long rows, and
`relabel` shows readers names instead of codes (it also renames the values in sort orders);
`prepare_data` keeps the columns the chart uses and aggregates in pandas (so a spec embeds one
row per group, never the raw rows), and `to_records` makes JSON-ready rows with dates as ISO
text, so the output never depends on the build machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from ..errors import DirectiveError
from ..options import string
from .encodings import Enc, require_column


def labels_option(value: Any) -> dict:
    """`labels: {jail_enforcement: Jail enforcement}`: display names for values."""
    if not isinstance(value, dict) or not value:
        raise DirectiveError(
            "labels takes pairs 'value: Display name' in braces, e.g. {task_force: Task force}",
            key="labels",
        )
    return {str(k): string(v) for k, v in value.items()}


def shaped(opts: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """The directive's rows, folded and relabelled as the options say (a mark's first step)."""
    if frame.empty:
        raise DirectiveError("the data has no rows; check the CSV and the filter", key="data")
    return relabel(opts, fold(opts, frame))


def relabel(opts: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """Show readers names, not codes: replace label keys in every text column."""
    labels = opts.get("labels")
    if not labels:
        return frame
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c].dtype)]
    found = {k for c in text_columns for k in labels if (frame[c].astype(str) == k).any()}
    missing = sorted(set(labels) - found)
    if missing:
        raise DirectiveError(
            f"labels: no text value {', '.join(map(repr, missing))} in the data (after fold); "
            "labels rename values, e.g. the folded column names",
            key="labels",
        )
    frame = frame.copy()
    for c in text_columns:
        frame[c] = frame[c].astype(object).replace(labels)
    # A sort order written in the data's own values follows the renaming.
    for channel in ("x", "y", "color", "facet"):
        enc = opts.get(channel)
        if isinstance(enc, dict) and isinstance(enc.get("sort"), list):
            enc["sort"] = [labels.get(str(v), v) for v in enc["sort"]]
    if isinstance(opts.get("sort"), list):
        opts["sort"] = [labels.get(str(v), v) for v in opts["sort"]]
    return frame


def fold(opts: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """Wide to long: `fold: [a, b]` becomes rows of (key, value) named by `fold_as`."""
    if not opts["fold"]:
        if opts["fold_as"]:
            raise DirectiveError(
                "fold_as names the columns that fold makes; add fold: [..]", key="fold_as"
            )
        return frame
    for name in opts["fold"]:
        require_column(name, frame, "fold")
    key_name, value_name = opts["fold_as"] or ["key", "value"]
    for name in (key_name, value_name):
        if name in frame.columns and name not in opts["fold"]:
            raise DirectiveError(
                f"fold_as: {name!r} is already a column; choose another name", key="fold_as"
            )
    keep = [c for c in frame.columns if c not in opts["fold"]]
    return frame.melt(
        id_vars=keep, value_vars=opts["fold"], var_name=key_name, value_name=value_name
    )


_AGG_FUNCS = {
    "sum": "sum",
    "mean": "mean",
    "median": "median",
    "min": "min",
    "max": "max",
    "count": "count",
    "distinct": "nunique",
}


def prepare_data(frame: pd.DataFrame, encs: list[Enc], converted: dict) -> pd.DataFrame:
    """The columns the chart uses, converted, aggregated in pandas when asked."""
    used = list(dict.fromkeys(e.source for e in encs if e.source is not None))
    data = pd.DataFrame({c: converted.get(c, frame[c]) for c in used})
    aggs = [e for e in encs if e.aggregate]
    if not aggs:
        return data
    keys = list(dict.fromkeys(e.field for e in encs if not e.aggregate))
    taken = set(keys)
    named: dict[str, tuple[str | None, str]] = {}
    for e in aggs:
        if (e.source, e.aggregate) in named.values():
            e.field = next(n for n, v in named.items() if v == (e.source, e.aggregate))
            continue
        name = e.field
        if name in taken:
            name = f"{e.aggregate}_{e.field}"
        e.field = name
        taken.add(name)
        named[name] = (e.source, e.aggregate)
    if keys:
        grouped = data.groupby(keys, sort=True, dropna=False, observed=True)
        out = grouped.size().rename("__size").to_frame()
        for name, (source, agg) in named.items():
            out[name] = out["__size"] if source is None else grouped[source].agg(_AGG_FUNCS[agg])
        return out.drop(columns="__size").reset_index()
    row = {}
    for name, (source, agg) in named.items():
        row[name] = len(data) if source is None else data[source].agg(_AGG_FUNCS[agg])
    return pd.DataFrame([row])


def _iso(value: pd.Timestamp) -> str:
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def plain(value: Any) -> Any:
    """A JSON-ready Python value (numpy scalars unwrapped, NaN/NaT as null)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return _iso(value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_records(data: pd.DataFrame) -> list[dict]:
    columns = [str(c) for c in data.columns]
    return [
        dict(zip(columns, map(plain, row), strict=True))
        for row in data.itertuples(index=False, name=None)
    ]
