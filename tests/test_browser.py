"""The built site in a real browser (headless Debian Chromium, driven by Playwright).

Needs the built book in ``_build/html`` (``make test`` builds it first) and the Chromium that
the environment variable ``CHROMIUM`` names (default ``/usr/bin/chromium``; ``make test``
exports it, and installs Debian's chromium when it is missing and make runs as root). For every
page of the book: no JavaScript error, no request to another host, math rendered by the
vendored MathJax without TeX errors; on the chapters with widgets, every slider moved in the
browser changes the picture shown; on a phone and on a wide screen, the sidebar buttons work
and the explorer fits the screen.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
#: Chapters with an explorer widget, and the number of sliders it has.
WIDGETS = {
    "book/fisher": 2,
    "book/limits": 2,
    "book/harmonics": 1,
    "book/model": 2,
    "book/simulations": 2,
    "book/finite_width": 2,
    "book/dynamics": 2,
    "book/distributions": 2,
}


def _pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    stack = list(toc.get("chapters", [])) + [
        c for p in toc.get("parts", []) for c in p.get("chapters", [])
    ]
    while stack:
        entry = stack.pop(0)
        files.append(entry["file"])
        stack = list(entry.get("sections", [])) + stack
    return files


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").exists():
        pytest.fail(
            "the book is not built: run `make book` (make test does) before the browser tests"
        )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install it (as root: apt-get install chromium) "
            "or set CHROMIUM=/path/to/chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def _open(browser, url):
    page = browser.new_page()
    problems: list[str] = []
    host = url.split("/book/")[0]
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((host, "data:", "blob:"))
            else problems.append(f"request to another host: {r.url}")
        ),
    )
    page.goto(url, wait_until="load")
    if page.locator("script[src*='mathjax']").count():  # pages without math load no MathJax
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000
        )
        page.evaluate("() => MathJax.startup.promise")
    return page, problems


@pytest.fixture(scope="module")
def opened(server, browser):
    """Each page opened once for the module (rendering a long page takes seconds): the slider
    test uses the page the render test has checked, and sees its errors too."""
    pages: dict[str, tuple] = {}

    def open_doc(doc):
        if doc not in pages:
            pages[doc] = _open(browser, f"{server}/{doc}.html")
        return pages[doc]

    yield open_doc
    for page, _ in pages.values():
        page.close()


def _visible_pictures(explorer) -> list[str]:
    return explorer.evaluate(
        "el => [...el.querySelectorAll('img')].filter(i => i.offsetParent !== null).map(i => i.src)"
    )


@pytest.mark.parametrize("doc", _pages())
def test_page_renders_offline_without_errors(opened, doc):
    page, problems = opened(doc)
    source = (ROOT / f"{doc}.md").read_text()
    if "$" in source:
        assert page.locator("script[src*='_static/mathjax/']").count() == 1, (
            "MathJax is not served locally"
        )
        assert page.locator("mjx-container").count() > 0, "math is not rendered"
    assert page.locator("mjx-merror").count() == 0, "MathJax reports a TeX error"
    assert not problems, problems


@pytest.mark.parametrize("doc, n_sliders", sorted(WIDGETS.items()))
def test_every_slider_changes_the_picture(opened, doc, n_sliders):
    page, problems = opened(doc)
    explorers = page.locator(".companion-explorer")
    assert explorers.count() >= 1, "no explorer widget on the page"
    explorer = explorers.first
    explorer.locator("img").first.wait_for(state="attached", timeout=20_000)
    handles = explorer.locator(".noUi-handle")
    assert handles.count() == n_sliders
    for i in range(n_sliders):
        before = _visible_pictures(explorer)
        assert len(before) == 1, "exactly one picture is shown at a time"
        handles.nth(i).focus()
        for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):  # the last stop may be at an end
            page.keyboard.press(key)
            page.wait_for_timeout(300)
            after = _visible_pictures(explorer)
            if after != before:
                break
        assert len(after) == 1 and after != before, f"slider {i} did not change the picture"
    assert not problems, problems


@pytest.mark.parametrize("width", [390, 800])
def test_sidebar_buttons_open_the_drawers_on_a_phone(server, browser, width):
    """The visible ☰ and "on this page" buttons open their drawers (pydata-sphinx-theme 0.17
    listens only to the hidden copies; book/_static/sidebar-toggles.js passes the click on),
    and the explorer's sliders and picture fit the screen."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(f"{server}/book/fisher.html", wait_until="load")
        for kind, dialog in (("primary", "pst-primary-sidebar-modal"), ("secondary", None)):
            buttons = page.locator(f"button.{kind}-toggle:visible")
            assert buttons.count() >= 1, f"no visible {kind} button at {width} px"
            if dialog is None:  # the secondary drawer's id: the theme's, whatever it is
                dialog = "pst-secondary-sidebar-modal"
            buttons.first.click()
            page.wait_for_function(f"() => document.getElementById('{dialog}').open", timeout=5000)
            assert page.locator(f"#{dialog} a").count() > 0, f"the {kind} drawer is empty"
            page.keyboard.press("Escape")
            page.wait_for_function(f"() => !document.getElementById('{dialog}').open")
        explorer = page.locator(".companion-explorer").first
        explorer.scroll_into_view_if_needed()
        right = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('.companion-explorer *')]"
            ".filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().right))"
        )
        assert right <= width, f"the explorer reaches {right:.0f} px on a {width} px screen"
    finally:
        page.close()


def test_sidebar_buttons_hide_the_sidebars_on_a_wide_screen(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{server}/book/fisher.html", wait_until="load")
        sidebar = page.locator(".bd-sidebar-primary")
        assert sidebar.is_visible()
        page.locator("button.primary-toggle:visible").first.click()
        assert sidebar.is_hidden(), "☰ does not hide the sidebar"
        page.locator("button.primary-toggle:visible").first.click()
        assert sidebar.is_visible(), "☰ does not bring the sidebar back"
    finally:
        page.close()
