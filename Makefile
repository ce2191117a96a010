# Every target bootstraps .venv from pyproject.toml; a second call only re-installs when it changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check test-deps lint bench bench-million app app-deps clean

# System libraries Qt's xcb plugin links and PyInstaller copies into the bundle: only those
# this machine has end up in dist/, so `make app` (and CI, through .ci/run) install them
# first where they may (root with apt), else say which are missing.
# makeself makes the single file from the bundle (release/onefile.py; dpkg-deb, which makes
# the .deb, comes with every Debian).
APP_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 makeself

# What the tests use beyond .venv: Chromium opens `assay-cli report`'s HTML headless
# (tests/test_report.py; without it the test skips, except on CI where it fails), and the
# bundle test builds the app, which must carry Qt's xcb libraries (APP_DEBS); GLib's gio
# and shared-mime-info read the .assay MIME type as a file manager does
# (tests/test_project_by_file.py). The packaged app is started on a real X server (Xvfb)
# and its window found with xwininfo (x11-utils); the .deb's desktop entry is checked by desktop-file-validate
# (tests/test_app_build.py, bench/app_start.py). Installed like app-deps: where we may
# (root with apt), else we say what is missing.
TEST_DEBS := chromium shared-mime-info libglib2.0-bin xvfb x11-utils desktop-file-utils \
	$(APP_DEBS)

# Quiet: one line says what is happening, pip says only what went wrong. setuptools notes on
# every editable build that folders named like a package may shadow it ("Editable
# installation."); that is how a checkout works, so the note is left out here. Anything
# else setuptools warns about is a fault of pyproject.toml (tests/test_wheel.py).
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) from pyproject.toml (the first time takes a few minutes)..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@PYTHONWARNINGS="ignore:Editable installation" \
		$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,scale]'
	@touch $(STAMP)

# doccano's own importer reads the doccano relation export back (tests/doccano/read_back.py).
# doccano 1.8.4 pins Django 4 and pandas 1, which Assay's environment does not hold, so it
# has one of its own, installed from a pinned list without resolving (a minute, the same
# set everywhere). About 700 MB; only `make test` (the slow tests) needs it.
DOCCANO_VENV := .venv-doccano
DOCCANO_STAMP := $(DOCCANO_VENV)/.installed

$(DOCCANO_STAMP): tests/doccano/requirements.txt
	test -x $(DOCCANO_VENV)/bin/python || $(PYTHON) -m venv $(DOCCANO_VENV)
	$(DOCCANO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		-r tests/doccano/requirements.txt
	touch $(DOCCANO_STAMP)

# The window needs Qt's xcb libraries on Linux; say which apt line installs them (the
# packaged app carries them) instead of letting Qt abort with a cryptic message.
run: $(STAMP)
	@$(PY) -m gui.platform_check
	@$(VENV)/bin/assay

test: $(STAMP) test-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

# The fast loop while working: lint (ruff, mypy) and every test but the end-to-end ones (marked slow:
# other processes, killed runs, the bundle, the wheel, Chromium, Dask, training), on two
# workers. `make test` is the whole suite, what CI runs: run it before you push.
check: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow" -n 2 $(PYTEST_ARGS)

# ruff, then mypy over core and gui ([tool.mypy] in pyproject.toml says what and how).
lint: $(STAMP)
	$(VENV)/bin/ruff check core gui tests bench release
	$(VENV)/bin/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run

# The 1,000,000-article case alone (about 10 minutes, most of it building the file).
bench-million: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run bench_million

app-deps: $(STAMP)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq --no-install-recommends $(APP_DEBS) >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $(APP_DEBS); }; \
	else QT_QPA_PLATFORM=xcb $(PY) -m gui.platform_check; fi

test-deps: $(STAMP) $(DOCCANO_STAMP)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq --no-install-recommends $(TEST_DEBS) >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TEST_DEBS); }; \
	else \
		command -v chromium >/dev/null || \
			echo "chromium is missing: the report test skips (install: sudo apt install chromium)"; \
		QT_QPA_PLATFORM=xcb $(PY) -m gui.platform_check || true; \
	fi

# dist/Assay/ (the one-folder app), then from it dist/Assay-<version>-<arch>.run (one file
# to download and start) and dist/assay_<version>_<arch>.deb: docs/packaging.md.
app: app-deps
	$(VENV)/bin/pyinstaller --noconfirm build.spec
	$(PY) -m release dist

clean:
	rm -rf build dist .pytest_cache
