# One entry point for every routine task. `make html` and `make test` set up everything they need.
SHELL := /bin/bash
.DEFAULT_GOAL := html
PY      := .venv/bin/python
VENV    := .venv/.installed
# plugins/: the site's own tools (site_tools); the chart plugin is installed editable.
export PYTHONPATH := $(CURDIR)/plugins/pelican-datadirectives:$(CURDIR)/plugins:$(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1
# Determinism: hash seeds and locale must not leak into the output.
export PYTHONHASHSEED := 0
export LC_ALL := C.UTF-8
export TZ := UTC

.PHONY: html test test-fast serve check data publish bench bench-lighthouse lint lock clean venv js runtime finder-js fonts

venv: $(VENV)
$(VENV): pyproject.toml plugins/pelican-datadirectives/pyproject.toml
	python3 -m venv .venv
	python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb")); \
	  open(".venv/requirements.txt", "w").write("\n".join(p["project"]["dependencies"] + ["-e " + x for x in p["tool"]["explainer"]["local"]]) + "\n"); \
	  open(".venv/constraints.txt", "w").write("\n".join(p["tool"]["explainer"]["lock"]) + "\n")'
	.venv/bin/pip install --quiet -r .venv/requirements.txt -c .venv/constraints.txt
	touch $(VENV)

## The interactive-chart runtime ships prebuilt inside the plugin (static/dd-*.js), so building
## the site needs no Node.js. Maintainers rebuild it from the pinned npm lock with
## `make runtime` (npm ci, then esbuild via js/build.py); a test checks that the shipped files
## equal a fresh build. node_modules is git-ignored.
JS_DIR   := plugins/pelican-datadirectives/js
JS_STAMP := $(JS_DIR)/node_modules/.dd-installed
js: $(JS_STAMP)
$(JS_STAMP): $(JS_DIR)/package.json $(JS_DIR)/package-lock.json
	cd $(JS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(JS_STAMP)
runtime: $(VENV) $(JS_STAMP)
	$(PY) $(JS_DIR)/build.py

## The search box's script, theme/static/js/finder.js (committed: building the site needs no
## Node). Rebuild it after editing theme/js/src/finder.js or the pins in theme/js/package.json.
FINDER_STAMP := theme/js/node_modules/.finder-installed
$(FINDER_STAMP): theme/js/package.json theme/js/package-lock.json
	npm ci --prefix theme/js --no-audit --no-fund --loglevel=error
	touch $(FINDER_STAMP)
finder-js: $(FINDER_STAMP)
	theme/js/node_modules/.bin/esbuild theme/js/src/finder.js --bundle --minify --format=iife \
	  --target=es2020 --legal-comments=none --outfile=theme/static/js/finder.js \
	  --banner:js="/* explainer search box (theme/js/src/finder.js) with MiniSearch 7.2.0 (MIT licence, (c) Luca Ongaro), bundled by make finder-js */"

## The site's one font (Inter), subset and committed: theme/static/fonts/*.woff2 for readers,
## theme/fonts/*.ttf for the chart build (vl-convert). Maintainers only; `make html` needs no npm.
FONTS_DIR := theme/tools/fonts
fonts: $(VENV)
	cd $(FONTS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	$(PY) theme/tools/make_fonts.py

## Build the site into output/ (atomically: a failed build leaves output/ untouched).
html: $(VENV)
	$(PY) -m site_tools.build --settings pelican.conf.py --output output

## Live preview on http://127.0.0.1:$${PORT:-8000}/: rebuilds on every change, reloads the page.
serve: $(VENV)
	$(PY) -m site_tools.serve --settings pelican.conf.py --output output

## Production build into output/ (docs/deploy.md): SITEURL=https://host/path make publish
publish: $(VENV)
	@case "$$SITEURL" in http://*|https://*) ;; *) echo "make publish: set SITEURL to the \
	published address, e.g. SITEURL=https://example.org/explainer make publish" >&2; exit 2;; esac
	PUBLISH=1 $(PY) -m site_tools.build --settings pelican.conf.py --output output

## Re-derive data/*.csv from ICE's snapshots: `make data [SNAPSHOTS=dir]`.
SNAPSHOTS ?= $(firstword $(wildcard ../shared/data/ice-287g-snapshots))
data: $(VENV)
	@test -n "$(SNAPSHOTS)" || { echo "make data: no snapshot folder; pass SNAPSHOTS=dir (ICE .xlsx files)" >&2; exit 1; }
	PYTHONPATH=$(CURDIR)/data $(PY) -m ingest --snapshots "$(SNAPSHOTS)" --out data

## The quality gates' npm tools (axe-core, vnu-jar), pinned by tests/js/package-lock.json.
## --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; we use Debian's.
TEST_JS_STAMP := tests/js/node_modules/.qa-installed
$(TEST_JS_STAMP): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(TEST_JS_STAMP)

## Run every test (installs the browser and validators the tests need).
## FINDER_STAMP: the search box's esbuild, so a test can prove the committed bundle is fresh.
test: $(VENV) $(JS_STAMP) $(TEST_JS_STAMP) $(FINDER_STAMP)
	$(PY) -m pytest

## The fast tests only (no browser, no full-site validators).
test-fast: $(VENV) $(JS_STAMP)
	$(PY) -m pytest -m "not browser and not slow"

## Check every CSV and every directive without rendering; lists ALL problems, exits 1 if any.
check: $(VENV)
	$(PY) -m pelican.plugins.datadirectives.check --settings pelican.conf.py

lint: $(VENV)
	.venv/bin/ruff check plugins tests data bench pelican.conf.py
	.venv/bin/ruff format --check plugins tests data bench pelican.conf.py

## Pin every installed package into pyproject.toml's [tool.explainer].lock.
lock: $(VENV)
	$(PY) -c 'import re, subprocess; \
	  f = subprocess.run([".venv/bin/pip", "freeze", "--exclude-editable"], capture_output=True, text=True).stdout.split(); \
	  t = open("pyproject.toml").read(); \
	  body = "".join(f"  \"{x}\",\n" for x in f); \
	  open("pyproject.toml", "w").write(re.sub(r"lock = \[\n.*?\n\]", "lock = [\n" + body + "]", t, flags=re.S))'

## Lighthouse (bench/package-lock.json, 12.8.x for Node 20), mobile, every page of output/
## served gzip-compressed on 127.0.0.1: prints performance/accessibility/best-practices/SEO.
BENCH_JS_STAMP := bench/node_modules/.bench-installed
$(BENCH_JS_STAMP): bench/package.json bench/package-lock.json
	npm ci --prefix bench --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(BENCH_JS_STAMP)
bench-lighthouse: html $(BENCH_JS_STAMP)
	$(PY) bench/lighthouse.py output

## Build, data and page-weight benchmark (bench/run.py, docs/performance.md): prints one table,
## with the plugin of BENCH_BEFORE (the commit issue 14's last round started from) measured
## beside today's on the same sites (BENCH_BEFORE= to skip).
## BENCH_ARGS="--sizes 1,10 --rows 1000,100000" for a quicker run.
BENCH_BEFORE ?= 218901e
BENCH_CDN_STAMP := bench/js/node_modules/.bench-cdn-installed
$(BENCH_CDN_STAMP): bench/js/package.json bench/js/package-lock.json
	npm ci --prefix bench/js --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(BENCH_CDN_STAMP)
bench: $(VENV) $(BENCH_CDN_STAMP)
	$(PY) bench/run.py $(if $(BENCH_BEFORE),--before $(BENCH_BEFORE)) $(BENCH_ARGS)

clean:
	rm -rf output output.* .build .cache
