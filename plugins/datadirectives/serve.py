"""Live preview: build, serve on 127.0.0.1, rebuild on every change, reload the browser.

    python -m datadirectives.serve --settings pelican.conf.py --output output [--port 8000]

What it does, and why it is shaped this way:
- Watches the settings file and the folders the settings name: PATH (content), THEME,
  PLUGIN_PATHS and DATA_DIRECTIVES["DATA_DIR"] (so a CSV edit rebuilds too), with `watchfiles`
  (native file events, no polling).
- Rebuilds through the same atomic build as `make html` (`datadirectives.build.build`), so a
  broken edit prints its located error in this terminal and the last good pages stay served.
- Builds run in a warm worker process: it keeps pandas, Altair, Pelican and the chart cache
  loaded between builds, which makes a rebuild after one edit quick, and it is restarted
  when plugin code or the settings change, so those edits take effect too.
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
import subprocess
import sys
import time
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from watchfiles import DefaultFilter, awatch

logger = logging.getLogger("datadirectives.serve")

# The tag added before </head> of every HTML page served. An external, same-origin script:
# livereload.js derives the WebSocket host and port from its own URL.
LIVERELOAD_TAG = b'<script src="/livereload.js" defer></script>'
HEAD_END = b"</head>"


# ---------------------------------------------------------------------------------------------
# Building: a warm worker process running the atomic build on request.


class Builder:
    """Runs builds in a long-lived worker process; restarts it when code or settings change."""

    def __init__(self, settings: Path, output: Path, code_paths: list[Path]):
        self.settings = settings
        self.output = output
        self.code_paths = code_paths  # edits here need a fresh interpreter
        self.worker: subprocess.Popen | None = None

    def _start(self) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "datadirectives.serve", "--worker",
             "--settings", str(self.settings), "--output", str(self.output)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def stop(self) -> None:
        """End the worker (it exits by itself when its stdin closes)."""
        if self.worker and self.worker.poll() is None:
            self.worker.stdin.close()
            try:
                self.worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.worker = None

    def build(self, changed: list[Path] = ()) -> bool:
        """Build once; True when the build succeeded. Blocking: call from a thread."""
        if any(_inside(p, self.code_paths) for p in changed):
            logger.info("code or settings changed: restarting the build worker")
            self.stop()
        started = time.perf_counter()
        for attempt in (1, 2):
            if self.worker is None or self.worker.poll() is not None:
                self._start()
            try:
                self.worker.stdin.write("build\n")
                self.worker.stdin.flush()
                reply = self.worker.stdout.readline()
            except (BrokenPipeError, OSError):
                reply = ""
            if reply:
                break
            # The worker died (a crash in plugin code): start a fresh one and try once more.
            self.worker = None
            if attempt == 2:
                logger.error("build worker exited; see the error above")
                return False
        rc = int(reply.split()[0])
        elapsed = time.perf_counter() - started
        if rc == 0:
            logger.info("rebuilt in %.2f s", elapsed)
        else:
            logger.error("build FAILED (exit %d) after %.2f s: still serving the last good "
                         "pages; fix the error above and save again", rc, elapsed)  # fmt: skip
        return rc == 0


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _load_build():
    """The atomic build as a callable (settings_path, output_dir) -> exit code."""
    try:
        from datadirectives.build import build
    except ModuleNotFoundError as exc:
        if exc.name != "datadirectives.build":
            raise
        # Until the atomic build module exists: plain Pelican, errors fatal.
        module = ["pelican", "--fatal", "errors", "-s"]
    else:
        if callable(build):
            return build
        module = ["datadirectives.build", "--settings"]

    def build_in_subprocess(settings_path: str, output_dir: str) -> int:
        cmd = [sys.executable, "-m", *module, settings_path, "--output", output_dir]
        return subprocess.call(cmd, stdout=sys.stderr)

    return build_in_subprocess


def _worker(settings: str, output: str) -> int:
    """Worker loop: one build per line on stdin, one `<exit code>` line back per build."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # build chatter goes to the terminal
    build = _load_build()
    for _line in sys.stdin:
        try:
            rc = build(settings, output)
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except Exception:
            logging.getLogger("datadirectives.serve").exception("build crashed")
            rc = 1
        replies.write(f"{int(rc or 0)}\n")
        replies.flush()
    return 0


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


def watched_paths(settings_file: Path) -> tuple[list[Path], list[Path]]:
    """(paths to watch, code paths) from the Pelican settings: content, theme, plugins, data."""
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file))
    base = settings_file.parent
    content = [base / settings["PATH"], base / settings["THEME"]]
    code = [settings_file] + [base / p for p in settings.get("PLUGIN_PATHS", [])]
    data_dir = (settings.get("DATA_DIRECTIVES") or {}).get("DATA_DIR")
    if data_dir:
        content.append(base / data_dir)
    paths = [p.resolve() for p in content + code if Path(p).exists()]
    return sorted(set(paths)), [p.resolve() for p in code]


async def watch_and_rebuild(builder: Builder, paths: list[Path], ignore: list[Path]) -> None:
    """Rebuild after each batch of changes; reload browsers after a good build."""
    loop = asyncio.get_running_loop()
    async for changes in awatch(*paths, watch_filter=SourceFilter(ignore), debounce=400):
        changed = sorted({Path(p).resolve() for _, p in changes})
        root = builder.settings.resolve().parent
        shown = ", ".join(_relative(p, root) for p in changed[:5])
        logger.info("changed: %s%s", shown, " ..." if len(changed) > 5 else "")
        if await loop.run_in_executor(None, builder.build, changed):
            reload_browsers()


def _relative(path: Path, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(root))
    return str(path)


async def serve(settings: Path, output: Path, host: str, port: int) -> None:
    """Build once, serve, and rebuild on change until interrupted."""
    paths, code = watched_paths(settings)
    builder = Builder(settings, output, code)
    try:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, builder.build, [])
        server = make_app(output).listen(port, address=host)
        logger.info("serving %s on http://%s:%d/ (Ctrl-C to stop)", output, host, port)
        logger.info("watching %s", ", ".join(_relative(p, settings.resolve().parent)
                                             for p in paths))  # fmt: skip
        try:
            await watch_and_rebuild(builder, paths, ignore=[output, output.parent / ".cache"])
        finally:
            server.stop()
    finally:
        builder.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datadirectives.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--settings", default="pelican.conf.py", type=Path)
    parser.add_argument("--output", default="output", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(str(args.settings), str(args.output))
    logging.basicConfig(level=logging.INFO, format="serve: %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    if not args.settings.is_file():
        parser.error(f"{args.settings}: no such settings file (run from the project root?)")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.settings, args.output, args.host, args.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
