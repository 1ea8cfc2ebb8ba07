"""The explainer's search index: output/search/index.json, for the search box (issue 12).

A small site plugin (not part of pelican-datadirectives: it knows this site's CSVs). At the
end of a build it writes one document per agency on ICE's latest list (its first row's anchor
on its state page, so the box takes the reader to the row) and one per state page, from
data/agreements_latest.csv and data/states.csv. Compact rows under a list of field names;
the browser's MiniSearch (theme/js/src/finder.js) indexes them when the reader first focuses
the box. Deterministic: same CSVs, same bytes.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

logger = logging.getLogger(__name__)

INDEX_PATH = "search/index.json"
FIELDS = ["name", "county", "state", "url", "kind"]


def documents(data_dir: Path) -> list[list[str]]:
    """[[name, county, state, url, kind]]: states first (by name), then agencies by state."""
    with (data_dir / "states.csv").open(encoding="utf-8-sig", newline="") as f:
        states = list(csv.DictReader(f))
    docs = [[s["state"], "", s["state"], f"states/{s['slug']}.html", "state"] for s in states]
    seen = set()
    with (data_dir / "agreements_latest.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["state"], row["agency"].casefold())
            if key in seen:
                continue  # one entry per agency: its first row on the state page
            seen.add(key)
            county = "" if row["county"] == "not listed" else row["county"]
            url = f"states/{row['state_slug']}.html#{row['id']}"
            docs.append([row["agency"], county, row["state"], url, "agency"])
    return docs


def write_index(settings: dict, output: Path) -> None:
    """Write the index into the output folder (builds that list this plugin)."""
    if "search_index" not in (settings.get("PLUGINS") or []):
        return
    data_dir = Path((settings.get("DATA_DIRECTIVES") or {}).get("DATA_DIR", "data"))
    if not (data_dir / "agreements_latest.csv").is_file():
        return
    out = output / INDEX_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    docs = documents(data_dir)
    text = json.dumps({"fields": FIELDS, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    out.write_text(text, encoding="utf-8")
    logger.info("search index: %d entries, %d bytes", len(docs), len(text.encode()))


class SearchIndexGenerator(Generator):
    """Writes the index in Pelican's output phase. Not on `finalized`: Pelican calls those
    receivers in no fixed order, and site_tools lists every output file in _headers there."""

    def generate_output(self, writer) -> None:
        write_index(self.settings, Path(self.output_path))


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
