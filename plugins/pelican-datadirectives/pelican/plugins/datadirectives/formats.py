"""Number and date formatting shared by values in prose, tables and chart axes.

Number formats are a subset of d3-format, the language Vega-Lite uses for axis and tooltip
formats, so an author writes `,` or `.1%` once and gets the same text in a sentence, a table
cell and a chart label. Dates follow AP style ("Feb. 17, 2026", "Sept. 2025"), the house style
of most U.S. newsrooms.
"""

from __future__ import annotations

import math
import re
from datetime import date

from .errors import DirectiveError

# [[fill]align][sign][symbol][0][width][,][.precision][~][type] -- the subset we support:
# optional "$", optional ",", optional ".N", optional "~", optional type f d % s
_D3 = re.compile(
    r"^(?P<currency>\$)?(?P<comma>,)?(?:\.(?P<precision>\d+))?(?P<trim>~)?(?P<type>[fd%s])?$"
)

FORMAT_HELP = (
    "use a d3-format such as ',' (1,425), ',.1f' (10.6), '.0%' (25%), '$,' ($28,570,240), "
    "'$,.1s'... or 'date' (Feb. 17, 2026), 'month' (Feb. 2026), 'year' (2026)"
)

_AP_MONTHS = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SI = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]


def check_format(spec: str) -> str:
    """Return `spec` if it is a supported format, else raise a DirectiveError saying why."""
    if spec in ("date", "month", "year", "text") or _D3.match(spec):
        return spec
    raise DirectiveError(f"unknown format {spec!r}; {FORMAT_HELP}", key="format")


def plain(value):
    """numpy/pandas scalars to plain Python, whole floats as ints, so formatting sees
    int/float/str (a cell read by pandas or DuckDB, before format_value)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def format_value(value, spec: str | None = None) -> str:
    """Format one value from a CSV cell. `spec` None picks a sensible default for the type."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if spec in ("date", "month", "year"):
        return format_date(str(value), spec)
    if spec == "text" or isinstance(value, str):
        if spec and spec != "text" and _is_number(value):
            return format_number(float(value), spec)
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec is None:
        spec = "," if float(value).is_integer() else ",~"
    return format_number(float(value), spec)


def format_number(x: float, spec: str) -> str:
    """Format a number with a d3-format subset (see FORMAT_HELP)."""
    m = _D3.match(check_format(spec))
    kind = m["type"] or ""
    precision = int(m["precision"]) if m["precision"] is not None else None
    comma = "," if m["comma"] else ""
    suffix = ""
    if kind == "%":
        x *= 100
        suffix = "%"
        precision = 0 if precision is None else precision
    elif kind == "d":
        x = round(x)
        precision = 0
    elif kind == "s":
        for threshold, letter in _SI:
            if abs(x) >= threshold:
                x /= threshold
                suffix = letter
                break
        precision = 3 if precision is None else precision
        # d3's "s" precision is significant digits; convert to decimals for this magnitude.
        digits = len(str(int(abs(x)))) if x else 1
        precision = max(precision - digits, 0)
    if precision is None:
        # No precision given: show the number as it is, no rounding into a different claim.
        text = f"{x:{comma}.12f}".rstrip("0").rstrip(".")
    else:
        text = f"{x:{comma}.{precision}f}"
        if m["trim"] and "." in text:
            text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = text[1:]
    sign = ""
    if text.startswith("-"):
        sign, text = "\u2212", text[1:]  # a real minus sign, as newsrooms print it
    currency = "$" if m["currency"] else ""
    return f"{sign}{currency}{text}{suffix}"


def format_date(text: str, spec: str = "date") -> str:
    """Format an ISO date, month or year (2026-02-17, 2026-02, 2026) in AP style.

    A bare year prints as the year: curated tables mix dates known to the day with
    laws known only by year, and one column must read the same for all of them."""
    m = _ISO_DATE.match(text.strip())
    if not m:
        raise DirectiveError(
            f"{text!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY); the 'date' formats "
            "need one",
            key="format",
        )
    if m[2] is None:
        return m[1]
    year, month, day = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    try:
        date(year, month, day or 1)
    except ValueError as exc:
        raise DirectiveError(f"{text!r} is not a real date ({exc})", key="format") from None
    name = _AP_MONTHS[month - 1]
    if spec == "year":
        return str(year)
    if spec == "month" or day is None:
        return f"{name} {year}"
    return f"{name} {day}, {year}"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
