"""Every public name of the package has a NumPy-style docstring (numpydoc's validation).

Checked: a docstring exists, its summary, every parameter documented and none unknown, a
Returns section with descriptions (Attributes for the result classes), the sections in
numpydoc's order. Not required: an extended summary, "See Also" and "Examples" sections
(the chapters are the examples), nor numpydoc's punctuation rules.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from numpydoc.validate import validate

import companion as cp
from companion import widgets

#: numpydoc checks not required here (see the module docstring).
NOT_REQUIRED = {
    "ES01", "SA01", "EX01",  # extended summary, See Also, Examples
    "GL01", "GL02", "GL03",  # blank lines around the docstring
    "SS03", "SS05", "SS06",  # summary ends with a period / infinitive verb / one line
    "PR08", "PR09", "RT02", "RT05",  # capitalisation and periods of descriptions
    "YD01",  # Yields (no generators are public)
}  # fmt: skip

API_PAGE = (Path(__file__).resolve().parents[1] / "book" / "api.md").read_text()

#: The public API: the top level (every chapter's module) and the explorers.
API = {n: getattr(cp, n) for n in cp.__all__} | {n: getattr(widgets, n) for n in widgets.__all__}

#: The classes of the results that functions return (documented, not in ``__all__``).
RESULTS = {
    name: getattr(importlib.import_module(f"companion.{module}"), name)
    for module, name in re.findall(r"^\.\. autoclass:: companion\.(\w+)\.(\w+)$", API_PAGE, re.M)
    if name not in API
}

PUBLIC = [n for n, o in (API | RESULTS).items() if inspect.isfunction(o) or inspect.isclass(o)]


def test_every_public_name_is_on_the_api_page_once():
    """book/api.md documents each public name once, in its chapter's section, and besides them
    only the classes of results."""
    documented = re.findall(
        r"^\.\. auto(?:function|class|data):: (?:companion\.\w+\.)?(\w+)$", API_PAGE, re.M
    )
    assert sorted(documented) == sorted([*API, *RESULTS])
    assert all(inspect.isclass(c) for c in RESULTS.values())
    for n, obj in (API | RESULTS).items():
        module = obj.__module__ if callable(obj) else None
        if module:
            at = re.search(rf"^\.\. auto\w+:: (companion\.\w+\.)?{n}$", API_PAGE, re.M).start()
            section = API_PAGE[:at].rsplit("## ", 1)[1]
            assert f"(`{module}`)" in section.splitlines()[0], f"{n} is not in {module}'s section"


@pytest.mark.parametrize("name", PUBLIC)
def test_numpydoc(name):
    obj = (API | RESULTS)[name]
    errors = [
        f"{code} {msg}"
        for code, msg in validate(f"{obj.__module__}.{name}")["errors"]
        if code not in NOT_REQUIRED
    ]
    assert not errors, errors
