"""One font for the build and the page (issue 15): the committed subset, its licence, its
registration with vl-convert, and the settings that turn it on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pelican.plugins.datadirectives import chart_theme, render
from pelican.plugins.datadirectives.settings import DEFAULTS, SettingsError, load_config

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "theme" / "static" / "fonts"
BUILD = ROOT / "theme" / "fonts"


@pytest.mark.parametrize("weight", [400, 700])
def test_web_and_build_fonts_are_the_same_glyphs_named_inter(weight):
    web = TTFont(WEB / f"inter-{weight}.woff2")
    build = TTFont(BUILD / f"inter-{weight}.ttf")
    assert web.flavor == "woff2" and build.flavor is None
    for font in (web, build):
        assert font["name"].getDebugName(1) == "Inter"
        assert font["OS/2"].usWeightClass == weight
    assert web.getBestCmap() == build.getBestCmap()
    assert web["hmtx"].metrics == build["hmtx"].metrics  # same advances: same layout
    cmap = web.getBestCmap()
    for ch in "AZaz09$%,.–—’“”§·é":
        assert ord(ch) in cmap, f"{ch!r} missing from the subset"
    assert (WEB / f"inter-{weight}.woff2").stat().st_size < 16_000


def test_the_licence_travels_with_the_font():
    for folder in (WEB, BUILD):
        text = (folder / "OFL.txt").read_text(encoding="utf-8")
        assert "SIL Open Font License" in text and "Inter Project Authors" in text
        assert "Reserved Font Name" not in text.split("PREAMBLE")[0]  # none reserved


def _label_width(font_dir: Path | None, family: str) -> float:
    """Width of an SVG whose only growth is one y-axis label, in a fresh vl-convert process."""
    code = f"""
import re, vl_convert as vlc
if {str(font_dir)!r} != 'None':
    vlc.register_font_directory({str(font_dir)!r})
spec = {{"data": {{"values": [{{"a": "Warrant service officer", "b": 1}}]}}, "mark": "bar",
    "encoding": {{"y": {{"field": "a", "type": "nominal", "axis": {{"labelFont": {family!r},
    "labelFontSize": 20, "labelLimit": 0, "title": None}}}},
    "x": {{"field": "b", "type": "quantitative", "axis": None}}}}, "width": 10}}
print(re.search(r'<svg[^>]*width="([0-9.]+)"', vlc.vegalite_to_svg(spec)).group(1))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def test_vl_convert_measures_text_with_the_registered_font():
    family = chart_theme.with_font(chart_theme.TOKENS, "Inter")["font"]
    assert family.startswith("Inter, system-ui")
    without = _label_width(None, family)
    with_font = _label_width(BUILD, family)
    assert with_font != without  # measured with Inter, not a fallback


def test_font_settings_default_off_and_are_checked(tmp_path):
    assert DEFAULTS["FONT_DIR"] is None and DEFAULTS["FONT_FAMILY"] is None
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "data").mkdir()
    base = {"PATH": str(content)}
    config = load_config(base)
    assert config.font_dir is None and config.font_family is None
    assert chart_theme.with_font(chart_theme.TOKENS, None) is chart_theme.TOKENS
    config = load_config(
        {**base, "DATA_DIRECTIVES": {"FONT_DIR": str(BUILD), "FONT_FAMILY": "Inter"}}
    )
    assert config.font_dir == BUILD and config.font_family == "Inter"
    with pytest.raises(SettingsError, match=r"FONT_DIR.*not a folder of fonts.*woff2"):
        load_config({**base, "DATA_DIRECTIVES": {"FONT_DIR": str(WEB)}})
    with pytest.raises(SettingsError, match=r"FONT_FAMILY.*unquoted"):
        load_config({**base, "DATA_DIRECTIVES": {"FONT_FAMILY": "Source Sans 3"}})
    with pytest.raises(SettingsError, match=r"FONT_FAMILY"):
        load_config({**base, "DATA_DIRECTIVES": {"FONT_FAMILY": "'Inter'"}})


def test_the_font_is_in_the_render_cache_key(tmp_path):
    assert render.font_fingerprint("") == ""
    a = render.font_fingerprint(str(BUILD))
    copy = tmp_path / "fonts"
    copy.mkdir()
    for path in BUILD.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    assert render.font_fingerprint(str(copy)) == a
    (copy / "inter-400.ttf").write_bytes(b"changed")
    # Not cached at module level: each build's Renderer hashes the folder once.
    assert render.font_fingerprint(str(copy)) != a


def test_the_site_names_the_font_in_the_theme_and_the_css():
    conf = (ROOT / "pelican.conf.py").read_text(encoding="utf-8")
    assert re.search(r'"FONT_FAMILY": "Inter"', conf)
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"@font-face \{\s*font-family: Inter;", css)


def test_use_font_names_the_family_first_everywhere_the_theme_names_a_font():
    import pandas as pd
    from pelican.plugins.datadirectives import charts

    frame = pd.DataFrame({"month": ["2025-01-01", "2025-02-01"], "total": [1, 2]})
    spec = charts.build_chart({"mark": "line", "x": "month:T", "y": "total:Q"}, frame).to_dict(
        validate=False
    )
    assert chart_theme.use_font(spec, None) is spec
    themed = chart_theme.use_font(spec, "Inter")
    text = str(themed["config"])
    assert chart_theme.FONT_STACK in str(spec["config"])
    assert f"'Inter, {chart_theme.FONT_STACK}'" in text
    assert f"'{chart_theme.FONT_STACK}'" not in text
    assert themed["data"] == spec["data"]
