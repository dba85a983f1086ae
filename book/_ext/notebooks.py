"""Sphinx extension: chapters downloadable as notebooks, and the student edition.

For each MyST-notebook page the extension writes ``_sources/<page>.ipynb`` (the theme's
download menu then offers ".ipynb"): the chapter converted by jupytext, not executed, with a
first cell that installs the ``companion`` package when it is missing (in Colab, say) and does
nothing otherwise. The package's source is served as ``_static/companion-src.zip``; the cell
installs it from ``html_baseurl`` when the book's address is configured, else from a
``companion-src.zip`` saved next to the notebook.

The student edition (``student_edition = True``, set by ``make student``) has no solution
anywhere: the solution nodes are removed from every page (and so from the search index),
and the downloadable notebooks and ``_sources`` copies of the chapters are cut the same way.
(sphinx-exercise's own ``hide_solutions`` drops only the ``solution-start`` of a gated
solution: the solution's content stays on the page and its ``solution-end`` breaks the build.)
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import jupytext
import nbformat
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

INSTALL_CELL = """\
# Run this cell first: it installs the companion package when it is missing
# (in Colab, or a Jupyter without this book's environment) and does nothing otherwise.
import importlib.util, os, subprocess, sys

if importlib.util.find_spec("companion") is None:
    source = "{source}"  # the book's own copy of the package source
    if "://" not in source and not os.path.exists(source):
        raise FileNotFoundError(
            "The companion package is not installed and companion-src.zip is not next to this "
            "notebook: download it from the book's introduction (or its _static/ folder) and "
            "save it here, or run `pip install` on the book's repository."
        )
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)

# The book puts numbers in its text with myst_nb's glue(); without myst_nb, glue() shows
# the value under the cell instead (or nothing, where the book uses it only in the text).
try:
    import myst_nb  # noqa: F401
except ModuleNotFoundError:
    import types
    from IPython.display import display as _show

    def glue(name, value, display=True):
        if display:
            _show(value)

    sys.modules["myst_nb"] = types.ModuleType("myst_nb")
    sys.modules["myst_nb"].glue = glue"""

_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}.*?^\1\s*$", re.S | re.M)
_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}.*?^\1\s*$", re.S | re.M)
_WHOLE = re.compile(r"^(`{3,}|:{3,})\{solution\}.*?^\1\s*$", re.S | re.M)


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove every solution (gated ``solution-start``/``solution-end`` or a ``solution`` block)."""
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if not inside:
                cells.append(cell)
            continue
        text = cell.source
        if inside:
            end = _END.search(text)
            if not end:
                continue
            text, inside = text[end.end() :], False
        while True:
            start = _START.search(text)
            if not start:
                break
            end = _END.search(text, start.end())
            if end:
                text = text[: start.start()] + text[end.end() :]
            else:
                text, inside = text[: start.start()], True
                break
        text = _WHOLE.sub("", text).strip()
        if text:
            cell.source = text
            cells.append(cell)
    nb.cells = cells
    return nb


def chapter_notebook(path: Path, source: str, hide_solutions: bool) -> nbformat.NotebookNode:
    """The notebook of one chapter: install cell first, solutions cut when asked."""
    nb = jupytext.read(path)
    if hide_solutions:
        strip_solutions(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(INSTALL_CELL.format(source=source)))
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _package_zip(app) -> None:
    root = Path(app.srcdir)
    target = Path(app.outdir) / "_static" / "companion-src.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            z.write(root / name, f"companion-src/{name}")
        for f in sorted((root / "companion").glob("*.py")):
            z.write(f, f"companion-src/companion/{f.name}")


def _write_notebook(app, pagename, templatename, context, doctree):
    if doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return
    base = (app.config.html_baseurl or "").rstrip("/")
    source = f"{base}/_static/companion-src.zip" if base else "companion-src.zip"
    nb = chapter_notebook(Path(app.env.doc2path(pagename)), source, app.config.student_edition)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_solutions(app, doctree, docname):
    """Student edition: remove every solution from the page before it is written and indexed."""
    if app.config.student_edition:
        for cls in (solution_node, solution_start_node, solution_end_node):
            for node in list(doctree.findall(cls)):
                node.parent.remove(node)


def _student_sources(app) -> None:
    """Student edition: the copied chapter sources lose their solutions too."""
    for docname in app.env.found_docs:
        target = Path(app.outdir) / "_sources" / f"{docname}.md"
        if target.exists() and "{solution" in target.read_text():
            nb = strip_solutions(jupytext.read(Path(app.env.doc2path(docname))))
            jupytext.write(nb, target, fmt="md:myst")


def _finished(app, exception):
    if exception is None and app.builder.format == "html":
        _package_zip(app)
        if app.config.student_edition:
            _student_sources(app)


def setup(app):
    app.add_config_value("student_edition", False, "env")
    app.connect("doctree-resolved", _drop_solutions)
    app.connect("html-page-context", _write_notebook, priority=500)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
