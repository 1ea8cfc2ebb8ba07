"""Custom charts: `mark: python` calls `module:function` from the configured functions folder.

The function takes the directive's DataFrame and returns an Altair chart; the theme and the
directive's width and height are applied unless the chart sets its own. It is called once,
in `prepare`; the chart it returns is drawn once (no phone drawing: its author decides how it
scales).

The module must be a file inside the functions folder (DATA_DIRECTIVES['FUNCTIONS_DIR']):
`bespoke:waffle` is `<folder>/bespoke.py`, `charts.state:waffle` is
`<folder>/charts/state.py`. A name that would leave the folder (`..`, an absolute path, a
symbolic link pointing outside) is refused at the directive's `function:` line.

The figure's data table shows the largest list of rows the returned chart embeds: the chart
is the function's own, so its data can only be read from it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from ..errors import DirectiveError
from ..options import did_you_mean, module_function
from .labels import finish
from .marks import SHARED_OPTIONS, Mark, PreparedChart

PYTHON_OPTIONS = {
    "function": (None, module_function),
    "height": SHARED_OPTIONS["height"],
}


def module_path(folder: Path, module_name: str) -> Path:
    """The file of `module_name` (dotted) inside `folder`, refused if it would leave it."""
    parts = module_name.split(".")
    if any(part in ("", "..", ".") for part in parts) or Path(module_name).is_absolute():
        raise DirectiveError(
            f"function: {module_name!r} is not a module name inside the functions folder",
            fix="name a module in it, as dotted names without '..' (e.g. bespoke:waffle)",
            key="function",
        )
    path = folder.joinpath(*parts).with_suffix(".py")
    # A symbolic link (or a crafted name) may still point outside: compare the real paths.
    if not path.resolve().is_relative_to(folder.resolve()):
        raise DirectiveError(
            f"function: {module_name!r} resolves to {path.resolve()}, outside the functions "
            f"folder {folder}",
            fix="keep chart functions inside the folder (no links that leave it)",
            key="function",
        )
    return path


def load_function(spec: str, folder: Path):
    """The function `module:function` from the functions folder (a located error if not)."""
    module_name, func_name = spec.split(":")
    path = module_path(folder, module_name)
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
    return func


class PythonMark(Mark):
    """`mark: python`: the escape hatch, a chart drawn by a function of the site's own."""

    name = "python"
    options = PYTHON_OPTIONS
    phone_drawing = False

    def prepare(self, opts: dict, frame: pd.DataFrame, functions_dir: Path | None) -> PreparedChart:
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
        func = load_function(spec, Path(functions_dir))
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
        rows = inline_rows(to_dict(chart))
        return PreparedChart(self, opts, rows, (), chart)

    def draw(self, chart: PreparedChart, width: int) -> alt.TopLevelMixin:
        opts, top = chart.options, chart.state.copy()  # never change the function's chart
        props: dict[str, Any] = {}
        if isinstance(top, alt.Chart | alt.LayerChart) and top.width is alt.Undefined:
            props["width"] = width
            props["autosize"] = alt.AutoSizeParams(type="fit", contains="padding")
        if opts["height"] and isinstance(top, alt.Chart | alt.LayerChart):
            props["height"] = opts["height"]
        if top.config is not alt.Undefined:
            return top.properties(**props) if props else top
        return finish(top, **props)

    def spec(self, chart: PreparedChart, width: int) -> dict:
        return to_dict(self.draw(chart, width))


def to_dict(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of a function's chart, whatever the length of its DataFrame.

    Altair refuses to inline more than 5,000 DataFrame rows by default; the directive caps the
    rows a chart may embed (MAX_ROWS) itself, so the limit is lifted for this call only.
    """
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict(validate=False)


def inline_rows(vl: dict) -> list[dict]:
    """The data rows a Vega-Lite spec embeds (the largest inline dataset of records)."""
    candidates = list((vl.get("datasets") or {}).values())
    stack = [vl]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                candidates.append(data["values"])
            stack.extend(v for k, v in node.items() if k != "datasets")
        elif isinstance(node, list):
            stack.extend(node)
    records = [c for c in candidates if c and all(isinstance(r, dict) for r in c[:5])]
    return max(records, key=len) if records else []
