"""Errors raised by the data directives, located in the author's file.

A directive fault is raised where it is found (option parsing, data loading, chart building)
as a `DirectiveError` carrying what is wrong and how to fix it, and optionally which option
key it concerns. The Markdown layer adds the file and line before it reaches the author, so
every message reads `content/growth.md:42: <what>; <fix>`.
"""

from __future__ import annotations


class DirectiveError(Exception):
    """A wrong directive: bad option, unknown column, missing file, bad data."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        line: int | None = None,
        path: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.key = key  # the option the fault is in, so the line can point at it
        self.line = line  # 1-based line in the source file, once known
        self.path = path  # the source file, relative to the site root, once known

    def located(self, path: str, line: int) -> DirectiveError:
        """Return this error with its file and line set (keeps a more precise line if set)."""
        self.path = self.path or path
        self.line = self.line or line
        return self

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class DataPackageError(Exception):
    """One or more CSVs in data/ do not match data/datapackage.json.

    `problems` is a list of located messages, `data/<file>.csv:<row>:<column>: <what, why>`.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class DirectiveErrors(Exception):
    """Every wrong directive in one source file, reported together (each already located)."""

    def __init__(self, errors: list[DirectiveError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
