# Build the book and run the tests.
#
#   make book    build the Jupyter Book into _build/html (executes the chapters
#                whose code or package changed; see execute: in _config.yml)
#   make test    rebuild the whole book (--all) and the student edition, then run the test suite
#   make student build the student edition (no solutions) into _build/student/html
#   make assignments  write the graded exercises as Otter-Grader assignments into
#                _build/assignments/<chapter>/dist (student notebook, autograder zip)
#   make venv    create the virtual environment .venv from requirements.lock
#   make lock    write requirements.lock (exact versions) from requirements.txt and pyproject.toml
#   make vendor  fetch MathJax and the widget JavaScript into book/_static/
#   make clean   remove build output (keeps .venv and the execution cache)
#
# The virtual environment is made afresh from the lock whenever requirements.lock
# or pyproject.toml is newer than its stamp file, so that it holds exactly the
# locked versions and nothing else.

PYTHON3     ?= python3
VENV        := .venv
VENV_STAMP  := $(VENV)/.installed
PY          := $(VENV)/bin/python
LOCK        := requirements.lock

# JavaScript that the built pages need is taken from the npm registry and
# served from the book's own _static/ folder (book/_static/, git-ignored), so
# the pages load nothing from another host:
#   - MathJax 3 (all math), into book/_static/mathjax/
#   - RequireJS and @jupyter-widgets/html-manager (pages with ipywidgets
#     outputs; myst-nb would otherwise load them from CDNs), into
#     book/_static/widgets/
MATHJAX_VERSION      := 3.2.2
HTML_MANAGER_VERSION := 1.0.6
REQUIREJS_VERSION    := 2.3.7
STATIC        := book/_static
VENDOR_STAMP  := $(STATIC)/.vendored-$(MATHJAX_VERSION)-$(HTML_MANAGER_VERSION)-$(REQUIREJS_VERSION)

# Jupyter Book flags: warnings are errors, nitpicky cross-references.
# `make book` rebuilds only the pages whose source changed (quick while
# writing).  Sphinx does not re-read an unchanged page, so its warnings are
# not repeated, and some _config.yml changes go unnoticed: `make test` (and
# so CI) therefore rebuilds every page with --all.
BOOKFLAGS   ?= -W -n --keep-going

# Environment for the build, the notebook kernels and the tests.
# Matplotlib draws with Agg, except in the book's notebook kernels: the book
# recipe unsets MPLBACKEND so that ipykernel selects the inline backend,
# without which figures would show as "<Figure size ...>" text in the book.
export MPLBACKEND := Agg
unexport OPENBLAS_NUM_THREADS
# Notebook kernels are started from the virtual environment.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# Silence debugpy's "frozen modules" notice printed by every kernel.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all book student assignments otter-assign test venv lock vendor clean distclean check-chromium

all: book

venv: $(VENV_STAMP)

# JupyterLab settings of this environment: open MyST Markdown files (the
# chapters) as notebooks through jupytext, not in the text editor; do not
# ask to fetch news or check for updates (the machines are offline).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

# Every package at its locked version, none other (--no-deps: the lock lists them
# all, and `pip check` confirms that they fit together).
$(VENV_STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps -r $(LOCK)
	$(PY) -m pip check
	mkdir -p $(dir $(LAB_OVERRIDES))
	printf '%s\n' '{' \
	  '  "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}},' \
	  '  "@jupyterlab/apputils-extension:notification": {"checkForUpdates": false, "fetchNews": "false"}' \
	  '}' > $(LAB_OVERRIDES)
	touch $@

# The lock: every package of the development environment at an exact version,
# resolved by uv for Python 3.11 on every platform (markers say which packages
# only some platforms need).  Existing pins are kept unless a range excludes them;
# `make lock UPGRADE=1` moves every package to its newest allowed version.
lock:
	@test -x $(VENV)/bin/uv || { test -x $(PY) || $(PYTHON3) -m venv $(VENV); $(PY) -m pip install --quiet "uv>=0.5"; }
	$(VENV)/bin/uv pip compile requirements.txt --universal --python-version 3.11 \
	    --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o $(LOCK)

vendor: $(VENDOR_STAMP)

$(VENDOR_STAMP):
	@command -v npm >/dev/null || { echo "npm is needed to fetch MathJax and the widget JavaScript" >&2; exit 1; }
	rm -rf .vendor $(STATIC)/mathjax $(STATIC)/widgets $(STATIC)/.vendored-*
	mkdir -p .vendor/mathjax .vendor/html-manager .vendor/requirejs \
	         $(STATIC)/mathjax $(STATIC)/widgets
	cd .vendor && npm pack --silent mathjax@$(MATHJAX_VERSION) \
	    @jupyter-widgets/html-manager@$(HTML_MANAGER_VERSION) \
	    requirejs@$(REQUIREJS_VERSION)
	tar -xzf .vendor/mathjax-$(MATHJAX_VERSION).tgz -C .vendor/mathjax
	tar -xzf .vendor/jupyter-widgets-html-manager-$(HTML_MANAGER_VERSION).tgz -C .vendor/html-manager
	tar -xzf .vendor/requirejs-$(REQUIREJS_VERSION).tgz -C .vendor/requirejs
	cp -R .vendor/mathjax/package/es5/. $(STATIC)/mathjax/
	cp .vendor/mathjax/package/LICENSE $(STATIC)/mathjax/LICENSE
	cd .vendor/html-manager/package/dist && \
	    cp embed-amd.js *.woff *.woff2 *.ttf *.eot *.svg $(CURDIR)/$(STATIC)/widgets/
	cp .vendor/html-manager/package/LICENSE $(STATIC)/widgets/LICENSE.html-manager
	cp .vendor/requirejs/package/require.js $(STATIC)/widgets/require.js
	rm -rf .vendor
	touch $@

book: $(VENV_STAMP) $(VENDOR_STAMP)
	env -u MPLBACKEND COMPANION_WIDGETS=static $(VENV)/bin/jupyter-book build . $(BOOKFLAGS)

# The whole book is built first, so a chapter that fails fails the tests;
# pytest runs last so that its summary line closes the output.
# The student edition: the same book without any solution (book/_ext/notebooks.py,
# student_edition = True), from a copy of _config.yml written into _build/student/.
STUDENT := _build/student

student: $(VENV_STAMP) $(VENDOR_STAMP)
	mkdir -p $(STUDENT)
	$(PY) -c 'import os, yaml; c = yaml.safe_load(open("_config.yml")); s = c["sphinx"]; \
	  s["config"]["student_edition"] = True; c["title"] += " (student edition)"; \
	  s["local_extensions"] = {k: os.path.abspath(v) for k, v in s.get("local_extensions", {}).items()}; \
	  yaml.safe_dump(c, open("$(STUDENT)/_config.yml", "w"), sort_keys=False, allow_unicode=True)'
	env -u MPLBACKEND COMPANION_WIDGETS=static $(VENV)/bin/jupyter-book build . \
	    --config $(STUDENT)/_config.yml --path-output $(STUDENT) $(BOOKFLAGS)
	rm -rf $(STUDENT)/html && mv $(STUDENT)/_build/html $(STUDENT)/html && rm -rf $(STUDENT)/_build

# The assignments: the book build writes an Otter Assign master notebook for each chapter
# with graded exercises (book/_ext/assignments.py); otter assign turns each into a student
# notebook and an autograder zip (for `otter run`, locally, and for Gradescope), beside a copy
# of the package's source that both install from.
ASSIGNMENTS := _build/assignments
AUTOGRADER_REQUIREMENT := relu-fisher-companion[notebook] @ file:///autograder/source/companion-src.zip

assignments: book
	@$(MAKE) --no-print-directory otter-assign

# (make test calls this after its own build of the book)
otter-assign:
	@for master in $(ASSIGNMENTS)/*/*.ipynb; do \
	  dir=$$(dirname $$master); \
	  cp _build/html/_static/companion-src.zip $$dir/ && \
	  echo '$(AUTOGRADER_REQUIREMENT)' > $$dir/requirements.txt && \
	  rm -rf $$dir/dist && \
	  (cd $$dir && $(CURDIR)/$(VENV)/bin/otter assign --no-pdfs $$(basename $$master) dist >/dev/null) && \
	  cp $$dir/companion-src.zip $$dir/dist/student/ && \
	  echo "$$dir/dist: $$(ls $$dir/dist/student/*.ipynb) and $$(ls $$dir/dist/autograder/*-autograder_*.zip)" \
	  || exit 1; \
	done

# The browser tests (tests/test_browser.py) drive the Chromium that CHROMIUM names
# (exported to the tests), never a downloaded browser.  When the default one is
# missing and make runs as root, Debian's chromium is installed with apt-get;
# otherwise make stops with one line saying how to get it.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

check-chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || { echo "make test: could not install chromium with apt-get" >&2; exit 1; }; \
	  else \
	    echo "make test: the browser tests need Chromium at $(CHROMIUM): install it (as root: apt-get install chromium) or run make test CHROMIUM=/path/to/chromium" >&2; exit 1; \
	  fi; \
	fi

# Lint and format are checked first (a second each); then the book, the student edition
# and the tests. pytest lists its 12 slowest tests, so that a slow run shows where the
# time went (on two cores: a chapter run in a fresh environment ~50 s, JupyterLab ~20 s).
LINTED := companion tests benchmarks book/_ext

test: $(VENV_STAMP) $(VENDOR_STAMP) check-chromium
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(MAKE) --no-print-directory book BOOKFLAGS="$(BOOKFLAGS) --all"
	$(MAKE) --no-print-directory student BOOKFLAGS="$(BOOKFLAGS) --all"
	$(MAKE) --no-print-directory otter-assign
	$(PY) -m pytest -q -n auto --durations=12 tests

# The execution cache (_build/.jupyter_cache) is kept: it is keyed on the
# chapters' code and the package (book/_ext/execution_key.py).
clean:
	find _build -mindepth 1 -maxdepth 1 ! -name .jupyter_cache -exec rm -rf {} + 2>/dev/null || true
	rm -rf .pytest_cache .vendor *.egg-info

# Also removes the virtual environment and the vendored JavaScript.
distclean: clean
	rm -rf _build $(VENV) $(STATIC)/mathjax $(STATIC)/widgets $(STATIC)/.vendored-*
