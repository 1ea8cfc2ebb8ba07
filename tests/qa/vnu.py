"""The Nu HTML Checker (vnu.jar from the pinned npm package vnu-jar), run once over many pages.

One JVM start costs about two seconds, so every page goes to a single run; the JSON report is
split back per file. Errors (and fatal errors, and files vnu could not read) are problems;
warnings and info messages are not.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from .tools import VNU_JAR


def check_html(files: list[Path], *, jar: Path = VNU_JAR) -> dict[str, list[str]]:
    """Validate `files`; return {file path: ["line:col: message «extract»", ...]} for errors only.

    Every file gets a key, so a caller can tell "checked, clean" from "not checked".
    """
    files = [Path(f).resolve() for f in files]
    if not files:
        return {}
    proc = subprocess.run(
        [
            "java",
            "-Xss4m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            "--html",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError) as err:
        raise RuntimeError(
            f"vnu did not produce a JSON report (exit {proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        ) from err
    report: dict[str, list[str]] = {str(f): [] for f in files}
    for m in messages:
        kind = m.get("type")
        if kind == "info":
            continue  # info covers vnu's warnings (subType "warning") and notes: advice only
        where = unquote(urlparse(m.get("url", "")).path) or "?"
        line = m.get("lastLine", m.get("firstLine", "?"))
        col = m.get("firstColumn", m.get("lastColumn", "?"))
        extract = (m.get("extract") or "").strip().replace("\n", " ")[:120]
        text = f"{line}:{col}: {kind}: {m.get('message', '').strip()}"
        if extract:
            text += f"  «{extract}»"
        report.setdefault(where, []).append(text)
    return report
