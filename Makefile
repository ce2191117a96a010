# Every target bootstraps .venv from pyproject.toml; a second call only re-installs when it changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-million app clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/assay

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check core gui tests bench

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

# The 1,000,000-article case alone (about 10 minutes, most of it building the file).
bench-million: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run bench_million

app: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm build.spec

clean:
	rm -rf build dist .pytest_cache
