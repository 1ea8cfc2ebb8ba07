"""Every fault an author can make, as one record type: `Problem` (file, line, column, message, fix).

A fault is raised where it is found (option parsing, data loading, chart building, data
package validation) and reported once, by whoever runs the build (`make check`, the build
tool). Directives and data share the record and the message shape:

    content/growth.md:42: y: column 'totl' is not in the data; did you mean 'total'?; columns: ...
    data/counts.csv:4:state: bad value: empty, but column 'state' is required; fill it in
    └─ path ──────┘ └ line ┘└ column ┘ └─ message (what is wrong) ─────────┘ └─ fix ─┘

- `message` says what is wrong, naming the option or the column; a close match of a wrong
  name is offered by `did_you_mean` (the one helper for it);
- `fix` says what is allowed or what to do; it follows the message after "; ";
- `key` is the directive option the fault is in, so the Markdown layer can point at its line.

`DirectiveError` carries one Problem (a wrong directive, or data a directive reads);
`DirectiveErrors` carries every Problem of one Markdown file; `DataPackageError` every
Problem of the data folder; `BuildFailed` ends a Pelican build that met any of them. All are
plain exceptions: the library raises, only a command-line tool decides to exit.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One fault, located in the author's files as precisely as it is known."""

    message: str  # what is wrong
    fix: str | None = None  # what is allowed / what to do
    path: str | None = None  # the file, relative to the site root (content/growth.md)
    line: int | None = None  # 1-based line in the file (a CSV's row)
    column: int | str | None = None  # a CSV column name, or '-' for the whole row
    key: str | None = None  # the directive option the fault is in

    def at(self, path: str | None = None, line: int | None = None) -> Problem:
        """This problem with its file and line filled in (a more precise one already set wins)."""
        return dataclasses.replace(self, path=self.path or path, line=self.line or line)

    @property
    def text(self) -> str:
        """The message and the fix, without the location."""
        return f"{self.message}; {self.fix}" if self.fix else self.message

    def __str__(self) -> str:
        where = [str(p) for p in (self.path, self.line, self.column) if p is not None]
        if not self.path:
            return self.text
        return f"{':'.join(where)}: {self.text}"


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `name`, or None when nothing is close."""
    choices = [str(c) for c in choices]
    match = difflib.get_close_matches(str(name), choices, n=1, cutoff=0.6)
    if not match:  # case-insensitive second chance: "Total" for "total"
        lowered = {c.lower(): c for c in choices}
        match = [lowered[str(name).lower()]] if str(name).lower() in lowered else []
    return match[0] if match else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` or an empty string: the one "did you mean" of every message."""
    match = closest(name, choices)
    return f"; did you mean '{match}'?" if match else ""


class DirectiveError(Exception):
    """A wrong directive, or wrong data a directive reads: carries one `Problem`."""

    def __init__(
        self,
        message: str,
        *,
        fix: str | None = None,
        key: str | None = None,
        line: int | None = None,
        path: str | None = None,
    ):
        self.problem = Problem(message, fix=fix, path=path, line=line, key=key)
        super().__init__(str(self.problem))

    @classmethod
    def of(cls, problem: Problem) -> DirectiveError:
        """The error carrying `problem` as it is."""
        err = cls.__new__(cls)
        err.problem = problem
        Exception.__init__(err, str(problem))
        return err

    @property
    def message(self) -> str:
        """What is wrong and how to fix it, without the location."""
        return self.problem.text

    @property
    def key(self) -> str | None:
        return self.problem.key

    @property
    def line(self) -> int | None:
        return self.problem.line

    @property
    def path(self) -> str | None:
        return self.problem.path

    def located(self, path: str, line: int | None = None) -> DirectiveError:
        """The same fault with its file and line (a more precise line already set wins)."""
        return DirectiveError.of(self.problem.at(path, line))

    def about(self, key: str) -> DirectiveError:
        """The same fault as a fault in option `key`: 'key: ' before the message (a
        validator's message names no option), and `key` set (its line is the fault's)."""
        problem = dataclasses.replace(self.problem, message=f"{key}: {self.problem.message}")
        return DirectiveError.of(dataclasses.replace(problem, key=key))

    def __str__(self) -> str:
        return str(self.problem)


class DirectiveErrors(Exception):
    """Every wrong directive in one source file, reported together (each already located)."""

    def __init__(self, errors: list[DirectiveError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    @property
    def problems(self) -> list[Problem]:
        return [e.problem for e in self.errors]


class DataPackageError(Exception):
    """One or more files in the data folder do not match its datapackage.json.

    Each problem is located `data/<file>.csv:<row>:<column>` (`-` for a whole row).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class BuildFailed(Exception):
    """A Pelican build met wrong directives or data; its problems were reported already."""

    def __init__(self, problems: list[Problem], where: str):
        self.problems = problems
        super().__init__(
            f"build stopped: {len(problems)} problem(s) in {where}; fix them and build again "
            "(`python -m pelican.plugins.datadirectives.check --settings <settings file>` lists "
            "the problems in every file)"
        )
