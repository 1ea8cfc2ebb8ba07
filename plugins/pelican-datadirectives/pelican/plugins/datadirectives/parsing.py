"""Reading a directive's YAML body, with the line of each key.

`read_yaml(body, first_line)` returns the options and the line of each key in the Markdown
file, so a fault in an option is reported at that option's line. Options are then validated
by `options.validate` (the one mechanism, with the validators beside it).
"""

from __future__ import annotations

import yaml

from .errors import DirectiveError


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


def read_yaml(body: str, first_line: int = 0) -> tuple[dict, dict[str, int]]:
    """Parse a directive body into (options, {key: its line}).

    `first_line` is the line of the body's first line in its file (1-based); lines of keys
    and of syntax errors count from it (with the default, 0, they are offsets in the body).
    """
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
        raise DirectiveError(
            f"YAML syntax error: {problem}",
            fix="each option goes on its own line as 'key: value' (quote values that contain "
            "': ' or start with '{', '[', '*', '&', '!', '|', '>', '%', '@')",
            line=first_line + line if first_line else None,
        ) from None
    if options is None:
        return {}, {}  # an empty body: the directive's own check says what is required
    if not isinstance(options, dict) or not isinstance(node, yaml.MappingNode):
        raise DirectiveError(
            "the directive body must be YAML 'key: value' lines, "
            "e.g. 'data: agreements_by_month.csv'"
        )
    lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}
    return {str(k): v for k, v in options.items()}, lines
