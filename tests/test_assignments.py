"""The graded exercises as Otter-Grader assignments (``make assignments``, which ``make test``
runs before the tests): five assignments are written; grading the full solution gives full
marks, the untouched student notebook zero (without a crash), and a notebook with a typical
mistake partial marks with feedback that names the mistake. Grading runs ``otter run``
locally, without a container."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "assignments"
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import assignments  # noqa: E402  (the book's Sphinx extension)

CHAPTERS = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"][
    "assignment_chapters"
]
OTTER = Path(sys.executable).parent / "otter"


def _built(chapter: str) -> tuple[Path, Path, Path]:
    dist = OUT / chapter / "dist"
    if not dist.exists():
        pytest.fail("the assignments are not built: run `make assignments` (make test does)")
    (zipfile,) = (dist / "autograder").glob(f"{chapter}-autograder_*.zip")
    return dist / "student" / f"{chapter}.ipynb", dist / "autograder" / f"{chapter}.ipynb", zipfile


def _grade(zipfile: Path, notebook: Path, tmp_path: Path) -> dict:
    out = tmp_path / f"graded-{notebook.stem}"
    out.mkdir()
    run = subprocess.run(
        [str(OTTER), "run", "-a", str(zipfile), "-o", str(out), str(notebook)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=notebook.parent,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((out / "results.json").read_text())
    scored = [t for t in results["tests"] if "max_score" in t and t["max_score"] is not None]
    return {
        "score": sum(t["score"] for t in scored),
        "max": sum(t["max_score"] for t in scored),
        "output": "\n".join(t.get("output", "") for t in results["tests"]),
    }


def _answers(notebook: Path) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(notebook, as_version=4)
    blank = re.compile(r"^\s*[\w, ]+=\s*\.\.\.\s*(#.*)?$", re.M)
    return nb, [c for c in nb.cells if c.cell_type == "code" and blank.search(c.source)]


def test_graded_exercises_are_read_from_a_chapter():
    text = """---
kernelspec: {name: python3, display_name: Python 3}
---

```{exercise-start}
:label: a-ex
```
Compute $J$.
```{exercise-end}
```

```{code-cell} ipython3
:tags: [starter]

W = cp.sample_weights(3, 5, rng=0)
J_mine = ...
```

```{code-cell} ipython3
:tags: [check]

cp.check_fisher(J_mine, W)
```

```{solution-start} a-ex
```
```{code-cell} ipython3
:tags: [answer]

J_mine = cp.fisher_exact(W)
cp.check_fisher(J_mine, W)
```
```{solution-end}
```
"""
    import jupytext

    (ex,) = assignments.graded_exercises(jupytext.reads(text, fmt="md:myst"))
    assert ex["label"] == "a-ex" and ex["text"] == "Compute $J$."
    assert ex["check"] == "cp.check_fisher(J_mine, W)"
    assert ex["answer"] == "J_mine = cp.fisher_exact(W)"  # the check call is not repeated
    assert ex["starter"].endswith("J_mine = ...")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_assignment_has_a_student_notebook_and_an_autograder(chapter):
    student, solution, zipfile = _built(chapter)
    master = nbformat.read(OUT / chapter / f"{chapter}.ipynb", as_version=4)
    questions = [c for c in master.cells if c.source.startswith("# BEGIN QUESTION")]
    assert len(questions) >= 3, f"{chapter}: at least three graded exercises"
    nb, prompts = _answers(student)
    assert len(prompts) >= len(questions), "every question shows its starter cell"
    checks = [c for c in nb.cells if c.cell_type == "code" and "cp.check_" in c.source]
    assert len(checks) >= len(questions), "every question is followed by its check cell"
    answers = [
        c.source.split("# BEGIN SOLUTION NO PROMPT")[1].split("# END SOLUTION")[0]
        for c in master.cells
        if "# BEGIN SOLUTION NO PROMPT" in c.source
    ]
    assert len(answers) == len(questions)
    student_text = "\n".join(c.source for c in nb.cells)
    for answer in answers:  # no line of a solution reaches the student
        for line in answer.strip().splitlines():
            if line.strip() and "cp.check_" not in line and not line.lstrip().startswith("#"):
                assert line not in student_text, line
    assert "companion-src.zip" in {p.name for p in student.parent.iterdir()}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_full_solution_gets_full_marks(chapter, tmp_path):
    _, solution, zipfile = _built(chapter)
    graded = _grade(zipfile, solution, tmp_path)
    assert graded["max"] > 0 and graded["score"] == graded["max"], graded["output"][-3000:]


def test_the_untouched_student_notebook_gets_zero_without_a_crash(tmp_path):
    student, _, zipfile = _built("fisher")
    graded = _grade(zipfile, student, tmp_path)
    assert graded["max"] > 0 and graded["score"] == 0, graded["output"][-3000:]


def test_a_typical_mistake_gets_partial_marks_and_is_named(tmp_path):
    """The first question answered with a missing 1/(2π), the others right: the form is
    right (its public point), the values are not, and the feedback says so."""
    student, solution, zipfile = _built("fisher")
    master = nbformat.read(OUT / "fisher" / "fisher.ipynb", as_version=4)
    cells = master.cells
    solved = [cells[i + 1].source for i, c in enumerate(cells) if c.source == "# BEGIN SOLUTION"]
    nb, prompts = _answers(student)
    assert len(prompts) == len(solved)
    for cell, answer in zip(prompts, solved, strict=True):
        cell.source = answer
    name = re.search(r"^(\w+) = \.\.\.", _answers(student)[1][0].source, re.M).group(1)
    prompts[0].source += f"\n{name} = 2 * np.pi * {name}  # the typical slip"
    mistaken = tmp_path / "fisher.ipynb"
    nbformat.write(nb, mistaken)
    shutil.copy(student.parent / "companion-src.zip", tmp_path)
    graded = _grade(zipfile, mistaken, tmp_path)
    points = assignments.VALUE_POINTS
    assert graded["score"] == graded["max"] - points, graded["output"][-3000:]
    assert "1/(2π)" in graded["output"]
