"""Chapters as notebooks to hand out: downloadable, install companion when missing, execute;
the student edition (``make student``) carries no solution, neither on its pages nor in its
notebooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
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


def _shown(cells) -> list:
    return [c for c in cells if "remove-cell" not in c.metadata.get("tags", [])]


@pytest.mark.parametrize("doc", _chapters())
def test_downloaded_notebook_is_the_chapter_the_build_executed(doc):
    """The download is what the build ran, outputs included, so it is not executed again here.

    The build executes every chapter (a cell error fails it) in a temporary folder, as a
    downloaded notebook runs (``execute.run_in_temp`` in ``_config.yml``), and keeps the
    executed notebook in ``_build/jupyter_execute``. The downloaded notebook holds the same
    code and outputs, cell for cell, after its install cell, without the cells the book does
    not show (those that compute the {eval} values); and no executed cell holds an error.
    """
    nb = nbformat.read(SITE / "_sources" / f"{doc}.ipynb", as_version=4)
    ran = notebooks.executed_notebook(
        ROOT / "_build" / "jupyter_execute" / f"{doc}.ipynb", ROOT / "_build" / ".jupyter_cache"
    )
    assert _code(nb.cells[1:]) == _code(_shown(ran.cells))
    code = [c for c in nb.cells[1:] if c.cell_type == "code"]
    assert [c.outputs for c in code] == [c.outputs for c in _shown(ran.cells) if "outputs" in c]
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


#: What MyST looks like: a role, a directive's opening fence, a label line, a glue placeholder.
MYST = re.compile(r"\{[a-z][a-z:-]*\}`|^\s*(`{3,}|:{3,})\{|^\([\w:.-]+\)=|\{glue", re.M)


@pytest.mark.parametrize("doc", _chapters())
def test_downloaded_notebook_reads_without_myst(doc):
    """Plain Jupyter and Colab render the downloaded notebook: no MyST role, directive, label
    or placeholder left in its Markdown, the numbers written in, every figure shown with its
    caption below it, and no import of myst_nb (a package the notebook does not install)."""
    nb = nbformat.read(SITE / "_sources" / f"{doc}.ipynb", as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    left = [m.group(0) for text in markdown for m in MYST.finditer(text)]
    assert not left, f"MyST left in the downloaded {doc}.ipynb: {sorted(set(left))}"
    assert "myst_nb" not in "\n".join(_code(nb.cells[1:]))
    source = jupytext.read(ROOT / f"{doc}.md")
    figures = [c for c in source.cells if c.metadata.get("mystnb", {}).get("figure")]
    for cell, after in zip(nb.cells[:-1], nb.cells[1:], strict=True):
        if cell.metadata.get("mystnb", {}).get("figure"):
            assert sum("image/png" in o.get("data", {}) for o in cell.outputs) == 1
            assert after.cell_type == "markdown" and after.source.startswith("**Fig. ")
    shown = [c for c in nb.cells if c.metadata.get("mystnb", {}).get("figure")]
    assert len(shown) == len(figures)


def test_plain_markdown_turns_myst_into_markdown():
    lookup = notebooks.Lookup(
        "book/a",
        labels={
            "a-thm": ("Theorem 2", "https://b.org/book/a.html#a-thm"),
            "a-eq": ("(3)", ""),
            "a-fig": ("Fig. 1", ""),
            "a-ex": ("Exercise 4", ""),
        },
        docs={"book/b": ("The B chapter", "")},
        citations={"ho": ("Ho et al.", "2025")},
        values={"eval-1": "'0.50'"},
        api_url="https://b.org/book/api.html",
    )
    text = """(a-sec)=
## Title

By {prf:ref}`a-thm` and {eq}`a-eq`, {cite:t}`ho` found {glue:text}`eval-1`
(see {doc}`b`, {numref}`a-fig`, {py:func}`companion.limit`
and {cite:p}`ho`; [the B chapter](b.md)).

$$
x = 1
$$ (a-eq)

```{prf:theorem} Limits
:label: a-thm

Body with {glue:text}`eval-1`.
```

```{exercise-start}
:label: a-ex
```
Do it.
```{exercise-end}
```
"""
    got = notebooks.to_markdown(text, lookup)
    assert (
        got
        == """## Title

By [Theorem 2](https://b.org/book/a.html#a-thm) and (3), Ho et al. (2025) found 0.50
(see The B chapter, Fig. 1, [`companion.limit()`](https://b.org/book/api.html#companion.limit)
and (Ho et al., 2025); the B chapter).

$$
x = 1
\\tag{3}
$$

> **Theorem 2 (Limits).** Body with 0.50.

**Exercise 4.**
Do it.
"""[:-1]
    )


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


def test_downloaded_notebook_runs_in_a_fresh_environment(tmp_path):
    """A downloaded chapter runs top to bottom in a new virtual environment that has only
    Jupyter's kernel: its first cell installs the package (with pandas and ipywidgets) from
    companion-src.zip saved next to it, as a reader of the book does (the fisher chapter,
    which uses tables and an explorer)."""
    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "ipykernel", "nbclient"], check=True, timeout=600)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SITE / "_static" / "companion-src.zip", work)
    nb = nbformat.read(SITE / "_sources" / "book" / "fisher.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    nbformat.write(nb, work / "fisher.ipynb")
    run = (
        "import nbformat, nbclient\n"
        "nb = nbformat.read('fisher.ipynb', as_version=4)\n"
        "nbclient.NotebookClient(nb, timeout=900, kernel_name='python3').execute()\n"
        "nbformat.write(nb, 'ran.ipynb')\n"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONPATH")}
    environ["PATH"] = f"{env / 'bin'}:{environ['PATH']}"
    done = subprocess.run(
        [str(python), "-c", run], cwd=work, env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ran = nbformat.read(work / "ran.ipynb", as_version=4)
    images = sum("image/png" in o.get("data", {}) for c in ran.cells for o in c.get("outputs", []))
    assert images >= 1


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
    tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    full = nbformat.read(SITE / "_sources" / f"{doc}.ipynb", as_version=4)
    graded = sum("starter" in c.metadata.get("tags", []) for c in full.cells)
    assert sum("starter" in t for t in tags) == graded, "every starter cell is kept"
    assert sum("check" in t for t in tags) == graded, "every check cell is kept"
    assert not any("answer" in t for t in tags), "an answer cell of a solution is left"


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


def test_eval_roles_are_glued_where_jupyterlab_evaluates_them(tmp_path):
    """book/_ext/inline_values.py: each {eval} is computed after the code cell before its
    Markdown (a later change of the variable does not reach it) and shows what
    jupyterlab-myst shows: the plain text, a string's quotes removed, "0.50" kept as written."""
    import inline_values
    from nbclient import NotebookClient

    text = """---
kernelspec:
  name: python3
  display_name: Python 3
---

```{code-cell} ipython3
x = 0.5
```

x is {eval}`f"{x:.2f}"`, twice {eval}`2 * x`, as int {eval}`int(3 * x)`.

```{code-cell} ipython3
x = 7
```

now {eval}`x`.
"""
    rewritten = inline_values.rewrite(text)
    assert "{eval}" not in rewritten and rewritten.count("{glue:text}`eval-") == 4
    nb = jupytext.reads(rewritten, fmt="md:myst")
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    values = {
        o.metadata["scrapbook"]["name"]: notebooks.plain_value(
            o.data["application/papermill.record/text/plain"]
        )
        for c in nb.cells
        for o in c.get("outputs", [])
        if "scrapbook" in o.get("metadata", {})
    }
    assert values == {"eval-1": "0.50", "eval-2": "1.0", "eval-3": "1", "eval-4": "7"}
    hidden = [c for c in nb.cells if inline_values.TAG in c.metadata.get("tags", [])]
    assert len(hidden) == 2 and all("remove-cell" in c.metadata["tags"] for c in hidden)
