# The tool's repository: `make site` builds the sample site through the installed package,
# exactly as `yipin build` does in any site; `make test` runs the whole suite. Both set up
# what they need: .venv/ with Yipin (editable) and its test libraries; `make test` also the
# system packages (scripts/system-packages.sh) and the test tools of tools/package.json.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system site serve test lighthouse check-site check new diff schema clean

setup: $(READY)  ## only set up: .venv/ with yipin and the test libraries

system:  ## the Debian/Ubuntu packages the tests need (Chromium, Java, CJK fonts, ZBar, npm)
	scripts/system-packages.sh

site: $(READY)  ## set up, check content/ and build the sample site into site/ (yipin build)
	$(BIN)/yipin build

serve: $(READY)  ## set up and serve the sample site with live reload on http://127.0.0.1:8000/
	$(BIN)/yipin serve

test: system $(READY)  ## set up (system packages included) and run the whole test suite
	$(BIN)/yipin tools --dev >/dev/null
	$(BIN)/pytest

lighthouse: system $(READY)  ## Lighthouse on the home, a case and the library page (~15 s a page)
	$(BIN)/yipin tools --dev >/dev/null
	$(BIN)/pytest -m lighthouse

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
