"""Every problem in the data and the directives, all at once, without rendering.

    python -m pelican.plugins.datadirectives.check --settings pelicanconf.py

Validates every CSV against datapackage.json, then reads every Markdown file in the content
folder (and every page each page set in content/page-sets/ makes) and checks each
directive (options, files, columns, types, filters, values) by building its chart spec but not
drawing it; then the sourcing rules against data/sources.csv (sources.py) and the rule
against hand-typed figures (typed_figures.py). Prints one `file:line: message` per problem
and exits 1 if there is any, 0 if none.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import markdown
from pelican.settings import read_settings

from .errors import DataPackageError, DirectiveError, DirectiveErrors, Problem
from .markdown_ext import DataDirectivesExtension, current_source
from .plugin import display_path, package_index
from .renderer import Renderer
from .settings import SettingsError, load_config


def check(settings_path: Path) -> list[Problem]:
    """Return every problem found, each located."""
    settings = read_settings(str(settings_path))
    try:
        config = load_config(settings)
    except SettingsError as exc:
        return [Problem(str(exc), path=settings_path.name)]
    problems: list[Problem] = []
    package = {}
    if (config.data_dir / "datapackage.json").is_file():
        from . import package as datapackage

        rows = None  # validation counts the rows; load_package need not count them again
        try:
            rows = datapackage.validate_package(config.data_dir)
        except DataPackageError as exc:
            problems.extend(exc.problems)
        try:
            package = package_index(datapackage.load_package(config.data_dir, rows))
        except Exception as exc:  # a broken package file is itself a problem to list
            where = display_path(config.data_dir / "datapackage.json", config.site_root)
            problems.append(Problem(str(exc), path=where))
    renderer = Renderer(config, package, dry_run=True)
    content = Path(settings["PATH"])
    # Read the files with the site's Markdown extensions, as the build does (fenced_code
    # decides what is code, and so where a value is read).
    site_md = settings.get("MARKDOWN") or {}
    configs = site_md.get("extension_configs") or {}
    names = [*site_md.get("extensions", []), *configs, "markdown.extensions.meta"]
    extensions = [*dict.fromkeys(n for n in names if isinstance(n, str))]
    page_sets = config.page_sets_dir.resolve() if config.page_sets_dir else None
    for path in sorted(content.rglob("*.md")):
        if page_sets and path.resolve().is_relative_to(page_sets):
            continue  # templates: checked below, once per page they make
        shown = path.resolve().relative_to(config.site_root).as_posix()
        md = markdown.Markdown(
            extensions=[*extensions, DataDirectivesExtension(renderer)],
            extension_configs=configs,
        )
        token = current_source.set(shown)
        try:
            md.convert(path.read_text(encoding="utf-8-sig"))
        except DirectiveErrors as exc:
            problems.extend(exc.problems)
        except DirectiveError as exc:
            problems.append(exc.problem.at(shown, 1))
        finally:
            current_source.reset(token)
    from .pagesets import check_page_sets

    problems += check_page_sets(
        config,
        lambda: markdown.Markdown(
            extensions=[*extensions, DataDirectivesExtension(renderer)],
            extension_configs=configs,
        ),
    )
    # Sourcing rules (sources.py): every outside link has a row in data/sources.csv, every
    # repost names its original, every row is cited.
    from .sources import problems as sourcing_problems

    problems.extend(
        sourcing_problems(content, config.data_dir, config.site_root, config.not_sources)
    )
    # Every figure from a data file (typed_figures.py): no number typed into prose, no
    # annotation value or list of states typed into a directive.
    from .typed_figures import problems as typed_problems

    problems.extend(typed_problems(content, config.site_root))
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Pelican's own default name for the settings file.
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    args = parser.parse_args(argv)
    problems = check(args.settings.resolve())
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("no problems found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
