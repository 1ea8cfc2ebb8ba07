"""Live preview: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

    python -m site_tools.serve --settings pelican.conf.py --output output

What it does, and why it is shaped this way:
- Watches the settings file and the folders the settings name: PATH (content), THEME,
  PLUGIN_PATHS and DATA_DIRECTIVES["DATA_DIR"] (so a CSV edit rebuilds too), with `watchfiles`
  (native file events, no polling).
- Rebuilds through the same atomic build as `make html` (`site_tools.build.build`), so a
  broken edit prints its located error in this terminal and the last good pages stay served.
- Each build runs Pelican in a fresh interpreter (that is how the atomic build works), so an
  edit to plugin code or settings takes effect on the next save; charts come from the render
  cache, so a rebuild after one edit costs Pelican's start-up plus the changed page.
- Serves the output with Tornado (installed with `livereload`) and reloads open pages through
  livereload's WebSocket protocol. The client script is served by this server at
  /livereload.js (same origin, so it passes a `script-src 'self'` CSP) and its tag is added to
  HTML responses as they are served: output/ never contains it, so nothing of the preview can
  be published by mistake.
- Pages are served with the host headers of output/_headers (the CSP among them) so the
  preview breaks where production would; Cache-Control is always `no-store` here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fnmatch
import logging
import os
import time
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from watchfiles import DefaultFilter, awatch

logger = logging.getLogger("site_tools.serve")

# The tag added before </head> of every HTML page served. An external, same-origin script:
# livereload.js derives the WebSocket host and port from its own URL.
LIVERELOAD_TAG = b'<script src="/livereload.js" defer></script>'
HEAD_END = b"</head>"


# ---------------------------------------------------------------------------------------------
# Building: the atomic build of `make html`.


def rebuild(settings: Path, output: Path) -> bool:
    """Build once; True when the build succeeded. Blocking: call from a thread."""
    from .build import build

    started = time.perf_counter()
    try:
        rc = build(settings, output)
    except Exception:
        logger.exception("the build crashed")
        rc = 1
    elapsed = time.perf_counter() - started
    if rc == 0:
        logger.info("rebuilt in %.2f s", elapsed)
    else:
        logger.error("build FAILED after %.2f s: still serving the last good pages; "
                     "fix the error above and save again", elapsed)  # fmt: skip
    return rc == 0


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


# ---------------------------------------------------------------------------------------------
# Serving: static files + the livereload endpoints.


class PreviewFiles(web.StaticFileHandler):
    """output/ as a host would serve it, plus the livereload tag in HTML, never cached."""

    @classmethod
    def get_content(cls, abspath, start=None, end=None):
        if abspath.endswith((".html", ".htm")):
            return inject_livereload(Path(abspath).read_bytes())[start:end]
        return super().get_content(abspath, start, end)

    def get_content_size(self) -> int:
        if self.absolute_path.endswith((".html", ".htm")):
            return len(inject_livereload(Path(self.absolute_path).read_bytes()))
        return super().get_content_size()

    def compute_etag(self):
        return None  # always send the current bytes

    def set_extra_headers(self, path: str) -> None:
        for name, value in host_headers(Path(self.root) / "_headers", "/" + path):
            self.set_header(name, value)
        self.set_header("Cache-Control", "no-store")


def inject_livereload(html: bytes) -> bytes:
    """Add the livereload script tag before </head> (or at the end when there is no head)."""
    if HEAD_END in html:
        return html.replace(HEAD_END, LIVERELOAD_TAG + HEAD_END, 1)
    return html + LIVERELOAD_TAG


def host_headers(headers_file: Path, url_path: str) -> list[tuple[str, str]]:
    """Headers that a Netlify/Cloudflare-style `_headers` file gives `url_path`."""
    try:
        lines = headers_file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    result, applies = [], False
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():  # a path rule; `*` is a splat
            pattern = line.strip()
            applies = fnmatch.fnmatchcase(url_path, pattern) or (
                url_path.endswith("/index.html")
                and fnmatch.fnmatchcase(url_path[: -len("index.html")], pattern)
            )
        elif applies and ":" in line:
            name, value = line.strip().split(":", 1)
            if name.lower() != "cache-control":
                result.append((name.strip(), value.strip()))
    return result


def make_app(output: Path) -> web.Application:
    """The Tornado application: livereload endpoints first, then the site."""
    return web.Application(
        [
            (r"/livereload", LiveReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (r"/(.*)", PreviewFiles, {"path": str(output), "default_filename": "index.html"}),
        ]
    )


def reload_browsers() -> None:
    """Tell every connected page to reload (call on the IOLoop's thread)."""
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    for page in list(LiveReloadHandler.waiters):
        try:
            page.write_message(message)
        except Exception:  # a page that went away: forget it, keep the others
            LiveReloadHandler.waiters.discard(page)
    if LiveReloadHandler.waiters:
        logger.info("reloaded %d page(s)", len(LiveReloadHandler.waiters))


# ---------------------------------------------------------------------------------------------
# Watching.


class SourceFilter(DefaultFilter):
    """watchfiles' default filter (editor swap files, __pycache__, .git) minus the output."""

    def __init__(self, ignore: list[Path]):
        super().__init__()
        self.ignore = [p.resolve() for p in ignore]

    def __call__(self, change, path: str) -> bool:
        return super().__call__(change, path) and not _inside(Path(path).resolve(), self.ignore)


def watched_paths(settings_file: Path) -> list[Path]:
    """What to watch: the settings file and its content, theme, plugin and data folders."""
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file))
    base = settings_file.parent
    content = [base / settings["PATH"], base / settings["THEME"]]
    # These tools, the chart plugin (an editable install while it is being developed) and
    # any plugins on PLUGIN_PATHS: a saved plugin file rebuilds too.
    code = [settings_file, Path(__file__).resolve().parent, *_plugin_dirs(settings)]
    code += [base / p for p in settings.get("PLUGIN_PATHS", [])]
    data_dir = (settings.get("DATA_DIRECTIVES") or {}).get("DATA_DIR")
    if data_dir:
        content.append(base / data_dir)
    return sorted({p.resolve() for p in content + code if Path(p).exists()})


def _plugin_dirs(settings: dict) -> list[Path]:
    """The folders of the namespace plugins the settings list (pelican.plugins.<name>)."""
    import importlib.util

    found = []
    for name in settings.get("PLUGINS") or []:
        try:
            spec = importlib.util.find_spec(f"pelican.plugins.{name}")
        except (ImportError, ValueError):
            spec = None
        if spec and spec.origin:
            found.append(Path(spec.origin).resolve().parent)
    return found


async def watch_and_rebuild(settings: Path, output: Path, paths: list[Path], lock) -> None:
    """Rebuild after each batch of changes; reload browsers after a good build."""
    loop = asyncio.get_running_loop()
    ignore = SourceFilter([output, output.parent / ".cache"])
    async for changes in awatch(*paths, watch_filter=ignore, debounce=400):
        changed = sorted({Path(p).resolve() for _, p in changes})
        root = settings.resolve().parent
        shown = ", ".join(_relative(p, root) for p in changed[:5])
        logger.info("changed: %s%s", shown, " ..." if len(changed) > 5 else "")
        try:
            async with lock:
                built = await loop.run_in_executor(None, rebuild, settings, output)
            if built:
                reload_browsers()
        except Exception:  # keep serving: the next save tries again
            logger.exception("rebuild failed")


def _relative(path: Path, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(root))
    return str(path)


async def serve(settings: Path, output: Path, host: str, port: int) -> None:
    """Build once, serve, and rebuild on change until interrupted."""
    paths = watched_paths(settings)
    try:  # first, so a busy port fails fast
        server = make_app(output).listen(port, address=host)
    except OSError as exc:
        raise SystemExit(f"serve: cannot listen on {host}:{port} ({exc.strerror}); "
                         f"try another port: PORT={port + 1} make serve") from None  # fmt: skip
    lock = asyncio.Lock()  # one build at a time
    # Watch before the first build, so an edit saved while it runs triggers a rebuild.
    watching = asyncio.create_task(watch_and_rebuild(settings, output, paths, lock))
    await asyncio.sleep(0)
    async with lock:
        await asyncio.get_running_loop().run_in_executor(None, rebuild, settings, output)
    logger.info("serving %s on http://%s:%d/ (Ctrl-C to stop)", output, host, port)
    logger.info("watching %s", ", ".join(_relative(p, settings.resolve().parent)
                                         for p in paths))  # fmt: skip
    try:
        await watching
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m site_tools.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--settings", default="pelican.conf.py", type=Path)
    parser.add_argument("--output", default="output", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="serve: %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    if not args.settings.is_file():
        parser.error(f"{args.settings}: no such settings file (run from the project root?)")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.settings, args.output, args.host, args.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
