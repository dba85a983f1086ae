r"""The approximate eigenvectors of :math:`J` and decomposition (5) (paper §1, §2.2, §2.3).

For weights :math:`W` with columns :math:`w_i`, the three approximate eigen-groups are

.. math::

   v^{(0)}_i &= \|w_i\| / \sqrt d
       && \text{G1, eigenvalue} \approx \tfrac{2d+1}{4\pi}\\
   v^{(l)} &= W_{l*}^\top, \quad l = 1..d
       && \text{G2, eigenvalue } \tfrac14\\
   v^{(\alpha,\beta)}_i &= \sqrt{d+2}\, W_{\alpha i} W_{\beta i} / \|w_i\|, \quad \alpha < \beta
       && \text{G3, eigenvalue} \approx \tfrac{1}{2\pi(d+2)}\\
   \tilde v^{(\gamma)} &= \tfrac{1}{\sqrt2}\Bigl(v^{(\gamma,\gamma)}
       - \sqrt{\tfrac{d+2}{d}}\, v^{(0)}\Bigr), \quad \gamma = 1..d && \text{eq. (4)}\\
   v^{(\gamma)} &= \tilde v^{(\gamma)} - \tfrac{1}{\sqrt d + 1}\tilde v^{(d)}, \quad \gamma = 1..d-1
       && \text{eq. (3)}

and :math:`J \approx \frac{2d+1}{4\pi} v^{(0)}v^{(0)\top} + \frac14\sum_l v^{(l)}v^{(l)\top}
+ \frac{1}{2\pi(d+2)}\bigl(\sum_\gamma v^{(\gamma)}v^{(\gamma)\top} + \sum_{\alpha<\beta}
v^{(\alpha,\beta)}v^{(\alpha,\beta)\top}\bigr) + R` (eq. (5)).

Every entry :math:`i` of every vector depends on column :math:`w_i` alone, so the functions
:math:`f_v(x) = X^\top v` of a whole group are computed chunk by chunk over the hidden units
(:func:`group_outputs`): memory stays bounded for any :math:`m`, and the work is BLAS
matrix products.

Groups are named ``"G1"`` (:math:`v^{(0)}`), ``"G2"`` (:math:`v^{(l)}`), ``"G3_gamma"``
(:math:`v^{(\gamma)}`), ``"G3_ab"`` (:math:`v^{(\alpha,\beta)}`) and ``"G3_tilde"``
(:math:`\tilde v^{(\gamma)}`, Lemma 3.3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _compute
from ._validate import (
    available_memory,
    check_array,
    check_choice,
    check_choices,
    check_d,
    check_dense,
    check_dtype,
    check_int,
    check_memory,
    check_W,
    check_x,
)
from .harmonics import closed_form_eigenvalues, multiplicity, paper_eigenvalues

__all__ = [
    "GROUPS",
    "group_size",
    "group_vectors",
    "basis",
    "basis_labels",
    "group_outputs",
    "group_eigenvalues",
    "rayleigh_quotients",
    "gram_matrix",
    "decomposition",
    "cluster_means",
    "cluster_labels",
]

#: Group names, in the order of decomposition (5) (G3_tilde last: it is not part of the basis).
GROUPS = ("G1", "G2", "G3_gamma", "G3_ab", "G3_tilde")

#: Rows of group vectors per BLAS product in :func:`group_outputs` (one "panel").
_PANEL_ROWS = 512
#: Target size in bytes of one panel (its rows times a chunk of hidden units): small enough to
#: stay in cache between being built and being multiplied, large enough for BLAS's full rate.
_PANEL_BYTES = 4 * 1024**2


def group_size(d: int, group: str) -> int:
    r"""Number of members of ``group`` at input dimension ``d``: 1, d, d-1, d(d-1)/2 or d.

    The sizes of the groups of §2.2: :math:`K = 1` (:math:`v^{(0)}`), :math:`d`
    (:math:`v^{(l)}`), :math:`d - 1` (:math:`v^{(\gamma)}`, eq. (3)), :math:`d(d-1)/2`
    (:math:`v^{(\alpha,\beta)}`, :math:`\alpha < \beta`) and :math:`d`
    (:math:`\tilde v^{(\gamma)}`, eq. (4)). The first four add up to
    :math:`d(d+3)/2 = d + d(d+1)/2`, the number of terms of decomposition (5).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group (see ``companion.GROUPS``).

    Returns
    -------
    int
        The number :math:`K` of members (vectors) of the group.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3`` or ``group`` is not one of ``companion.GROUPS``.
    """
    d = check_d(d)
    return {"G1": 1, "G2": d, "G3_gamma": d - 1, "G3_ab": d * (d - 1) // 2, "G3_tilde": d}[
        check_choice(group, "group", GROUPS)
    ]


def _block(group: str, Wc: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Members of ``group`` restricted to the hidden units of ``Wc``, as rows: shape (K, mc),
    in the precision of ``Wc`` (the constants are Python floats, which do not promote)."""
    d = Wc.shape[0]
    if group == "G3_ab":
        out = np.empty((group_size(d, group), Wc.shape[1]), dtype=Wc.dtype)
        row = 0
        for k, write in _row_blocks([group], Wc, norms):
            write(out[row : row + k])
            row += k
        return out
    if group == "G1":
        return (norms / math.sqrt(d))[None, :]
    if group == "G2":
        return Wc
    scale = math.sqrt(d + 2.0) / norms
    # v^(gamma,gamma) - sqrt((d+2)/d) v^(0), divided by sqrt 2 (eq. (4))
    tilde = (Wc * Wc * scale - math.sqrt((d + 2.0) / d) * norms / math.sqrt(d)) / math.sqrt(2.0)
    if group == "G3_tilde":
        return tilde
    return tilde[:-1] - tilde[-1] / (math.sqrt(d) + 1.0)  # eq. (3)


def group_vectors(W: np.ndarray, group: str) -> np.ndarray:
    r"""All members of one eigen-group, as the columns of an ``(m, K)`` array (§2.2).

    Entry :math:`i` of each vector depends on the column :math:`w_i` of :math:`W` alone
    (paper §1, §2.2, eqs. (3) and (4)):

    .. math::

       v^{(0)}_i &= \|w_i\| / \sqrt d, \qquad v^{(l)}_i = W_{li}, \qquad
       v^{(\alpha,\beta)}_i = \sqrt{d+2}\, W_{\alpha i} W_{\beta i} / \|w_i\|,\\
       \tilde v^{(\gamma)} &= \tfrac{1}{\sqrt2}\Bigl(v^{(\gamma,\gamma)}
       - \sqrt{\tfrac{d+2}{d}}\, v^{(0)}\Bigr), \qquad
       v^{(\gamma)} = \tilde v^{(\gamma)} - \tfrac{1}{\sqrt d + 1}\tilde v^{(d)}.

    Parameters
    ----------
    W : ndarray of shape (d, m), d > 2
        Hidden weights (e.g. :func:`companion.sample_weights`); finite, no zero column.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group (see ``companion.GROUPS``).

    Returns
    -------
    V : ndarray of shape (m, K)
        ``V[:, k]`` is the k-th member: :math:`v^{(0)}`; :math:`v^{(l)}`, l = 1..d;
        :math:`v^{(\gamma)}`, :math:`\gamma` = 1..d-1; :math:`v^{(\alpha,\beta)}` in the order
        of :func:`companion.pairs`; or :math:`\tilde v^{(\gamma)}`, :math:`\gamma` = 1..d.
        ``K`` is :func:`companion.group_size`; float64.

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite, has fewer than 3 rows or a zero column,
        ``group`` is not one of ``companion.GROUPS``, or the array would exceed 4 GiB (use
        :func:`companion.group_outputs`).
    """
    W = check_W(W, min_d=3)
    check_choice(group, "group", GROUPS)
    d, m = W.shape
    size = 8 * m * group_size(d, group)
    if size > 4 * 1024**3:
        raise ValueError(
            f"W: the {group} vectors at d = {d}, m = {m} need {size / 1024**3:.1f} GiB; "
            "use group_outputs, which works chunk by chunk, or a smaller m"
        )
    norms = np.sqrt(np.einsum("ij,ij->j", W, W))
    return np.ascontiguousarray(_block(group, W, norms).T)


def basis(W: np.ndarray) -> tuple[np.ndarray, list[str]]:
    r"""The :math:`d + d(d+1)/2` basis vectors of decomposition (5), side by side.

    .. math::

       V = \bigl[v^{(0)},\ v^{(1)}, \dots, v^{(d)},\ v^{(1)}, \dots, v^{(d-1)},\
       v^{(1,2)}, \dots, v^{(d-1,d)}\bigr],

    the vectors of the three groups of §2.2 in the order of the terms of eq. (5) and of the
    coefficients :math:`u_1, u_{l+1}, u_{d+1+\gamma}, u_{k(\alpha,\beta)}` of eq. (2) (the
    pairs in the order of :func:`companion.pairs`).

    Parameters
    ----------
    W : ndarray of shape (d, m), d > 2
        Hidden weights (e.g. :func:`companion.sample_weights`); finite, no zero column.

    Returns
    -------
    V : ndarray of shape (m, d(d+3)/2)
        Columns :math:`v^{(0)}, v^{(1..d)}, v^{(\gamma=1..d-1)}, v^{(\alpha<\beta)}`.
    labels : list of str
        The group of each column (``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``), as
        :func:`companion.basis_labels`.

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite, has fewer than 3 rows or a zero column, or a
        group's array would exceed 4 GiB.
    """
    d = check_W(W, min_d=3).shape[0]
    return np.hstack([group_vectors(W, g) for g in GROUPS[:4]]), basis_labels(d)


def basis_labels(d: int) -> list[str]:
    r"""The group of each column of :func:`companion.basis` at input dimension ``d``.

    ``"G1"`` once, ``"G2"`` :math:`d` times, ``"G3_gamma"`` :math:`d-1` times and ``"G3_ab"``
    :math:`d(d-1)/2` times: the terms of decomposition (5) (§2.2), :math:`d(d+3)/2` in all.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    list of str
        Length :math:`d(d+3)/2`; entry :math:`k` names the group of column :math:`k` of
        :func:`companion.basis`.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    return [g for g in GROUPS[:4] for _ in range(group_size(d, g))]


def _chunk_size(m: int, rows: int, n: int, itemsize: int = 8) -> int:
    """Hidden units per chunk: a ``(rows, chunk)`` panel of ``itemsize`` bytes fills
    ``_PANEL_BYTES``."""
    return int(max(64, min(m, _PANEL_BYTES // (itemsize * max(rows, n, 1)))))


def group_outputs(
    x: np.ndarray,
    W: np.ndarray,
    groups: tuple[str, ...] | list[str] = GROUPS[:4],
    *,
    dtype: str | type | np.dtype = "float64",
    workers: int | None = None,
) -> dict[str, np.ndarray]:
    r"""The basis functions :math:`f_v(x) = X(x)^\top v` for every member of each group.

    .. math::

       f_v(x) = X(x)^\top v = \sum_{i=1}^m v_i\, \sigma(x^\top w_i),

    for the approximate eigenvectors :math:`v` of §2.2: the quantities whose limits
    :math:`F(x)` Theorems 3.1 to 3.5 give and whose distance to them Table 1 (§4) measures.

    Computed as :math:`\sum_{\text{chunks } c} V_c\, \sigma(W_c^\top x)` over chunks :math:`c`
    of hidden units. Within a chunk, the rows of the group vectors :math:`V_c` (all the groups
    asked for, in order) are built a panel of about ``_PANEL_ROWS`` rows at a time and each
    panel is multiplied at once (one BLAS product per panel): the panel stays in cache between
    being built and being used, and no array of all the pair vectors :math:`v^{(\alpha,\beta)}`
    is ever formed: whatever :math:`m`, each worker holds one panel (about 4 MiB), one chunk of
    features and one float64 partial sum of shape (K, N).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,)
        Inputs, one per row, finite; a single input of shape ``(d,)`` counts as ``N = 1``.
    W : ndarray of shape (d, m), d > 2
        Hidden weights, finite, no zero column; float64, or float32 (used as it is: with
        ``dtype="float32"`` the same results as the float64 ``W`` it was rounded from, see
        :func:`companion.sample_weights`).
    groups : sequence of str or str
        Distinct names out of ``companion.GROUPS``, at least one (a single string is one
        group); by default the four groups of Table 1.
    dtype : {"float64", "float32"}, default "float64"
        Precision of the chunk products (the features, the group vectors and their product);
        the sum over chunks is always accumulated in float64. ``"float32"`` halves the memory
        traffic and about doubles the speed of the products; its relative error in
        :math:`X^\top v` is of order :math:`10^{-7}`, four to five orders of magnitude below
        the :math:`m^{-1/2}` distance to the limits that Table 1 measures (the tests and
        ``benchmarks/bench_table1.py`` show it on the paper's rows).
    workers : int, optional
        Threads sharing the chunks, ``workers >= 1`` (more than the number of chunks is taken
        as that number), each taking every ``workers``-th chunk with BLAS on one
        thread, so that one core builds a panel while another multiplies. By default as many
        as BLAS may use (at most 8) when the products exceed about :math:`10^9` flops, else 1
        (one stream of chunks, BLAS with its own threads). The partial sums are added in a
        fixed order, so a given ``workers`` gives the same numbers every run. Another
        ``workers`` changes float64 results only by rounding (about :math:`10^{-16}`
        relative); float32 products also depend on how many threads BLAS gives each product
        (as they do on the BLAS library), so float32 results change by about :math:`10^{-7}`
        relative. While a call with more than one worker runs, BLAS is limited to one thread
        in the whole process (the limit is per process); such calls from several threads run
        one after another.

    Returns
    -------
    dict of str to ndarray
        ``out[group]`` has shape (N, K) (also ``(1, K)`` for a single input): row n, column k
        is :math:`X(x_n)^\top v_k`, float64, ``v_k`` the k-th column of
        :func:`companion.group_vectors`.

    Raises
    ------
    TypeError
        If ``x`` or ``W`` is not an array of real numbers, ``dtype`` is not a dtype or
        ``workers`` is not an integer.
    ValueError
        If ``W`` is not 2-D, is empty, not finite, has fewer than 3 rows or a zero column,
        ``x`` does not have ``d`` entries per input, is empty or not finite, ``groups`` is
        empty, repeats a name or names no group of ``companion.GROUPS``, ``dtype`` is neither
        float64 nor float32, or ``workers < 1``.
    """
    W = check_W(W, min_d=3, float32=True)
    x = check_x(x, W.shape[0])
    groups = list(check_choices(groups, "groups", GROUPS))
    dtype = check_dtype(dtype)
    d, m = W.shape
    n = x.shape[0]
    offsets = np.cumsum([0] + [group_size(d, g) for g in groups])
    K = int(offsets[-1])
    rows = min(_PANEL_ROWS, K) + d  # room for one more block (<= d rows) when full
    mc = _chunk_size(m, rows, n, dtype.itemsize)
    chunks = -(-m // mc)
    if workers is None:
        workers = _compute.default_workers(chunks, 2.0 * n * m * K)
    else:
        workers = min(check_int(workers, "workers"), chunks)
    # each worker's float64 partial sum (K, N), the total and the returned arrays
    per_input = 8 * K * (workers + 2) + d * dtype.itemsize
    check_memory(per_input, "the number of inputs N", n, available=available_memory())
    xs = x.astype(dtype, copy=False)

    def partial_sum(first: int, step: int, stop) -> np.ndarray:
        """Chunks first, first + step, ...: all groups' rows, transposed (K, N), float64."""
        out_t = np.zeros((K, n))
        panel = np.empty((rows, mc), dtype=dtype)
        for start in range(first * mc, m, step * mc):
            if stop.is_set():
                break
            Wc = np.array(W[:, start : start + mc], dtype=dtype, order="C")  # contiguous rows
            Xc = xs @ Wc
            np.maximum(Xc, 0.0, out=Xc)
            norms = np.sqrt(np.einsum("ij,ij->j", Wc, Wc))
            _panel_products(_row_blocks(groups, Wc, norms), out_t, Xc.T, panel[:, : Wc.shape[1]])
        return out_t

    out_t = _compute.strided_sum(partial_sum, workers)
    return {
        g: np.ascontiguousarray(out_t[a:b].T)
        for g, a, b in zip(groups, offsets[:-1], offsets[1:], strict=True)
    }


def _row_blocks(groups: list[str], Wc: np.ndarray, norms: np.ndarray):
    """The rows of the groups' vectors on one chunk, in order, as ``(k, fill)`` pairs:
    ``fill(dst)`` writes the next ``k`` rows into ``dst`` (shape (k, mc)). The pair vectors
    come one alpha at a time, rows (alpha, alpha+1), ..., (alpha, d-1), the order of
    :func:`companion.pairs`."""
    d = Wc.shape[0]
    for g in groups:
        if g != "G3_ab":
            block = _block(g, Wc, norms)
            yield block.shape[0], lambda dst, block=block: np.copyto(dst, block)
            continue
        scaled = Wc * (math.sqrt(d + 2.0) / norms)
        for a in range(d - 1):
            yield (
                d - 1 - a,
                lambda dst, a=a, scaled=scaled: np.multiply(Wc[a + 1 :], scaled[a], out=dst),
            )


def _panel_products(blocks, out: np.ndarray, XcT: np.ndarray, panel: np.ndarray) -> None:
    """``out += V @ XcT`` where ``V`` is the stack of ``blocks`` (see :func:`_row_blocks`):
    the blocks are gathered into ``panel`` and each full panel is one BLAS product."""
    row = fill = 0
    for k, write in blocks:
        if fill + k > panel.shape[0]:
            out[row : row + fill] += panel[:fill] @ XcT
            row, fill = row + fill, 0
        write(panel[fill : fill + k])
        fill += k
    if fill:
        out[row : row + fill] += panel[:fill] @ XcT


def group_eigenvalues(d: int, *, exact: bool = False) -> dict[str, float]:
    r"""The eigenvalue of each group: the paper's approximation or the exact
    :math:`m \to \infty` value.

    Paper (eq. (5)): :math:`\frac{2d+1}{4\pi}`, :math:`\frac14`, :math:`\frac{1}{2\pi(d+2)}`
    (:func:`companion.paper_eigenvalues`).
    Exact (the squared norms of the limits, :math:`\mathbb E[F^2]`, §3):
    :math:`\lambda_0 = d\,c_0^2 = \frac{d^2 B(d/2,1/2)^2}{4\pi^2}`, :math:`\lambda_1 = \frac14`,
    :math:`\lambda_2 = \frac{c_3^2}{d+2} = \frac{\lambda_0}{(d+1)^2}`
    (:func:`companion.closed_form_eigenvalues`, which takes :math:`c_0, c_3` from
    :func:`companion.limit_constants`); the paper's values follow
    from :math:`B(\frac d2,\frac12) \approx \sqrt{\pi(2d+1)}/d`. ``"G3_gamma"``, ``"G3_ab"`` and
    ``"G3_tilde"`` share the third value.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    exact : bool, default False
        The exact :math:`m \to \infty` values instead of the paper's.

    Returns
    -------
    dict of str to float
        ``{"G1": l0, "G2": l1, "G3_gamma": l2, "G3_ab": l2, "G3_tilde": l2}``, Python floats.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    l0, l1, l2 = (float(v) for v in (closed_form_eigenvalues(d) if exact else paper_eigenvalues(d)))
    return {"G1": l0, "G2": l1, "G3_gamma": l2, "G3_ab": l2, "G3_tilde": l2}


def _check_J_V(J: np.ndarray, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    J = check_array(J, "J", ndim=2)
    if J.shape[0] != J.shape[1]:
        raise ValueError(f"J must be square, got shape {J.shape}")
    V = check_array(V, "V", ndim=(1, 2))
    V = V.reshape(V.shape[0], -1)
    if V.shape[0] != J.shape[0]:
        raise ValueError(
            f"V must have m = {J.shape[0]} rows (one per hidden unit), got shape {V.shape}"
        )
    return J, V


def rayleigh_quotients(J: np.ndarray, V: np.ndarray) -> np.ndarray:
    r"""Rayleigh quotients :math:`v^\top J v / v^\top v` of the columns of ``V``, shape (K,).

    .. math::

       \rho(v) = \frac{v^\top J v}{v^\top v} = \frac{\langle f_v, f_v\rangle}{\|v\|^2},

    which for an approximate eigenvector :math:`v` of §2.2 is close to its eigenvalue (§2.3:
    :math:`\langle f_{v_i}, f_{v_j}\rangle = v_i^\top J v_j \approx \lambda_i\delta_{ij}`).

    Parameters
    ----------
    J : ndarray of shape (m, m)
        A symmetric matrix, normally the Fisher information (:func:`companion.fisher_exact` or
        :func:`companion.fisher_empirical`); finite.
    V : ndarray of shape (m, K) or (m,)
        The vectors, one per column (a 1-D array is one vector); finite.
        None may be zero.

    Returns
    -------
    ndarray of shape (K,)
        :math:`\rho(v_k)` for each column :math:`v_k` of ``V``, float64.

    Raises
    ------
    TypeError
        If ``J`` or ``V`` is not an array of real numbers.
    ValueError
        If ``J`` is not a square 2-D array, ``V`` is not 1-D or 2-D with ``m`` rows, or either
        is empty or not finite.
    """
    J, V = _check_J_V(J, V)
    return np.einsum("ik,ik->k", V, J @ V) / np.einsum("ik,ik->k", V, V)


def gram_matrix(J: np.ndarray, V: np.ndarray) -> np.ndarray:
    r"""Gram matrix of the basis functions,
    :math:`\langle f_{v_i}, f_{v_j}\rangle = v_i^\top J v_j` (§2.3).

    .. math::

       G_{ij} = \langle f_{v_i}, f_{v_j}\rangle
       = \mathbb E_{x \sim N(0, I_d)}\bigl[f_{v_i}(x) f_{v_j}(x)\bigr] = v_i^\top J v_j,
       \qquad G = V^\top J V.

    Approximately :math:`\lambda_i \delta_{ij}` for the approximate eigenvectors.

    Parameters
    ----------
    J : ndarray of shape (m, m)
        A symmetric matrix, normally the Fisher information (:func:`companion.fisher_exact` or
        :func:`companion.fisher_empirical`); finite.
    V : ndarray of shape (m, K) or (m,)
        The vectors, one per column (a 1-D array is one vector); finite.

    Returns
    -------
    ndarray of shape (K, K)
        The Gram matrix :math:`G = V^\top J V`, float64 (symmetric when ``J`` is).

    Raises
    ------
    TypeError
        If ``J`` or ``V`` is not an array of real numbers.
    ValueError
        If ``J`` is not a square 2-D array, ``V`` is not 1-D or 2-D with ``m`` rows, or either
        is empty or not finite.
    """
    J, V = _check_J_V(J, V)
    return V.T @ (J @ V)


@dataclass
class Decomposition:
    r"""Decomposition (5), :math:`J = \hat J + R`, and how good it is.

    .. math::

       \hat J = \lambda_0 v^{(0)}v^{(0)\top} + \lambda_1\sum_{l=1}^d v^{(l)}v^{(l)\top}
       + \lambda_2\Bigl(\sum_{\gamma=1}^{d-1} v^{(\gamma)}v^{(\gamma)\top}
       + \sum_{\alpha<\beta} v^{(\alpha,\beta)}v^{(\alpha,\beta)\top}\Bigr),
       \qquad R = J - \hat J,

    with the paper's :math:`\lambda_0 = \frac{2d+1}{4\pi}`, :math:`\lambda_1 = \frac14`,
    :math:`\lambda_2 = \frac{1}{2\pi(d+2)}` (§2.2) or the exact values. Made by
    :func:`companion.decomposition`.

    Parameters
    ----------
    J : ndarray of shape (m, m)
        The exact Fisher matrix.
    J_hat : ndarray of shape (m, m)
        The three-group part :math:`\hat J` of (5).
    R : ndarray of shape (m, m)
        The residual :math:`R = J - \hat J`.
    eigenvalues : dict of str to float
        The group eigenvalues used in :math:`\hat J`, keyed by group name.
    residual_share : float
        :math:`\operatorname{tr} R / \operatorname{tr} J`.
    min_eigenvalue : float
        Smallest eigenvalue of :math:`R`.

    Attributes
    ----------
    J : ndarray of shape (m, m)
        The exact Fisher matrix (:func:`companion.fisher_exact`).
    J_hat : ndarray of shape (m, m)
        The three-group part of (5), :math:`\hat J`, of rank :math:`d(d+3)/2` at most.
    R : ndarray of shape (m, m)
        The residual :math:`R = J - \hat J`.
    eigenvalues : dict of str to float
        The group eigenvalues used in :math:`\hat J` (:func:`companion.group_eigenvalues`).
    residual_share : float
        :math:`\operatorname{tr} R / \operatorname{tr} J` (the paper: below 0.023).
    min_eigenvalue : float
        Smallest eigenvalue of :math:`R` (the paper: :math:`R` is positive semi-definite).
    """

    J: np.ndarray
    J_hat: np.ndarray
    R: np.ndarray
    eigenvalues: dict[str, float]
    residual_share: float
    min_eigenvalue: float


def decomposition(
    W: np.ndarray, *, exact: bool = False, J: np.ndarray | None = None
) -> Decomposition:
    r"""Decomposition (5) of the exact :math:`J` for these weights.

    .. math::

       J = \sum_{k=1}^{d(d+3)/2} \lambda_{g(k)}\, V_{*k} V_{*k}^\top + R,

    :math:`V` the basis of :func:`companion.basis`, :math:`g(k)` the group of column :math:`k`
    and :math:`\lambda_g` its eigenvalue (§2.2, eq. (5); the paper states that :math:`R` is
    positive semi-definite with :math:`\operatorname{tr} R < 0.023\operatorname{tr} J` with
    high probability).

    Parameters
    ----------
    W : ndarray of shape (d, m), d > 2
        Hidden weights (e.g. :func:`companion.sample_weights`); finite, no zero column.
        ``m <= 7327`` (five dense ``m x m`` matrices must fit in 2 GiB).
    exact : bool, default False
        Use the exact group eigenvalues (:func:`companion.group_eigenvalues` with
        ``exact=True``) instead of the paper's.
    J : ndarray of shape (m, m), optional
        The exact Fisher matrix if already computed (:func:`companion.fisher_exact`); by
        default it is computed from ``W``.

    Returns
    -------
    companion.eigengroups.Decomposition
        :math:`J`, :math:`\hat J`, :math:`R`, the eigenvalues used, the residual share
        :math:`\operatorname{tr} R / \operatorname{tr} J` and the smallest eigenvalue of
        :math:`R`.

    Raises
    ------
    TypeError
        If ``W`` or ``J`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite, has fewer than 3 rows or a zero column,
        ``m > 7327``, or ``J`` is not finite or not of shape ``(m, m)``.
    """
    import scipy.linalg

    from .fisher import fisher_exact

    W = check_W(W, min_d=3)
    d, m = W.shape
    check_dense(m, copies=5)  # J, J_hat, R, and the eigensolver's copy of R and workspace
    J = fisher_exact(W) if J is None else _check_J_V(J, W.T)[0]
    lam = group_eigenvalues(d, exact=exact)
    V, labels = basis(W)
    U = V * np.sqrt([lam[g] for g in labels])
    J_hat = U @ U.T
    R = J - J_hat
    return Decomposition(
        J=J,
        J_hat=J_hat,
        R=R,
        eigenvalues=lam,
        residual_share=float(np.trace(R) / np.trace(J)),
        min_eigenvalue=float(scipy.linalg.eigvalsh(R, subset_by_index=[0, 0])[0]),
    )


def cluster_means(eigenvalues: np.ndarray, d: int) -> dict[str, float]:
    r"""Means of the three clusters of a descending spectrum, and the share of the rest.

    The clusters are the top eigenvalue (G1), the next :math:`d` (G2) and the next
    :math:`N(d,2) = d(d+1)/2 - 1` (G3); ``"tail_share"`` is the share of the trace carried
    by all the other eigenvalues. With :math:`\lambda_1 \ge \lambda_2 \ge \dots` and
    :math:`n_3 = N(d, 2)`:

    .. math::

       \bar\lambda_{G1} = \lambda_1, \quad
       \bar\lambda_{G2} = \frac1d\sum_{k=2}^{d+1}\lambda_k, \quad
       \bar\lambda_{G3} = \frac{1}{n_3}\sum_{k=d+2}^{d+1+n_3}\lambda_k, \quad
       \text{tail share} = \frac{\sum_{k > d+1+n_3}\lambda_k}{\sum_k \lambda_k},

    to compare with the paper's :math:`\frac{2d+1}{4\pi}`, :math:`\frac14`,
    :math:`\frac{1}{2\pi(d+2)}` and with the 2.3 % of the trace left out (§1, §2.2).

    Parameters
    ----------
    eigenvalues : ndarray of shape (n,)
        A spectrum, e.g. :func:`companion.fisher_spectrum`; finite, with
        ``n >= 1 + d + d(d+1)/2 - 1``; sorted here, so any order will do.
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    dict of str to float
        ``"G1"``, ``"G2"``, ``"G3"``: the cluster means; ``"tail_share"``: the share of the
        trace (the sum of all ``eigenvalues``) outside the three clusters.

    Raises
    ------
    TypeError
        If ``eigenvalues`` is not an array of real numbers or ``d`` is not an integer.
    ValueError
        If ``eigenvalues`` is not 1-D, is not finite or has fewer than
        ``1 + d + d(d+1)/2 - 1`` entries, or ``d < 3``.
    """
    eig = check_array(eigenvalues, "eigenvalues", ndim=1)
    d = check_d(d)
    n3 = multiplicity(d, 2)  # = len(cluster_labels(d)) - 1 - d
    if eig.size < 1 + d + n3:
        raise ValueError(
            f"eigenvalues must have at least 1 + d + d(d+1)/2 - 1 = {1 + d + n3} entries, "
            f"got {eig.size}"
        )
    eig = np.sort(eig)[::-1]
    return {
        "G1": float(eig[0]),
        "G2": float(eig[1 : 1 + d].mean()),
        "G3": float(eig[1 + d : 1 + d + n3].mean()),
        "tail_share": float(eig[1 + d + n3 :].sum() / eig.sum()),
    }


def cluster_labels(d: int) -> np.ndarray:
    r"""The cluster of each of the top :math:`1 + d + N(d, 2)` eigenvalues of
    :math:`J` (descending).

    ``"G1"`` once, ``"G2"`` :math:`d` times, ``"G3"`` :math:`N(d,2) = d(d+1)/2 - 1` times: the
    split used by :func:`companion.cluster_means`. Its length is the number of eigenvalues the
    three groups account for, the multiplicities :math:`1, d, d(d+1)/2 - 1` of §1 (the
    dimensions :math:`N(d, k)` of the spherical harmonics of degree :math:`k \le 2`,
    :func:`companion.multiplicity`).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    ndarray of str, shape (d(d+3)/2,)
        Entry :math:`k` is the cluster (``"G1"``, ``"G2"`` or ``"G3"``) of the
        :math:`(k+1)`-th largest eigenvalue.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    return np.array(["G1"] + ["G2"] * d + ["G3"] * multiplicity(d, 2))
