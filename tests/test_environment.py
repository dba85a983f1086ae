"""The set-up: the environment is the lock, the package is installable as documented, the
citation file is valid.

- ``.venv`` holds exactly the versions of ``requirements.lock`` (``make venv`` installs it),
  and the lock is what ``make lock`` writes from ``requirements.txt`` and ``pyproject.toml``;
- the optional group ``lab`` brings every module the chapters import;
- the distribution ``relu-fisher-companion`` installs the ``companion`` command;
- ``CITATION.cff`` is valid Citation File Format 1.2.0 and agrees with ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
DIST = "relu-fisher-companion"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
IN_VENV = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
#: Installed by `python -m venv` itself, not by the lock.
SEED = {"pip"}


def _locked() -> dict[str, str]:
    """Package -> version for this interpreter and platform (markers evaluated)."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)\s*(?:;\s*(.+))?$", line.strip())
        if m and (m.group(3) is None or Marker(m.group(3)).evaluate()):
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def _installed() -> dict[str, str]:
    """Package -> version in the environment's site-packages (not a stray *.egg-info in the
    working directory, which is on sys.path too)."""
    paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    return {canonicalize_name(d.metadata["Name"]): d.version for d in md.distributions(path=paths)}


@pytest.mark.skipif(not IN_VENV, reason="checks the project's .venv (make venv)")
def test_venv_holds_exactly_the_locked_versions():
    locked, installed = _locked(), _installed()
    assert len(locked) > 100
    wrong = {k: (v, installed.get(k)) for k, v in locked.items() if installed.get(k) != v}
    assert not wrong, f"(locked, installed) differ: {wrong}; rebuild .venv with `make venv`"
    extra = set(installed) - set(locked) - SEED - {DIST}
    assert not extra, f"installed but not locked: {sorted(extra)}; rebuild .venv with `make venv`"
    assert installed[DIST] == PYPROJECT["project"]["version"]


def test_lock_is_up_to_date_with_the_ranges(tmp_path):
    """`make lock` keeps the pins that still satisfy the ranges, so on an up-to-date lock it
    changes nothing; a range changed without `make lock` changes the output."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed (it comes with requirements.txt)")
    out = tmp_path / "requirements.lock"
    shutil.copy(LOCK, out)
    run = subprocess.run(
        [
            uv,
            "pip",
            "compile",
            "requirements.txt",
            "--universal",
            "--python-version",
            "3.11",
            "--custom-compile-command",
            "make lock",
            "--quiet",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode and re.search(r"(?i)network|connect|dns|timed out|offline", run.stderr):
        pytest.skip(f"the package index is not reachable: {run.stderr.strip()[-200:]}")
    assert run.returncode == 0, run.stderr
    assert out.read_text() == LOCK.read_text(), "requirements.lock is stale: run `make lock`"


def _requires(dist: str, extras: frozenset[str] = frozenset(), seen=None) -> set[str]:
    """The installed distributions that `dist[extras]` pulls in, itself included."""
    seen = set() if seen is None else seen
    name = canonicalize_name(dist)
    if (name, extras) in seen:
        return {name}
    seen.add((name, extras))
    found = {name}
    for spec in md.requires(dist) or []:
        req = Requirement(spec)
        envs = [{"extra": e} for e in extras] or [{"extra": ""}]
        if req.marker is None or any(req.marker.evaluate(env) for env in envs):
            found |= _requires(req.name, frozenset(req.extras), seen)
    return found


def _chapter_imports() -> set[str]:
    """Top-level modules imported by the chapters' code cells."""
    import jupytext

    mods = set()
    for md_file in (ROOT / "book").glob("*.md"):
        cells = jupytext.read(md_file, fmt="md:myst").cells
        for block in (c.source for c in cells if c.cell_type == "code"):
            code = "\n".join(ln for ln in block.splitlines() if not ln.startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    mods |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    mods.add(node.module.split(".")[0])
    return mods


def test_lab_extra_brings_every_module_the_chapters_import():
    mods = _chapter_imports()
    assert {"companion", "numpy"} <= mods
    lab = _requires(DIST, frozenset({"lab"}))
    owners = md.packages_distributions()
    missing = {}
    for mod in sorted(mods - set(sys.stdlib_module_names) - {"companion"}):
        dists = {canonicalize_name(d) for d in owners.get(mod, [])}
        if not dists & lab:
            missing[mod] = sorted(dists) or "not installed"
    assert not missing, f"`pip install {DIST}[lab]` does not bring: {missing}"


def test_distribution_name_licence_and_command():
    meta = md.metadata(DIST)
    assert meta["Name"] == DIST and canonicalize_name(DIST) != "companion"
    assert meta["License-Expression"] == "BSD-3-Clause"
    assert {"lab", "book", "test"} <= set(meta.get_all("Provides-Extra"))
    scripts = {
        e.name: e.value for e in md.entry_points(group="console_scripts") if e.dist.name == DIST
    }
    assert scripts == {"companion": "companion.cli:main"}
    exe = shutil.which("companion", path=str(Path(sys.executable).parent))
    assert exe, "the `companion` command is not installed beside this Python"
    run = subprocess.run(
        [exe, "mercer", "--d", "5", "--kmax", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    data = json.loads(run.stdout)
    assert data["d"] == 5 and [r["k"] for r in data["degrees"]] == [0, 1, 2]


def test_citation_file_is_valid_cff_and_agrees_with_the_package():
    schema = json.loads((ROOT / "tests" / "data" / "cff-1.2.0-schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    # YAML reads an unquoted date as a date; CFF wants the string
    cff = json.loads(json.dumps(cff, default=str))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == PYPROJECT["project"]["version"]
    assert cff["license"] == PYPROJECT["project"]["license"]
    paper = cff["references"][0]
    bib = (ROOT / "book" / "references.bib").read_text()
    eprint = re.search(r"@misc\{ho2025approximating,.*?eprint\s*=\s*\{([^}]+)\}", bib, re.S).group(
        1
    )
    assert eprint in paper["url"] and [a["family-names"] for a in paper["authors"]] == [
        "Ho",
        "Takeishi",
        "Takeuchi",
    ]


def test_licences_are_stated():
    text = (ROOT / "LICENSE").read_text()
    assert "BSD 3-Clause License" in text and "CC BY 4.0" in text
    readme = (ROOT / "README.md").read_text()
    assert "BSD-3-Clause" in readme and "CC BY 4.0" in readme
    footer = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["extra_footer"]
    assert "CC BY 4.0" in footer and "creativecommons.org/licenses/by/4.0" in footer
    page = ROOT / "_build" / "html" / "book" / "fisher.html"
    assert page.exists(), "build the book first (make test does)"
    assert "creativecommons.org/licenses/by/4.0" in page.read_text(), "the footer is on every page"


@pytest.mark.skipif(not IN_VENV, reason="checks the project's .venv (make venv)")
def test_jupyterlab_loads_the_myst_and_jupytext_extensions():
    """An extension whose dependencies clash with JupyterLab's is installed but disabled (it
    renders nothing); `jupyter labextension list` says so."""
    run = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "not compatible" not in out, out
    for ext in ("jupyterlab-myst", "jupyterlab-jupytext"):
        line = next((ln for ln in out.splitlines() if ext in ln), "")
        assert "enabled" in line and "OK" in line, f"{ext}: {line or 'not installed'}"
