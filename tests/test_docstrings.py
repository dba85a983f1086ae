"""Every public name of the package has a NumPy-style docstring (numpydoc's validation).

Checked: a docstring exists, its summary, every parameter documented and none unknown, a
Returns section with descriptions (Attributes for the result classes), the sections in
numpydoc's order. Not required: an extended summary, "See Also" and "Examples" sections
(the chapters are the examples), nor numpydoc's punctuation rules.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from numpydoc.validate import validate

import companion as cp

#: numpydoc checks not required here (see the module docstring).
NOT_REQUIRED = {
    "ES01", "SA01", "EX01",  # extended summary, See Also, Examples
    "GL01", "GL02", "GL03",  # blank lines around the docstring
    "SS03", "SS05", "SS06",  # summary ends with a period / infinitive verb / one line
    "PR08", "PR09", "RT02", "RT05",  # capitalisation and periods of descriptions
    "YD01",  # Yields (no generators are public)
}  # fmt: skip

PUBLIC = [
    n for n in cp.__all__ if inspect.isfunction(getattr(cp, n)) or inspect.isclass(getattr(cp, n))
]


def test_every_public_name_is_on_the_api_page_once():
    """book/api.md documents each name of ``companion.__all__`` once, in its chapter's section."""
    text = (Path(__file__).resolve().parents[1] / "book" / "api.md").read_text()
    documented = re.findall(
        r"^\.\. auto(?:function|class|data):: (?:companion\.\w+\.)?(\w+)$", text, re.M
    )
    assert sorted(documented) == sorted(cp.__all__)
    for n in cp.__all__:
        module = getattr(cp, n).__module__ if callable(getattr(cp, n)) else None
        if module:
            section = text[: text.index(f":: {n}\n")].rsplit("## ", 1)[1]
            assert f"(`{module}`)" in section.splitlines()[0], f"{n} is not in {module}'s section"


@pytest.mark.parametrize("name", PUBLIC)
def test_numpydoc(name):
    obj = getattr(cp, name)
    errors = [
        f"{code} {msg}"
        for code, msg in validate(f"{obj.__module__}.{name}")["errors"]
        if code not in NOT_REQUIRED
    ]
    assert not errors, errors
