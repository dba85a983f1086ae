"""MyST Markdown turned into the plain Markdown that any Jupyter and Colab render.

A downloaded chapter notebook must read well where MyST is unknown. Its Markdown cells
lose every MyST role and directive (book/_ext/notebooks.py calls :func:`to_markdown`):

- numbers: ``{glue:text}`key``` (what ``{eval}`` becomes in the build) -> the value the
  build computed;
- references: ``{doc}``, ``{ref}``, ``{numref}``, ``{eq}``, ``{prf:ref}`` -> the text the book
  shows ("Theorem 2", "Fig. 3", "(5)", the page or section title), linked to the book's page
  when its address (``html_baseurl``) is known; ``{py:func}`` etc. -> the name in code font,
  linked to the API page likewise; ``{cite:p}``/``{cite:t}`` -> "(Ho et al., 2025)" /
  "Ho et al. (2025)"; a link to another page (``[text](references.md)``) -> linked likewise;
- directives: theorems, proofs, exercises, solutions and admonitions -> a bold heading and
  their body (theorems and admonitions as block quotes); ``(label)=`` lines and ``%``
  comments go; a labelled display equation gets its number as ``\\tag``.

The lookups (:class:`Lookup`) come from the built book's environment; the conversion itself
is plain text processing, tested on its own (tests/test_notebooks.py).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

ROLE = re.compile(r"\{(?P<name>[a-z][a-z:-]*)\}`(?P<body>[^`]*)`")
_TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|:{3,})\{(?P<name>[^}]+)\}[ \t]*(?P<arg>.*)$")
_OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_LABEL_LINE = re.compile(r"^\([\w:.-]+\)=[ \t]*$")
_EQ_LABEL = re.compile(r"^\$\$[ \t]*\((?P<label>[\w:.-]+)\)[ \t]*$")

#: Directive names shown as block quotes with a bold heading (sphinx-proof's and admonitions).
PROOF_KINDS = (
    "theorem lemma proposition corollary definition remark conjecture example "
    "algorithm criterion axiom observation property assumption notation"
).split()
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
    "admonition": "",
    "dropdown": "",
}


@dataclass
class Lookup:
    """What the book shows for each reference, and where (``url`` of a page, or ``""``).

    ``labels`` maps a label to ``(text, url)``; ``docs`` a page name (``book/fisher``) to
    ``(title, url)``; ``api_url`` is the API page's address (``""`` for none); ``citations``
    maps a key to ``(authors, year)``; ``values`` the glued keys to their plain text.
    """

    docname: str = ""
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    docs: dict[str, tuple[str, str]] = field(default_factory=dict)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    api_url: str = ""


def _link(text: str, url: str) -> str:
    return f"[{text}]({url})" if url else text


def _cite(keys: str, lookup: Lookup, textual: bool) -> str:
    found = [lookup.citations.get(k.strip(), (k.strip(), "")) for k in keys.split(",")]
    if textual:
        return "; ".join(f"{a} ({y})" for a, y in found)
    return "(" + "; ".join(f"{a}, {y}" for a, y in found) + ")"


def _doc(target: str, lookup: Lookup) -> tuple[str, str]:
    if target.startswith("/"):
        name = target.lstrip("/")
    else:
        base = lookup.docname.rsplit("/", 1)[0] if "/" in lookup.docname else ""
        name = f"{base}/{target}" if base else target
    return lookup.docs.get(name, (target, ""))


def plain_value(text: str, fmt: str = "") -> str:
    """A glued text/plain value as MyST-NB's ``{glue:text}`` shows it."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    return format(value, fmt) if fmt else str(value)


def _role(match: re.Match, lookup: Lookup) -> str:
    name, body = match.group("name"), match.group("body")
    titled = _TITLED.match(body)
    text, target = (titled.group("text"), titled.group("target")) if titled else ("", body)
    target = target.strip()
    if name in ("glue:text", "glue"):
        key, _, fmt = target.partition(":")
        if key not in lookup.values:
            raise KeyError(f"{lookup.docname}: no value computed for {key!r}")
        return plain_value(lookup.values[key], fmt)
    if name == "math":
        return f"${body}$"
    if name.startswith("py:"):
        shown = target.lstrip("~")
        if target.startswith("~"):
            shown = shown.rsplit(".", 1)[-1]
        if name in ("py:func", "py:meth") and not text:
            shown += "()"
        url = f"{lookup.api_url}#{target.lstrip('~')}" if lookup.api_url else ""
        return _link(f"`{text or shown}`", url)
    if name in ("cite:p", "cite", "cite:ps"):
        return _cite(target, lookup, textual=False)
    if name in ("cite:t", "cite:ts"):
        return _cite(target, lookup, textual=True)
    if name == "doc":
        title, url = _doc(target, lookup)
        return _link(text or title, url)
    if name in ("ref", "numref", "eq", "prf:ref", "term"):
        shown, url = lookup.labels.get(target, (target, ""))
        if name == "numref" and text:
            number = shown.split(" ", 1)[-1]
            shown = text.replace("%s", number).replace("{number}", number)
        elif text:
            shown = text
        return _link(shown, url)
    return f"`{body}`"


#: A Markdown link to another page of the book, ``[text](page.md)`` or ``(page.md#anchor)``.
_PAGE_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<page>[\w./-]+)\.md(?P<anchor>#[\w-]+)?\)")


def _page_link(match: re.Match, lookup: Lookup) -> str:
    _, url = _doc(match.group("page"), lookup)
    return _link(match.group("text"), url + (match.group("anchor") or "") if url else "")


def _roles(text: str, lookup: Lookup) -> str:
    text = _PAGE_LINK.sub(lambda m: _page_link(m, lookup), text)
    return ROLE.sub(lambda m: _role(m, lookup), text)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip("\n").split("\n"))


def _directive(name: str, arg: str, options: dict, body: str, lookup: Lookup) -> str:
    body = to_markdown(body, lookup).strip("\n")
    kind = name.split(":", 1)[-1]
    label = options.get("label", "")
    if name.startswith("prf:") and kind == "proof":
        return f"*Proof.* {body} ∎" if body else ""
    if name.startswith("prf:") and kind in PROOF_KINDS:
        heading = lookup.labels.get(label, (kind.title(), ""))[0] if label else kind.title()
        heading += f" ({_roles(arg, lookup)})" if arg.strip() else ""
        return _quote(f"**{heading}.** {body}")
    if name in ("exercise", "exercise-start"):
        heading = lookup.labels.get(label, ("Exercise", ""))[0] if label else "Exercise"
        heading += f" ({_roles(arg, lookup)})" if arg.strip() else ""
        return f"**{heading}.** {body}".rstrip()
    if name in ("exercise-end",):
        return body
    if name in ("solution", "solution-start"):
        return f"**Solution.** {body}".rstrip()
    if name == "solution-end":
        return "*End of the solution.*"
    if name in ADMONITIONS:
        title = _roles(arg, lookup).strip() or ADMONITIONS[name]
        return _quote(f"**{title}.** {body}" if title else body)
    if name == "math":
        tag = lookup.labels.get(label, ("", ""))[0].strip("()") if label else ""
        return "$$\n" + body + (f" \\tag{{{tag}}}" if tag else "") + "\n$$"
    if name in ("code-block", "code"):
        return f"```{arg.strip()}\n{body}\n```"
    return body


def to_markdown(text: str, lookup: Lookup) -> str:
    """A MyST Markdown cell as plain Markdown (see the module's docstring)."""
    lines = text.split("\n")
    out: list[str] = []
    plain: list[str] = []  # lines outside directives, converted together (a role may wrap)

    def flush():
        if plain:
            out.append(_roles("\n".join(plain), lookup))
            plain.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            flush()
            mark, name = fence.group("fence"), fence.group("name").strip()
            j, options = i + 1, {}
            if j < len(lines) and lines[j].strip() == "---":  # a YAML block of options
                k = next((k for k in range(j + 1, len(lines)) if lines[k].strip() == "---"), j)
                for opt in lines[j + 1 : k]:
                    key, _, value = opt.partition(":")
                    options[key.strip()] = value.strip()
                j = k + 1
            while j < len(lines) and _OPTION.match(lines[j]):
                opt = _OPTION.match(lines[j])
                options[opt.group("key")] = opt.group("value")
                j += 1
            end = next((k for k in range(j, len(lines)) if lines[k].strip() == mark), len(lines))
            body = "\n".join(lines[j:end])
            out.append(_directive(name, fence.group("arg"), options, body, lookup))
            i = end + 1
            continue
        if _LABEL_LINE.match(line) or re.match(r"^%", line):
            i += 1
            continue
        eq = _EQ_LABEL.match(line)
        if eq:
            tag = lookup.labels.get(eq.group("label"), ("", ""))[0].strip("()")
            plain.append(f"\\tag{{{tag}}}\n$$" if tag else "$$")
            i += 1
            continue
        plain.append(line)
        i += 1
    flush()
    result = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", result).strip("\n")
