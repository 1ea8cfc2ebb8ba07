"""Content-hashed asset names (plugins/site_tools/fingerprint.py).

A small hand-made output tree with the reference shapes a real build produces: relative links
from nested pages, site-absolute and absolute links under a sub-path SITEURL, srcset, inline
styles, CSS url() and @import, and a bundle the interactive runtime already hashed.
"""

import hashlib
import re
import shutil

import pytest
from site_tools.fingerprint import fingerprint, resolve

SITEURL = "https://example.org/sub"


def h8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "output"
    files = {
        "theme/img/logo.png": b"\x89PNG fake logo",
        "theme/img/logo@2x.png": b"\x89PNG fake logo 2x",
        "theme/fonts/serif.woff2": b"wOF2 fake font",
        "theme/css/base.css": "body{background:url('../img/logo.png')}\n",
        "theme/css/site.css": '@import "base.css";\n'
        '@font-face{src:url(../fonts/serif.woff2) format("woff2")}\n',
        "theme/js/vega.1a2b3c4d.js": "/* already hashed by the runtime helper */\n",
        "theme/js/menu.js": "document.documentElement.classList.add('js');\n",
        "data/agreements.csv": "month,total\n2025-01,135\n",
        "index.html": '<html><head><link rel="stylesheet" href="./theme/css/site.css">'
        '<meta property="og:image" content="https://example.org/sub/theme/img/logo.png">'
        '</head><body><img src="./theme/img/logo.png?v=1#x" '
        'srcset="./theme/img/logo.png 1x, ./theme/img/logo@2x.png 2x" alt="">'
        '<div style="background-image:url(theme/img/logo.png)"></div>'
        '<a href="data/agreements.csv">CSV</a><a href="https://other.example/theme/js/menu.js">x</a>'
        '<script src="./theme/js/vega.1a2b3c4d.js" defer></script>'
        '<script src="/sub/theme/js/menu.js" defer></script></body></html>',
        "chapters/growth.html": '<link rel="stylesheet" href="../theme/css/site.css">'
        '<script src="../theme/js/menu.js"></script>',
    }
    for rel, body in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return out


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_assets_renamed_and_every_reference_rewritten(site):
    renamed = fingerprint(site, siteurl=SITEURL)
    logo = "theme/img/logo." + h8(b"\x89PNG fake logo") + ".png"
    assert renamed["theme/img/logo.png"] == logo
    menu = b"document.documentElement.classList.add('js');\n"
    assert renamed["theme/js/menu.js"] == "theme/js/menu." + h8(menu) + ".js"
    # The runtime's bundle keeps its name; HTML and data downloads are never renamed.
    assert "theme/js/vega.1a2b3c4d.js" not in renamed
    assert (site / "theme/js/vega.1a2b3c4d.js").exists()
    assert (site / "data/agreements.csv").exists() and (site / "index.html").exists()
    for old, new in renamed.items():
        assert not (site / old).exists() and (site / new).exists()
        # The name is the hash of the final bytes (CSS: after its references were rewritten).
        assert new.split(".")[-2] == h8((site / new).read_bytes())

    base = (site / renamed["theme/css/base.css"]).read_text()
    assert f"url('../img/{logo.split('/')[-1]}')" in base
    site_css = (site / renamed["theme/css/site.css"]).read_text()
    assert f'@import "{renamed["theme/css/base.css"].split("/")[-1]}"' in site_css
    assert renamed["theme/fonts/serif.woff2"].split("/")[-1] in site_css

    index = (site / "index.html").read_text()
    logo_name = logo.split("/")[-1]
    assert f'href="./{renamed["theme/css/site.css"]}"' in index
    assert f'content="https://example.org/sub/{logo}"' in index
    assert f'src="./{logo}?v=1#x"' in index
    assert f"./{logo} 1x, ./{renamed['theme/img/logo@2x.png']} 2x" in index
    assert f"url(theme/img/{logo_name})" in index
    assert f'src="/sub/{renamed["theme/js/menu.js"]}"' in index
    # Another host's URL and the data download are untouched.
    assert 'href="https://other.example/theme/js/menu.js"' in index
    assert 'href="data/agreements.csv"' in index
    growth = (site / "chapters/growth.html").read_text()
    assert f'href="../{renamed["theme/css/site.css"]}"' in growth
    # No reference to an old name survives anywhere in HTML or CSS.
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css"):
            text = path.read_text().replace("https://other.example/theme/js/menu.js", "")
            for old in renamed:
                name = old.split("/")[-1]
                assert not re.search(rf"[/\"'(]{re.escape(name)}[\"')?#\s]", text), (path, old)


def test_changing_an_image_changes_the_stylesheet_name(tmp_path):
    names = []
    for n, logo in enumerate([b"\x89PNG one logo", b"\x89PNG another logo"]):
        out = tmp_path / str(n)
        (out / "theme/img").mkdir(parents=True)
        (out / "theme/css").mkdir(parents=True)
        (out / "theme/img/logo.png").write_bytes(logo)
        (out / "theme/css/base.css").write_text("body{background:url('../img/logo.png')}\n")
        names.append(fingerprint(out)["theme/css/base.css"])
    assert names[0] != names[1]


def test_deterministic_and_idempotent(site, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(site, twin)
    fingerprint(site, siteurl=SITEURL)
    fingerprint(twin, siteurl=SITEURL)
    once = snapshot(site)
    assert once == snapshot(twin)
    assert fingerprint(site, siteurl=SITEURL) == {}
    assert snapshot(site) == once


@pytest.mark.parametrize(
    ("url", "referrer", "siteurl", "expected"),
    [
        ("../theme/css/site.css", "chapters/growth.html", "", "theme/css/site.css"),
        ("./theme/a.png", "index.html", "", "theme/a.png"),
        ("/theme/a.png", "index.html", "", "theme/a.png"),
        ("/sub/theme/a.png", "index.html", SITEURL, "theme/a.png"),
        ("https://example.org/sub/theme/a.png", "x/y.html", SITEURL, "theme/a.png"),
        ("//example.org/sub/theme/a.png", "x/y.html", SITEURL, "theme/a.png"),
        ("https://example.org/theme/a.png", "index.html", SITEURL, None),
        ("https://cdn.example/theme/a.png", "index.html", SITEURL, None),
        ("https://example.org/theme/a.png", "index.html", "", None),
        ("#top", "index.html", "", None),
        ("data:image/png;base64,AAAA", "index.html", "", None),
        ("../../x.png", "index.html", "", None),
        ("theme/a%20b.png", "index.html", "", "theme/a b.png"),
    ],
)
def test_resolve(url, referrer, siteurl, expected):
    assert resolve(url, referrer, siteurl) == expected
