"""Sphinx extension: the execution cache is keyed on the companion package too.

The chapters are executed through MyST-NB's execution cache (jupyter-cache,
``execute_notebooks: cache``): a chapter whose code cells have not changed is not run
again, so ``make book``, the ``--all`` rebuild of ``make test`` and the student edition
share one execution. jupyter-cache keys a notebook on its code cells only; it cannot see
that the package the cells call has changed. This extension adds that key:

- the *fingerprint* is a SHA-256 of every ``companion/*.py`` file, ``pyproject.toml``,
  ``requirements.lock`` (the versions of NumPy, SciPy, Matplotlib, ... also change the
  outputs) and the environment variables that change what a chapter shows
  (``COMPANION_WIDGETS``, ``MPLBACKEND``);
- when it differs from the fingerprint stored in the cache folder, the cache is emptied
  before the build, so every chapter is executed again;
- it is also a Sphinx configuration value that invalidates the environment
  (``rebuild="env"``), so that an incremental build re-reads every page, not only those
  whose source changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

#: Files (relative to the book's root) whose content changes what the chapters compute.
KEY_FILES = ("pyproject.toml", "requirements.lock")
KEY_GLOBS = ("companion/*.py",)
KEY_ENV = ("COMPANION_WIDGETS", "MPLBACKEND")
STAMP = "companion-fingerprint.txt"


def fingerprint(root: Path) -> str:
    """SHA-256 of the package sources, the locked versions and the relevant environment."""
    h = hashlib.sha256()
    files = [root / f for f in KEY_FILES] + sorted(p for g in KEY_GLOBS for p in root.glob(g))
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes() if f.exists() else b"<missing>")
        h.update(b"\0")
    for name in KEY_ENV:
        h.update(f"{name}={os.environ.get(name, '<unset>')}\0".encode())
    return h.hexdigest()


def _key_the_cache(app, config) -> None:
    root = Path(app.srcdir)
    key = fingerprint(root)
    config.companion_fingerprint = key
    if config.nb_execution_mode != "cache":
        return
    path = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if not path.is_absolute():
        path = root / path
        config.nb_execution_cache_path = str(path)
    stamp = path / STAMP
    if path.exists() and (not stamp.exists() or stamp.read_text().strip() != key):
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key + "\n")


def setup(app):
    app.add_config_value("companion_fingerprint", "", "env")
    # after MyST-NB and Jupyter Book have set the nb_* values, before MyST-NB reads them
    app.connect("config-inited", _key_the_cache, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
