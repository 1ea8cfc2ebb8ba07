"""Render the cache misses of a cold build on every core, before Pelican reads the content.

Pelican reads Markdown files one after the other in one process, so a cold build renders its
charts one at a time on one core (vl-convert and Altair are CPU-bound: ~0.3 to 1 s a chart).
`prerender(settings, renderer)`, called from plugin.initialized, does that work first, in a
pool of worker processes:

1. scan the content for directive blocks exactly as the Markdown preprocessor will see them
   (same whitespace normalisation, the same scanner: markdown_ext.directive_blocks), so each
   block's body, and so its cache key, is the one the reader will compute;
2. keep the blocks whose key is not in the cache (Renderer.cache_key, the one definition);
3. render them in worker processes, each with its own Renderer calling the same
   Renderer.render_block, which writes the cache entry (atomically, content-addressed).

Pelican then reads the content as usual and finds every chart in the cache. Nothing here
changes what a build produces: entries are keyed by content and rendering is deterministic,
so which process wrote an entry, and in what order, does not matter. Nothing here reports
errors either: a block that fails (bad YAML, unknown column...) is left uncached, and the
normal pass renders it again and stops the build with the usual located message. A warm
rebuild pays only for the scan (a YAML parse and a key per block; no pandas, no Altair, no
pool), and not even that when no input changed since a build found everything cached
(`done_stamp`).

How workers start (`start_method`): a build process forks them when it runs no other thread,
so they begin with the parent's imports (pandas, Altair, vl-convert, the plugin) and only start
their own JavaScript engine; otherwise (vl-convert's engine already running in this process: a
test run, a long-lived server) they are spawned as fresh interpreters, because forking a
process with live threads can deadlock. While they draw, the parent evaluates the site's
`{{ values }}` into the cache (`prefill_values`) instead of waiting idle.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
from pathlib import Path

from .directives import cached_block_names
from .errors import DirectiveError, DirectiveErrors
from .markdown_ext import VALUE, directive_blocks
from .parsing import read_yaml

logger = logging.getLogger(__name__)

# Below this many misses the pool's start-up (a fresh interpreter importing pandas, Altair and
# vl-convert, ~1.5 s) costs more than it saves; the normal pass renders them.
MIN_MISSES = 3


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def markdown_files(settings: dict) -> list[Path]:
    """The Markdown files under the content PATH Pelican may read, in a stable order."""
    from pelican.readers import MarkdownReader

    root = Path(settings["PATH"])
    extensions = tuple(f".{e}" for e in MarkdownReader.file_extensions)
    ignore = settings.get("IGNORE_FILES", [])
    return [
        p
        for p in sorted(root.rglob("*"))
        if p.suffix in extensions
        and p.is_file()
        and not any(fnmatch.fnmatch(p.name, pattern) for pattern in ignore)
    ]


def blocks(text: str, names=None) -> list[tuple[str, str, int]]:
    """(kind, body, line of the opening fence) for each directive block of a Markdown text.

    `names`: the block names to find; by default the cached ones (the directive registry's).

    The lines are normalised the way Python-Markdown does before our preprocessor runs, and
    the blocks are found by the preprocessor's own scanner (markdown_ext.directive_blocks), so
    the bodies are byte-for-byte what Renderer.render_block receives during the read.
    """
    import markdown
    from markdown.preprocessors import NormalizeWhitespace

    names = cached_block_names() if names is None else names
    lines = NormalizeWhitespace(markdown.Markdown()).run(text.split("\n"))
    return directive_blocks("\n".join(lines), names)


def scan(settings: dict, renderer, values: list | None = None) -> list[tuple]:
    """(kind, body, file, line, cache key) of every readable directive block, in file order.

    `values`, if given, receives the expression of every `{{ value }}` in the same texts.
    """
    found = []
    for path, text in [*_file_texts(settings, renderer), *_page_set_texts(renderer)]:
        if values is not None:
            values += [m["expr"] for m in VALUE.finditer(text)]
        for kind, body, line in blocks(text, renderer.cached_block_names):
            try:
                options, _ = read_yaml(body)  # libyaml: fast (parsing.py)
                key = renderer.cache_key(kind, body, options.get("data"), options.get("sql"))
            except DirectiveError:
                continue  # not a valid block: the normal pass reports it, located
            found.append((kind, body, str(path), line, key))
    return found


def _file_texts(settings: dict, renderer):
    """(path, text) of each content file, page-set templates left out (their blocks hold
    ${column} placeholders; _page_set_texts gives the pages they make)."""
    from pelican.utils import pelican_open

    page_sets = renderer.config.page_sets_dir
    page_sets = page_sets.resolve() if page_sets else None
    for path in markdown_files(settings):
        if page_sets and path.resolve().is_relative_to(page_sets):
            continue
        with pelican_open(str(path)) as text:
            yield path, text


def _page_set_texts(renderer):
    """(template path, expanded text) of every page each page set makes, so a cold build
    renders their charts in the pool too. A page set that fails is left to the build, which
    reports it at the template's line."""
    from .pagesets import PageSet

    folder = renderer.config.page_sets_dir
    for path in sorted(folder.glob("*.md")) if folder and folder.is_dir() else []:
        page_set = PageSet(path, str(path), path.read_text(encoding="utf-8-sig"))
        try:
            for label, fields, table in page_set.groups(renderer.config.data_dir):
                yield path, page_set.expand(fields, label, table)
        except (DirectiveError, DirectiveErrors):
            continue


def misses(settings: dict, renderer, found=None) -> list[tuple[str, str, str, int, str]]:
    """(kind, body, file, line, key) of each distinct block whose rendering is not cached."""
    todo, seen = [], set()
    for block in scan(settings, renderer) if found is None else found:
        key = block[4]
        if key not in seen and not renderer.cache.has(key):
            seen.add(key)
            todo.append(block)
    return todo


def new_cards(found, new_keys: set, renderer) -> list[dict]:
    """The share-card specs of files whose first chart was just rendered (their card is new).

    plugin.write_cards makes a card from each published page's first chart; rendering it here
    too, in the pool, keeps a cold build's PNGs off the one-process path. Files whose first
    chart was already cached are skipped: their card was made with it (and if not, write_cards
    still makes it).
    """
    import json

    cards, first_seen = [], set()
    for kind, _, path, _, key in found:
        if kind != "chart" or path in first_seen:
            continue
        first_seen.add(path)
        if key in new_keys and renderer.cache.has(key):
            card = json.loads(renderer.cache.path(key).read_text(encoding="utf-8")).get("card")
            if card:
                cards.append(card)
    return cards


# -- the worker side ----------------------------------------------------------------------

_worker_renderer = None


def _start_worker(config, package, fingerprint: str) -> None:
    """Each worker process's own Renderer (set once, by the pool's initializer)."""
    global _worker_renderer
    from .renderer import Renderer

    # Key entries exactly as the parent does, even if a plugin file was saved since the build
    # started: the worker is given the parent's fingerprint instead of hashing the files again.
    _worker_renderer = Renderer(config, package, fingerprint=fingerprint)


def _render_one(job: tuple[str, str, str, int, str]) -> bool:
    """Render one block into the cache; False if it failed (the normal pass will report it)."""
    kind, body, source, line, _ = job
    try:
        _worker_renderer.render_block(kind, body, source=source, line=line)
    except Exception:  # noqa: BLE001 (any failure: the normal pass meets it and reports it)
        return False
    return True


def done_stamp(files: list[Path], renderer) -> Path:
    """A marker in the cache for "every block of exactly these inputs is cached".

    Its name hashes the Markdown files, every file under data/, the settings and the
    renderer's fingerprint (rendering modules, Vega's version): anything that can change a
    block's key.
    A warm rebuild of unchanged inputs then skips the scan (one YAML parse and key per block,
    as much again as the reader's own lookups).
    """
    from . import render

    digest = hashlib.sha256(repr(renderer.config).encode())
    data_dir = renderer.config.data_dir
    for path in [*files, *sorted(p for p in data_dir.rglob("*") if p.is_file())]:
        digest.update(str(path).encode() + b"\0" + renderer.hashes(path).encode())
    digest.update(renderer.functions_fingerprint.encode())
    key = render.cache_key(renderer.fingerprint, digest.hexdigest())
    return renderer.config.cache_dir / "prerendered" / key


def _touch(stamp: Path) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def _render_card(card: dict) -> bool:
    """Render one share card into the cache (cards.cached_card); False if it failed."""
    from .cards import cached_card

    try:
        cached_card(_worker_renderer.config.cache_dir, card, _worker_renderer.fingerprint)
    except Exception:  # noqa: BLE001 (write_cards meets the same failure and reports it)
        return False
    return True


def start_method() -> str:
    """ "fork" when this process runs no thread but the main one, else "spawn".

    A forked worker starts with everything the parent imported (~0.5 s of CPU saved per worker,
    profiled: pandas, Altair, Pelican and the plugin) and starts only its own V8. Forking is
    safe only when no other thread can hold a lock at that moment: not after vl-convert has
    drawn anything in this process (its V8 and tokio threads), not while a DuckDB connection is
    open or a progress bar is drawn. The count of the process's threads (/proc/self/task) says
    so whoever started them. DATADIRECTIVES_START_METHOD=spawn forces spawning (to compare).
    """
    if os.environ.get("DATADIRECTIVES_START_METHOD") == "spawn":
        return "spawn"
    try:
        alone = len(os.listdir("/proc/self/task")) == 1
    except OSError:  # pragma: no cover (not Linux: no /proc)
        return "spawn"
    return "fork" if alone else "spawn"


def _preload() -> None:
    """Import what drawing a chart needs, once in the parent, before forking the workers."""
    import vl_convert  # noqa: F401

    from . import charts, interactive  # noqa: F401 (pandas, Altair, the chart builders)


def _cost(job) -> int:
    """A job's rank, most expensive first: county maps, maps, other charts, then tables."""
    kind, body = job[0], job[1]
    if kind != "chart":
        return 3
    if "mark: map" in body:
        return 0 if "county:" in body else 1
    return 2


def prefill_values(renderer, expressions) -> int:
    """Evaluate and cache the `{{ values }}` not cached yet; return how many were tried.

    Run by the parent while the workers draw: a cold build's values (one filter and aggregate
    each, ~600 on the real site) otherwise wait until the pool is done. A value that fails is
    skipped; the reader evaluates it again and reports it, located.
    """
    tried = 0
    for expr in dict.fromkeys(expressions):  # once each, in order
        try:
            tried += renderer.prefill_value(expr)
        except Exception:  # noqa: BLE001 (the reader meets the same failure and reports it)
            continue
    return tried


def prerender(settings: dict, renderer, workers: int | None = None) -> int:
    """Render the uncached blocks of the site in parallel; return how many were rendered.

    `renderer` is the build's Renderer (its config, data package and cache). Does nothing
    on one CPU, on a dry run, or with fewer than MIN_MISSES blocks to render.
    """
    # DATADIRECTIVES_WORKERS=1 turns prerendering off (to compare, or to save memory).
    workers = workers or int(os.environ.get("DATADIRECTIVES_WORKERS") or available_cpus())
    if workers < 2 or renderer.dry_run:
        return 0
    stamp = done_stamp(markdown_files(settings), renderer)
    if stamp.exists():
        return 0  # the same inputs were fully cached before: nothing to scan for
    # numpy's BLAS would start a thread per core when the scan imports pandas; this build does
    # no linear algebra, and a process with one thread can fork its workers (start_method).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    values: list[str] = []
    found = scan(settings, renderer, values)
    todo = misses(settings, renderer, found)
    if not todo:
        _touch(stamp)
    if len(todo) < MIN_MISSES:
        return 0  # the reader renders the few there are; the next build writes the stamp
    # Most expensive first, so no worker ends last with a map while the others wait.
    todo.sort(key=lambda job: (_cost(job), job[2], job[3]))
    from concurrent.futures import ProcessPoolExecutor  # imported here: cold builds only
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    from .progress import progress

    method = start_method()
    if method == "fork":
        _preload()
    processes = min(workers, len(todo))
    rendered = cards = 0
    try:
        with ProcessPoolExecutor(
            max_workers=processes,
            mp_context=get_context(method),
            initializer=_start_worker,
            initargs=(renderer.config, renderer.package, renderer.fingerprint),
        ) as pool:
            # Submitting starts (forks) every worker, before this process starts any thread.
            results = pool.map(_render_one, todo, chunksize=1)
            prefill_values(renderer, values)
            with progress("rendering charts and tables", len(todo)) as advance:
                for ok in results:
                    rendered += ok
                    advance()
            if renderer.config.share_cards:
                fresh = {job[4] for job in todo}
                todo_cards = new_cards(found, fresh, renderer)
                with progress("rendering share cards", len(todo_cards)) as advance:
                    for ok in pool.map(_render_card, todo_cards):
                        cards += ok
                        advance()
    except BrokenProcessPool as exc:  # a worker died (out of memory?): render serially instead
        logger.warning(
            "datadirectives: parallel rendering stopped (%s); rendering the rest one by one", exc
        )
    if rendered == len(todo):
        _touch(stamp)
    logger.info(
        "datadirectives: prerendered %d of %d uncached blocks and %d share cards on %d %s "
        "processes",
        rendered,
        len(todo),
        cards,
        processes,
        "forked" if method == "fork" else "spawned",
    )
    return rendered
