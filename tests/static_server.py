"""A small static web server on 127.0.0.1 for the quality gates and the Lighthouse bench.

It behaves like a plain static host, so the gates see what readers would: no directory
listings (a link to a folder without index.html is a 404, as on most hosts), folders redirect
to their trailing-slash form, and, when asked, text responses are gzip-compressed (Lighthouse
scores uncompressed scripts harshly, and real hosts compress).

Threaded, because a browser opens several connections at once; quiet, because a test log full
of request lines hides the failures.
"""

from __future__ import annotations

import gzip
import http.server
import io
import mimetypes
import threading
from functools import partial
from pathlib import Path

# Types a static host must send right; Python's table lacks some, or guesses per platform.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "application/manifest+json",
    "application/atom+xml",
)


class _Handler(http.server.SimpleHTTPRequestHandler):
    gzip_enabled = False

    def guess_type(self, path):  # noqa: D102 - see module docstring
        suffix = Path(str(path)).suffix.lower()
        if str(path).endswith(".atom.xml"):
            return "application/atom+xml"
        return TYPES.get(suffix) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"

    def list_directory(self, path):
        # Static hosts do not list folders: a link to one without index.html is broken.
        self.send_error(404, "No index.html in this folder")
        return None

    def log_message(self, format, *args):  # quiet: failures are reported by the gates
        pass

    def send_head(self):
        if not self.gzip_enabled or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to "folder/"
            path = path / "index.html"
        ctype = self.guess_type(path)
        if not path.is_file() or not ctype.startswith(COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class StaticServer:
    """Serve `root` at http://127.0.0.1:<free port>/ in a background thread.

    Use as a context manager, or call start() and stop(). `url` ends with a slash.
    """

    def __init__(self, root: Path | str, *, gzip_enabled: bool = False):
        self.root = Path(root)
        handler = type("Handler", (_Handler,), {"gzip_enabled": gzip_enabled})
        self._httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(handler, directory=str(self.root))
        )
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> StaticServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> StaticServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
