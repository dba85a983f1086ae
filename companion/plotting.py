"""The book's figures: each function draws one kind of picture from the package's numbers.

Every function takes the data it draws (computed by the other modules), draws on the
given matplotlib ``ax`` (or a new figure) and returns the :class:`matplotlib.figure.Figure`.
Nothing is computed here that a reader could not find in the other modules.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ._validate import check_array, check_d
from .eigengroups import group_eigenvalues
from .harmonics import multiplicity

__all__ = [
    "GROUP_LABELS",
    "GROUP_COLORS",
    "plot_spectrum",
    "plot_gram",
    "plot_limits",
    "plot_mercer",
    "plot_error_decay",
]

#: Display names of the groups, as in the paper's Table 1.
GROUP_LABELS = {
    "G1": r"G1 $v^{(0)}$",
    "G2": r"G2 $v^{(l)}$",
    "G3_gamma": r"G3 $v^{(\gamma)}$",
    "G3_ab": r"G3 $v^{(\alpha,\beta)}$",
    "G3_tilde": r"G3 $\tilde v^{(\gamma)}$",
}
#: One colour per group, used by every figure.
GROUP_COLORS = {"G1": "C0", "G2": "C1", "G3_gamma": "C2", "G3_ab": "C3", "G3_tilde": "C4"}


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
    and the paper's (dashed) and exact :math:`m \to \infty` (solid) group eigenvalues drawn.
    """
    eig = np.sort(check_array(eigenvalues, "eigenvalues", ndim=1))[::-1]
    d = check_d(d)
    fig, (ax,) = _axes(ax)
    idx = np.arange(1, eig.size + 1)
    pos = eig > 0
    ax.semilogy(idx[pos], eig[pos], ".", ms=3, color="k", label="eigenvalues of $J$")
    paper, exact = group_eigenvalues(d), group_eigenvalues(d, exact=True)
    bounds = np.cumsum([0, 1, d, multiplicity(d, 2)])
    for (lo, hi), g in zip(zip(bounds[:-1], bounds[1:]), ("G1", "G2", "G3_ab")):
        c = GROUP_COLORS[g]
        ax.axvspan(lo + 0.5, hi + 0.5, color=c, alpha=0.12)
        ax.axhline(exact[g], color=c, lw=1.2, label=f"{GROUP_LABELS[g].split()[0]}: exact {exact[g]:.4g}")
        ax.axhline(paper[g], color=c, lw=1.2, ls="--", label=f"{GROUP_LABELS[g].split()[0]}: paper {paper[g]:.4g}")
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
    orthogonal basis. Group boundaries are drawn.
    """
    G = check_array(G, "G", ndim=2)
    if G.shape[0] != G.shape[1] or len(labels) != G.shape[0]:
        raise ValueError(f"G must be square with one label per row, got shape {G.shape} and {len(labels)} labels")
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
    ticks = [(a + b - 1) / 2 for a, b in zip(starts, [*edges, len(labels)])]
    names = [GROUP_LABELS.get(labels[a], labels[a]).split(" ", 1)[-1] for a in starts]
    ax.set_xticks(ticks, names, fontsize=8)
    ax.set_yticks(ticks, names, fontsize=8)
    ax.set_title(title or "Correlations of the basis functions")
    return fig


def plot_limits(data: Mapping[str, tuple[np.ndarray, np.ndarray]], *, axes=None, title: str | None = None):
    r"""Figure 1: :math:`X^\top v` (blue dots) against its limit :math:`F(x)` (red line), one panel a group.

    ``data`` is :func:`companion.figure1_data`'s output: ``{group: (F, Xv)}``.
    """
    groups = list(data)
    fig, axes = _axes(axes, ncols=len(groups), figsize=(3.0 * len(groups), 3.1))
    for ax, g in zip(axes, groups):
        F, Xv = (np.asarray(a) for a in data[g])
        lo, hi = min(F.min(), Xv.min()), max(F.max(), Xv.max())
        ax.plot([lo, hi], [lo, hi], color="red", lw=1.2, label="limit $F(x)$")
        ax.plot(F, Xv, ".", color="C0", ms=4, label=r"$X^\top v$")
        ax.set_title(GROUP_LABELS.get(g, g), fontsize=10)
        ax.set_xlabel("$F(x)$")
    axes[0].set_ylabel(r"$X^\top v$")
    axes[0].legend(fontsize=7, loc="upper left")
    if title:
        fig.suptitle(title)
    return fig


def plot_mercer(eigenvalues: np.ndarray, d: int, *, ax=None, title: str | None = None):
    r"""Mercer eigenvalues :math:`\lambda_k` of :math:`J` (:math:`m\to\infty`) against the degree :math:`k`.

    Even degrees on a log scale; the odd degrees :math:`k \ge 3`, zero up to rounding, are
    marked on the axis; the paper's approximations for :math:`k \le 2` are drawn as crosses.
    """
    lam = check_array(eigenvalues, "eigenvalues", ndim=1)
    d = check_d(d)
    k = np.arange(lam.size)
    fig, (ax,) = _axes(ax)
    nonzero = (k <= 2) | (k % 2 == 0)
    ax.semilogy(k[nonzero], np.abs(lam[nonzero]), "o-", color="k", ms=4, label=r"exact $\lambda_k$")
    paper = group_eigenvalues(d)
    pk = [0, 1, 2][: lam.size]
    ax.semilogy(pk, [paper["G1"], paper["G2"], paper["G3_ab"]][: len(pk)], "x", color="red", ms=9, label="paper, $k \\leq 2$")
    odd = k[(k >= 3) & (k % 2 == 1)]
    if odd.size:
        ax.plot(odd, np.full(odd.size, np.abs(lam[nonzero]).min()), "|", color="grey", ms=10, label="odd $k \\geq 3$: $\\lambda_k = 0$")
    ax.set_xlabel("degree $k$")
    ax.set_ylabel(r"$\lambda_k$")
    ax.set_title(title or f"Mercer eigenvalues of $J$, d = {d}")
    ax.legend(fontsize=8)
    return fig


def plot_error_decay(decay: Mapping, *, ax=None, title: str | None = None):
    r"""Table 1's error against :math:`m` on log-log axes, with each group's fitted slope.

    ``decay`` is :func:`companion.error_decay`'s output. A dotted line of slope
    :math:`-1/2` (the rate of the theorems) is drawn for reference.
    """
    ms = np.asarray(decay["m"], dtype=float)
    fig, (ax,) = _axes(ax)
    groups = [g for g in decay if g != "m"]
    for g in groups:
        mean, sd = np.asarray(decay[g]["mean"]), np.asarray(decay[g]["sd"])
        ax.errorbar(ms, mean, yerr=sd, fmt="o-", ms=4, capsize=2, color=GROUP_COLORS.get(g),
                    label=f"{GROUP_LABELS.get(g, g)}: slope {decay[g]['slope']:.2f}")
    first = np.mean([decay[g]["mean"][0] for g in groups])
    ax.loglog(ms, first * (ms / ms[0]) ** -0.5, ":", color="grey", label="slope $-1/2$")
    ax.set_xlabel("$m$ (hidden units)")
    ax.set_ylabel("MAE")
    ax.set_title(title or "Error against width")
    ax.legend(fontsize=8)
    return fig
