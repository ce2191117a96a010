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

# The window needs Qt's xcb libraries on Linux; say which apt line installs them (the
# packaged app carries them) instead of letting Qt abort with a cryptic message.
run: $(STAMP)
	$(PY) -m gui.platform_check
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
