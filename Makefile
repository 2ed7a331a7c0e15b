# Everything runs from a project-local virtual environment that the targets create.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site serve test check new diff schema lighthouse check-site clean

setup: $(READY)  ## only set up: .venv/ with yipin, node_modules/ with the pinned front-end tools

site: $(READY)  ## set up, validate the content and build the site into site/
	$(BIN)/yipin check
	$(BIN)/mkdocs build --strict

serve: $(READY)  ## set up and serve the site with live reload on http://127.0.0.1:8000/
	$(BIN)/mkdocs serve

test: $(READY)  ## set up and run the whole test suite
	$(BIN)/pytest

lighthouse: $(READY)  ## Lighthouse on the home, a case and the library page (~15 s a page)
	$(BIN)/pytest -m lighthouse

check-site: $(READY)  ## every quality gate over the built site, with a summary
	$(BIN)/pytest -m "gates or lighthouse" --tb=line -q

check: $(READY)  ## validate content/ only
	$(BIN)/yipin check

new: $(READY)  ## new case file, asking in Chinese; FROM=<case id> starts from another case's method
	$(BIN)/yipin new $(if $(FROM),--from $(FROM))

diff: $(READY)  ## for reviewers: cases and pages changed since REF (default main)
	$(BIN)/yipin diff $(or $(REF),main)

schema: $(READY)  ## regenerate schema/*.schema.json from the record models
	$(BIN)/yipin schema

$(READY): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	# `npm ci` refuses a lock file without the other platforms' optional packages (the
	# registry here has only Linux builds of pagefind); install pins the lock's versions.
	npm install --no-save --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules site .pytest_cache .hypothesis
