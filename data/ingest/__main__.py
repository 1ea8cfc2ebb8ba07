"""Command line: `python -m ingest [--snapshots DIR] [--out DIR]` (PYTHONPATH including data/).

Reads every ICE snapshot in DIR and writes the derived CSVs into --out (default: the
data/ folder this package sits in). Exits 1 with a located message when a sheet cannot be
read, and prints one line per file written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import derive
from . import latest as latest_sheet
from .read import IngestError, read_folder
from .write import write_csv

DATA_DIR = Path(__file__).resolve().parent.parent
# Where the shared snapshots sit next to a clone (in CI and on the team's machines).
DEFAULT_SNAPSHOTS = DATA_DIR.parent.parent / "shared" / "data" / "ice-287g-snapshots"
# The dates the explainer cites state by state: the last list before the Jan 20, 2025
# executive order took effect in the sheets, and the list of Feb 17, 2026. The latest
# snapshot is always added.
KEY_DATES = (dt.date(2025, 1, 31), dt.date(2026, 2, 17))


def on_terminal() -> bool:
    """Draw progress only on a terminal, never in CI logs or files."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def with_progress(files: list):
    """The files, one by one, under a rich progress bar (done / total, elapsed) on a terminal."""
    if not on_terminal():
        yield from files
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("reading snapshots", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("read", total=len(files))
        for file in files:
            yield file
            bar.advance(task)


def derive_all(snapshot_dir: Path, progress=lambda files: files) -> dict[str, list[dict]]:
    """Every derived table, by file name, from a folder of snapshots."""
    snapshots = read_folder(snapshot_dir, progress)
    latest = snapshots[-1]
    dates = [d for d in KEY_DATES if any(s.date == d for s in snapshots)] + [latest.date]
    return {
        "agreements_by_month.csv": derive.by_month(snapshots),
        "agreements_by_snapshot.csv": derive.by_snapshot(snapshots),
        "agreements_by_state.csv": derive.by_state(snapshots, dates),
        "agreements_by_signing_month.csv": derive.by_signing_month(latest),
        "agreements_by_county.csv": derive.by_county(latest),
        "agreements_latest.csv": latest_sheet.agreement_rows(latest, snapshot_dir / latest.file),
        "states.csv": latest_sheet.state_rows(latest, latest_sheet.january_2025(snapshots)),
        "agreements_by_state_month.csv": latest_sheet.state_month_rows(snapshots),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument(
        "--snapshots",
        type=Path,
        default=DEFAULT_SNAPSHOTS,
        help="folder of ICE .xlsx snapshots (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DATA_DIR,
        help="folder to write the CSVs into (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.snapshots.is_dir():
        print(
            f"ingest: {args.snapshots}: no such folder; pass the folder of ICE snapshots "
            "with --snapshots (make data SNAPSHOTS=dir)",
            file=sys.stderr,
        )
        return 1
    try:
        tables = derive_all(args.snapshots, with_progress)
    except IngestError as e:
        print(f"ingest: {e}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        changed = write_csv(args.out / name, rows)
        print(f"ingest: {'wrote' if changed else 'unchanged'} {args.out / name} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
