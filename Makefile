# The tool's repository: `make site` builds the sample site through the installed package,
# exactly as `yipin build` does in any site; `make test` runs the whole suite. Both set up
# what they need: .venv/ with Yipin (editable) and exactly the libraries of
# requirements.lock.txt (hashes checked), and the system packages (scripts/system-packages.sh):
# a build's (a CJK font, npm), or for `make test` all the tests', and the test tools of
# tools/package.json. `make test-latest` runs the suite with the newest versions the package's
# ranges allow; `make lock` refreshes the lock to them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1

LOCK   := requirements.lock.txt
UV     := uv==0.13.10
PIP    := python -m pip install --quiet --disable-pip-version-check

.PHONY: setup system build-system site serve test test-latest lock lighthouse screenshots check-site check new diff schema clean

setup: $(READY)  ## only set up: .venv/ with yipin and the test libraries

system:  ## the Debian/Ubuntu packages the tests need (Chromium, Java, CJK fonts, ZBar, npm)
	scripts/system-packages.sh

build-system:  ## only those a build needs: a CJK font for the share posters, npm for Pagefind
	scripts/system-packages.sh build

site: build-system $(READY)  ## set up, check content/ and build the sample site into site/ (yipin build)
	$(BIN)/yipin build

serve: build-system $(READY)  ## set up and serve the sample site with live reload on http://127.0.0.1:8000/
	$(BIN)/yipin serve

test: system $(READY)  ## set up (system packages included) and run the whole test suite
	$(BIN)/yipin tools --dev >/dev/null
	$(BIN)/pytest

test-latest: system  ## the whole suite in .venv-latest/ with the newest libraries the ranges allow (drift, found first)
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/$(PIP) --upgrade -e '.[test]'
	.venv-latest/bin/yipin tools --dev >/dev/null
	YIPIN_UNLOCKED=1 .venv-latest/bin/pytest

lock:  ## refresh $(LOCK) to the newest versions the ranges allow (then make test, and commit both)
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/$(PIP) $(UV)
	echo "setuptools>=68" | .venv-lock/bin/uv pip compile pyproject.toml - --extra test --upgrade --generate-hashes \
	  --universal --python-version 3.11 --no-header --quiet -o $(LOCK)

lighthouse: system $(READY)  ## Lighthouse on the home, a case and the library page (~15 s a page)
	$(BIN)/yipin tools --dev >/dev/null
	$(BIN)/pytest -m lighthouse

screenshots: system $(READY)  ## refresh tests/screenshots/ (each page type at 390 and 1280 px) after a change of look
	$(BIN)/yipin tools --dev >/dev/null
	YIPIN_SCREENSHOTS=update $(BIN)/pytest tests/test_screenshots.py -q

check-site: system $(READY)  ## every quality gate over the built site, with a summary
	$(BIN)/yipin tools --dev >/dev/null
	$(BIN)/pytest -m "gates or lighthouse" --tb=line -q

check: $(READY)  ## validate content/ only
	$(BIN)/yipin check

new: $(READY)  ## new case file, asking in Chinese; FROM=<case id> starts from another case's method
	$(BIN)/yipin new $(if $(FROM),--from $(FROM))

diff: $(READY)  ## for reviewers: cases and pages changed since REF (default main)
	$(BIN)/yipin diff $(or $(REF),main)

schema: $(READY)  ## regenerate schema/*.schema.json from the record models
	$(BIN)/yipin schema

# The lock's versions exactly (pip checks every hash), then Yipin itself, editable, with the
# lock's setuptools; the version lives in __init__.py: the metadata must follow it.
$(READY): $(LOCK) pyproject.toml generator/yipin/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP) --require-hashes -r $(LOCK)
	$(BIN)/$(PIP) --no-deps --no-build-isolation -e .
	touch $@

clean:
	rm -rf $(VENV) .venv-latest .venv-lock site .pytest_cache .hypothesis
