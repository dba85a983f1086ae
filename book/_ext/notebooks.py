"""Sphinx extension: chapters downloadable as notebooks, and the student edition.

For each MyST-notebook page the extension writes ``_sources/<page>.ipynb`` (the theme's
download menu then offers ".ipynb"): the notebook the build executed, outputs kept, its
Markdown turned into plain Markdown with the computed numbers written in
(book/_ext/plain_markdown.py), so that it reads well in any Jupyter and in Colab, with a
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

import copy
import json
import re
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pybtex.database
from jupyter_cache import get_cache
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

sys.path.insert(0, str(Path(__file__).parent))
from plain_markdown import Lookup, plain_value, to_markdown  # noqa: E402, F401  (the book's own module)

INSTALL_CELL = """\
# Run this cell first: it installs the companion package when it is missing
# (in Colab, or a Jupyter without this book's environment) and does nothing otherwise.
import importlib.util, pathlib, subprocess, sys

if importlib.util.find_spec("companion") is None:
    source = "{source}"  # the book's own copy of the package source
    if "://" not in source:
        if not pathlib.Path(source).exists():
            raise FileNotFoundError(
                "The companion package is not installed and companion-src.zip is not next to "
                "this notebook: download it from the book's introduction (or its _static/ "
                "folder) and save it here, or run `pip install` on the book's repository."
            )
        source = pathlib.Path(source).resolve().as_uri()
    package = f"relu-fisher-companion[notebook] @ {{source}}"  # with pandas and ipywidgets
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)"""

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


def _lookup(app, docname: str) -> Lookup:
    """What the built book shows for each reference of a page (see plain_markdown.Lookup)."""
    env = app.env
    base = (app.config.html_baseurl or "").rstrip("/")

    def url(doc: str, anchor: str = "") -> str:
        return f"{base}/{doc}.html" + (f"#{anchor}" if anchor else "") if base else ""

    docs = {d: (env.titles[d].astext(), url(d)) for d in env.found_docs if d in env.titles}
    std = env.get_domain("std").data
    labels = {k: (str(t), url(doc, anchor)) for k, (doc, anchor, t) in std["labels"].items()}
    names = {"figure": "Fig.", "table": "Table", "code-block": "Listing", "exercise": "Exercise"}
    numbered = {}  # (page, node id) -> "Fig. 3"; a node id is its label with "_" -> "-"
    for doc, kinds in env.toc_fignumbers.items():
        for kind, numbers in kinds.items():
            for node_id, number in numbers.items():
                shown = f"{names.get(kind, kind.title())} {'.'.join(map(str, number))}"
                numbered[(doc, node_id)] = shown
                labels[node_id] = (shown, url(doc, node_id))
    for label, (doc, anchor, _) in std["labels"].items():
        if (doc, anchor) in numbered:
            labels[label] = (numbered[(doc, anchor)], url(doc, anchor))
    for label, (doc, number) in env.get_domain("math").data["objects"].items():
        node_id = "equation-" + re.sub(r"[^a-z0-9]+", "-", label.lower())
        if (doc, node_id) in numbered:  # the book numbers equations across pages
            number = numbered[(doc, node_id)].rsplit(" ", 1)[-1]
        labels[label] = (f"({number})", url(doc, node_id))
    for label, info in getattr(env, "proof_list", {}).items():
        if info["nonumber"]:
            labels[label] = (info["realtype"].title(), url(info["docname"], label))
    citations = {}
    for bib in app.config.bibtex_bibfiles:
        for key, entry in pybtex.database.parse_file(Path(app.srcdir) / bib).entries.items():
            last = [" ".join(p.last_names) for p in entry.persons.get("author", [])]
            authors = last[0] + (" et al." if len(last) > 2 else "") if last else key
            if len(last) == 2:
                authors = f"{last[0]} and {last[1]}"
            citations[key] = (authors, entry.fields.get("year", ""))
    api = url("book/api") if "book/api" in env.found_docs else ""
    return Lookup(docname, labels, docs, citations, {}, api)


def executed_notebook(path: Path, cache: str = "") -> nbformat.NotebookNode:
    """The notebook the build ran, with its outputs.

    MyST-NB writes it to ``_build/jupyter_execute``, but with its outputs only when it has
    just executed it: a chapter taken from the execution cache is written without them. So
    they are taken from the cache (jupyter-cache matches the notebook by its code cells).
    """
    nb = nbformat.read(path, as_version=4)
    if cache:
        try:
            _, nb = get_cache(cache).merge_match_into_notebook(nb)
        except KeyError:  # not in the cache: the notebook as MyST-NB wrote it
            pass
    return nb


def chapter_notebook(
    executed: nbformat.NotebookNode, values: dict, lookup: Lookup, source: str, student: bool
) -> nbformat.NotebookNode:
    """The downloadable notebook of one chapter, from the notebook the build executed.

    It keeps the outputs (so the figures and tables show before anything runs) and reads as
    plain Markdown (plain_markdown.to_markdown): the numbers the build computed are written
    into the text, each figure's caption follows it. Cells the book does not show
    (``remove-cell``, among them the ``{eval}`` cells of inline_values.py) are left out, and
    so are the solutions in the student edition. The first cell installs companion when it
    is missing.
    """
    nb = copy.deepcopy(executed)
    nb.cells = [c for c in nb.cells if "remove-cell" not in c.metadata.get("tags", [])]
    if student:
        strip_solutions(nb)
    lookup.values = values
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_markdown(cell.source, lookup)
            if not cell.source.strip():
                continue
        cells.append(cell)
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if cell.cell_type == "code" and figure.get("caption"):
            number = lookup.labels.get(figure.get("name", ""), ("Figure", ""))[0]
            caption = to_markdown(figure["caption"], lookup).strip()
            cells.append(nbformat.v4.new_markdown_cell(f"**{number}.** {caption}"))
    nb.cells = [nbformat.v4.new_code_cell(INSTALL_CELL.format(source=source)), *cells]
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
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
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    glued = executed.with_suffix(".glue.json")
    values = {}
    if glued.exists():
        for key, output in json.loads(glued.read_text()).items():
            values[key] = output.get("data", {}).get("text/plain", "")
    cache = app.config.nb_execution_cache_path if app.config.nb_execution_mode == "cache" else ""
    nb = chapter_notebook(
        executed_notebook(executed, cache),
        values,
        _lookup(app, pagename),
        source,
        app.config.student_edition,
    )
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
