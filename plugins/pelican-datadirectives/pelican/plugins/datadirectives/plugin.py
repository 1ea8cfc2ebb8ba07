"""The thin layer that wires the data directives into Pelican.

Data flow, in signal order:
  initialized     check settings, validate data/ against datapackage.json, add the extension
  readers_init    wrap the Markdown reader so directives know which file they are in
  content_object_init  point "Get the data" links at the site root, set the share image,
                  give a page's held figures its root (placeholders.py)
  all_generators_finalized  stop the build (BuildFailed) if any file had a wrong directive
  get_generators  add FilesGenerator, which writes what pages link to (CSV copies, charts.css,
                  share cards, the chart runtime) in Pelican's output phase, so every file is
                  there before any `finalized` receiver (e.g. an asset fingerprinting plugin)
  content_written, feed_generated  put held figures back into each written page and feed
  finalized       check that no placeholder was left; report changed numbers and one
                  summary line

Build-wide state lives in Pelican's settings under one private key, so two builds in one
process (tests, `make serve`) never share it. Wrong directives or data are printed as
`error: path:line: message` lines and end the build with BuildFailed, an ordinary exception:
Pelican's command line turns it into exit status 1 (the library raises, tools exit).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from pelican.generators import Generator
from pelican.readers import MarkdownReader

from . import figure, placeholders
from .errors import BuildFailed, DataPackageError, DirectiveErrors, Problem
from .markdown_ext import DataDirectivesExtension, current_source
from .renderer import Renderer
from .settings import load_config

logger = logging.getLogger(__name__)
STATE = "_DATA_DIRECTIVES_STATE"
VALIDATING = ("package.py", "tableschema.py", "engine.py")  # what checks data/ against its package


class _State:
    def __init__(self, config, renderer, settings):
        self.config = config
        self.renderer = renderer
        # Figures kept out of Markdown, Pelican and Jinja until their page is written.
        self.held = placeholders.Held(settings) if config.placeholders else None
        self.card_slugs = {}  # source path -> slug of the published page
        self.problems: list[Problem] = []  # every wrong directive met while reading
        self.started = time.perf_counter()
        self.cards_written = 0


def enabled(settings: dict) -> bool:
    """Whether this build lists the plugin. Pelican's signals are process-wide: once any
    build in a process (a test run, `make serve`) has loaded the plugin, its receivers fire
    for every later build too, so each receiver must ask."""
    return any(getattr(p, "__name__", p) == __package__ for p in settings.get("PLUGINS") or [])


def initialized(pelican) -> None:
    """Check settings and data, then add the Markdown extension exactly once."""
    settings = pelican.settings
    if not enabled(settings):
        settings.pop(STATE, None)
        return
    config = load_config(settings)
    try:
        package = load_package_metadata(config)
    except DataPackageError as exc:
        raise report(exc.problems, "data") from None
    renderer = Renderer(config, package)
    state = settings[STATE] = _State(config, renderer, settings)
    exclude_page_sets(settings, config)
    # Cold builds: render the uncached charts on every core before the readers run
    # (prerender.py; a warm build only scans). Results and errors are the reader's own.
    from .prerender import prerender

    prerender(settings, renderer)
    md = settings.setdefault("MARKDOWN", {})
    # Copy, never mutate in place: Pelican's DEFAULT_CONFIG shares these objects.
    extensions = [e for e in md.get("extensions", []) if not isinstance(e, DataDirectivesExtension)]
    extension = DataDirectivesExtension(renderer, held=state.held)
    settings["MARKDOWN"] = {**md, "extensions": [*extensions, extension]}


def exclude_page_sets(settings: dict, config) -> None:
    """Keep Pelican's own generators out of the page-set folder: its files are templates
    (pagesets.py reads them), not articles or pages."""
    folder = config.page_sets_dir
    content = Path(settings["PATH"]).resolve()
    if folder is None or not folder.resolve().is_relative_to(content):
        return
    relative = folder.resolve().relative_to(content).as_posix()
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        if relative not in settings.get(key, []):
            settings[key] = [*settings.get(key, []), relative]


def load_package_metadata(config) -> dict:
    """Validate every data file against datapackage.json and return {file name: metadata}.

    Validation is skipped only when the package and every data file are byte-for-byte the
    ones that passed last time (a hash of all of them names a stamp in the cache): same bytes,
    same verdict. The stamp keeps the row counts validation found, so a warm build neither
    counts a million rows again nor imports DuckDB.
    """
    descriptor = config.data_dir / "datapackage.json"
    if not descriptor.is_file():
        return {}
    from . import package, render

    digest = hashlib.sha256(descriptor.read_bytes())
    for path in package.data_files(config.data_dir):
        digest.update(path.relative_to(config.data_dir).as_posix().encode() + b"\0")
        digest.update(render.file_sha256(path).encode())
    # Validation's verdict depends on the validating modules and DuckDB, not on the renderer.
    validator = render.fingerprint(VALIDATING, ("duckdb",))
    stamp = config.cache_dir / "validated" / render.cache_key(validator, digest.hexdigest())
    rows = None
    if config.validate_package:
        try:
            rows = json.loads(stamp.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            rows = package.validate_package(config.data_dir, config.cache_dir / "duckdb")
            stamp.parent.mkdir(parents=True, exist_ok=True)
            tmp = stamp.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(rows, sort_keys=True), encoding="utf-8")
            os.replace(tmp, stamp)
    return package_index(package.load_package(config.data_dir, rows))


def package_index(resources) -> dict:
    """{csv path under data/: resource metadata as a dict} from package.load_package()."""
    return {info.path: dataclasses.asdict(info) for info in resources}


def generator_init(generator) -> None:
    """Give templates the chart loader's and stylesheets' URLs (builds with the plugin)."""
    state = generator.settings.get(STATE)
    if state is not None:
        from . import runtime

        runtime.on_generator_init(generator)
        generator.env.globals.update(stylesheet_globals(state.config, generator.settings))


FIGURE_CSS = "dd-figures.css"  # the default figure stylesheet, static/ in the package


def stylesheet_globals(config, settings: dict) -> dict[str, str]:
    """DD_CHARTS_CSS, and DD_FIGURE_CSS when the default stylesheet is copied (paths
    relative to SITEURL), for a theme's <link> tags."""
    static_dir = settings.get("THEME_STATIC_DIR", "theme")
    found = {"DD_CHARTS_CSS": f"{static_dir}/charts.css"}
    if config.stylesheet:
        found["DD_FIGURE_CSS"] = f"{static_dir}/{FIGURE_CSS}"
    return found


def readers_init(readers) -> None:
    """Wrap every Markdown reader so the preprocessor knows the current file."""
    if STATE not in readers.settings:
        return
    for ext, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, MarkdownReader):
            readers.reader_classes[ext] = _located_reader(cls)


def _located_reader(base):
    if getattr(base, "_datadirectives", False):
        return base

    class LocatedMarkdownReader(base):
        _datadirectives = True

        def read(self, source_path):
            root = Path(self.settings["PATH"]).resolve().parent
            token = current_source.set(display_path(source_path, root))
            try:
                return super().read(source_path)
            except DirectiveErrors as exc:
                # Reported here, plainly; Pelican then logs "Could not process <file>" (with
                # --fatal errors that ends the build) and otherwise reads on, so that
                # all_generators_finalized can stop the build with every file's problems.
                self.settings[STATE].problems.extend(exc.problems)
                report(exc.problems, "directives")
                raise
            finally:
                current_source.reset(token)

    return LocatedMarkdownReader


def report(problems: list[Problem], where: str) -> BuildFailed:
    """Print each problem as `error: path:line: message`, then how many; return the
    exception that ends the build.

    Printed plainly on stderr (not through Pelican's log, which wraps long lines and, for
    reader errors, shows only "Could not process <file>"), so editors can jump to each.
    """
    failed = BuildFailed(problems, where)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"error: {failed}", file=sys.stderr)
    return failed


def all_generators_finalized(generators) -> None:
    """Stop the build, before anything is written, if any file had a wrong directive.

    With --fatal errors (the build tool) the first such file has already ended the build;
    without it, this is where a page with a broken chart is kept from being published.
    """
    state = generators[0].settings.get(STATE) if generators else None
    if state is not None and state.problems:
        raise BuildFailed(state.problems, "directives")


def display_path(source_path, root: Path) -> str:
    """The path authors see in messages: relative to the site root (content/growth.md)."""
    path = Path(source_path).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def content_object_init(instance) -> None:
    """Resolve data links against this page's place in the site; name its share image."""
    state = instance.settings.get(STATE)
    content = getattr(instance, "_content", None)
    if state is None or not content:
        return
    held = []  # this page's figures that wait for the page to be written (placeholders.py)
    if state.held is not None and placeholders.PREFIX in content:
        held = state.held.attach(instance, relative_root(instance))
    if figure.ROOT_MARKER in content:
        instance._content = content.replace(figure.ROOT_MARKER, relative_root(instance))
    if state.config.stylesheet == "link" and _holds('class="dd-figure', instance._content, held):
        instance._content = stylesheet_links(state.config, instance) + instance._content
    # Templates ask this flag, not the page's HTML, whether to load the chart runtime.
    instance.dd_live_charts = _holds('class="dd-spec"', content, held) or _holds(
        " data-dd-regions=", content, held
    )
    source = display_path(instance.source_path, state.config.site_root)
    if state.config.share_cards and source in state.renderer.records.cards:
        instance.share_image = f"cards/{instance.slug}.png"
        state.card_slugs[source] = instance.slug


def _holds(text: str, content: str, held: list) -> bool:
    """Whether a page's HTML, with its held figures, holds `text` (within one or the other:
    a figure starts with "<" and ends with ">", and these texts hold neither)."""
    return text in content or any(text in f.html for f in held)


def content_written(path, context) -> None:
    """Put the held figures back into a file Pelican has just written from a template."""
    state = context.get(STATE) if context else None
    if state is not None and state.held is not None:
        placeholders.put_back_file(state.held, path)


def feed_generated(context, feed) -> None:
    """Put the held figures back into a feed's items before Pelican writes it."""
    state = context.get(STATE) if context else None
    if state is not None and state.held is not None:
        placeholders.put_back_feed(state.held, feed)


def stylesheet_links(config, instance) -> str:
    """<link>s to charts.css and the default figure stylesheet, at the top of the content.

    For themes that know nothing of the plugin: a stylesheet link is allowed in the body
    (HTML's "body-ok"), so figures are styled without editing a template.
    """
    root = relative_root(instance)
    return "".join(
        f'<link rel="stylesheet" href="{root}/{path}">\n'
        for path in stylesheet_globals(config, instance.settings).values()
    )


def relative_root(instance) -> str:
    """'..' for chapters/growth.html, '.' for index.html; SITEURL when URLs are absolute."""
    settings = instance.settings
    if settings.get("SITEURL") and not settings.get("RELATIVE_URLS"):
        return settings["SITEURL"].rstrip("/")
    depth = instance.save_as.count("/")
    return "/".join([".."] * depth) or "."


class FilesGenerator(Generator):
    """Writes the files pages link to during Pelican's output phase (builds with the plugin).

    A generator rather than a `finalized` receiver: Pelican calls `finalized` receivers in no
    fixed order, and a site's post-processing plugins (asset fingerprints, host headers) must
    see these files.
    """

    def generate_output(self, writer) -> None:
        state = self.settings.get(STATE)
        if state is not None:
            state.cards_written = write_files(state, Path(self.output_path), self.settings)


def get_generators(pelican):
    """Pelican's get_generators signal: add the files generator."""
    return FilesGenerator


def write_files(state, output: Path, settings: dict) -> int:
    """CSV copies, charts.css, share cards and the chart runtime; returns the cards written."""
    from . import runtime
    from .chart_theme import charts_css

    config, records = state.config, state.renderer.records
    static_dir = settings.get("THEME_STATIC_DIR", "theme")
    copy_data(config, output, records.csvs | set(state.renderer.package), records.files)
    css = output / static_dir / "charts.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(charts_css(), encoding="utf-8")
    if config.stylesheet:
        shutil.copyfile(runtime.STATIC / FIGURE_CSS, output / static_dir / FIGURE_CSS)
    runtime.write_runtime(output, static_dir)
    return write_cards(state, output)


def finalized(pelican) -> None:
    """Tell editors which numbers changed, and log one summary line."""
    state = pelican.settings.get(STATE)
    if state is None:
        return
    if state.held is not None:
        placeholders.check_output(state.held, Path(pelican.output_path))
    records = state.renderer.records
    report_changed_values(state.config, records.printed)
    logger.info(
        "datadirectives: %d charts (%d from cache), %d tables, %d values, %d share cards, "
        "%d figures held out of Markdown in %.2f s",
        records.charts,
        state.renderer.cache.hits,
        records.tables,
        records.values,
        state.cards_written,
        len(state.held.figures) if state.held is not None else 0,
        time.perf_counter() - state.started,
    )


def copy_data(config, output: Path, names, made: dict | None = None) -> None:
    """Copy each data file pages link to, and datapackage.json, into
    output/<OUTPUT_DATA_DIR>/; write the files figures made (the rows a `sql:` or Parquet
    figure shows, as CSV) beside them."""
    target = output / config.output_data_dir
    for name in sorted(names):
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config.data_dir / name, dest)
    for name, text in sorted((made or {}).items()):
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8", newline="")
    package = config.data_dir / "datapackage.json"
    if package.is_file():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package, target / "datapackage.json")


def write_cards(state, output: Path) -> int:
    """Render each page's first chart as a 1200x630 PNG share card (cached)."""
    from .cards import cached_card

    written = 0
    # Only pages Pelican published have a slug here (drafts and failed files do not).
    for source, slug in sorted(state.card_slugs.items()):
        card = state.renderer.records.cards[source]
        path = cached_card(state.config.cache_dir, card, state.renderer.fingerprint)
        dest = output / "cards" / f"{slug}.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        written += 1
    return written


def report_changed_values(config, printed: dict) -> None:
    """Tell editors which numbers in the prose changed since the last build, and where."""
    ledger = config.cache_dir / "values.json"
    current = {f"{source}\0{expr}": [line, text] for (source, line, expr), text in printed.items()}
    try:
        previous = json.loads(ledger.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        previous = {}
    for key, (line, text) in sorted(current.items()):
        if key in previous and previous[key][1] != text:
            source, expr = key.split("\0", 1)
            logger.warning(
                "%s:%d: number changed: {{ %s }} was %s, now %s; re-read the sentence",
                source,
                line,
                expr,
                previous[key][1],
                text,
            )
    ledger.parent.mkdir(parents=True, exist_ok=True)
    tmp = ledger.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({**previous, **current}, sort_keys=True), encoding="utf-8")
    os.replace(tmp, ledger)
