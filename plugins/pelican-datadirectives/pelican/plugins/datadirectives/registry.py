"""A small, read-only registry of named things: the directives, the chart marks.

    DIRECTIVES = Registry("directive", [ChartDirective(), TableDirective(), ...])
    DIRECTIVES["chart"]            # the entry; an unknown name says what there is
    "chart" in DIRECTIVES          # membership
    DIRECTIVES.names()             # ('chart', 'table', ...) in registration order

A registry is built once from an explicit list (reading the list tells a newcomer what
exists) and refuses two entries with one name; it is never changed afterwards, so nothing
registers itself at import and two builds can never see different registries. To extend one,
build a new registry: `DIRECTIVES.plus(SourcesDirective())`. Models: pymdown-extensions
`blocks/__init__.py` (blocks registered by name, duplicates refused) and Altair's
`utils/plugin_registry.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Generic, TypeVar

from .errors import did_you_mean

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """Entries by their `name` attribute, in registration order; duplicates refused."""

    def __init__(self, kind: str, entries: Iterable[T]):
        self.kind = kind
        items: dict[str, T] = {}
        for entry in entries:
            name = getattr(entry, "name", None)
            if not isinstance(name, str) or not name:
                raise TypeError(f"a {kind} needs a name; {entry!r} has none")
            if name in items:
                raise ValueError(
                    f"two {kind}s are named {name!r} ({items[name]!r} and {entry!r}); "
                    "each name may be registered once"
                )
            items[name] = entry
        self._items = MappingProxyType(items)

    def __getitem__(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(
                f"no {self.kind} named {name!r}{did_you_mean(name, self._items)}; "
                f"{self.kind}s: {', '.join(self._items)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def names(self) -> tuple[str, ...]:
        """Every name, in registration order."""
        return tuple(self._items)

    def plus(self, *entries: T) -> Registry[T]:
        """A new registry with these entries added (a name already taken is refused)."""
        return Registry(self.kind, [*self._items.values(), *entries])

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {list(self._items)})"
