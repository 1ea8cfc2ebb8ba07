"""Options as data: small reusable validators, and `validate`, the one function that applies them.

A directive (or a mark) declares its options as data, `{"height": (None, int_between(80,
1200)), "title": (REQUIRED, text), ...}`: a default and a validator. A validator takes the raw
YAML value and returns it normalised (e.g. the shorthand `sum(total):Q` becomes `{"field":
"total", "aggregate": "sum", ...}`), or raises `DirectiveError` saying what is allowed.
`validate(raw, spec)` refuses unknown keys (offering the closest known one), fills defaults,
requires REQUIRED options and runs each validator, so every option error reads the same:

    unknown option 'colums'; did you mean 'columns'?; options: as_of, columns, data, ...
    option 'title' is required
    limit: expected a whole number from 1 to 100000, got 'ten'

and carries `key=` (the option), which the Markdown layer turns into the option's line.
Options are validated once, by the directive, before anything reads the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import DirectiveError, closest, did_you_mean

Validator = Callable[[Any], Any]
REQUIRED = object()  # the default of an option the author must give

TYPE_CODES = {"Q": "quantitative", "N": "nominal", "O": "ordinal", "T": "temporal"}
TYPE_NAMES = {name: code for code, name in TYPE_CODES.items()}
AGGREGATES = ("sum", "mean", "average", "median", "min", "max", "count", "distinct")
# Altair shorthand: `field`, `field:T`, `sum(field):Q`, `count()`, `count():Q`.
_SHORTHAND = re.compile(
    r"^\s*(?:(?P<agg>[a-z]+)\(\s*(?P<afield>[^()]*?)\s*\)|(?P<field>[^:()]+?))"
    r"\s*(?::\s*(?P<type>[A-Za-z]+))?\s*$"
)
ENCODING_KEYS = ("field", "type", "title", "format", "sort", "aggregate", "axis")
AXIS_KEYS = ("title", "format", "tickCount", "labelAngle", "grid", "labels")


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def boolean(value: Any) -> bool:
    """`true` or `false`."""
    if isinstance(value, bool):
        return value
    raise DirectiveError(f"expected true or false, got {_show(value)}")


def string(value: Any) -> str:
    """A non-empty piece of text."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise DirectiveError(f"expected text, got {_show(value)}")


def one_of(*allowed: Any) -> Validator:
    """One of the given values (compared with their type: `true` is not `"true"`)."""

    def check(value: Any) -> Any:
        for a in allowed:
            if value == a and type(value) is type(a):
                return value
        shown = ", ".join(str(a).lower() if isinstance(a, bool) else str(a) for a in allowed)
        words = [a for a in allowed if isinstance(a, str)]
        hint = did_you_mean(value, words) if isinstance(value, str) else ""
        raise DirectiveError(f"{_show(value)} is not allowed{hint}; use one of: {shown}")

    return check


def int_between(low: int, high: int) -> Validator:
    """A whole number from `low` to `high`, inclusive."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DirectiveError(
                f"expected a whole number from {low} to {high}, got {_show(value)}"
            )
        if not low <= value <= high:
            raise DirectiveError(f"{value} is out of range; use a number from {low} to {high}")
        return value

    return check


def list_of(item: Validator, *, allow_single: bool = True) -> Validator:
    """A list whose items each pass `item`; a single item counts as a list of one."""

    def check(value: Any) -> list:
        if not isinstance(value, list):
            if not allow_single:
                raise DirectiveError(f"expected a list like [a, b], got {_show(value)}")
            value = [value]
        out = []
        for i, v in enumerate(value, start=1):
            try:
                out.append(item(v))
            except DirectiveError as err:
                raise DirectiveError(f"item {i}: {err.message}") from None
        return out

    return check


def pair_of_strings(value: Any) -> list[str]:
    """Exactly two names, e.g. `[model, agreements]`."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise DirectiveError(f"expected two names like [key, value], got {_show(value)}")


def module_function(value: Any) -> str:
    """`module:function`, e.g. `bespoke:waffle`: a module of the functions folder, by name."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", value.strip()):
        return value.strip()
    if isinstance(value, str) and any(s in value for s in ("/", "\\", "..")):
        raise DirectiveError(
            f"{value.strip()!r} names a path, not a module inside the functions folder",
            fix="write module:function with a dotted module name, without '/' or '..' "
            "(e.g. bespoke:waffle)",
        )
    raise DirectiveError(f"expected module:function (e.g. bespoke:waffle), got {_show(value)}")


def _type_code(raw: Any) -> str:
    if isinstance(raw, str):
        if raw.upper() in TYPE_CODES:
            return raw.upper()
        if raw.lower() in TYPE_NAMES:
            return TYPE_NAMES[raw.lower()]
    raise DirectiveError(
        f"unknown type {_show(raw)}; use Q (quantitative), N (nominal), O (ordinal) or T (time)"
    )


def _aggregate(raw: Any) -> str:
    if raw in AGGREGATES:
        return "mean" if raw == "average" else raw
    raise DirectiveError(
        f"unknown aggregate {_show(raw)}{did_you_mean(str(raw), AGGREGATES)}; "
        f"use one of: {', '.join(AGGREGATES)}"
    )


def parse_shorthand(text: str) -> dict:
    """`sum(total):Q` -> {"field": "total", "aggregate": "sum", "type": "Q"}."""
    m = _SHORTHAND.match(text)
    if not m:
        raise DirectiveError(
            f"cannot read {text!r}; write field:type like month:T or total:Q, "
            "or an aggregate like sum(total):Q"
        )
    out: dict[str, Any] = {"field": None, "type": None, "aggregate": None}
    if m.group("agg"):
        out["aggregate"] = _aggregate(m.group("agg"))
        out["field"] = m.group("afield") or None
        if out["field"] is None and out["aggregate"] != "count":
            raise DirectiveError(f"{text!r}: {out['aggregate']}() needs a column, e.g. sum(total)")
    else:
        out["field"] = m.group("field").strip()
    if m.group("type"):
        out["type"] = _type_code(m.group("type"))
    return out


def shorthand_or_mapping(value: Any) -> dict:
    """Altair shorthand (`month:T`, `sum(total):Q`) or a mapping {field, type, title, ...}.

    Returns a dict with every key of ENCODING_KEYS (absent ones None) plus `title_set`
    (whether the author gave a title, even an empty one). `type` is one letter (Q, N, O,
    T) or None when it is to be inferred from the data.
    """
    if isinstance(value, str):
        out = dict.fromkeys(ENCODING_KEYS)
        out.update(parse_shorthand(value))
        out["title_set"] = False
        return out
    if not isinstance(value, dict):
        raise DirectiveError(
            "expected a shorthand like month:T or a mapping like {field: month, type: T}, "
            f"got {_show(value)}"
        )
    unknown = [str(k) for k in value if k not in ENCODING_KEYS and k != "title_set"]
    if unknown:
        raise DirectiveError(
            f"unknown key {unknown[0]!r}{did_you_mean(unknown[0], ENCODING_KEYS)}; "
            f"allowed: {', '.join(ENCODING_KEYS)}"
        )
    out = dict.fromkeys(ENCODING_KEYS)
    field = value.get("field")
    # In a mapping, `field` is the column name exactly as in the CSV (it may hold ':' or '(').
    if field is None and value.get("aggregate") == "count":
        pass
    elif not isinstance(field, str) or not field.strip():
        raise DirectiveError("the mapping needs a field, e.g. {field: total, type: Q}")
    else:
        out["field"] = field.strip()
    if value.get("type") is not None:
        out["type"] = _type_code(value["type"])
    if value.get("aggregate") is not None:
        out["aggregate"] = _aggregate(value["aggregate"])
    out["format"] = value.get("format")
    if out["format"] is not None and not isinstance(out["format"], str):
        raise DirectiveError(
            f"format must be a d3 format like ',' or '.0%', got {_show(out['format'])}"
        )
    out["sort"] = value.get("sort")
    # An already-normalised mapping says whether the author set the title; a raw one
    # says so by holding the key (`title: ""` or `title: null` removes the axis title).
    out["title_set"] = bool(value["title_set"]) if "title_set" in value else "title" in value
    title = value.get("title")
    out["title"] = None if title is None else str(title)
    axis = value.get("axis")
    if axis is not None and axis is not False:
        if not isinstance(axis, dict):
            raise DirectiveError(
                f"axis must be a mapping like {{format: ','}} or false, got {axis!r}"
            )
        bad = [str(k) for k in axis if k not in AXIS_KEYS]
        if bad:
            raise DirectiveError(
                f"unknown axis key {bad[0]!r}{did_you_mean(bad[0], AXIS_KEYS)}; "
                f"allowed: {', '.join(AXIS_KEYS)}"
            )
    out["axis"] = axis
    return out


def validate(raw: dict, spec: dict[str, tuple[Any, Validator | None]]) -> dict:
    """Apply `spec` ({name: (default, validator)}) to `raw`; return every option, validated.

    Unknown keys are refused with the closest known one; a missing option takes its default
    (REQUIRED: an error); each error carries `key=` set to the option it is about.
    """
    for key in raw:
        if key not in spec:
            raise DirectiveError(
                f"unknown option {key!r}{did_you_mean(str(key), spec)}",
                fix=f"options: {', '.join(sorted(spec))}",
                key=key,
            )
    out = {}
    for key, (default, validator) in spec.items():
        if key not in raw or raw[key] is None:
            if default is REQUIRED:
                raise DirectiveError(f"option {key!r} is required", key=key)
            out[key] = default
            continue
        try:
            out[key] = validator(raw[key]) if validator else raw[key]
        except DirectiveError as err:
            raise err.about(key) from None
    return out


def text(value: Any) -> str:
    """A non-empty single piece of text (a number is taken as its digits)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DirectiveError(f"expected text, got {type(value).__name__}")
    value = str(value).strip()
    if not value:
        raise DirectiveError("must not be empty")
    return value


def mapping_of(item: Validator) -> Validator:
    """A {text: value} mapping whose values pass `item`."""

    def check(value: Any) -> dict:
        if not isinstance(value, dict):
            raise DirectiveError(f"expected 'key: value' pairs in braces, got {value!r}")
        return {str(k): item(v) for k, v in value.items()}

    return check


__all__ = [
    "REQUIRED",
    "boolean",
    "closest",
    "did_you_mean",
    "int_between",
    "list_of",
    "mapping_of",
    "module_function",
    "one_of",
    "pair_of_strings",
    "shorthand_or_mapping",
    "string",
    "text",
    "validate",
]
