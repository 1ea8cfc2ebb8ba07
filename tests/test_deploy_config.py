"""The ready-made host configuration matches the project: the GitHub Pages workflow builds
with the project's own command and uploads what it builds, and docs/deploy.md covers each
host. (The build itself is exercised by tests/test_publish.py.)
"""

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_pages_workflow_builds_with_make_publish_and_deploys_output():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as True
    assert on["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = _steps(flow["jobs"]["build"])
    uses = [s.get("uses", "").split("@")[0] for s in build]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    python = next(s for s in build if s.get("uses", "").startswith("actions/setup-python"))
    requires = re.search(r'requires-python = ">=(\d+\.\d+)"',
                         (ROOT / "pyproject.toml").read_text()).group(1)  # fmt: skip
    assert python["with"]["python-version"] == requires
    run = next(s for s in build if "run" in s)
    assert run["run"].strip() == "make publish"
    assert run["env"]["SITEURL"] == "${{ steps.pages.outputs.base_url }}"
    pages = next(s for s in build if s.get("uses", "").startswith("actions/configure-pages"))
    assert pages["id"] == "pages"
    upload = next(s for s in build if "upload-pages-artifact" in s.get("uses", ""))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    publish_recipe = re.search(r"^publish:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert f"--output {upload['with']['path']}" in publish_recipe
    deploy = _steps(flow["jobs"]["deploy"])
    assert flow["jobs"]["deploy"]["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy)


def test_make_publish_runs_the_atomic_build_with_publish_settings():
    env = {"PATH": "/usr/bin:/bin", "SITEURL": "https://example.org/x"}
    out = subprocess.run(["make", "-n", "publish"], cwd=ROOT, capture_output=True, text=True,
                         env=env)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "PUBLISH=1" in out.stdout and "site_tools.build" in out.stdout


def test_deploy_docs_cover_every_host_and_command():
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", doc, re.M)
    for host in ("GitHub Pages", "Netlify", "Cloudflare Pages", "Any other static host"):
        assert any(h.startswith(host) for h in headings), f"docs/deploy.md: no section on {host}"
    for text in ("make serve", "PORT=", "make publish", "SITEURL=", "RELATIVE_URLS=0",
                 "_headers", ".github/workflows/pages.yml"):  # fmt: skip
        assert text in doc, f"docs/deploy.md does not mention {text}"
