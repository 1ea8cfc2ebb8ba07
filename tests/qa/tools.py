"""Where the pinned test tools live, and what to do when one is missing.

Locally a missing browser or Java skips the tests that need it, with a message saying how to
install it. In CI (CI=true) a missing tool fails the run instead: a gate that silently skips
is a gate that does not exist.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tests" / "js" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
# The flags this machine needs (docs/testing.md): no sandbox as root, and nothing that phones
# home, since the network is closed and every refused connection slows the browser down.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(ok: bool, what: str, fix: str) -> None:
    """Skip (locally) or fail (in CI) when a tool the test needs is missing."""
    if ok:
        return
    message = f"{what} is missing: {fix}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing tool fails the gate instead of skipping it)")
    pytest.skip(message)


def require_chromium() -> None:
    require(
        CHROMIUM.exists(),
        f"Chromium ({CHROMIUM})",
        "run `apt-get install -y chromium` (.ci/run does it in CI)",
    )


def require_java() -> None:
    require(
        shutil.which("java") is not None,
        "Java",
        "run `apt-get install -y default-jre-headless` (.ci/run does it in CI)",
    )


def require_npm_tools() -> None:
    require(
        AXE_JS.exists() and VNU_JAR.exists(),
        f"npm test tools in {NODE_MODULES}",
        "run `npm ci --prefix tests/js --ignore-scripts` (`make test` does it)",
    )
