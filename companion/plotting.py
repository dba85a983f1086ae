"""The book's figures: each function draws one kind of picture from the package's numbers.

Every function takes the data it draws (computed by the other modules), draws on the
given matplotlib ``ax`` (or a new figure) and returns the :class:`matplotlib.figure.Figure`.
Nothing is computed here that a reader could not find in the other modules.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np

from ._validate import check_array, check_d
from .eigengroups import group_eigenvalues
from .harmonics import multiplicity

__all__ = [
    "plot_spectrum",
    "plot_gram",
    "plot_limits",
    "plot_mercer",
    "plot_error_decay",
    "plot_learning_curves",
    "plot_rates_vs_samples",
    "plot_finite_width",
    "plot_empirical_fisher",
    "plot_input_levels",
    "plot_model",
]

#: Display names of the groups, as in the paper's Table 1.
_GROUP_LABELS = {
    "G1": r"G1 $v^{(0)}$",
    "G2": r"G2 $v^{(l)}$",
    "G3_gamma": r"G3 $v^{(\gamma)}$",
    "G3_ab": r"G3 $v^{(\alpha,\beta)}$",
    "G3_tilde": r"G3 $\tilde v^{(\gamma)}$",
}
#: One colour per group, used by every figure.
_GROUP_COLORS = {"G1": "C0", "G2": "C1", "G3_gamma": "C2", "G3_ab": "C3", "G3_tilde": "C4"}
#: Colours of the three clusters of the spectrum (:func:`companion.cluster_labels`).
_CLUSTER_COLORS = {
    "G1": _GROUP_COLORS["G1"],
    "G2": _GROUP_COLORS["G2"],
    "G3": _GROUP_COLORS["G3_ab"],
}


def _axes(ax=None, ncols: int = 1, figsize=(6.4, 4.0)):
    import matplotlib.pyplot as plt

    if ax is not None:
        axes = np.atleast_1d(ax)
        return axes[0].figure, axes
    fig, axes = plt.subplots(1, ncols, figsize=figsize, squeeze=False, layout="constrained")
    return fig, axes[0]


def plot_spectrum(eigenvalues: np.ndarray, d: int, *, ax=None, title: str | None = None):
    r"""Eigenvalues of :math:`J` (descending, log scale) with the three predicted levels.

    The index ranges of the clusters (1, then :math:`d`, then :math:`d(d+1)/2 - 1`) are shaded
    and the paper's (dashed) and exact :math:`m \to \infty` (solid) group eigenvalues drawn:
    :math:`\frac{2d+1}{4\pi}`, :math:`\frac14`, :math:`\frac{1}{2\pi(d+2)}` (eq. (5), §2.2) and
    :math:`\lambda_0 = d c_0^2`, :math:`\frac14`, :math:`\lambda_0/(d+1)^2`
    (:func:`companion.group_eigenvalues`). Non-positive eigenvalues are left out of the log
    scale. Chapters fisher, eigengroups and harmonics.

    Parameters
    ----------
    eigenvalues : ndarray of shape (m,)
        Eigenvalues of :math:`J` (e.g. :func:`companion.fisher_spectrum`), finite, in any order.
    d : int
        Input dimension, ``d >= 3``.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"Spectrum of $J$, d = ..., m = ..."`` with ``m`` the number
        of eigenvalues.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).

    Raises
    ------
    TypeError
        If ``eigenvalues`` is not an array of real numbers or ``d`` not an integer.
    ValueError
        If ``eigenvalues`` is not a finite, non-empty 1-D array, or ``d < 3``.
    """
    eig = np.sort(check_array(eigenvalues, "eigenvalues", ndim=1))[::-1]
    d = check_d(d)
    fig, (ax,) = _axes(ax)
    idx = np.arange(1, eig.size + 1)
    pos = eig > 0
    ax.semilogy(idx[pos], eig[pos], ".", ms=3, color="k", label="eigenvalues of $J$")
    paper, exact = group_eigenvalues(d), group_eigenvalues(d, exact=True)
    bounds = np.cumsum([0, 1, d, multiplicity(d, 2)])
    for (lo, hi), g in zip(
        zip(bounds[:-1], bounds[1:], strict=True), ("G1", "G2", "G3_ab"), strict=True
    ):
        c = _GROUP_COLORS[g]
        ax.axvspan(lo + 0.5, hi + 0.5, color=c, alpha=0.12)
        ax.axhline(
            exact[g], color=c, lw=1.2, label=f"{_GROUP_LABELS[g].split()[0]}: exact {exact[g]:.4g}"
        )
        ax.axhline(
            paper[g],
            color=c,
            lw=1.2,
            ls="--",
            label=f"{_GROUP_LABELS[g].split()[0]}: paper {paper[g]:.4g}",
        )
    ax.set_xscale("log")
    ax.set_xlabel("index (descending order)")
    ax.set_ylabel("eigenvalue")
    ax.set_title(title or f"Spectrum of $J$, d = {d}, m = {eig.size}")
    ax.legend(fontsize=7, loc="lower left")
    return fig


def plot_gram(G: np.ndarray, labels: list[str], *, ax=None, title: str | None = None):
    r"""The basis functions' Gram matrix :math:`v_i^\top J v_j` as correlations (§2.3).

    Shows :math:`G_{ij} / \sqrt{G_{ii} G_{jj}}`, the cosine of the angle between
    :math:`f_{v_i}` and :math:`f_{v_j}` in :math:`L^2(N(0, I_d))`: the identity for an exactly
    orthogonal basis (§2.3: :math:`\langle f_{v_i}, f_{v_j}\rangle = v_i^\top J v_j \approx
    \lambda_i\delta_{ij}`). Group boundaries are drawn. Chapter eigengroups.

    Parameters
    ----------
    G : ndarray of shape (K, K)
        The Gram matrix :math:`V^\top J V` (:func:`companion.gram_matrix`), finite, with a
        positive diagonal.
    labels : list of str
        The group of each row, ``K`` entries (:func:`companion.basis_labels`); a boundary is
        drawn wherever the label changes, and each block is named after its group
        (G1 :math:`v^{(0)}`, ...).
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"Correlations of the basis functions"``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).

    Raises
    ------
    TypeError
        If ``G`` is not an array of real numbers.
    ValueError
        If ``G`` is not a finite, non-empty, square 2-D array with one label per row.
    """
    G = check_array(G, "G", ndim=2)
    if G.shape[0] != G.shape[1] or len(labels) != G.shape[0]:
        raise ValueError(
            f"G must be square with one label per row, got shape {G.shape} and {len(labels)} labels"
        )
    s = np.sqrt(np.diag(G))
    C = G / np.outer(s, s)
    fig, (ax,) = _axes(ax, figsize=(5.2, 4.4))
    im = ax.imshow(C, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    fig.colorbar(im, ax=ax, shrink=0.8, label=r"$\langle f_i, f_j\rangle / (\|f_i\| \|f_j\|)$")
    edges = [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]
    for e in edges:
        ax.axhline(e - 0.5, color="k", lw=0.6)
        ax.axvline(e - 0.5, color="k", lw=0.6)
    starts = [0, *edges]
    ticks = [(a + b - 1) / 2 for a, b in zip(starts, [*edges, len(labels)], strict=True)]
    names = [_GROUP_LABELS.get(labels[a], labels[a]).split(" ", 1)[-1] for a in starts]
    ax.set_xticks(ticks, names, fontsize=8)
    ax.set_yticks(ticks, names, fontsize=8)
    ax.set_title(title or "Correlations of the basis functions")
    return fig


def plot_limits(
    data: Mapping[str, tuple[np.ndarray, np.ndarray]], *, axes=None, title: str | None = None
):
    r"""Figure 1: :math:`X^\top v` (blue dots) against its limit :math:`F(x)` (red line), one panel
    a group.

    ``data`` is :func:`companion.figure1_data`'s output: ``{group: (F, Xv)}``. The points lie on
    the diagonal :math:`X^\top v = F(x)` in the limit of Theorems 3.1–3.5 (paper §4.2, Figure 1).
    Chapters limits and simulations.

    Parameters
    ----------
    data : Mapping of str to tuple of ndarray
        ``{group: (F, Xv)}``: for each group (a name of ``companion.GROUPS``, shown as
        G1 :math:`v^{(0)}`, ..., or any name used as the panel's title), the
        limits :math:`F(x_n)` and the outputs :math:`X(x_n)^\top v`, two arrays of the same
        shape ``(N,)``.
    axes : sequence of matplotlib.axes.Axes, optional
        One axes per group, in the order of ``data``; default a new figure with one row of
        panels.
    title : str, optional
        Title of the figure (none by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``axes`` when given).
    """
    groups = list(data)
    fig, axes = _axes(axes, ncols=len(groups), figsize=(3.0 * len(groups), 3.1))
    for ax, g in zip(axes, groups, strict=False):
        F, Xv = (np.asarray(a) for a in data[g])
        lo, hi = min(F.min(), Xv.min()), max(F.max(), Xv.max())
        ax.plot([lo, hi], [lo, hi], color="red", lw=1.2, label="limit $F(x)$")
        ax.plot(F, Xv, ".", color="C0", ms=4, label=r"$X^\top v$")
        ax.set_title(_GROUP_LABELS.get(g, g), fontsize=10)
        ax.set_xlabel("$F(x)$")
    axes[0].set_ylabel(r"$X^\top v$")
    axes[0].legend(fontsize=7, loc="upper left")
    if title:
        fig.suptitle(title)
    return fig


def plot_mercer(eigenvalues: np.ndarray, d: int, *, ax=None, title: str | None = None):
    r"""Mercer eigenvalues :math:`\lambda_k` of :math:`J` (:math:`m\to\infty`) against the degree
    :math:`k`.

    Even degrees on a log scale; the odd degrees :math:`k \ge 3`, zero up to rounding, are
    marked on the axis; the paper's approximations for :math:`k \le 2` are drawn as crosses
    (:math:`\frac{2d+1}{4\pi}`, :math:`\frac14`, :math:`\frac{1}{2\pi(d+2)}`, eq. (5)). The
    Mercer decomposition is the one of paper §1 (the NTK's, on spherical harmonics); the values for
    :math:`k \ge 3` are beyond the paper: chapter harmonics.

    Parameters
    ----------
    eigenvalues : ndarray of shape (kmax + 1,)
        :math:`\lambda_0, \dots, \lambda_{k_{\max}}`, one per degree
        (:func:`companion.mercer_eigenvalues`), finite.
    d : int
        Input dimension, ``d >= 3``.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"Mercer eigenvalues of $J$, d = ..."``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).

    Raises
    ------
    TypeError
        If ``eigenvalues`` is not an array of real numbers or ``d`` not an integer.
    ValueError
        If ``eigenvalues`` is not a finite, non-empty 1-D array, or ``d < 3``.
    """
    lam = check_array(eigenvalues, "eigenvalues", ndim=1)
    d = check_d(d)
    k = np.arange(lam.size)
    fig, (ax,) = _axes(ax)
    nonzero = (k <= 2) | (k % 2 == 0)
    ax.semilogy(k[nonzero], np.abs(lam[nonzero]), "o-", color="k", ms=4, label=r"exact $\lambda_k$")
    paper = group_eigenvalues(d)
    pk = [0, 1, 2][: lam.size]
    ax.semilogy(
        pk,
        [paper["G1"], paper["G2"], paper["G3_ab"]][: len(pk)],
        "x",
        color="red",
        ms=9,
        label="paper, $k \\leq 2$",
    )
    odd = k[(k >= 3) & (k % 2 == 1)]
    if odd.size:
        ax.plot(
            odd,
            np.full(odd.size, np.abs(lam[nonzero]).min()),
            "|",
            color="grey",
            ms=10,
            label="odd $k \\geq 3$: $\\lambda_k = 0$",
        )
    ax.set_xlabel("degree $k$")
    ax.set_ylabel(r"$\lambda_k$")
    ax.set_title(title or f"Mercer eigenvalues of $J$, d = {d}")
    ax.legend(fontsize=8)
    return fig


def plot_error_decay(decay: Mapping, *, ax=None, title: str | None = None):
    r"""Table 1's error against :math:`m` on log-log axes, with each group's fitted slope.

    ``decay`` is :func:`companion.error_decay`'s output. A dotted line of slope
    :math:`-1/2` (the rate of the theorems) is drawn for reference, through the groups' mean
    error at the smallest width: :math:`\mathrm{MAE} \propto m^{-1/2}`. Paper §4.2 (Table 1);
    the range of widths is beyond the paper: chapter simulations.

    Parameters
    ----------
    decay : Mapping
        ``{"m": widths, group: {"mean": ..., "sd": ..., "slope": ...}, ...}``: the widths, and
        for each group the mean MAE and its standard deviation (arrays over ``m``) and the fitted
        log-log slope (a float), as returned by :func:`companion.error_decay`.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"Error against width"``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).
    """
    ms = np.asarray(decay["m"], dtype=float)
    fig, (ax,) = _axes(ax)
    groups = [g for g in decay if g != "m"]
    for g in groups:
        mean, sd = np.asarray(decay[g]["mean"]), np.asarray(decay[g]["sd"])
        ax.errorbar(
            ms,
            mean,
            yerr=sd,
            fmt="o-",
            ms=4,
            capsize=2,
            color=_GROUP_COLORS.get(g),
            label=f"{_GROUP_LABELS.get(g, g)}: slope {decay[g]['slope']:.2f}",
        )
    first = np.mean([decay[g]["mean"][0] for g in groups])
    ax.loglog(ms, first * (ms / ms[0]) ** -0.5, ":", color="grey", label="slope $-1/2$")
    ax.set_xlabel("$m$ (hidden units)")
    ax.set_ylabel("MAE")
    ax.set_title(title or "Error against width")
    ax.legend(fontsize=8)
    return fig


def plot_learning_curves(curves, *, ax=None, title: str | None = None, predicted: str = "exact"):
    r"""Each group's residual component :math:`A_g(t)/A_g(0)` against the step (log scale), with
    the prediction.

    ``curves`` is :func:`companion.learning_curves`'s output. Solid: measured; dashed:
    :math:`(1-\eta\lambda_g)^t` with :math:`\lambda_g` the group eigenvalue named by ``predicted``
    (``"exact"``, ``"paper"``, ``"fisher"`` or ``"hessian"``, attributes of ``curves``). The
    measured curves are cut below :math:`10^{-4}`; groups whose component starts at zero (or whose
    rate is NaN) are left out. The paper's §1 claim about the rates, tested; beyond the paper:
    chapter dynamics.

    Parameters
    ----------
    curves : LearningCurves
        The run to draw (:class:`companion.dynamics.LearningCurves`).
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default a description of the run (:math:`d`, :math:`m`, the loss,
        :math:`\eta`).
    predicted : {"exact", "paper", "fisher", "hessian"}, default "exact"
        The attribute of ``curves`` that gives each group's predicted eigenvalue
        (``"weighted"`` works too).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).
    """
    fig, (ax,) = _axes(ax)
    t = np.asarray(curves.steps, dtype=float)
    pred = getattr(curves, predicted)
    floor = 1e-4
    for g, A in curves.components.items():
        A = np.asarray(A, dtype=float)
        if not A[0] > 0 or not np.isfinite(curves.measured[g]):
            continue
        c = _GROUP_COLORS.get(g)
        name = _GROUP_LABELS.get(g, g).split(" ")[0]
        r = A / A[0]
        keep = r >= floor
        ax.semilogy(
            t[keep],
            r[keep],
            color=c,
            lw=1.6,
            label=f"{name}: measured, $\\hat\\lambda$ = {curves.measured[g]:.4g}",
        )
        ax.semilogy(
            t,
            np.maximum((1.0 - curves.eta * pred[g]) ** t, floor / 10),
            "--",
            color=c,
            lw=1.0,
            label=f"{name}: $(1-\\eta\\lambda)^t$, $\\lambda$ = {pred[g]:.4g}",
        )
    ax.set_ylim(floor, 1.5)
    ax.set_xlabel("gradient step $t$")
    ax.set_ylabel("residual component $A_g(t) / A_g(0)$")
    data = "population loss" if curves.n_train is None else f"N = {curves.n_train:,} inputs"
    ax.set_title(
        title
        or (
            f"Gradient descent, d = {curves.d}, m = {curves.m:,}, {data}, "
            f"$\\eta$ = {curves.eta:.3g}"
        ),
        fontsize=10,
    )
    ax.legend(fontsize=7, loc="upper right")
    return fig


def plot_rates_vs_samples(frame, *, axes=None, title: str | None = None):
    r"""Measured rates against the number of training inputs :math:`N`
    (:func:`companion.rates_vs_samples`).

    Left: each group's effective eigenvalue at :math:`N` divided by its value on the population
    loss (1 is the Fisher regime), :math:`\hat\lambda_g(N)/\hat\lambda_g(\infty)`, with the line
    :math:`N = m`. Right: the smallest, mean and largest Ritz values of :math:`\hat J_N` on each
    group, divided by the mean Ritz value of :math:`J` (the spread of the Hessian's eigenvalues
    inside the group); dashed, the range of :math:`J`'s own Ritz values (the spread that remains
    as :math:`N \to \infty` at this width). The paper's §1 condition on the number of data,
    tested; beyond the paper: chapter dynamics.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`companion.rates_vs_samples`: indexed by ``(N, group)``, with the
        columns ``vs_population``, ``hessian``, ``hessian_lo``, ``hessian_hi`` and ``fisher``
        (the row ``N = inf`` optional) and ``attrs["m"]`` (optional: the line :math:`N = m`).
    axes : sequence of two matplotlib.axes.Axes, optional
        The left and right panels; default a new figure with two panels.
    title : str, optional
        Title of the figure (none by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``axes`` when given).
    """
    fig, axes = _axes(axes, ncols=2, figsize=(10.0, 3.8))
    groups = list(dict.fromkeys(frame.index.get_level_values("group")))
    finite = frame[np.isfinite(frame.index.get_level_values("N").to_numpy(dtype=float))]
    for g in groups:
        sub = finite.xs(g, level="group")
        n = sub.index.to_numpy(dtype=float)
        c = _GROUP_COLORS.get(g)
        name = _GROUP_LABELS.get(g, g)
        axes[0].semilogx(n, sub["vs_population"].to_numpy() + 1.0, "o-", color=c, ms=4, label=name)
        f = sub["fisher"].to_numpy()
        axes[1].semilogx(n, sub["hessian"].to_numpy() / f, "o-", color=c, ms=4, label=name)
        axes[1].fill_between(
            n,
            sub["hessian_lo"].to_numpy() / f,
            sub["hessian_hi"].to_numpy() / f,
            color=c,
            alpha=0.15,
        )
        if np.inf in frame.index.get_level_values("N"):
            pop = frame.xs((np.inf, g))
            for key in ("hessian_lo", "hessian_hi"):
                axes[1].axhline(pop[key] / pop["fisher"], color=c, ls="--", lw=0.8)
    m = frame.attrs.get("m")
    for ax in axes:
        ax.axhline(1.0, color="grey", lw=0.8)
        if m:
            ax.axvline(m, color="k", ls=":", lw=1.0, label=f"N = m = {m:,}")
        ax.set_xlabel("training inputs $N$")
    axes[0].set_ylabel(r"$\hat\lambda_g(N)\,/\,\hat\lambda_g(\infty)$")
    axes[0].set_title("Measured rate, relative to the population loss", fontsize=10)
    axes[1].set_ylabel(r"Ritz values of $\hat J_N$ / mean Ritz value of $J$")
    axes[1].set_title("Hessian's eigenvalues on each group (mean and range)", fontsize=10)
    axes[1].set_yscale("log")
    axes[0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def plot_finite_width(
    study,
    d: int,
    *,
    kind: str = "mae",
    threshold: float = 0.1,
    m_range=None,
    ax=None,
    title: str | None = None,
):
    r"""One input dimension of a :func:`companion.finite_width_study`, against the width :math:`m`.

    ``kind``:

    * ``"mae"`` — each group's mean MAE (error bars: sd across draws) on log-log axes, with the
      central-limit prediction :func:`companion.clt_mae` as dashed lines;
    * ``"ratio"`` — measured MAE over that prediction (1 = the asymptotic picture; error bars:
      standard error of the mean);
    * ``"relative"`` — MAE over :math:`\mathrm{RMS}(F)` (:func:`companion.limit_norm2`), the
      prediction as lines over ``m_range`` (default: the study's widths), the ``threshold`` as a
      horizontal line and each group's predicted crossing :func:`companion.clt_crossing_width`
      as a marker on it.

    The paper states the limits (Theorems 3.1–3.5) but not how fast they are reached; beyond the
    paper: chapter finite_width.

    Parameters
    ----------
    study : FiniteWidthStudy
        The study to draw (:class:`companion.finite_width.FiniteWidthStudy`).
    d : int
        Input dimension, one of ``study.ds``.
    kind : {"mae", "ratio", "relative"}, default "mae"
        What is drawn (see above).
    threshold : float, default 0.1
        The relative error :math:`\varepsilon` in (0, 10] drawn for ``kind="relative"`` (ignored
        otherwise).
    m_range : tuple of two float, optional
        ``(lo, hi)``, the widths :math:`0 < lo \le hi` over which the prediction lines are drawn
        (``"mae"`` and ``"relative"``) and crossings marked; default the study's smallest and
        largest widths.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"d = ..."``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).

    Raises
    ------
    TypeError
        If ``study`` is not a :class:`companion.finite_width.FiniteWidthStudy` or ``d`` not an
        integer.
    ValueError
        If ``d`` is not one of the study's dimensions, ``kind`` is not one of the three, or (for
        ``"relative"``) ``threshold`` is not in (0, 10].
    """
    from .finite_width import FiniteWidthStudy, clt_crossing_width, clt_mae, limit_norm2

    if not isinstance(study, FiniteWidthStudy):
        raise TypeError(f"study must be a FiniteWidthStudy, got {type(study).__name__}")
    d = check_d(d)
    if d not in study.ds:
        raise ValueError(
            f"d must be one of the study's input dimensions {list(map(int, study.ds))}, got {d}"
        )
    if kind not in ("mae", "ratio", "relative"):
        raise ValueError(f"kind must be 'mae', 'ratio' or 'relative', got {kind!r}")
    i = int(np.flatnonzero(study.ds == d)[0])
    ms = study.ms.astype(float)
    lo, hi = (ms[0], ms[-1]) if m_range is None else (float(m_range[0]), float(m_range[1]))
    line_m = np.unique(np.geomspace(lo, hi, 60).astype(int))
    fig, (ax,) = _axes(ax)
    groups = study.groups
    for g in groups:
        c = _GROUP_COLORS.get(g)
        mean, sd = study.mean(g)[i], study.sd(g)[i]
        if kind == "mae":
            ax.errorbar(
                ms, mean, yerr=sd, fmt="o", ms=4, capsize=2, color=c, label=_GROUP_LABELS.get(g, g)
            )
            ax.plot(line_m, clt_mae(d, line_m, g), "--", lw=1, color=c)
        elif kind == "ratio":
            ratio = study.clt_ratio(g)[i]
            se = sd / np.sqrt(study.seeds) / clt_mae(d, study.ms, g)  # standard error of the mean
            ax.errorbar(
                ms,
                ratio,
                yerr=se,
                fmt="o-",
                ms=4,
                capsize=2,
                color=c,
                label=_GROUP_LABELS.get(g, g),
            )
        else:
            rms = np.sqrt(limit_norm2(d, g))
            ax.errorbar(
                ms,
                mean / rms,
                yerr=sd / rms,
                fmt="o",
                ms=4,
                capsize=2,
                color=c,
                label=_GROUP_LABELS.get(g, g),
            )
            ax.plot(line_m, clt_mae(d, line_m, g) / rms, "--", lw=1, color=c)
            m_star = clt_crossing_width(d, g, threshold)
            if lo <= m_star <= hi:
                ax.plot([m_star], [threshold], "v", ms=8, color=c, mec="k", mew=0.5)
    ax.set_xscale("log")
    ax.set_xlabel("$m$ (hidden units)")
    if kind == "ratio":
        ax.axhline(1.0, color="grey", lw=1, ls=":")
        ax.set_ylabel("MAE / central-limit prediction")
    else:
        ax.set_yscale("log")
        ax.set_ylabel("MAE" if kind == "mae" else r"MAE / RMS$(F)$")
    if kind == "relative":
        ax.axhline(threshold, color="k", lw=1, ls=":", label=f"threshold {threshold:g}")
    ax.set_title(title or f"d = {d}")
    ax.legend(fontsize=7)
    return fig


def plot_empirical_fisher(study, *, reference: str = "theory", axes=None, title: str | None = None):
    r"""Relative deviations of the top eigenvalues of the empirical :math:`\hat J_N` (paper §6).

    One panel per sample size :math:`N`: for every draw of :func:`companion.empirical_fisher_study`,
    :math:`\hat\lambda_i/\lambda_i - 1` against the index :math:`i` of the sorted eigenvalue
    (``EmpiricalFisherStudy.eig_deviation`` with ``reference``), coloured by
    cluster (G1, G2, G3), with the central 95% band of each index and the paper's
    :math:`\pm 20\%` and :math:`\pm 50\%` as dotted lines. Indices beyond :math:`N` (where
    :math:`\hat J_N`, of rank at most :math:`N`, has no eigenvalue of the clusters) are left out.
    Chapter distributions.

    Parameters
    ----------
    study : EmpiricalFisherStudy
        The study to draw (:class:`companion.distributions.EmpiricalFisherStudy`).
    reference : {"theory", "J", "paper"}, default "theory"
        The :math:`\lambda_i`: the exact :math:`m\to\infty` group eigenvalue of the cluster of
        :math:`i` (``"theory"``), the sorted eigenvalues of the exact :math:`J` of the same draw
        (``"J"``) or the paper's group eigenvalue (``"paper"``).
    axes : sequence of matplotlib.axes.Axes, optional
        One axes per sample size, in the order of ``study.sizes``; default a new figure with one
        row of panels.
    title : str, optional
        Title of the figure (none by default).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``axes`` when given).

    Raises
    ------
    ValueError
        If ``reference`` is not ``"J"``, ``"theory"`` or ``"paper"``.
    """
    sizes = list(study.sizes)
    fig, axes = _axes(axes, ncols=len(sizes), figsize=(4.2 * len(sizes), 3.4))
    cluster = study.cluster
    idx = np.arange(1, cluster.size + 1)
    colors = _CLUSTER_COLORS
    for ax, N in zip(axes, sizes, strict=False):
        dev = 100 * study.eig_deviation(N, reference)
        for c in ("G1", "G2", "G3"):
            sel = cluster == c
            ax.plot(
                np.broadcast_to(idx[sel], dev[:, sel].shape).ravel(),
                dev[:, sel].ravel(),
                ".",
                ms=1.5,
                alpha=0.35,
                color=colors[c],
                label=c,
            )
        # indices beyond N are NaN (J_N has rank <= N): left out of the bands and the y-limit
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
            lo, hi = np.nanquantile(dev, [0.025, 0.975], axis=0)
            top = np.nanquantile(dev, 0.99) if np.isfinite(dev).any() else 100.0
        for c in ("G1", "G2", "G3"):
            sel = cluster == c
            ax.fill_between(
                idx[sel],
                lo[sel],
                hi[sel],
                color="grey",
                alpha=0.2,
                lw=0,
                label="95% of draws" if c == "G1" else None,
            )
        for v in (20, 50):
            for s in (-1, 1):
                ax.axhline(s * v, color="k", lw=0.8, ls=":")
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xscale("log")
        ax.set_ylim(-100, max(100.0, float(top)))
        ax.set_xlabel("index $i$ of the eigenvalue")
        width = r"m = \infty" if study.m is None else f"m = {study.m}"
        ax.set_title(f"N = {N}, ${width}$", fontsize=10)
    axes[0].set_ylabel(r"$\hat\lambda_i / \lambda_i - 1$ (%)")
    axes[0].legend(fontsize=7, markerscale=5, loc="upper left")
    if title:
        fig.suptitle(title)
    return fig


def plot_input_levels(summaries: Mapping[str, dict], d: int, *, ax=None, title: str | None = None):
    r"""The levels of the three eigen-groups under several input distributions.

    ``summaries`` maps a distribution name to a summary (:meth:`BasisGram.summary
    <companion.distributions.BasisGram.summary>`); for each
    distribution the levels of G1, G2 and G3 (the eigenvalues of each group's block of the Gram
    matrix) are drawn side by side on a log scale, with the Gaussian (exact :math:`m\to\infty`)
    group eigenvalues as horizontal lines. Levels of zero (vanished functions) are left out. The
    paper's §6 question (the hierarchy under a non-rotationally-invariant :math:`p_X`); beyond
    the paper: chapter distributions.

    Parameters
    ----------
    summaries : Mapping of str to dict
        ``{name: summary}``, each ``summary`` with a ``"levels"`` entry ``{"G1": array,
        "G2": array, "G3": array}`` (:meth:`companion.distributions.BasisGram.summary`), one
        column per name, in the order of the mapping.
    d : int
        Input dimension of the Gaussian reference lines, ``d >= 3``.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes (of a sequence or array of axes, the first); default a new figure.
    title : str, optional
        Title of the axes; default ``"Eigen-group levels by input distribution, d = ..."``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``ax`` when given).

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    fig, (ax,) = _axes(ax, figsize=(7.0, 3.8))
    exact = group_eigenvalues(d, exact=True)
    colors = _CLUSTER_COLORS
    names = list(summaries)
    for j, name in enumerate(names):
        for s, g in zip((-0.22, 0.0, 0.22), ("G1", "G2", "G3"), strict=True):
            lev = np.asarray(summaries[name]["levels"][g], dtype=float)
            lev = lev[lev > 1e-12 * max(1.0, lev.max(initial=0.0))]
            ax.plot(
                np.full(lev.size, j + s),
                lev,
                "_",
                ms=9,
                mew=1.2,
                color=colors[g],
                label=g if j == 0 else None,
            )
    for g, key in (("G1", "G1"), ("G2", "G2"), ("G3", "G3_ab")):
        ax.axhline(exact[key], color=colors[g], lw=0.8, ls="--")
    ax.set_yscale("log")
    ax.set_xticks(range(len(names)), names, fontsize=8)
    ax.set_ylabel(r"levels $\langle F, F\rangle_p$ (block eigenvalues)")
    ax.set_title(title or f"Eigen-group levels by input distribution, d = {d}")
    ax.legend(fontsize=8, loc="upper right")
    return fig


# --- the network as a small linear model (chapter model) -----------------------------------
#: Short names of the targets of :func:`companion.fit_targets`, for the figure's axes.
_MODEL_TARGET_LABELS = {
    "span": "in the span",
    "abs": r"$|x_1|$",
    "harmonic4": "degree 4",
    "teacher": "teacher",
    "sin": r"$\sin 3x_1$",
}


def plot_model(
    d: int,
    m: int,
    *,
    rng=0,
    n_train: int = 2000,
    n_test: int = 2000,
    ridge: float = 1e-6,
    axes=None,
    title: str | None = None,
):
    r"""How much of a random and of a trained network the :math:`d(d+3)/2` model of eq. (2) keeps.

    Draws :math:`W` (``d x m``), then on the left the share of :math:`\|f_v\|^2` kept by the
    span of eq. (2) (:func:`companion.project`), split by group (orthogonalised in the order of
    eq. (2)): for a random network (the ratio of expectations of
    :func:`companion.expected_share`, with its :math:`m \to \infty` limit
    :func:`companion.trace_share` and :math:`1/2 + 3/(2\pi)`), and for the networks fitted by
    ridge least squares to each target of :func:`companion.fit_targets`. On the right the
    held-out relative squared errors of the width-:math:`m` network (:math:`m` numbers) and of
    the small model fitted directly on the limit functions (:math:`d(d+3)/2` numbers), with
    the heuristic prediction :math:`\text{error} + (1 - \text{share})\|f_v\|^2/\|y\|^2` of
    the latter; errors below :math:`10^{-6}` are drawn at :math:`10^{-6}`. Chapter model.
    About 1.5 s at :math:`d = 20`, :math:`m = 4000` with the default sample sizes (the exact
    :math:`J`, then :math:`\min(N, m)^2 \max(N, m)` flops for the fits).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Hidden units, ``m >= d(d+3)/2``.
    rng : numpy.random.Generator or int, default 0
        Source of :math:`W` (drawn first), then of the targets and inputs; or a seed ``>= 0``.
    n_train : int, default 2000
        Training inputs of the fits, ``>= 1``.
    n_test : int, default 2000
        Held-out inputs, ``>= 1``.
    ridge : float, default 1e-6
        The ridge penalty of both fits (:func:`companion.fit_targets`).
    axes : sequence of two matplotlib.axes.Axes, optional
        Draw on these; default a new figure.
    title : str, optional
        Title of the figure; default ``"d = ..., m = ...: ..."``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (that of ``axes`` when given).

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``n_train`` or ``n_test`` is not an integer, ``ridge`` is not a real
        number, or ``rng`` is neither a generator nor an integer seed.
    ValueError
        If ``d < 3``, ``m < d(d+3)/2`` or ``m > 11585`` (the dense :math:`J`), ``n_train < 1``,
        ``n_test < 1``, ``ridge < 0``, the seed is negative, or ``axes`` holds fewer than two
        axes.
    """
    from ._validate import check_dense, check_int, check_real, check_rng
    from .fisher import fisher_exact, sample_weights
    from .model import expected_share, fit_targets

    d = check_d(d)
    K = d * (d + 3) // 2
    m = check_int(m, "m", minimum=K)
    check_dense(m, "m", copies=2)  # J and the Gram matrix of the fits
    n_train = check_int(n_train, "n_train")
    n_test = check_int(n_test, "n_test")
    ridge = check_real(ridge, "ridge", lo=0.0)
    rng = check_rng(rng)
    if axes is not None and np.size(axes) < 2:
        raise ValueError(f"axes must hold two axes, got {np.size(axes)}")

    W = sample_weights(d, m, rng)
    J = fisher_exact(W)
    random = expected_share(W, J=J, top=False)
    fits = fit_targets(W, J=J, n_train=n_train, n_test=n_test, ridge=ridge, rng=rng)
    del J

    if axes is None:
        fig, axes = _axes(None, ncols=2, figsize=(10.0, 4.0))
    else:
        axes = np.ravel(axes)
        fig = axes[0].figure
    ax, bx = axes[0], axes[1]
    colors = {"G1": "C0", "G2": "C1", "G3_gamma": "C2", "G3_ab": "C3"}  # as the other figures
    names = {"G1": "G1", "G2": "G2", "G3_gamma": r"G3 $\gamma$", "G3_ab": r"G3 $\alpha\beta$"}
    bars = {"random\n(expected)": (random.group_shares, random.share)}
    bars |= {
        _MODEL_TARGET_LABELS.get(k, k): (f.projection.group_shares, f.share)
        for k, f in fits.items()
    }
    for j, (groups, total) in enumerate(bars.values()):
        bottom = 0.0
        for g, c in colors.items():
            label = names[g] if j == 0 else None
            ax.bar(j, groups[g], bottom=bottom, color=c, width=0.7, label=label)
            bottom += groups[g]
        ax.text(j, total + 0.015, f"{100 * total:.1f}%", ha="center", va="bottom", fontsize=8)
    ax.axhline(random.limit, color="k", lw=0.9, ls="--", label=r"$m\to\infty$: degrees $\leq 2$")
    ax.axhline(random.limit_large_d, color="k", lw=0.9, ls=":", label=r"$1/2 + 3/(2\pi)$")
    ax.set_xticks(range(len(bars)), list(bars), fontsize=8)
    ax.set_ylim(0, 1.4)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_ylabel(r"share of $\|f_v\|^2$ in the span of eq. (2)")
    ax.legend(fontsize=7, loc="upper center", ncol=3, framealpha=0.9)

    floor = 1e-6
    x = np.arange(len(fits))
    net = [max(f.error, floor) for f in fits.values()]
    small = [max(f.limit_error, floor) for f in fits.values()]
    pred = [max(f.predicted_limit_error, floor) for f in fits.values()]
    bx.bar(x - 0.18, net, width=0.36, color="0.55", label=f"network, {m:,} numbers")
    bx.bar(x + 0.18, small, width=0.36, color="C0", label=f"eq. (2) model, {K} numbers")
    bx.plot(x + 0.18, pred, "k_", ms=14, mew=2, label="predicted from the share")
    bx.set_yscale("log")
    bx.set_ylim(floor / 2, 3.0 * max(1.0, *net, *small, *pred))
    bx.set_xticks(x, [_MODEL_TARGET_LABELS.get(k, k) for k in fits], fontsize=8)
    bx.set_ylabel("held-out relative squared error")
    bx.legend(fontsize=7, loc="lower right", framealpha=0.9)
    bx.axhline(1.0, color="k", lw=0.6, ls=":")  # the error of predicting 0
    fig.suptitle(
        title or f"d = {d}, m = {m:,}: what the {K}-function model of eq. (2) keeps", fontsize=10
    )
    return fig
