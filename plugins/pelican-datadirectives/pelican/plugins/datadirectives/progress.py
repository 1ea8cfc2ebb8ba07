"""Progress on a terminal (done / total, elapsed), silence everywhere else.

    with progress("rendering charts", total=len(jobs)) as advance:
        for job in jobs:
            ...
            advance()

Drawn with rich (a bar, `12/505`, the elapsed time) only when stderr is a terminal and the
environment is not CI: a CI log or a file gets nothing from here (the build's one summary line
is logged as before). `DATADIRECTIVES_PROGRESS=0` turns it off on a terminal too, `=1` forces
it (to see it under `make ... | tee`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def wanted(stream=None) -> bool:
    """Whether to draw progress on `stream` (stderr by default)."""
    forced = os.environ.get("DATADIRECTIVES_PROGRESS")
    if forced in ("0", "1"):
        return forced == "1"
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A context giving `advance(n=1)`; draws a bar on a terminal, does nothing elsewhere."""
    if not wanted() or total <= 0:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)
