"""Sphinx extension: the ``{eval}`` role, the same in the book as in JupyterLab.

The chapters put numbers in their prose with MyST's inline role ``{eval}`expression```,
for example ``{eval}`f"{lam1:.3f}"```. JupyterLab (with jupyterlab-myst) evaluates the
expression in the notebook's kernel when the Markdown cell is run and shows its plain-text
value, quotes of a string removed. MyST-NB evaluates ``{eval}`` only in its ``inline``
execution mode, which has no execution cache and accepts only a variable name. So that the
book keeps the cache and the chapters keep one source, this extension rewrites each chapter
as Sphinx reads it (``source-read``), before MyST-NB executes it:

- every Markdown stretch between two code cells that holds ``{eval}`` roles gets, just
  before it, a code cell tagged ``remove-cell`` (so never shown) that evaluates those
  expressions, in the kernel state a JupyterLab reader has at that point, and glues their
  plain-text values (as jupyterlab-myst shows them) under the keys ``eval-1``, ``eval-2``...
  (glued as a string literal: MyST-NB reads a glued text with ``ast.literal_eval``, which
  would turn "0.50" into 0.5);
- each role becomes ``{glue:text}`eval-k```.

The chapter files themselves are not changed (the page's "source" download is the file as
written). The executed notebook keeps the added cells, tagged ``companion-eval``, from which
the downloadable notebooks take the values (book/_ext/notebooks.py).
"""

from __future__ import annotations

import re

#: The role as written in a chapter: {eval}`expression` (the expression holds no backtick).
ROLE = re.compile(r"\{eval\}`([^`\n]+)`")
#: The opening line of a code cell and its closing fence.
_CODE_START = re.compile(r"^(`{3,})\{code-cell\}")
#: Tag of the added cells.
TAG = "companion-eval"

_CELL = """\
```{{code-cell}} ipython3
:tags: [remove-cell, {tag}]

def _companion_eval(key, value):
    import re
    from IPython import get_ipython
    from IPython.display import Pretty
    from myst_nb import glue
    text = get_ipython().display_formatter.format(value)[0]["text/plain"]
    text = re.sub(r"^([\\"'])(.*)\\1$", r"\\2", text)
    glue(key, Pretty(repr(text)), display=False)

{calls}
del _companion_eval
```
"""


def _segments(lines: list[str]) -> list[tuple[int, int, bool]]:
    """Split a chapter into (start, stop, is_code) runs of lines (front matter counts as code)."""
    runs, start, i, n = [], 0, 0, len(lines)
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, n) if lines[k].strip() == "---"), 0)
        runs.append((0, end + 1, True))
        start = i = end + 1
    while i < n:
        match = _CODE_START.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match.group(1)
        stop = next((k for k in range(i + 1, n) if lines[k].rstrip() == fence), n - 1) + 1
        if i > start:
            runs.append((start, i, False))
        runs.append((i, stop, True))
        start = i = stop
    if start < n:
        runs.append((start, n, False))
    return runs


def rewrite(text: str) -> str:
    """The chapter with each ``{eval}`` role turned into a glued value (see the module doc)."""
    if "{eval}" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    count = 0
    for start, stop, is_code in _segments(lines):
        chunk = "\n".join(lines[start:stop])
        if is_code or not ROLE.search(chunk):
            out.append(chunk)
            continue
        calls = []

        def _key(match, calls=calls):
            nonlocal count
            count += 1
            calls.append(f"_companion_eval('eval-{count}', ({match.group(1)}))")
            return f"{{glue:text}}`eval-{count}`"

        chunk = ROLE.sub(_key, chunk)
        out.append(_CELL.format(tag=TAG, calls="\n".join(calls)))
        out.append(chunk)
    return "\n".join(out)


def _source_read(app, docname, source):
    source[0] = rewrite(source[0])


def setup(app):
    app.connect("source-read", _source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
