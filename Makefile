# The two quickstart commands: `make dataset` and `make test`. Both create .venv/ on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: dataset test bench lock release

# A venv's own pip may predate extra-name normalisation (23.3) and warn about lxml[html_clean]: upgrade it first.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet pip==26.3
	$(VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements.lock
	touch $@

dataset: $(VENV)/.installed
	$(PY) -m pipeline build --input seeds --out data

test: $(VENV)/.installed
	$(PY) -m pytest

# Publish data/ as the next version under releases/ (see docs/publishing.md).
release: dataset
	$(PY) -m pipeline publish --data data --out releases

bench: $(VENV)/.installed
	$(PY) -m pipeline.bench ../shared/corpora/reuters21578-txt

# Regenerate requirements.lock after changing pyproject.toml (needs uv: pip install uv==0.13.8).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
