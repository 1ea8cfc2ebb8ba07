"""Reading a directive's YAML body with line numbers, and checking options declared as data.

A directive declares its options as data, `{"height": (320, int_between(80, 1200)), ...}`;
`check_options` applies them, rejects unknown keys (naming the closest known one) and reports
each fault at the line of the key it concerns. The small validators (boolean, int_between,
list_of, ...) live in options.py.
"""

from __future__ import annotations

import difflib

import yaml

from .errors import DirectiveError

REQUIRED = object()  # marks an option without a default


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text the author typed (2025-01-20 stays a string)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same loader on libyaml (C): parsing was most of a warm rebuild's time."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _parse_fast(body: str):
    """(node, options) from one libyaml pass; raises yaml.YAMLError on any fault."""
    loader = _FastLoader(body)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def read_yaml(body: str) -> tuple[dict, dict[str, int]]:
    """Parse a directive body into (options, {key: 0-based line within the body})."""
    node = None
    # libyaml takes a tab after "key:", which PyYAML refuses: tabs go the pure-Python way.
    if "\t" not in body:
        try:
            node, options = _parse_fast(body)
        except yaml.YAMLError:
            node = None  # a fault: parse again below, for the pure-Python parser's own message
    try:
        if node is None:
            node = yaml.compose(body, Loader=_Loader)
            options = yaml.load(body, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark else 0
        problem = exc.problem or "invalid YAML"
        err = DirectiveError(
            f"YAML syntax error: {problem}; each option goes on its own line "
            "as 'key: value' (quote values that contain ': ' or start with "
            "'{', '[', '*', '&', '!', '|', '>', '%', '@')"
        )
        err.body_line = line
        raise err from None
    if options is None:
        return {}, {}  # an empty body: the directive's own check says what is required
    if not isinstance(options, dict) or not isinstance(node, yaml.MappingNode):
        raise DirectiveError(
            "the directive body must be YAML 'key: value' lines, "
            "e.g. 'data: agreements_by_month.csv'"
        )
    lines = {str(k.value): k.start_mark.line for k, _ in node.value}
    return {str(k): v for k, v in options.items()}, lines


def check_options(options: dict, spec: dict) -> dict:
    """Validate options against `spec` ({name: (default, validator)}); return the merged dict."""
    unknown = [k for k in options if k not in spec]
    for key in unknown:
        close = difflib.get_close_matches(key, list(spec), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise DirectiveError(
            f"unknown option {key!r}; {hint}options: {', '.join(sorted(spec))}", key=key
        )
    result = {}
    for name, (default, validator) in spec.items():
        if name not in options or options[name] is None:
            if default is REQUIRED:
                raise DirectiveError(f"option {name!r} is required", key=name)
            result[name] = default
            continue
        try:
            result[name] = validator(options[name]) if validator else options[name]
        except DirectiveError as exc:
            exc.key = exc.key or name
            raise
        except (TypeError, ValueError) as exc:
            raise DirectiveError(f"option {name!r}: {exc}", key=name) from None
    return result


def text(value) -> str:
    """A non-empty single string."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected text, got {type(value).__name__}")
    value = str(value).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def mapping_of(item):
    """A {text: value} mapping whose values pass `item`."""

    def check(value) -> dict:
        if not isinstance(value, dict):
            raise ValueError(f"expected 'key: value' pairs in braces, got {value!r}")
        return {str(k): item(v) for k, v in value.items()}

    return check
