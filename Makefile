# Build the book and run the tests.
#
#   make book    build the Jupyter Book into _build/html (executes every chapter)
#   make test    rebuild the whole book (--all) and the student edition, then run the test suite
#   make student build the student edition (no solutions) into _build/student/html
#   make venv    create or update the virtual environment .venv
#   make vendor  fetch MathJax and the widget JavaScript into book/_static/
#   make clean   remove build output (keeps .venv)
#
# The virtual environment is (re)installed whenever requirements.txt or
# pyproject.toml is newer than its stamp file.

PYTHON3     ?= python3
VENV        := .venv
VENV_STAMP  := $(VENV)/.installed
PY          := $(VENV)/bin/python

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

.PHONY: all book student test venv vendor clean distclean

all: book

venv: $(VENV_STAMP)

# JupyterLab settings of this environment: open MyST Markdown files (the
# chapters) as notebooks through jupytext, not in the text editor; do not
# ask to fetch news or check for updates (the machines are offline).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(VENV_STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	mkdir -p $(dir $(LAB_OVERRIDES))
	printf '%s\n' '{' \
	  '  "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}},' \
	  '  "@jupyterlab/apputils-extension:notification": {"checkForUpdates": false, "fetchNews": "false"}' \
	  '}' > $(LAB_OVERRIDES)
	touch $@

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

# The browser tests (tests/test_browser.py) drive Debian's Chromium, never a
# downloaded browser: installed here when missing (as root, with apt-get).
CHROMIUM ?= /usr/bin/chromium

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM) (apt-get install chromium)" >&2; exit 1; \
	fi

test: $(VENV_STAMP) $(VENDOR_STAMP) $(CHROMIUM)
	$(MAKE) --no-print-directory book BOOKFLAGS="$(BOOKFLAGS) --all"
	$(MAKE) --no-print-directory student BOOKFLAGS="$(BOOKFLAGS) --all"
	$(PY) -m pytest -q tests

clean:
	rm -rf _build .pytest_cache .vendor

# Also removes the virtual environment and the vendored JavaScript.
distclean: clean
	rm -rf $(VENV) $(STATIC)/mathjax $(STATIC)/widgets $(STATIC)/.vendored-*
