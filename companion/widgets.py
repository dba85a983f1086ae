r"""Figures with sliders for :math:`d` and :math:`m`: live in Jupyter, alive on the static site.

:func:`explore` wraps any drawing function ``draw(d)`` or ``draw(d, m)`` that returns a
matplotlib figure (the book's ``companion.plot_*`` calls):

* **live** (in a running kernel): integer/logarithmic sliders over a stated range; every move
  redraws the figure with Python;
* **static** (when the book is built): the figure is drawn once for each point of a small
  grid of :math:`(d, m)`; the pictures sit in nested :class:`ipywidgets.Stack` widgets whose
  ``selected_index`` is linked *in the browser* (``jslink``) to the sliders' ``index``, so the
  saved widget state works on a page with no kernel behind it.

The mode is chosen by ``live=None`` (the default): static when the environment variable
``COMPANION_WIDGETS`` is ``"static"`` (``make book`` sets it), live otherwise.
"""

from __future__ import annotations

import functools
import inspect
import io
import os
import time
from collections.abc import Callable, Sequence

import numpy as np

from ._validate import check_choice, check_d, check_int, check_seed

__all__ = ["explore", "explorer"]


def _png(fig, dpi: int) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def _static_mode(live: bool | None) -> bool:
    if live is None:
        return os.environ.get("COMPANION_WIDGETS", "").lower() == "static"
    return not live


def _fmt(values: Sequence[int]) -> str:
    return ", ".join(f"{v:,}" for v in values)


def explore(
    draw: Callable,
    *,
    d: Sequence[int],
    m: Sequence[int] | None = None,
    d_range: tuple[int, int] | None = None,
    m_range: tuple[int, int] | None = None,
    d_default: int | None = None,
    m_default: int | None = None,
    m_label: str = "m",
    live: bool | None = None,
    dpi: int = 72,
):
    r"""An interactive figure over :math:`d` (and :math:`m`).

    Parameters
    ----------
    draw : callable
        ``draw(d)`` (when ``m`` is None) or ``draw(d, m)``, returning a matplotlib figure.
    d, m : sequence of int
        The grid drawn in advance for the static site (also the slider stops there).
    d_range, m_range : (int, int), optional
        The ranges the live sliders cover (default: the grid's extent). ``m`` moves on a
        logarithmic scale.
    d_default, m_default : int, optional
        Initial values (default: the middle of the grid).
    m_label : str
        The slider's label for the second parameter.
    live : bool, optional
        Force live (True) or static (False); by default static when ``COMPANION_WIDGETS=static``.
    dpi : int
        Resolution of the pictures.

    Returns
    -------
    ipywidgets.VBox
        Sliders, a note saying what is computed, and the picture. In live mode its attribute
        ``redraw_seconds`` lists the time of every redraw.
    """
    import ipywidgets as w

    d_grid = [check_d(v) for v in d]
    m_grid = None if m is None else [check_int(v, "m") for v in m]
    if not d_grid or (m_grid is not None and not m_grid):
        raise ValueError("d and m must list at least one value each")
    d0 = d_grid[len(d_grid) // 2] if d_default is None else check_d(d_default)
    m0 = (
        None
        if m_grid is None
        else (m_grid[len(m_grid) // 2] if m_default is None else check_int(m_default, "m_default"))
    )
    call = (lambda dv, mv: draw(dv)) if m_grid is None else draw
    layout = w.Layout(width="420px")
    style = {"description_width": "initial"}

    if _static_mode(live):
        d_slider = w.SelectionSlider(
            options=d_grid,
            value=d0 if d0 in d_grid else d_grid[0],
            description="d",
            layout=layout,
            style=style,
        )
        sliders = [d_slider]
        if m_grid is None:
            pictures = w.Stack(
                [w.Image(value=_png(call(dv, None), dpi), format="png") for dv in d_grid]
            )
            w.jslink((d_slider, "index"), (pictures, "selected_index"))
            pictures.selected_index = d_slider.index
            note = f"Precomputed when the book was built for d ∈ {{{_fmt(d_grid)}}}."
        else:
            m_slider = w.SelectionSlider(
                options=m_grid,
                value=m0 if m0 in m_grid else m_grid[0],
                description=m_label,
                layout=layout,
                style=style,
            )
            sliders.append(m_slider)
            inner = []
            for dv in d_grid:
                stack = w.Stack(
                    [w.Image(value=_png(call(dv, mv), dpi), format="png") for mv in m_grid]
                )
                w.jslink((m_slider, "index"), (stack, "selected_index"))
                stack.selected_index = m_slider.index
                inner.append(stack)
            pictures = w.Stack(inner)
            w.jslink((d_slider, "index"), (pictures, "selected_index"))
            pictures.selected_index = d_slider.index
            note = (
                f"Precomputed when the book was built for d ∈ {{{_fmt(d_grid)}}} and "
                f"{m_label} ∈ {{{_fmt(m_grid)}}}."
            )
        live_note = (
            " Run the chapter in Jupyter to compute any d in "
            f"[{_fmt(d_range or (min(d_grid), max(d_grid)))}]"
        )
        if m_grid is not None:
            live_note += f" and {m_label} in [{_fmt(m_range or (min(m_grid), max(m_grid)))}]"
        box = w.VBox([*sliders, w.HTML(f"<small>{note}{live_note} live.</small>"), pictures])
        box.add_class("companion-explorer")
        return box

    lo, hi = d_range or (min(d_grid), max(d_grid))
    d_slider = w.IntSlider(
        value=d0,
        min=check_d(lo),
        max=check_d(hi),
        description="d",
        continuous_update=False,
        layout=layout,
        style=style,
    )
    sliders = [d_slider]
    if m_grid is not None:
        mlo, mhi = m_range or (min(m_grid), max(m_grid))
        m_slider = w.FloatLogSlider(
            value=m0,
            base=10,
            min=np.log10(check_int(mlo, "m_range")),
            max=np.log10(check_int(mhi, "m_range")),
            step=0.05,
            readout_format=".0f",
            description=m_label,
            continuous_update=False,
            layout=layout,
            style=style,
        )
        sliders.append(m_slider)
    picture = w.Image(format="png")
    status = w.HTML()
    box = w.VBox([*sliders, status, picture])
    box.redraw_seconds = []

    def redraw(_change=None):
        start = time.perf_counter()
        mv = None if m_grid is None else int(round(sliders[1].value))
        picture.value = _png(call(d_slider.value, mv), dpi)
        box.redraw_seconds.append(time.perf_counter() - start)
        status.value = f"<small>Computed live in {box.redraw_seconds[-1]:.2f} s.</small>"

    for s in sliders:
        s.observe(redraw, names="value")
    redraw()
    box.add_class("companion-explorer")
    return box


def _fisher(seed):
    from .fisher import fisher_spectrum, sample_weights
    from .plotting import plot_spectrum

    def draw(d, m):
        return plot_spectrum(fisher_spectrum(sample_weights(d, m, rng=seed)), d)

    return draw, {
        "d": (5, 10, 20),
        "m": (300, 1000),
        "d_range": (3, 30),
        "m_range": (100, 3000),
        "d_default": 10,
        "m_default": 1000,
    }


def _limits(seed):
    from .plotting import plot_limits
    from .simulations import figure1_data

    def draw(d, m):
        return plot_limits(figure1_data(d, m, rng=seed))

    return draw, {
        "d": (5, 10, 30),
        "m": (1000, 10000),
        "d_range": (3, 100),
        "m_range": (100, 100_000),
        "d_default": 10,
        "m_default": 10000,
    }


def _harmonics(seed, *, kmax: int = 30):
    from .harmonics import mercer_eigenvalues
    from .plotting import plot_mercer

    kmax = check_int(kmax, "kmax")

    def draw(d):
        return plot_mercer(mercer_eigenvalues(d, kmax), d)

    return draw, {"d": (3, 4, 5, 10, 20, 50, 100), "d_range": (3, 1000), "d_default": 10}


def _simulations(seed, *, seeds: int = 2):
    from .plotting import plot_error_decay
    from .simulations import error_decay

    seeds = check_int(seeds, "seeds")

    def draw(d, m_max):
        ms = np.unique(np.geomspace(100, m_max, 6).astype(int))
        return plot_error_decay(
            error_decay(d, ms, seeds=seeds, n_inputs=50, rng=seed),
            title=f"Error against width, d = {d}",
        )

    return draw, {
        "d": (5, 10, 30),
        "m": (3000, 30000),
        "d_range": (3, 50),
        "m_range": (1000, 100_000),
        "d_default": 10,
        "m_default": 30000,
        "m_label": "largest m",
    }


def _finite_width(seed, *, seeds: int = 2):
    from .finite_width import finite_width_study
    from .plotting import plot_finite_width
    from .simulations import TABLE1_GROUPS

    seeds = check_int(seeds, "seeds")

    @functools.cache
    def study(d):
        return finite_width_study(
            (d,), (100, 1000, 10000), seeds=seeds, n_inputs=50, rng=seed, groups=TABLE1_GROUPS
        )

    def draw(d, percent):
        return plot_finite_width(
            study(d),
            d,
            kind="relative",
            threshold=percent / 100,
            m_range=(100, 10**7),
            title=f"Relative error, d = {d}, threshold {percent}%",
        )

    return draw, {
        "d": (5, 10, 30),
        "m": (5, 10, 20),
        "d_range": (3, 60),
        "m_range": (2, 50),
        "d_default": 10,
        "m_default": 10,
        "m_label": "threshold (%)",
    }


def _dynamics(seed, *, m: int = 500, steps: int = 800):
    from .dynamics import learning_curves
    from .plotting import plot_learning_curves

    m, steps = check_int(m, "m"), check_int(steps, "steps")

    def draw(d, n_train):
        return plot_learning_curves(learning_curves(d, m, n_train=n_train, steps=steps, rng=seed))

    return draw, {
        "d": (5, 10),
        "m": (50, 500, 5000),
        "d_range": (3, 20),
        "m_range": (10, 20_000),
        "d_default": 10,
        "m_default": 500,
        "m_label": "N (training inputs)",
    }


def _distributions(seed, *, draws: int = 15):
    from .distributions import empirical_fisher_study
    from .plotting import plot_empirical_fisher

    draws = check_int(draws, "draws")

    def draw(d, N):
        study = empirical_fisher_study(d, None, sizes=(N,), draws=draws, rng=seed)
        return plot_empirical_fisher(study)

    return draw, {
        "d": (5, 10),
        "m": (100, 300, 1000),
        "d_range": (3, 20),
        "m_range": (30, 3000),
        "d_default": 10,
        "m_default": 100,
        "m_label": "N (samples)",
    }


def _model(seed):
    from .plotting import plot_model

    def draw(d, m):
        return plot_model(d, m, rng=seed)

    return draw, {
        "d": (5, 10, 20),
        "m": (500, 2000, 4000),
        "d_range": (3, 30),
        "m_range": (500, 10_000),
        "d_default": 10,
        "m_default": 2000,
    }


#: The explorer of each chapter: its figure and its grid.
_EXPLORERS = {
    "fisher": _fisher,
    "limits": _limits,
    "harmonics": _harmonics,
    "model": _model,
    "simulations": _simulations,
    "finite_width": _finite_width,
    "dynamics": _dynamics,
    "distributions": _distributions,
}


def explorer(
    chapter: str,
    *,
    live: bool | None = None,
    rng: int | np.random.Generator = 0,
    **options,
):
    r"""The explorer of a chapter: its main figure with sliders, built by :func:`explore`.

    The value of ``chapter`` (a chapter of the book) and the figure it explores:

    * ``"fisher"``: the spectrum of the exact :math:`J` with the predicted levels of the three
      groups; sliders :math:`d`, :math:`m`.
    * ``"limits"``: Figure 1, :math:`X^\top v` against the limit :math:`F(x)` of each group;
      sliders :math:`d`, :math:`m`.
    * ``"harmonics"``: the Mercer eigenvalues :math:`\lambda_k`; slider :math:`d`; option
      ``kmax=30``.
    * ``"model"``: the share of a random and of trained networks kept by the
      :math:`d(d+3)/2`-dimensional model of eq. (2); sliders :math:`d`, :math:`m`.
    * ``"simulations"``: Table 1's error against :math:`m`; sliders :math:`d` and the largest
      :math:`m`; option ``seeds=2``.
    * ``"finite_width"``: the relative error MAE / RMS(F) against :math:`m`, the central-limit
      lines and the widths :math:`m^*(d)`; sliders :math:`d` and the threshold in per cent;
      option ``seeds=2``.
    * ``"dynamics"``: gradient descent's group components; sliders :math:`d` and :math:`N`;
      options ``m=500``, ``steps=800``.
    * ``"distributions"``: the deviations of the top eigenvalues of the empirical Fisher matrix
      :math:`\hat J_N` from the group eigenvalues; sliders :math:`d` and :math:`N`; option
      ``draws=15``.

    Parameters
    ----------
    chapter : str
        The chapter's name (its file and its module), one of those listed above.
    live : bool, optional
        Force live (True) or static (False); by default static when ``COMPANION_WIDGETS=static``
        (see :func:`explore`).
    rng : int or numpy.random.Generator
        Seed of the random draws (the same seed for every point of the grid).
    **options
        The chapter's options listed above (for example ``kmax`` for ``"harmonics"``).

    Returns
    -------
    ipywidgets.VBox
        The explorer (see :func:`explore`).

    Raises
    ------
    ValueError
        If ``chapter`` is not one of those listed, or an option is out of its range.
    TypeError
        If an option is not one of the chapter's.
    """
    build = _EXPLORERS[check_choice(chapter, "chapter", _EXPLORERS)]
    allowed = [n for n in inspect.signature(build).parameters if n != "seed"]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(
            f"explorer({chapter!r}) has no option {unknown}; its options: {allowed or 'none'}"
        )
    draw, grid = build(check_seed(rng), **options)
    return explore(draw, live=live, **grid)
