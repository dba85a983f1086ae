"""Sphinx extension: the graded exercises of the paper's chapters as Otter-Grader assignments.

A *graded exercise* in a chapter is an ``exercise-start``/``exercise-end`` block followed by

- a code cell tagged ``starter``: the given inputs and the answer's variables set to ``...``
  (what a student fills in; it needs only ``np`` and ``cp``);
- a code cell tagged ``check``: one call of a :mod:`companion.checks` function, the instant
  feedback a student runs after answering;
- the solution, whose code cell tagged ``answer`` computes the answer (it may end with the
  same check call, which then shows "correct" in the book).

The chapter is the only source of each question. After the full book is built (not the
student edition), this extension writes for each chapter of ``assignment_chapters`` an Otter
Assign master notebook ``_build/assignments/<chapter>/<chapter>.ipynb``: the exercise's text
in plain Markdown (book/_ext/plain_markdown.py), one cell that Otter turns into the starter
in the student's notebook and into the givens and the answer in the solution, and two tests
built from the check call: a public one worth 1 point (the answer has the right form:
numbers, shape) and a hidden one worth 2 (the check passes; its failure message is the
check's diagnosis, which names the mistake). The
check cell follows each question, for instant feedback. ``make assignments`` then runs
``otter assign`` on each master (student notebook, tests, autograder zip).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).parent))
from plain_markdown import to_markdown  # noqa: E402  (the book's own module)

_START = re.compile(r"\{exercise-start\}[^\n]*\n:label:\s*(\S+)")
_BODY = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{exercise-start\}[^\n]*\n(?::[^\n]*\n)*(?P=fence)[ \t]*\n"
    r"(?P<body>.*?)^(?P=fence)\{exercise-end\}",
    re.S | re.M,
)

#: A line for the student to fill in: ``name = ...`` (a comment may follow).
_BLANK = re.compile(r"^\s*[\w, ]+=\s*\.\.\.\s*(#.*)?$")

#: Points of the public test (right form) and of the hidden test (right values).
FORM_POINTS, VALUE_POINTS = 1, 2


def graded_exercises(nb: nbformat.NotebookNode) -> list[dict]:
    """The graded exercises of a chapter notebook (read by jupytext), in order.

    Each is a dict with the exercise's ``label``, its MyST ``text``, and the ``starter``,
    ``check`` and ``answer`` code.
    """
    found, label, text = [], None, ""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            for match in _BODY.finditer(cell.source):
                text = match.group("body").strip()
            starts = _START.findall(cell.source)
            if starts:
                label = starts[-1]
        elif "starter" in tags:
            found.append({"label": label, "text": text, "starter": cell.source.strip()})
        elif "check" in tags and found and "check" not in found[-1]:
            found[-1]["check"] = cell.source.strip()
        elif "answer" in tags and found and "answer" not in found[-1]:
            found[-1]["answer"] = cell.source.strip()
    for ex in found:
        missing = [k for k in ("label", "check", "answer") if not ex.get(k)]
        if missing:
            raise ValueError(f"graded exercise {ex['label']!r} has no {', '.join(missing)}")
        lines = ex["answer"].splitlines()
        if lines and lines[-1].strip() == ex["check"]:  # the book shows the verdict; not here
            ex["answer"] = "\n".join(lines[:-1]).strip()
    return found


def solution_cell(starter: str, answer: str) -> str:
    """One cell for both notebooks (Otter's line markers): the student's has the starter's
    givens and its ``name = ...`` lines, the solution's the givens and the answer."""
    lines = starter.splitlines()
    prompt = [line for line in lines if _BLANK.match(line)]
    givens = [line for line in lines if not _BLANK.match(line)]
    return "\n".join(
        [*givens, '""" # BEGIN PROMPT', *prompt, '""" # END PROMPT']
        + ["# BEGIN SOLUTION NO PROMPT", answer, "# END SOLUTION"]
    )


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _test(check: str, attribute: str, points: int, hidden: bool) -> nbformat.NotebookNode:
    config = f'""" # BEGIN TEST CONFIG\npoints: {points}\nhidden: {str(hidden).lower()}\n'
    config += '""" # END TEST CONFIG\n'
    verdict = "_verdict" if attribute == "ok" else f"_verdict.{attribute}"
    return nbformat.v4.new_code_cell(f"{config}_verdict = {check}\nassert {verdict}, str(_verdict)")


def master_notebook(
    chapter: str, title: str, exercises: list[dict], lookup, install: str
) -> nbformat.NotebookNode:
    """The Otter Assign master notebook (format v1) of one chapter's graded exercises."""
    config = (
        "# ASSIGNMENT CONFIG\n"
        f"name: {chapter}\n"
        "init_cell: true\ncheck_all_cell: true\nexport_cell: false\nrun_tests: false\n"
        "requirements: requirements.txt\n"
        "files:\n  - companion-src.zip\n"
        "tests:\n  files: false\n"
    )
    intro = (
        f"# Assignment: {title}\n\n"
        f"The graded exercises of the chapter *{title}*. Run the cells from the top. For each "
        "question, replace every `...` in the cell after it by your answer, run the cell, "
        "then run the check below it: it says what is right and what is wrong without giving "
        "the answer away. `grader.check` runs the public test of a question (the form of the "
        f"answer, {FORM_POINTS} point); hidden tests ({VALUE_POINTS} points per question) "
        "check the values when your notebook is graded."
    )
    cells = [
        _raw(config),
        nbformat.v4.new_markdown_cell(intro),
        nbformat.v4.new_code_cell(install),
        nbformat.v4.new_code_cell("import numpy as np\n\nimport companion as cp"),
    ]
    for k, ex in enumerate(exercises, 1):
        text = to_markdown(ex["text"], lookup)
        solution = solution_cell(ex["starter"], ex["answer"])
        cells += [
            nbformat.v4.new_markdown_cell(f"## Question {k}\n\n{text}"),
            _raw(f"# BEGIN QUESTION\nname: q{k}\npoints: {FORM_POINTS + VALUE_POINTS}"),
            _raw("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell(solution),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            _test(ex["check"], "form_ok", FORM_POINTS, hidden=False),
            _test(ex["check"], "ok", VALUE_POINTS, hidden=True),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
            nbformat.v4.new_code_cell(ex["check"]),
        ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["kernelspec"]["language"] = "python"
    return nb


def _write_masters(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.config.student_edition:
        return
    import notebooks  # the book's own extension: its install cell and reference lookup

    out = Path(app.outdir).parent / "assignments"
    for chapter in app.config.assignment_chapters:
        docname = f"book/{chapter}"
        exercises = graded_exercises(jupytext.read(Path(app.srcdir) / f"{docname}.md"))
        if not exercises:
            continue
        title = app.env.titles[docname].astext()
        install = notebooks.INSTALL_CELL.format(source="companion-src.zip")
        nb = master_notebook(chapter, title, exercises, notebooks._lookup(app, docname), install)
        target = out / chapter / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)


def setup(app):
    app.add_config_value("assignment_chapters", [], "env")
    app.connect("build-finished", _write_masters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
