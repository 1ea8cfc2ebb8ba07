"""Custom charts: `mark: python` calls `module:function` from the configured functions folder.

The function takes the directive's DataFrame and returns an Altair chart; the theme and the
directive's width and height are applied unless the chart sets its own.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from ..errors import DirectiveError
from ..options import did_you_mean
from .labels import finish


def python_chart(
    opts: dict, frame: pd.DataFrame, functions_dir: str | Path | None, width: int
) -> alt.TopLevelMixin:
    spec = opts["function"]
    if not spec:
        raise DirectiveError(
            "mark: python needs function: module:function (a Python "
            "function that takes the DataFrame and returns an Altair chart)",
            key="function",
        )
    if functions_dir is None:
        raise DirectiveError(
            "mark: python needs a functions folder; set "
            "DATA_DIRECTIVES['FUNCTIONS_DIR'] in your Pelican settings",
            key="function",
        )
    folder = Path(functions_dir)
    module_name, func_name = spec.split(":")
    path = folder.joinpath(*module_name.split(".")).with_suffix(".py")
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.py")) if folder.is_dir() else []
        raise DirectiveError(
            f"function: no module {module_name!r} in {folder}"
            f"{did_you_mean(module_name, available)}; modules: {', '.join(available) or 'none'}",
            key="function",
        )
    module_spec = importlib.util.spec_from_file_location(f"dd_functions.{module_name}", path)
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # the author's code: report it where the directive is
        raise DirectiveError(
            f"function: importing {path.name} failed: {type(exc).__name__}: {exc}", key="function"
        ) from exc
    func = getattr(module, func_name, None)
    if not callable(func):
        public = [n for n in vars(module) if not n.startswith("_") and callable(vars(module)[n])]
        raise DirectiveError(
            f"function: {module_name} has no function {func_name!r}"
            f"{did_you_mean(func_name, public)}",
            key="function",
        )
    try:
        chart = func(frame.copy())
    except Exception as exc:
        raise DirectiveError(
            f"function: {spec} raised {type(exc).__name__}: {exc}", key="function"
        ) from exc
    if not isinstance(chart, alt.TopLevelMixin):
        raise DirectiveError(
            f"function: {spec} returned {type(chart).__name__}, not an "
            "Altair chart; return e.g. alt.Chart(frame).mark_bar()...",
            key="function",
        )
    props: dict[str, Any] = {}
    if isinstance(chart, alt.Chart | alt.LayerChart) and chart.width is alt.Undefined:
        props["width"] = width
        props["autosize"] = alt.AutoSizeParams(type="fit", contains="padding")
    if opts["height"] and isinstance(chart, alt.Chart | alt.LayerChart):
        props["height"] = opts["height"]
    if chart.config is not alt.Undefined:
        return chart.properties(**props) if props else chart
    return finish(chart, **props)
