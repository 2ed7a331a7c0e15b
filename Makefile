# The tool's repository: `make site` builds the sample site through the installed package,
# exactly as `yipin build` does in any site; `make test` runs the whole suite. Both set up
# what they need: .venv/ with Yipin (editable) and its test libraries, and the system packages
# (scripts/system-packages.sh): a build's (a CJK font, npm), or for `make test` all the tests',
# and the test tools of tools/package.json.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system build-system site serve test lighthouse screenshots check-site check new diff schema clean

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

$(READY): pyproject.toml generator/yipin/__init__.py   # the version lives there: the metadata must follow
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
