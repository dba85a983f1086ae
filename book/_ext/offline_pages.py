"""Sphinx extension: pages that load nothing they do not need from another host.

Jupyter Book 1.x always loads sphinx-thebe, which adds (twice, on some builds) an inline
``const THEBE_JS_URL = "https://unpkg.com/..."`` script -- a JavaScript error on every page --
and a script that would fetch thebe from unpkg when a reader clicks "live code". This book
has live code switched off (``launch_buttons.thebe: false``), so the thebe scripts and style
are dropped from every page.
"""


def _drop_thebe(app, pagename, templatename, context, doctree):
    def keep(asset):
        name = str(getattr(asset, "filename", "") or "")
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" not in name and "THEBE" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if keep(a)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
