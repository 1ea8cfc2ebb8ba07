"""`make publish`: the production build works on a real static web server, at the root and
under a sub-path.

The publish build (PUBLISH=1, SITEURL set: exactly `make publish`'s command, into tmp_path) is
served by nginx when it is installed (Debian's nginx-light, with the `types` lines that
docs/deploy.md tells a host to add) and always by Python's http.server with the same types.
Each server answers from the root and from /explainer/ (the site's own path, as on a GitHub
Pages project site). The crawl starts at the front page, follows every same-site reference in
HTML and CSS (href, src, srcset, Open Graph images, url(), feeds, data downloads) and fetches
every file of the folder besides: each must answer 200 with the right Content-Type, and a
reference that leaves the sub-path (a site-absolute `/theme/...`) is a failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from site_tools.fingerprint import HASHED_EXTENSIONS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SITEURL = "https://example.org/explainer"
# What a static host must answer for each kind of file the site publishes. A new kind of file
# fails the test until it is added here (and, if needed, to docs/deploy.md's server types).
TYPES = {
    ".html": {"text/html"},
    ".css": {"text/css"},
    ".js": {"application/javascript", "text/javascript"},
    ".mjs": {"application/javascript", "text/javascript"},
    ".csv": {"text/csv"},
    ".png": {"image/png"},
    ".svg": {"image/svg+xml"},
    ".xml": {"application/atom+xml", "application/xml"},
    ".json": {"application/json"},
    ".txt": {"text/plain"},
    ".ico": {"image/x-icon", "image/vnd.microsoft.icon"},
    ".woff2": {"font/woff2"},
    ".webmanifest": {"application/manifest+json"},
}
# Host configuration files: read by the host, not pages of the site.
HOST_FILES = {"_headers", "_redirects"}
# http.server's additions to its usual types: the same as the nginx block in docs/deploy.md.
EXTRA_TYPES = {
    ".csv": "text/csv",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
}
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The production build, made with `make publish`'s own command and environment."""
    out = tmp_path_factory.mktemp("publish") / "explainer"
    env = {
        **os.environ,
        "PUBLISH": "1",
        "SITEURL": SITEURL,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "plugins" / "pelican-datadirectives"), str(ROOT / "plugins"), str(ROOT)]
        ),
    }
    env.pop("RELATIVE_URLS", None)
    cmd = [sys.executable, "-m", "site_tools.build",
           "--settings", "pelican.conf.py", "--output", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"publish build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return out


# ---------------------------------------------------------------------------------------------
# Servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """A plain static host: the folder under `mount`, no listings, nothing outside it."""

    mount = "/"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}

    def translate_path(self, path):
        clean = urlsplit(path).path
        if not clean.startswith(self.mount):
            return str(Path(self.directory) / ".outside-the-mount" / "nothing")
        return super().translate_path("/" + clean[len(self.mount) :])

    def list_directory(self, path):
        self.send_error(404, "No index.html in this folder")

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def python_server(site: Path, mount: str):
    handler = type("Handler", (_SubPathHandler,), {"mount": mount})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{mount}"
    finally:
        httpd.shutdown()
        httpd.server_close()


NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {tmp}/client_body;
{documented}
}}
"""


def documented_nginx(site: Path, mount: str, port: int) -> str:
    """The nginx configuration in docs/deploy.md, pointed at `site` under `mount`."""
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    match = re.search(r"```nginx\n(.*?)```", doc, re.S)
    assert match, "docs/deploy.md has no ```nginx block"
    conf = match.group(1).replace("listen 80;", f"listen 127.0.0.1:{port};")
    if mount == "/":  # the root variant the docs describe
        conf = conf.replace("root /srv/www;", f"root {site};")
        conf = conf.replace("location /explainer/", "location /")
        return conf.replace("/explainer/404.html", "/404.html")
    assert site.name == mount.strip("/")
    return conf.replace("root /srv/www;", f"root {site.parent};")


@contextlib.contextmanager
def nginx_server(site: Path, mount: str, tmp: Path):
    port = _free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(
        user="user root;" if os.geteuid() == 0 else "",  # workers must read tmp_path
        tmp=tmp, documented=documented_nginx(site, mount, port),
    ))  # fmt: skip
    # stderr to the log too: nginx warns that the docs' types re-map `xml` and `js` (intended).
    stderr = (tmp / "error.log").open("a")
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                            stderr=stderr)  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {(tmp / 'error.log').read_text()}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{mount}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        stderr.close()


# ---------------------------------------------------------------------------------------------
# Crawling

_URL_ATTRS = {"href", "src", "poster", "data"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.urls += [v for k, v in a.items() if k in _URL_ATTRS and v.strip()]
        for candidate in a.get("srcset", "").split(","):
            if candidate.strip():
                self.urls.append(candidate.split()[0])
        if tag == "meta" and re.search(r"(image|url)$", a.get("property", a.get("name", ""))):
            self.urls.append(a.get("content", ""))


def _get(url: str) -> tuple[int, str, bytes, str]:
    """(status, content type, body, Cache-Control) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read(), r.headers["Cache-Control"]
    except urllib.error.HTTPError as err:
        return err.code, "", b"", ""


def crawl(base: str) -> tuple[dict[str, tuple[int, str, str]], list[str]]:
    """Fetch the front page and everything it reaches on the site; (url -> result, problems).

    A result is (status, content type, Cache-Control).
    """
    seen: dict[str, tuple[int, str, str]] = {}
    problems: list[str] = []
    queue = [base]
    origin = urlsplit(base).netloc
    public = SITEURL + "/"
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        status, ctype, body, cache = _get(url)
        seen[url] = (status, ctype, cache)
        if status != 200:
            continue
        if ctype == "text/html":
            parser = _Refs()
            parser.feed(body.decode("utf-8", "replace"))
            refs = parser.urls
        elif ctype == "text/css":
            refs = [a or b for a, b in _CSS_URL.findall(body.decode("utf-8", "replace"))]
        else:
            continue
        for ref in refs:
            ref = ref.strip()
            if not ref or ref.startswith(("#", "data:", "mailto:", "tel:")):
                continue
            if ref.startswith(public):  # the published address (feeds, og:url): map it here
                ref = base + ref[len(public) :]
            target = urldefrag(urljoin(url, ref))[0]
            if urlsplit(target).netloc != origin:
                continue  # another host: a source's address, never loaded by the page
            if not target.startswith(base):
                problems.append(f"{url}: {ref!r} leaves the site's path ({target})")
                continue
            if target not in seen:
                queue.append(target)
    return seen, problems


def expected_types(path: str) -> set[str]:
    if path.endswith("/") or path == "":
        return TYPES[".html"]
    return TYPES.get(Path(unquote(path)).suffix.lower(), {"<no type listed for this suffix>"})


SERVERS = ["python", pytest.param("nginx", marks=pytest.mark.skipif(
    not NGINX, reason="nginx not installed (apt-get install nginx-light)"))]  # fmt: skip


@pytest.mark.parametrize("mount", ["/", "/explainer/"], ids=["root", "subpath"])
@pytest.mark.parametrize("server", SERVERS)
def test_published_folder_works_on_a_static_host(published, server, mount, tmp_path):
    if server == "nginx":
        context = nginx_server(published, mount, tmp_path)
    else:
        context = python_server(published, mount)
    with context as base:
        seen, problems = crawl(base)
        crawled = set(seen)
        files = sorted(
            p.relative_to(published).as_posix()
            for p in published.rglob("*")
            if p.is_file() and p.name not in HOST_FILES
        )
        for rel in files:  # every file, linked or not, must be served right
            url = base + rel
            if url not in seen:
                status, ctype, _, cache = _get(url)
                seen[url] = (status, ctype, cache)
    for url, (status, ctype, cache) in sorted(seen.items()):
        path = url[len(base) :]
        if status != 200:
            problems.append(f"{url}: answers {status}")
        elif ctype not in expected_types(path):
            problems.append(f"{url}: Content-Type {ctype}, expected {sorted(expected_types(path))}")
        elif server == "nginx":  # the documented caching rules
            hashed = re.search(r"\.[0-9a-f]{8,64}\.[A-Za-z0-9]+$", urlsplit(url).path)
            want = "public, max-age=31536000, immutable" if hashed else "no-cache"
            if cache != want:
                problems.append(f"{url}: Cache-Control {cache!r}, expected {want!r}")
    assert not problems, "\n".join(problems)
    # Following links alone reaches every page and every kind of file the site publishes.
    reached = {Path(urlsplit(u).path).suffix for u in crawled}
    for suffix in (".html", ".css", ".csv", ".png", ".svg", ".xml"):
        assert suffix in reached, f"no {suffix} file reached by following links from {base}"
    pages = [f for f in files if f.endswith(".html") and f != "404.html"]
    unreached = [p for p in pages if base + p not in crawled]
    assert pages and not unreached, f"pages no link leads to: {unreached}"


def test_publish_settings_reach_the_output(published):
    """Feeds on with absolute URLs, pages with relative links, hashed assets, cache rules."""
    feed = published / "feeds" / "all.atom.xml"
    assert feed.is_file(), "the publish build must write the Atom feed"
    feed_text = feed.read_text(encoding="utf-8")
    assert f'href="{SITEURL}/' in feed_text
    index = (published / "index.html").read_text(encoding="utf-8")
    # Links and assets stay relative, so the folder works under any path.
    assert not re.search(r'(?:src|href)="/(?!/)', index), "site-absolute link in index.html"
    assert not re.search(rf'<(?:script|img)[^>]+src="{re.escape(SITEURL)}', index)
    # Assets (CSS, scripts, images, fonts) carry a hash; a font's licence text keeps its name.
    theme = [
        p
        for p in (published / "theme").rglob("*")
        if p.is_file() and p.suffix.lower() in HASHED_EXTENSIONS | {".json"}
    ]
    assert theme and all(re.search(r"[.-][0-9a-f]{8,}(\.min)?\.\w+$", p.name) for p in theme), (
        "every theme asset carries a content hash: "
        + ", ".join(p.name for p in theme if not re.search(r"[.-][0-9a-f]{8,}", p.name))
    )


def test_fingerprinting_the_published_site_again_changes_nothing(published, tmp_path):
    from site_tools.fingerprint import fingerprint

    copy = tmp_path / "explainer"
    shutil.copytree(published, copy)
    assert fingerprint(copy, siteurl=SITEURL) == {}
    before = {p.relative_to(published): p.read_bytes() for p in published.rglob("*") if p.is_file()}
    after = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert after == before


def test_servers_are_configured_alike():
    """http.server gets the same extra types as the nginx block of docs/deploy.md."""
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n.*?types \{(.*?)\}", doc, re.S).group(1)
    documented = dict(re.findall(r"^\s*(\S+)\s+(\w+);", block, re.M))
    assert {f".{ext}": t for t, ext in documented.items()} == EXTRA_TYPES


def test_publish_refuses_a_missing_siteurl(tmp_path):
    plugin_path = ROOT / "plugins" / "pelican-datadirectives"
    path = os.pathsep.join(map(str, [plugin_path, ROOT / "plugins", ROOT]))
    env = {**os.environ, "PUBLISH": "1", "PYTHONPATH": path}
    env.pop("SITEURL", None)
    cmd = [sys.executable, "-m", "site_tools.build",
           "--settings", "pelican.conf.py",
           "--output", str(tmp_path / "out")]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "PUBLISH=1 needs SITEURL" in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()
