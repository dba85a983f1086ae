"""The d/m explorers: static (precomputed, jslinked) and live (Python callbacks)."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from companion import widgets

calls = []


def draw(d, m):
    calls.append((d, m))
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.text(0.5, 0.5, f"{d} {m}")
    return fig


def _links():
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    return [x for x in _instances.values() if isinstance(x, Link)]


def test_static_explorer_precomputes_the_grid_and_links_in_the_browser():
    calls.clear()
    box = widgets.explore(draw, d=(3, 4, 5), m=(10, 20), live=False)
    d_slider, m_slider, note, outer = box.children
    assert isinstance(d_slider, w.SelectionSlider) and isinstance(m_slider, w.SelectionSlider)
    assert sorted(calls) == [(d, m) for d in (3, 4, 5) for m in (10, 20)]
    assert isinstance(outer, w.Stack) and len(outer.children) == 3
    pictures = [img.value for inner in outer.children for img in inner.children]
    assert len(set(pictures)) == 6  # one distinct picture per (d, m)
    # the browser-side links: d slider -> outer stack, m slider -> every inner stack
    links = {(lk.source[0].model_id, lk.target[0].model_id) for lk in _links()}
    assert (d_slider.model_id, outer.model_id) in links
    for inner in outer.children:
        assert (m_slider.model_id, inner.model_id) in links
    assert outer.selected_index == d_slider.index == 1  # the middle of the grid
    assert "d ∈ {3, 4, 5}" in note.value and "m ∈ {10, 20}" in note.value


def test_static_mode_from_environment(monkeypatch):
    monkeypatch.setenv("COMPANION_WIDGETS", "static")
    box = widgets.explore(lambda d: draw(d, None), d=(3, 4))
    assert isinstance(box.children[-1], w.Stack)
    monkeypatch.setenv("COMPANION_WIDGETS", "")
    box = widgets.explore(lambda d: draw(d, None), d=(3, 4))
    assert isinstance(box.children[-1], w.Image)


def test_live_explorer_redraws_on_every_move():
    calls.clear()
    box = widgets.explore(
        draw, d=(3, 10), m=(100, 1000), d_range=(3, 40), m_range=(10, 10_000), live=True
    )
    d_slider, m_slider, status, picture = box.children
    assert (d_slider.min, d_slider.max) == (3, 40)
    first = picture.value
    d_slider.value = 17
    assert calls[-1][0] == 17 and picture.value != first
    m_slider.value = 5000
    assert calls[-1] == (17, 5000)
    assert len(box.redraw_seconds) == 3
    assert "Computed live" in status.value


@pytest.mark.parametrize("chapter", sorted(widgets._EXPLORERS))
def test_chapter_explorers_build_live(chapter):
    box = widgets.explorer(chapter, live=True)
    assert len(box.redraw_seconds) == 1 and box.children[-1].value[:4] == b"\x89PNG"


def test_explorer_arguments():
    with pytest.raises(ValueError, match=r"chapter must be one of \[.*'fisher'"):
        widgets.explorer("eigenvalues")
    with pytest.raises(TypeError, match=r"explorer\('harmonics'\) has no option \['seeds'\]"):
        widgets.explorer("harmonics", seeds=3)
    with pytest.raises(TypeError, match="its options: none"):
        widgets.explorer("fisher", kmax=3)
    with pytest.raises(ValueError, match="kmax"):
        widgets.explorer("harmonics", kmax=0, live=True)


def test_bad_grid():
    with pytest.raises(ValueError, match="d must be >= 3"):
        widgets.explore(draw, d=(2, 3), m=(10,), live=False)
    with pytest.raises(ValueError, match="m must be >= 1"):
        widgets.explore(draw, d=(3,), m=(0,), live=False)
