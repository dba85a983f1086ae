"""A chapter in JupyterLab, as the README tells a reader to run it (headless Chromium, Playwright).

``.venv/bin/jupyter lab book/fisher.md`` must open the chapter as a notebook (through
jupytext), and Run > Run All Cells must then show it the way the book does:

* every code cell runs, and none shows an error;
* jupyterlab-myst renders every MyST role and directive of the Markdown cells: no raw
  ``{role}`...``` text, no "Citation Not Found" / "Cross Reference Not Found" marker, no unknown
  directive, no role that it does not know and shows as the plain text of its content
  (``{glue:text}`key```, say, shows ``key``), except references into the package's API
  (``{py:func}`` ...), which show the name;
* every ``{eval}`` shows a value: the kernel evaluated as many expressions as the source has,
  none raised, none is empty, none is left as code;
* every figure of the book (a code cell with ``mystnb: figure:`` metadata) shows its picture
  (an image/png output), and no other cell does.

And, read from the source alone, no ``{eval}`` uses a name that a later code cell binds again:
after Run All Cells, jupyterlab-myst evaluates the {eval}s once every code cell has run, so
such an {eval} would show a later value than the book (or an error).

JupyterLab runs from ``.venv`` on a free port of 127.0.0.1 with a random token, with its own
settings (no windowing, so that every cell is in the page; no autosave), workspaces,
checkpoints and runtime files in a temporary directory: the chapter file is left byte for byte
as it was. Needs the Chromium that ``CHROMIUM`` names (default ``/usr/bin/chromium``), like
tests/test_browser.py. Only the chapters in ``CHAPTERS`` are tested: opening and running one
takes about half a minute, more on a busy machine.
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import jupytext
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
CHAPTERS = ["book/fisher.md"]
#: Every chapter that runs (has a kernel): the check of the {eval}s needs no browser.
ALL_CHAPTERS = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "book").glob("*.md") if "kernelspec:" in p.read_text()
)
RUN_TIMEOUT_MS = 300_000

#: JupyterLab settings of the test's server only (the overrides of ``make venv`` still apply).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
#: A MyST role in a Markdown source: its name and its content.
ROLE = re.compile(r"\{([a-z][\w:.+-]*)\}`([^`]*)`")
#: Expressions whose names are their own (not the cell's globals).
LOCAL_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
#: What an assignment binds, or changes the content of.
TARGETS = (ast.Name, ast.Subscript, ast.Attribute)
#: A role left raw in the rendered text.
RAW_ROLE = re.compile(r"\{[a-z:-]+\}`")

#: What the page shows of each cell of the open notebook, in order. jupyterlab-myst renders a
#: reference it cannot resolve as <span class="text-yellow-600" title="... Not Found">, an
#: unknown directive as "<name> - Unknown Directive", a role it does not know as a bare
#: <span> holding the role's content, an {eval} not evaluated as <code>expr</code> and one
#: that raised as an element with data-mime-type="application/vnd.jupyter.stderr".
CELLS_JS = """() => jupyterapp.shell.currentWidget.content.widgets.map(cell => {
  const node = cell.node;
  const md = node.querySelector('.myst, .jp-MarkdownOutput');
  const all = (root, sel) => root ? [...root.querySelectorAll(sel)] : [];
  const outputs = sel => all(node, `.jp-OutputArea-output${sel}`);
  return {
    type: cell.model.type,
    attached: node.isConnected,
    rendered: cell.model.type !== 'markdown' || (cell.rendered && md !== null),
    count: cell.model.type === 'code' ? cell.model.executionCount : null,
    text: md ? md.innerText : '',
    markers: all(md, '.text-yellow-600[title]').map(e => `${e.title}: ${e.textContent}`),
    plain: all(md, 'span').filter(
      e => e.attributes.length === 0 && e.children.length === 0 && !e.closest('pre, code')
    ).map(e => e.textContent),
    codes: all(md, 'code').map(e => e.textContent),
    evalErrors: all(md, '[data-mime-type="application/vnd.jupyter.stderr"]').map(e => e.innerText),
    expressions: cell.model.getMetadata('user_expressions') ?? [],
    stderr: outputs('[data-mime-type="application/vnd.jupyter.stderr"]').map(e => e.innerText),
    pictures: outputs('[data-mime-type="image/png"] img').filter(
      i => i.complete && i.naturalWidth > 0
    ).length,
  };
})"""
#: Run All has finished: no cell waits or runs, the kernel is idle, and every code cell has
#: run or one failed (then JupyterLab does not run the cells after it).
FINISHED_JS = """() => {
  const panel = jupyterapp.shell.currentWidget;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  const running = code.some(c => c.promptNode.textContent.includes('*'));
  const failed = code.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const done = code.every(c => c.model.executionCount !== null);
  return panel.sessionContext.session?.kernel?.status === 'idle' && !running && (done || failed);
}"""
#: jupyterlab-myst has received and shown the values of the {eval}s of these cells (it asks the
#: kernel for them once a Markdown cell has run, after the code cells queued before).
EVALUATED_JS = """(expected) => expected.every(([i, exprs]) => {
  const cell = jupyterapp.shell.currentWidget.content.widgets[i];
  const got = cell.model.getMetadata('user_expressions') ?? [];
  const codes = [...cell.node.querySelectorAll('.myst code')].map(e => e.textContent);
  return got.length === exprs.length && !codes.some(c => exprs.includes(c));
})"""


@dataclass
class Lab:
    url: str
    token: str
    proc: subprocess.Popen
    log: Path

    def page_url(self, path: str) -> str:
        return f"{self.url}/{path}{'&' if '?' in path else '?'}token={self.token}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, tmp: Path, timeout: float = 120) -> Lab:
    """JupyterLab from the venv serving ``root``; its own files all go to ``tmp``."""
    for name, values in LAB_SETTINGS.items():
        settings = tmp / "settings" / f"{name}.jupyterlab-settings"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps(values))
    for sub in ("workspaces", "checkpoints", "config", "runtime"):
        (tmp / sub).mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # inline figures
    env.update(
        COMPANION_WIDGETS="static",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                str(VENV_BIN / "jupyter"),
                "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                f"--LabApp.user_settings_dir={tmp / 'settings'}",
                f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
                f"--FileCheckpoints.root_dir={tmp / 'checkpoints'}",
                "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to read the state
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its kernels can be stopped with it
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, proc, log)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(lab.page_url("api/status"), timeout=5):
                return lab
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_lab(lab)
                pytest.fail(f"JupyterLab did not start:\n{log.read_text()}")
            time.sleep(0.5)


def stop_lab(lab: Lab) -> None:
    if lab.proc.poll() is None:
        lab.proc.terminate()  # the server shuts its kernels down
        try:
            lab.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.proc.pid, signal.SIGKILL)
            lab.proc.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = start_lab(ROOT, tmp_path_factory.mktemp("jupyterlab"))
    yield server
    stop_lab(server)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install it (as root: apt-get install chromium) "
            "or set CHROMIUM=/path/to/chromium"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()


def open_lab(browser, lab: Lab, path: str):
    """A page on ``path`` of the lab, once JupyterLab has started; and what the browser console
    says of the start: the first lines of the errors, and the warnings about jupytext."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    notes: list[str] = []

    def note(kind: str, text: str) -> None:
        line = f"{kind}: " + " | ".join(text.splitlines()[:2])
        if (kind == "error" or "jupytext" in text.lower()) and line not in notes:
            notes.append(line)

    page.on("console", lambda m: note(m.type, m.text))
    page.on("pageerror", lambda e: note("error", str(e)))
    page.goto(lab.page_url(path))
    page.wait_for_function("() => window.jupyterapp", timeout=120_000)
    page.evaluate("() => jupyterapp.restored")
    return page, notes


def wait_for_kernel(page) -> None:
    page.wait_for_function(
        "() => jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'",
        timeout=120_000,
    )


def run_all(page) -> None:
    """Run > Run All Cells, and wait until the run has finished."""
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text="Run").click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(FINISHED_JS, timeout=RUN_TIMEOUT_MS, polling=500)


def figure_cells(nb) -> set[int]:
    return {
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.metadata.get("mystnb") or {}).get("figure")
    }


def evals(nb) -> dict[int, list[str]]:
    """The {eval} expressions of each Markdown cell that has any."""
    found = {
        i: [content for name, content in ROLE.findall(c.source) if name == "eval"]
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
    }
    return {i: exprs for i, exprs in found.items() if exprs}


def markdown_problems(i: int, source: str, cell: dict) -> list[str]:
    """What jupyterlab-myst did not render in Markdown cell ``i``."""
    where = f"cell {i}"
    if not cell["rendered"]:
        return [f"{where}: the Markdown is not rendered"]
    problems = [f"{where}: raw role {m!r}" for m in RAW_ROLE.findall(cell["text"])]
    problems += [f"{where}: {marker}" for marker in cell["markers"]]
    problems += [
        f"{where}: unknown directive {{{name}}}"
        for name in re.findall(r"(\S+) - Unknown Directive", cell["text"])
    ]
    problems += [
        f"{where}: {{{name}}}`{content}` not rendered, shown as the text {content!r}"
        for name, content in ROLE.findall(source)
        # a reference into the package's API ({py:func} ...) shows as the name: JupyterLab
        # has no API page to link to, and the name reads as it should
        if name != "eval" and not name.startswith("py:") and content in cell["plain"]
    ]
    return problems


def eval_problems(i: int, exprs: list[str], cell: dict) -> list[str]:
    """The {eval}s of Markdown cell ``i`` that show no value."""
    where = f"cell {i}"
    got = cell["expressions"]
    problems = []
    if len(got) != len(exprs):
        problems.append(f"{where}: {len(got)} of its {len(exprs)} {{eval}}s evaluated")
    for e in got:
        result = e["result"]
        value = result.get("data", {}).get("text/plain", "")
        if result["status"] != "ok":
            problems.append(
                f"{where}: {{eval}}`{e['expression']}` raised "
                f"{result.get('ename')}: {result.get('evalue')}"
            )
        elif value.strip("'\"") == "":
            problems.append(f"{where}: {{eval}}`{e['expression']}` is empty")
    problems += [f"{where}: {{eval}}`{c}` shown unevaluated" for c in cell["codes"] if c in exprs]
    if not problems:  # what the kernel said is already listed
        problems += [f"{where}: {{eval}} shows an error: {t}" for t in cell["evalErrors"]]
    return problems


def bound_names(code: str) -> set[str]:
    """The global names a code cell binds, or changes the content of (``x[k] = ...``)."""
    tree = ast.parse(TransformerManager().transform_cell(code))  # IPython syntax to Python
    names: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)  # not the local names of its body
            continue
        if isinstance(node, LOCAL_SCOPES):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, TARGETS) and isinstance(node.ctx, ast.Store):  # x, x[k], x.a = ...
            while isinstance(node, ast.Subscript | ast.Attribute):
                node = node.value
            if isinstance(node, ast.Name):
                names.add(node.id)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return names


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_opens_as_a_notebook(lab, browser, chapter):
    """The README's ``jupyter lab book/<chapter>.md`` opens the chapter with jupytext's
    "Jupytext Notebook" viewer (the default for Markdown set by ``make venv``), not as text."""
    before = (ROOT / chapter).read_bytes()
    page, console = open_lab(browser, lab, f"lab/tree/{chapter}")
    try:
        page.wait_for_function(
            "(path) => jupyterapp.shell.currentWidget?.context?.path === path",
            arg=chapter,
            timeout=60_000,
        )
        opened = page.evaluate(
            """() => ({
              notebook: jupyterapp.shell.currentWidget.hasClass('jp-NotebookPanel'),
              view: jupyterapp.shell.currentWidget.content.node.className,
              jupytext: jupyterapp.docRegistry.getWidgetFactory('Jupytext Notebook') !== undefined,
            })"""
        )
        assert opened["notebook"], (
            f"{chapter} opened in {opened['view']!r}, not as a notebook; the Jupytext "
            f"Notebook viewer is {'' if opened['jupytext'] else 'not '}registered. "
            "The browser console says:\n" + "\n".join(console)
        )
    finally:
        page.close()
    assert (ROOT / chapter).read_bytes() == before, f"{chapter} was changed while it was open"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_and_renders_in_jupyterlab(lab, browser, chapter, tmp_path):
    """Run All Cells, then every cell as the book shows it: see the module docstring. The
    chapter is opened with the Jupytext Notebook viewer, or JupyterLab's own Notebook viewer
    when jupytext's is missing (the same notebook, served by jupytext's contents manager)."""
    before = (ROOT / chapter).read_bytes()
    nb = jupytext.read(ROOT / chapter)
    page, _ = open_lab(browser, lab, f"lab/workspaces/{Path(chapter).stem}?reset")
    try:
        page.evaluate(
            """async (path) => {
              const jupytext = jupyterapp.docRegistry.getWidgetFactory('Jupytext Notebook');
              const factory = jupytext ? 'Jupytext Notebook' : 'Notebook';
              await jupyterapp.commands.execute('docmanager:open', {path, factory});
            }""",
            chapter,
        )
        wait_for_kernel(page)
        run_all(page)
        expected = evals(nb)
        try:  # the values arrive after the code cells have run; missing ones are reported below
            page.wait_for_function(EVALUATED_JS, arg=list(expected.items()), timeout=30_000)
        except PlaywrightTimeoutError:
            pass
        cells = page.evaluate(CELLS_JS)
        page.screenshot(path=tmp_path / "jupyterlab.png")
    finally:
        page.close()

    assert len(cells) == len(nb.cells), f"{len(cells)} cells open, {len(nb.cells)} in {chapter}"
    problems = [f"cell {i}: not in the page" for i, c in enumerate(cells) if not c["attached"]]
    for i, (cell, source) in enumerate(zip(cells, nb.cells, strict=True)):
        if cell["type"] == "markdown":
            problems += markdown_problems(i, source.source, cell)
        elif cell["type"] == "code":
            if cell["count"] is None:
                problems.append(f"cell {i}: did not run")
            problems += [
                f"cell {i}: error output: {t.strip().splitlines()[-1]}"
                for t in cell["stderr"]
                if "Traceback" in t or "Error" in t
            ]
    for i, exprs in expected.items():
        problems += eval_problems(i, exprs, cells[i])
    figures = figure_cells(nb)
    pictures = {i for i, c in enumerate(cells) if c["pictures"]}
    assert figures, f"{chapter} has no figure (a code cell with mystnb: figure: metadata)"
    problems += [f"cell {i}: figure without a picture" for i in sorted(figures - pictures)]
    problems += [f"cell {i}: picture not declared as a figure" for i in sorted(pictures - figures)]
    if (ROOT / chapter).read_bytes() != before:
        problems.append(f"{chapter} was changed while it was open")
    assert not problems, (
        f"{chapter} in JupyterLab, {len(problems)} problems (screenshot: "
        f"{tmp_path / 'jupyterlab.png'}):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("chapter", ALL_CHAPTERS)
def test_evals_use_no_name_that_a_later_cell_binds_again(chapter):
    """Run All Cells in JupyterLab sends every code cell to the kernel at once, and
    jupyterlab-myst asks for the values of a Markdown cell's {eval}s only once that cell has
    run: after all the code cells. An {eval} that uses a name which a later code cell binds
    again then shows the later value (or an error), not the value the book shows."""
    nb = jupytext.read(ROOT / chapter)
    binders = {i: bound_names(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    problems = []
    for i, exprs in evals(nb).items():
        for expr in exprs:
            used = {n.id for n in ast.walk(ast.parse(expr, mode="eval")) if isinstance(n, ast.Name)}
            for name in sorted(used):
                later = [j for j, names in binders.items() if j > i and name in names]
                if later:
                    problems.append(
                        f"cell {i}: {{eval}}`{expr}` uses {name}, bound again in cell {later[0]}"
                    )
    assert not problems, (
        f"{chapter}: after Run All Cells in JupyterLab these {{eval}}s show the value of a later "
        "cell (give the value its own name):\n" + "\n".join(problems)
    )


#: Where a chapter defines a label: an option ``:label:``, a target ``(label)=``, a figure's
#: ``name:`` in its cell's metadata, a labelled equation ``$$ (label)``.
LABELS = (r":label:\s*(\S+)", r"^\(([\w:.-]+)\)=", r"^\s+name:\s*(\S+)", r"\$\$\s*\(([\w:.-]+)\)")


@pytest.mark.parametrize("chapter", ALL_CHAPTERS)
def test_every_reference_resolves_in_jupyterlab(chapter):
    """jupyterlab-myst resolves a reference only to a label of the same notebook, and knows
    no bibliography and no figure made by a code cell: a chapter cites in plain text (linked
    to the references page), names a figure "the figure above/below", and reaches another
    chapter through {doc}."""
    text = (ROOT / chapter).read_text()
    own = {m for pattern in LABELS for m in re.findall(pattern, text, re.M)}
    problems = [f"{m.group(0)}" for m in re.finditer(r"\{(cite(:\w+)?|numref)\}`[^`]*`", text)]
    for m in re.finditer(r"\{(prf:ref|ref|eq)\}`([^`]*)`", text):
        target = re.search(r"<([^<>]+)>$", m.group(2))
        label = (target.group(1) if target else m.group(2)).strip()
        if label not in own:
            problems.append(f"{m.group(0)} (a label of another chapter)")
    assert not problems, f"{chapter}: JupyterLab cannot resolve {problems}"
