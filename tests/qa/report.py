"""Turn problems per page into one readable failure (not pytest's assertion-rewrite dump)."""

from __future__ import annotations

import pytest


def report(problems: dict[str, list[str]]) -> str:
    """Problems per page, as an indented block."""
    lines = []
    for page, items in problems.items():
        if items:
            lines.append(f"{page}:")
            lines += [f"  - {item}" for item in items]
    return "\n".join(lines)


def fail_on(problems: dict[str, list[str]] | list[str], title: str) -> None:
    """Fail the test with `title` and every problem, if there are any."""
    if isinstance(problems, list):
        block, count = "\n".join(f"  - {p}" for p in problems), len(problems)
    else:
        block, count = report(problems), sum(len(v) for v in problems.values())
    if count:
        pytest.fail(f"{title}: {count} problem(s)\n{block}", pytrace=False)
