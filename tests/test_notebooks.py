"""Chapters as notebooks to hand out: downloadable, install companion when missing, execute;
the student edition (``make student``) carries no solution, neither on its pages nor in its
notebooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import notebooks  # noqa: E402  (the book's Sphinx extension)

SITE = ROOT / "_build" / "html"
STUDENT = ROOT / "_build" / "student" / "html"


def _chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    entries = list(toc.get("chapters", [])) + [
        c for p in toc.get("parts", []) for c in p["chapters"]
    ]
    docs = [toc["root"], *(c["file"] for c in entries)]
    return [d for d in docs if "kernelspec:" in (ROOT / f"{d}.md").read_text()]


def _with_solutions() -> list[str]:
    return [d for d in _chapters() if "{solution" in (ROOT / f"{d}.md").read_text()]


def test_strip_solutions_gated_and_whole():
    md = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(
        cells=[
            md("```{exercise-start}\n:label: e1\n```\nShow that 1 + 1 = 2."),
            md(
                "```{exercise-end}\n```\n\n```{solution-start} e1\n:class: dropdown\n```\n"
                "Because SECRET."
            ),
            code("print('SECRET code')"),
            md("```{solution-end}\n```\nText after."),
            md("Intro\n\n```{solution} e2\nSECRET whole\n```\nOutro"),
            code("x = 1"),
        ]
    )
    out = notebooks.strip_solutions(nb)
    text = "\n".join(c.source for c in out.cells)
    assert "SECRET" not in text and "solution" not in text
    for kept in ("Show that 1 + 1 = 2.", "Text after.", "Intro", "Outro", "x = 1", "exercise-end"):
        assert kept in text


@pytest.mark.parametrize("doc", _chapters())
def test_chapter_notebook_is_downloadable(doc):
    path = SITE / "_sources" / f"{doc}.ipynb"
    assert path.exists(), "build the book first (make test does)"
    nb = nbformat.read(path, as_version=4)
    assert 'find_spec("companion") is None' in nb.cells[0].source
    assert (SITE / "_static" / "companion-src.zip").exists()
    html = (SITE / f"{doc}.html").read_text()
    assert f'_sources/{doc}.ipynb"' in html, "the page's download menu offers the notebook"


def _code(cells) -> list[str]:
    return [c.source.strip() for c in cells if c.cell_type == "code"]


@pytest.mark.parametrize("doc", _chapters())
def test_downloaded_notebook_is_the_chapter_the_build_executed(doc):
    """The download runs what the build ran, so it is not executed a second time here.

    The build executes every chapter (a cell error fails it) in a temporary folder, as a
    downloaded notebook runs (``execute.run_in_temp`` in ``_config.yml``), and keeps the
    executed notebook in ``_build/jupyter_execute``. The downloaded notebook must hold the
    same code, cell for cell, after its install cell; and no executed cell holds an error.
    """
    nb = nbformat.read(SITE / "_sources" / f"{doc}.ipynb", as_version=4)
    ran = nbformat.read(ROOT / "_build" / "jupyter_execute" / f"{doc}.ipynb", as_version=4)
    assert _code(nb.cells[1:]) == _code(ran.cells)
    errors = [
        o
        for c in ran.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors


def test_install_cell_does_nothing_when_companion_is_installed(tmp_path):
    cells = {
        doc: nbformat.read(SITE / "_sources" / f"{doc}.ipynb", as_version=4).cells[0].source
        for doc in _chapters()
    }
    assert len(set(cells.values())) == 1, "every chapter starts with the same install cell"
    cell = next(iter(cells.values()))
    run = subprocess.run(
        [sys.executable, "-c", cell], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0 and run.stdout == "" and run.stderr == "", run.stderr


#: Run before a downloaded chapter: importing myst_nb fails, as in a Jupyter without the
#: book's environment (Colab, say).
NO_MYST_NB = """\
import sys

class NoMystNb:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "myst_nb":
            raise ModuleNotFoundError(f"No module named {name!r}")

sys.meta_path.insert(0, NoMystNb())
"""


def test_downloaded_notebook_runs_without_myst_nb(tmp_path):
    """A downloaded chapter runs where myst_nb is not installed: its install cell gives the
    chapter a glue() that shows the value (the limits chapter, one of the quickest)."""
    from nbclient import NotebookClient

    nb = nbformat.read(SITE / "_sources" / "book" / "limits.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(NO_MYST_NB))
    probe = "import myst_nb; print(getattr(myst_nb, '__file__', None) is None)"
    nb.cells.insert(2, nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert "True" in nb.cells[2].outputs[0]["text"], "the real myst_nb was imported"
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors


def test_install_cell_says_where_the_package_is_when_it_is_missing(tmp_path):
    """Without companion and without companion-src.zip next to the notebook, the first cell
    says what to download (the introduction links the archive), not a pip traceback."""
    cell = nbformat.read(SITE / "_sources" / "book" / "fisher.ipynb", as_version=4).cells[0]
    blocked = (  # find_spec reports companion missing, as in a Jupyter without it
        "import importlib.util\n"
        "_find = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda n, *a: None if n == 'companion' else _find(n, *a)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", blocked + cell.source],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "companion-src.zip is not next to this notebook" in run.stderr
    intro = (SITE / "book" / "intro.html").read_text()
    assert 'href="../_static/companion-src.zip"' in intro
    assert (SITE / "_static" / "companion-src.zip").exists()


def _solution_sentences(doc: str) -> list[str]:
    """A sentence of prose from inside each solution of the chapter's source."""

    def lines(nb):
        return {ln.strip() for c in nb.cells for ln in c.source.splitlines()}

    full = lines(notebooks.jupytext.read(ROOT / f"{doc}.md"))
    kept = lines(notebooks.strip_solutions(notebooks.jupytext.read(ROOT / f"{doc}.md")))
    only = sorted(full - kept)
    return [
        ln for ln in only if len(ln) > 40 and not ln.startswith((":", "`", "$", "\\", "#", "|"))
    ][:5]


@pytest.mark.parametrize("doc", _with_solutions())
def test_student_edition_has_no_solutions(doc):
    html = (STUDENT / f"{doc}.html").read_text()
    full = (SITE / f"{doc}.html").read_text()
    assert 'class="solution' in full, "the full edition keeps its solutions"
    assert 'class="solution' not in html, "a solution block on a student page"
    assert 'class="exercise' in html, "the student edition keeps the exercises"
    for sentence in _solution_sentences(doc):
        assert sentence[:60] not in html
    nb = nbformat.read(STUDENT / "_sources" / f"{doc}.ipynb", as_version=4)
    assert not any("{solution" in c.source for c in nb.cells)
    source = (STUDENT / "_sources" / f"{doc}.md").read_text()
    assert "{solution" not in source and "{exercise-start}" in source


def test_execution_cache_is_keyed_on_the_package(tmp_path, monkeypatch):
    """A change in companion/ (or the lock, or the widget mode) empties the execution cache,
    so every chapter runs again; an unchanged package keeps it (book/_ext/execution_key.py)."""
    import types

    import execution_key

    (tmp_path / "companion").mkdir()
    (tmp_path / "companion" / "fisher.py").write_text("A = 1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    (tmp_path / "requirements.lock").write_text("numpy==2.0\n")
    monkeypatch.setenv("COMPANION_WIDGETS", "static")

    def build():
        config = types.SimpleNamespace(nb_execution_mode="cache", nb_execution_cache_path="cache")
        app = types.SimpleNamespace(srcdir=str(tmp_path), outdir=str(tmp_path / "html"))
        execution_key._key_the_cache(app, config)
        assert config.nb_execution_cache_path == str(tmp_path / "cache")
        return config.companion_fingerprint

    cached = tmp_path / "cache" / "executed-chapter"
    first = build()
    cached.write_text("outputs")
    assert build() == first and cached.exists(), "nothing changed: the cache is kept"
    for change in (
        lambda: (tmp_path / "companion" / "fisher.py").write_text("A = 2\n"),
        lambda: (tmp_path / "companion" / "new.py").write_text(""),
        lambda: (tmp_path / "requirements.lock").write_text("numpy==2.1\n"),
        lambda: monkeypatch.setenv("COMPANION_WIDGETS", "live"),
    ):
        cached.write_text("outputs")
        before = build()
        change()
        assert build() != before and not cached.exists(), "a change must empty the cache"


@pytest.mark.parametrize("doc", _chapters())
def test_saving_a_chapter_from_jupyterlab_leaves_it_unchanged(doc):
    """JupyterLab saves a chapter opened as a notebook through jupytext, with the settings of
    jupytext.toml: what it writes back is the file itself (no version fields, no blank lines
    moved), so an autosave leaves the tree clean."""
    import jupytext
    from jupytext.config import load_jupytext_config

    path = ROOT / f"{doc}.md"
    config = load_jupytext_config(str(path.parent))
    assert config is not None, "jupytext.toml is not found from book/"
    text = path.read_text()
    saved = jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst", config=config)
    assert saved.rstrip("\n") == text.rstrip("\n")
