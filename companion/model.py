r"""The network as a small linear model: the paper's eq. (2), done for a given network.

For weights :math:`W` and output weights :math:`v`, the paper (§1, eq. (2)) writes the
network :math:`f_v(x) = X(x)^\top v` as a linear model in :math:`K = d(d+3)/2` fixed functions
plus a small residual,

.. math::

   f_v(x) \approx u_1 F_0(x) + \sum_{l=1}^d u_{l+1} F_l(x)
   + \sum_{\gamma=1}^{d-1} u_{d+1+\gamma} F_\gamma(x)
   + \sum_{\alpha<\beta} u_{k(\alpha,\beta)} F_{\alpha\beta}(x) + r_v(x),

"ignoring 2.3% portion" of the network. This module makes that statement a computation:

* :func:`companion.project`: the part of :math:`f_v` in the span of the :math:`K` approximate
  eigenvectors :math:`V` (:func:`companion.basis`), orthogonal in the Fisher metric
  :math:`\langle u, v\rangle = u^\top J v` (the :math:`L^2(N(0, I_d))` product of
  :math:`f_u` and :math:`f_v`): coefficients, residual and the share of
  :math:`\|f_v\|^2` kept, per group and in total, exactly through :math:`J`;
* :func:`companion.expected_share`: the share kept from a random network :math:`v \sim N(0, I_m)`,
  against its :math:`m \to \infty` limit (the share of the degrees :math:`\le 2` in the
  Mercer expansion, :func:`companion.trace_share`);
* :func:`companion.fit_targets`: networks trained by ridge least squares on targets
  (:data:`companion.model.TARGETS`), their shares, and the width-independent model fitted
  directly on the :func:`companion.limit_features`, with the held-out errors of both.

Example
-------
>>> import companion as cp
>>> W = cp.sample_weights(d=5, m=300, rng=0)
>>> p = cp.project(W, W[0])  # v = v^(1), the first row of W: in the span
>>> round(p.share, 10)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from . import _compute
from ._validate import (
    check_array,
    check_choices,
    check_dense,
    check_int,
    check_real,
    check_rng,
    check_W,
)
from .eigengroups import GROUPS, basis
from .fisher import features, fisher_exact, sample_inputs
from .harmonics import trace_share
from .limits import limit

__all__ = ["TARGETS", "project", "expected_share", "limit_features", "fit_targets"]

#: The groups of the basis, in the order of eq. (2) (``companion.GROUPS`` without G3_tilde).
_BASIS_GROUPS = GROUPS[:4]
#: The share of the trace kept as d -> oo (the paper's "97.7%"): 1/2 + 3/(2 pi).
_LARGE_D = 0.5 + 1.5 / math.pi
#: Dense m x m matrices held at once: J and the Gram matrix of a fit (or the eigensolver's
#: workspace), and with ``top`` the eigensolver's copy of J.
_COPIES = 2

#: The targets of :func:`companion.fit_targets`, by name.
TARGETS = ("span", "abs", "harmonic4", "teacher", "sin")


def _n_basis(d: int) -> int:
    return d * (d + 3) // 2


# --------------------------------------------------------------------------------------- #
# the frame: J, the basis and the Cholesky factor of its Gram matrix, shared by the functions
# --------------------------------------------------------------------------------------- #
@dataclass
class _Frame:
    W: np.ndarray
    J: np.ndarray
    V: np.ndarray  # (m, K) basis of eq. (2)
    labels: list[str]
    A: np.ndarray  # J V, (m, K)
    L: np.ndarray  # lower Cholesky factor of G = V^T J V, (K, K)
    slices: dict[str, slice]  # the columns of each group
    trace: float
    top_vectors: np.ndarray | None = None  # (m, K), the top K eigenvectors of J
    top_values: np.ndarray | None = None  # (K,), descending

    @property
    def d(self) -> int:
        return self.W.shape[0]

    @property
    def m(self) -> int:
        return self.W.shape[1]


def _check_inputs(W, J, top) -> tuple[np.ndarray, np.ndarray | None]:
    """Checked ``W`` (d >= 3, m >= d(d+3)/2, the dense matrices possible) and ``J`` (shape
    only)."""
    W = check_W(W, min_d=3)
    d, m = W.shape
    K = _n_basis(d)
    if m < K:
        raise ValueError(
            f"W must have m >= d(d+3)/2 = {K} columns for d = {d} (the basis of eq. (2) has "
            f"{K} vectors), got shape {W.shape}"
        )
    check_dense(m, "m", copies=_COPIES + bool(top))
    if J is not None:
        J = check_array(J, "J", ndim=2)
        if J.shape != (m, m):
            raise ValueError(f"J must have shape (m, m) = ({m}, {m}), got {J.shape}")
    return W, J


def _frame(W: np.ndarray, J: np.ndarray | None, *, top: bool | str) -> _Frame:
    """Build the frame from checked ``W`` and ``J``; ``top`` is False, ``"values"`` or True."""
    J = fisher_exact(W) if J is None else J
    V, labels = basis(W)
    A = J @ V
    G = V.T @ A
    G = (G + G.T) / 2.0
    try:
        L = scipy.linalg.cholesky(G, lower=True)
    except np.linalg.LinAlgError:
        raise ValueError(
            "W: the d(d+3)/2 basis vectors are linearly dependent in the Fisher metric "
            "(V^T J V is singular); take a larger m"
        ) from None
    slices, start = {}, 0
    for g in _BASIS_GROUPS:
        k = labels.count(g)
        slices[g] = slice(start, start + k)
        start += k
    frame = _Frame(W, J, V, labels, A, L, slices, float(np.trace(J)))
    if top:
        m, K = W.shape[1], V.shape[1]
        if top == "values":
            lam = scipy.linalg.eigvalsh(J, subset_by_index=[m - K, m - 1])
        else:
            lam, E = scipy.linalg.eigh(J, subset_by_index=[m - K, m - 1])
            frame.top_vectors = np.ascontiguousarray(E[:, ::-1])
        frame.top_values = lam[::-1].copy()
    return frame


def _shares(frame: _Frame, v: np.ndarray) -> dict:
    """The projection of the columns of ``v`` (m, n): every field of a ``Projection``."""
    n = v.shape[1]
    K = frame.V.shape[1]
    norm2 = np.empty(n)
    B = np.empty((K, n))
    top = None if frame.top_vectors is None else np.empty(n)
    for a, b in _compute.chunk_bounds(n, frame.m):
        vc = v[:, a:b]
        Jv = frame.J @ vc  # the one m^2 n product: the exact norms ||f_v||^2 = v^T J v
        norm2[a:b] = np.einsum("ij,ij->j", vc, Jv)
        B[:, a:b] = frame.A.T @ vc  # V^T J v
        if top is not None:
            c = frame.top_vectors.T @ vc
            top[a:b] = np.einsum("k,kj->j", frame.top_values, c * c)
    C = scipy.linalg.solve_triangular(frame.L, B, lower=True)  # J-orthonormalised, in order
    u = scipy.linalg.solve_triangular(frame.L, C, lower=True, trans="T")
    C2 = C * C
    seq = {g: C2[s].sum(axis=0) / norm2 for g, s in frame.slices.items()}
    own = {}
    for g, s in frame.slices.items():
        Lg = scipy.linalg.cholesky(frame.V[:, s].T @ frame.A[:, s], lower=True)
        Cg = scipy.linalg.solve_triangular(Lg, B[s], lower=True)
        own[g] = np.minimum((Cg * Cg).sum(axis=0) / norm2, 1.0)
    share = np.minimum(C2.sum(axis=0) / norm2, 1.0)
    residual = v - frame.V @ u
    return {
        "coefficients": u,
        "residual": residual,
        "norm2": norm2,
        "share": share,
        "group_shares": seq,
        "own_shares": own,
        "top_share": None if top is None else np.minimum(top / norm2, 1.0),
    }


def _check_v(v, m: int) -> tuple[np.ndarray, bool]:
    v = check_array(v, "v", ndim=(1, 2))
    single = v.ndim == 1
    v = v.reshape(v.shape[0], -1)
    if v.shape[0] != m:
        raise ValueError(
            f"v must have m = {m} rows (one output weight per hidden unit), got shape {v.shape}"
        )
    if np.any(np.einsum("ij,ij->j", v, v) == 0.0):
        raise ValueError("v must have no zero column (f_0 = 0 has no share to divide)")
    return v, single


# --------------------------------------------------------------------------------------- #
# project
# --------------------------------------------------------------------------------------- #
@dataclass
class Projection:
    r"""The part of :math:`f_v` in the :math:`d(d+3)/2`-dimensional model of eq. (2).

    .. math::

       u = (V^\top J V)^{-1} V^\top J v, \qquad r_v = v - Vu, \qquad
       \text{share} = \frac{\|f_{Vu}\|^2}{\|f_v\|^2}
       = \frac{(V^\top J v)^\top (V^\top J V)^{-1} V^\top J v}{v^\top J v},

    norms in :math:`L^2(N(0, I_d))`, :math:`\|f_v\|^2 = v^\top J v`. Made by
    :func:`companion.project`; for one ``v`` the per-network entries are floats, for the
    ``n`` columns of an ``(m, n)`` array they are arrays of shape ``(n,)``.

    Parameters
    ----------
    coefficients : ndarray of shape (K,) or (K, n)
        The coefficients :math:`u` of eq. (2).
    residual : ndarray of shape (m,) or (m, n)
        :math:`r_v = v - Vu`.
    norm2 : float or ndarray of shape (n,)
        :math:`\|f_v\|^2 = v^\top J v`.
    share : float or ndarray of shape (n,)
        The share of :math:`\|f_v\|^2` in the span.
    group_shares : dict of str to float or ndarray
        Share of each group after the groups before it (orthogonalised in the order of eq. (2)).
    own_shares : dict of str to float or ndarray
        Share of each group's own projection.
    top_share : float or ndarray or None
        The share in the span of :math:`J`'s top :math:`K` eigenvectors (``top=True``).
    labels : list of str
        The group of each coefficient.

    Attributes
    ----------
    coefficients : ndarray of shape (K,) or (K, n)
        :math:`u`, :math:`K = d(d+3)/2`, in the order of :func:`companion.basis` (that of
        eq. (2)'s :math:`u_1, u_{l+1}, u_{d+1+\gamma}, u_{k(\alpha,\beta)}`): the best
        :math:`L^2` approximation of :math:`f_v` by :math:`f_{Vu}`.
    residual : ndarray of shape (m,) or (m, n)
        :math:`r_v = v - Vu`; :math:`f_{r_v}` is :math:`L^2`-orthogonal to every
        :math:`f_{V_{*k}}`, and :math:`\|f_{r_v}\|^2 = (1 - \text{share})\|f_v\|^2`.
    norm2 : float or ndarray of shape (n,)
        :math:`\|f_v\|^2 = v^\top J v`, exact.
    share : float or ndarray of shape (n,)
        :math:`\|f_{Vu}\|^2 / \|f_v\|^2` in :math:`[0, 1]` (rounded into it).
    group_shares : dict of str to float or ndarray
        Keyed ``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``: the share of each group once the
        groups before it in eq. (2)'s order are projected out (Gram–Schmidt in the Fisher
        metric, in the order of :func:`companion.basis`). They add up to ``share``.
    own_shares : dict of str to float or ndarray
        The share :math:`\|P_g f_v\|^2/\|f_v\|^2` of each group's own projection, ignoring
        the others. The groups are not exactly :math:`J`-orthogonal at finite :math:`m`
        (they are as :math:`m \to \infty`), so these need not add up to ``share``; they
        differ from ``group_shares`` by the overlaps.
    top_share : float or ndarray of shape (n,) or None
        :math:`\sum_{k \le K} \lambda_k (e_k^\top v)^2 / v^\top J v`: the share in the span of
        the top :math:`K` eigenvectors :math:`e_k` of :math:`J` (eigenvalues
        :math:`\lambda_k`); None unless ``top=True``.
    labels : list of str
        The group of each coefficient (the labels of :func:`companion.basis`).
    """

    coefficients: np.ndarray
    residual: np.ndarray
    norm2: float | np.ndarray
    share: float | np.ndarray
    group_shares: dict[str, float | np.ndarray]
    own_shares: dict[str, float | np.ndarray]
    top_share: float | np.ndarray | None
    labels: list[str]


def project(
    W: np.ndarray, v: np.ndarray, *, J: np.ndarray | None = None, top: bool = False
) -> Projection:
    r"""Project :math:`f_v` on the :math:`d(d+3)/2` functions of eq. (2), in the Fisher metric.

    .. math::

       u = G^{-1} V^\top J v, \quad G = V^\top J V, \qquad r_v = v - Vu, \qquad
       \text{share} = \frac{\|f_{Vu}\|^2}{\|f_v\|^2} = \frac{\|L^{-1}V^\top J v\|^2}{v^\top J v},

    :math:`V` the approximate eigenvectors of decomposition (5) (:func:`companion.basis`),
    :math:`G = LL^\top`, and :math:`\langle f_a, f_b\rangle = a^\top J b` the
    :math:`L^2(N(0, I_d))` product (§2.3): :math:`f_{Vu}` is the best approximation of
    :math:`f_v` by the functions :math:`f_{V_{*k}} \to F_k` (eq. (2), §1); every norm is
    exact, through :math:`J`, with no Monte Carlo. The per-group shares are defined in
    :class:`companion.model.Projection` (``group_shares``: the groups orthogonalised in the
    order of eq. (2), adding up to ``share``; ``own_shares``: each group alone). Many networks
    at once: the columns of ``v``; the work is one product :math:`Jv` (:math:`m^2 n` flops,
    in chunks of columns) besides :math:`JV` (:math:`m^2 K`).

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights, ``d >= 3``, ``m >= d(d+3)/2``; finite, no zero column.
    v : ndarray of shape (m,) or (m, n)
        Output weights of one network, or of ``n`` networks as columns; finite, no zero column.
    J : ndarray of shape (m, m), optional
        The exact Fisher matrix if already computed (:func:`companion.fisher_exact`); by
        default computed from ``W``.
    top : bool, default False
        Also the share in the span of the top :math:`d(d+3)/2` eigenvectors of :math:`J`
        (a partial eigendecomposition, :math:`O(m^3)`: seconds at :math:`m = 4000`).

    Returns
    -------
    companion.model.Projection
        Coefficients :math:`u`, residual :math:`r_v`, :math:`\|f_v\|^2` and the shares (floats
        for a 1-D ``v``, arrays of shape ``(n,)`` for an ``(m, n)`` one).

    Raises
    ------
    TypeError
        If ``W``, ``v`` or ``J`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is not finite, has fewer than 3 rows, a zero column or fewer
        than :math:`d(d+3)/2` columns (or too many for a dense :math:`J`); if ``v`` does not
        have ``m`` rows, is not finite or has a zero column; if ``J`` is not ``(m, m)`` or not
        finite.
    """
    W, J = _check_inputs(W, J, top)
    v, single = _check_v(v, W.shape[1])
    frame = _frame(W, J, top=bool(top))
    out = _shares(frame, v)
    if single:
        out = {
            k: (
                {g: float(x[0]) for g, x in val.items()}
                if isinstance(val, dict)
                else (None if val is None else (val[:, 0] if val.ndim == 2 else float(val[0])))
            )
            for k, val in out.items()
        }
    return Projection(**out, labels=list(frame.labels))


# --------------------------------------------------------------------------------------- #
# expected_share
# --------------------------------------------------------------------------------------- #
@dataclass
class ExpectedShare:
    r"""The share of a random network :math:`v \sim N(0, I_m)` kept by the model of eq. (2).

    .. math::

       \frac{\mathbb E_v\|f_{Vu}\|^2}{\mathbb E_v\|f_v\|^2}
       = \frac{\operatorname{tr}\bigl(JV(V^\top JV)^{-1}V^\top J\bigr)}{\operatorname{tr} J},

    a ratio of expectations (not the expectation of the ratio, whose spread is in
    ``samples``). Made by :func:`companion.expected_share`.

    Parameters
    ----------
    d, m : int
        Input dimension and width.
    n_basis : int
        :math:`K = d(d+3)/2`.
    share : float
        The ratio above.
    group_shares : dict of str to float
        Its split by group, orthogonalised in the order of eq. (2).
    own_shares : dict of str to float
        Each group's own projection.
    top : float or None
        The same ratio for the top :math:`K` eigenvectors of :math:`J`.
    limit : float
        The :math:`m \to \infty` value at this :math:`d`.
    limit_large_d : float
        Its :math:`d \to \infty` limit, :math:`1/2 + 3/(2\pi)`.
    trace : float
        :math:`\operatorname{tr} J`.
    samples : ndarray or None
        Per-network shares of ``n_networks`` draws.
    samples_top : ndarray or None
        The same for the top eigenvectors.

    Attributes
    ----------
    d : int
        Input dimension.
    m : int
        Number of hidden units.
    n_basis : int
        :math:`K = d(d+3)/2`, the number of functions of eq. (2).
    share : float
        :math:`\operatorname{tr}(JVG^{-1}V^\top J)/\operatorname{tr}J`, :math:`G = V^\top JV`.
    group_shares : dict of str to float
        The same with the groups orthogonalised in the order of eq. (2) (they add up to
        ``share``): :math:`\sum_{k \in g} (L^{-1}V^\top J^2 V L^{-\top})_{kk}/\operatorname{tr}J`.
    own_shares : dict of str to float
        Each group's own projection,
        :math:`\operatorname{tr}(JV_g G_{gg}^{-1} V_g^\top J)/\operatorname{tr}J`.
    top : float or None
        :math:`\sum_{k \le K}\lambda_k / \operatorname{tr}J`, the largest value any
        :math:`K`-dimensional span can have (Ky Fan); None unless ``top=True``.
    limit : float
        :math:`\lim_{m\to\infty}` of ``share`` and ``top`` at this :math:`d`:
        :func:`companion.trace_share` (the degrees :math:`\le 2` of the Mercer expansion).
    limit_large_d : float
        :math:`1/2 + 3/(2\pi) = 0.97746\ldots`, the paper's "97.7%", the limit of ``limit`` as
        :math:`d \to \infty`.
    trace : float
        :math:`\operatorname{tr} J = \|W\|_F^2/2`.
    samples : ndarray of shape (n_networks,) or None
        ``share`` of :func:`companion.project` for ``n_networks`` draws
        :math:`v \sim N(0, I_m)` (None when ``n_networks = 0``).
    samples_top : ndarray of shape (n_networks,) or None
        ``top_share`` for the same draws (None unless ``top=True`` and ``n_networks > 0``).
    """

    d: int
    m: int
    n_basis: int
    share: float
    group_shares: dict[str, float]
    own_shares: dict[str, float]
    top: float | None
    limit: float
    limit_large_d: float
    trace: float
    samples: np.ndarray | None = None
    samples_top: np.ndarray | None = None


def expected_share(
    W: np.ndarray,
    *,
    J: np.ndarray | None = None,
    top: bool = True,
    n_networks: int = 0,
    rng: np.random.Generator | int = 0,
) -> ExpectedShare:
    r"""The share of a random network that the :math:`d(d+3)/2` functions of eq. (2) keep.

    .. math::

       \frac{\mathbb E_{v \sim N(0, I_m)}\|f_{Vu}\|^2}{\mathbb E_{v}\|f_v\|^2}
       = \frac{\operatorname{tr}\bigl(JV(V^\top JV)^{-1}V^\top J\bigr)}{\operatorname{tr} J},

    since :math:`\mathbb E[vv^\top] = I`. This is the sense in which the paper's model
    "ignores 2.3%" (§1): a ratio of expectations over the output weights. As
    :math:`m \to \infty` it tends to :func:`companion.trace_share` at this :math:`d` (the
    span tends to the degree :math:`\le 2` harmonics times :math:`\|x\|`), which decreases to
    :math:`1/2 + 3/(2\pi)` as :math:`d \to \infty`. With ``n_networks`` it also draws that
    many :math:`v` and returns each one's share (:func:`companion.project`), whose spread the
    ratio hides.

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights, ``d >= 3``, ``m >= d(d+3)/2``; finite, no zero column.
    J : ndarray of shape (m, m), optional
        The exact Fisher matrix if already computed (:func:`companion.fisher_exact`).
    top : bool, default True
        Also the share of the top :math:`d(d+3)/2` eigenvalues of :math:`J` (a partial
        eigendecomposition, :math:`O(m^3)`: about 0.3 s at :math:`m = 2000`, 4 s at 4000; the
        eigenvectors too when ``n_networks > 0``).
    n_networks : int, default 0
        Random networks :math:`v \sim N(0, I_m)` to draw, ``>= 0``; drawn as
        ``rng.standard_normal((m, k))`` for consecutive chunks of ``k`` networks (a single
        chunk while ``m * n_networks`` numbers fit in 32 MiB).
    rng : numpy.random.Generator or int, default 0
        Source of the draws of :math:`v`, or a seed ``>= 0``.

    Returns
    -------
    companion.model.ExpectedShare
        The ratio, its split by group, the top-eigenvector ratio, the :math:`m\to\infty`
        limits and the per-network samples.

    Raises
    ------
    TypeError
        If ``W`` or ``J`` is not an array of real numbers, ``n_networks`` is not an integer
        or ``rng`` is neither a generator nor an integer seed.
    ValueError
        If ``W`` is not 2-D, not finite, has fewer than 3 rows, a zero column, fewer than
        :math:`d(d+3)/2` columns or too many for the dense ``m x m`` matrices (``m <= 11585``,
        ``9459`` with ``top``), ``J`` is not ``(m, m)`` or not finite, ``n_networks < 0`` or the
        seed is negative.
    """
    W, J = _check_inputs(W, J, top)
    n_networks = check_int(n_networks, "n_networks", minimum=0)
    rng = check_rng(rng)
    d, m = W.shape
    frame = _frame(W, J, top=(True if n_networks else "values") if top else False)
    M = scipy.linalg.solve_triangular(frame.L, frame.A.T, lower=True)  # L^{-1} V^T J
    rows = np.einsum("ij,ij->i", M, M)
    group = {g: float(rows[s].sum() / frame.trace) for g, s in frame.slices.items()}
    own = {}
    for g, s in frame.slices.items():
        Lg = scipy.linalg.cholesky(frame.V[:, s].T @ frame.A[:, s], lower=True)
        Mg = scipy.linalg.solve_triangular(Lg, frame.A[:, s].T, lower=True)
        own[g] = float(np.einsum("ij,ij->", Mg, Mg) / frame.trace)
    samples = samples_top = None
    if n_networks:
        samples, samples_top = np.empty(n_networks), np.empty(n_networks) if top else None
        for a, b in _compute.chunk_bounds(n_networks, m):
            out = _shares(frame, rng.standard_normal((m, b - a)))
            samples[a:b] = out["share"]
            if top:
                samples_top[a:b] = out["top_share"]
    return ExpectedShare(
        d=d,
        m=m,
        n_basis=_n_basis(d),
        share=min(float(rows.sum() / frame.trace), 1.0),
        group_shares=group,
        own_shares=own,
        top=None if not top else float(frame.top_values.sum() / frame.trace),
        limit=trace_share(d),
        limit_large_d=_LARGE_D,
        trace=frame.trace,
        samples=samples,
        samples_top=samples_top,
    )


# --------------------------------------------------------------------------------------- #
# the width-independent model and the trained networks
# --------------------------------------------------------------------------------------- #
def limit_features(x: np.ndarray) -> np.ndarray:
    r"""The :math:`d(d+3)/2` functions of eq. (2) at the inputs: the small model's features.

    .. math::

       \Phi(x) = \bigl(F_0(x),\ F_1(x), \dots, F_d(x),\ F_1(x), \dots, F_{d-1}(x),\
       F_{12}(x), \dots, F_{d-1,d}(x)\bigr),

    the :math:`m \to \infty` limits of the basis functions :math:`f_{V_{*k}}` (Theorems 3.1,
    3.2, 3.4, 3.5; :func:`companion.limit`), in the order of :func:`companion.basis` and of
    eq. (2)'s coefficients: :math:`c_0\|x\|`, :math:`x_l/2`, the :math:`F_\gamma` and
    :math:`c_3 x_\alpha x_\beta/\|x\|`. The model :math:`\Phi(x)^\top u` does not depend on
    :math:`W` or :math:`m`.

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers.

    Returns
    -------
    ndarray of shape (N, d(d+3)/2) (or (d(d+3)/2,) for one input)
        Column :math:`k` holds the :math:`k`-th function of eq. (2) at each input, float64.

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    columns = [limit(x, g) for g in _BASIS_GROUPS]  # limit checks x
    return np.concatenate(columns, axis=-1)


def _builtin_targets(names: Sequence[str], d: int, rng: np.random.Generator) -> dict:
    """The named targets as functions of x (N, d); the teacher's directions from ``rng``."""

    def radius(x):  # ||x||, 1 at x = 0 (where every target below is 0)
        r = np.linalg.norm(x, axis=1)
        return np.where(r > 0, r, 1.0)

    def span(x):
        return np.linalg.norm(x, axis=1) + x[:, 0] + x[:, 0] * x[:, 1] / radius(x)

    def harmonic4(x):
        x1, x2 = x[:, 0], x[:, 1]
        return (x1**4 - 6 * x1**2 * x2**2 + x2**4) / radius(x) ** 3

    builtin = {
        "span": span,
        "abs": lambda x: np.abs(x[:, 0]),
        "harmonic4": harmonic4,
        "sin": lambda x: np.sin(3.0 * x[:, 0]),
    }
    out: dict[str, Callable] = {}
    for name in names:
        if name == "teacher":
            a = rng.standard_normal((3, d))
            a /= np.linalg.norm(a, axis=1, keepdims=True)
            out[name] = lambda x, a=a: np.maximum(x @ a.T, 0.0) @ np.array([1.0, -1.0, 1.0])
        else:
            out[name] = builtin[name]
    return out


def _target_values(funcs: Mapping[str, Callable], x: np.ndarray) -> np.ndarray:
    cols = []
    for name, f in funcs.items():
        y = np.asarray(f(x), dtype=float)
        if y.shape != (x.shape[0],) or not np.all(np.isfinite(y)):
            raise ValueError(
                f"targets: {name!r} must return {x.shape[0]} finite values for x of shape "
                f"{x.shape}, got shape {y.shape}"
            )
        cols.append(y)
    return np.stack(cols, axis=1)


def _ridge_network(W: np.ndarray, x: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    r"""The ridge solution :math:`v = (\frac1N X^\top X + \lambda I)^{-1}\frac1N X^\top y`
    for every column of ``y``, in the cheaper of its two forms: the primal one (``N >= m``:
    :math:`X^\top X` over chunks of inputs, :math:`N m^2 + m^3/3` flops) or the dual one
    (``N < m``: :math:`v = X^\top(XX^\top + N\lambda I)^{-1} y` over chunks of hidden units,
    :math:`N^2 m + N^3/3`); the same solution (with ``ridge = 0`` the dual gives the
    minimum-norm interpolant)."""
    n, m = x.shape[0], W.shape[1]
    if n >= m:
        G = np.zeros((m, m))
        B = np.zeros((m, y.shape[1]))
        for a, b in _compute.chunk_bounds(n, m):
            X = features(x[a:b], W)
            G += X.T @ X
            B += X.T @ y[a:b]
            del X
        G /= n
        G[np.diag_indices(m)] += ridge
        rhs, size = B / n, m
    else:
        G = np.zeros((n, n))
        for a, b in _compute.chunk_bounds(m, n):  # chunks of hidden units, n x (b - a)
            X = features(x, W[:, a:b])
            G += X @ X.T
            del X
        G[np.diag_indices(n)] += n * ridge
        rhs, size = y, n
    try:
        sol = scipy.linalg.cho_solve(scipy.linalg.cho_factor(G, lower=True, overwrite_a=True), rhs)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"ridge = {ridge} leaves the normal equations of the network singular "
            f"(n_train = {n}, m = {m}, a {size} x {size} system); take ridge > 0"
        ) from None
    del G
    if n >= m:
        return sol
    v = np.empty((m, y.shape[1]))
    for a, b in _compute.chunk_bounds(m, n):
        v[a:b] = features(x, W[:, a:b]).T @ sol
    return v


@dataclass
class TargetFit:
    r"""A network fitted to one target, and the small model fitted to the same data.

    Made by :func:`companion.fit_targets`. Errors are relative squared errors on held-out
    inputs, :math:`\sum_n (f(x_n) - y_n)^2 / \sum_n y_n^2` (an estimate of
    :math:`\|f - y\|^2/\|y\|^2` in :math:`L^2(N(0, I_d))`).

    Parameters
    ----------
    name : str
        The target.
    v : ndarray of shape (m,)
        The fitted output weights.
    error, train_error : float
        Held-out and training errors of :math:`f_v`.
    coefficients : ndarray of shape (K,)
        The small model's coefficients.
    limit_error, limit_train_error : float
        Its held-out and training errors.
    projection : companion.model.Projection
        :func:`companion.project` of ``v``.
    norm_ratio : float
        :math:`\|f_v\|^2` over the held-out mean of :math:`y^2`.

    Attributes
    ----------
    name : str
        The target's name (a key of the ``targets`` argument).
    v : ndarray of shape (m,)
        The ridge solution :math:`v = (\hat J + \lambda I)^{-1}\frac1N X^\top y`,
        :math:`\hat J = \frac1N X^\top X` on the training inputs (the empirical Fisher
        matrix).
    error : float
        Held-out relative squared error of the width-:math:`m` network :math:`f_v`.
    train_error : float
        Its relative squared error on the training inputs.
    coefficients : ndarray of shape (K,)
        :math:`u = (\frac1N\Phi^\top\Phi + \lambda I)^{-1}\frac1N\Phi^\top y` for the
        :math:`K = d(d+3)/2` functions :math:`\Phi` of :func:`companion.limit_features`: the
        width-independent model of eq. (2) fitted to the same data.
    limit_error : float
        Held-out relative squared error of the small model :math:`\Phi^\top u`.
    limit_train_error : float
        Its relative squared error on the training inputs.
    projection : companion.model.Projection
        The fitted network projected on the span of eq. (2) (``share``, ``group_shares``,
        ...; ``top_share`` when ``fit_targets`` was called with ``top=True``).
    norm_ratio : float
        :math:`\|f_v\|^2 / \overline{y^2}`, the exact squared norm of the network over the
        held-out mean square of the target.
    """

    name: str
    v: np.ndarray
    error: float
    train_error: float
    coefficients: np.ndarray
    limit_error: float
    limit_train_error: float
    projection: Projection
    norm_ratio: float

    @property
    def share(self) -> float:
        """The share of :math:`\\|f_v\\|^2` in the span of eq. (2) (``projection.share``)."""
        return self.projection.share

    @property
    def predicted_limit_error(self) -> float:
        r"""The heuristic :math:`\text{error} + (1 - \text{share})\,\|f_v\|^2/\overline{y^2}`.

        If :math:`f_v` were the best approximation of :math:`y` by the network and the span
        of eq. (2) were that of the limit functions, Pythagoras would make this the small
        model's error exactly; it neglects the finite-:math:`m` gap between the two spans,
        the sampling of the fits and the network's overfitting.
        """
        return self.error + (1.0 - self.projection.share) * self.norm_ratio


def fit_targets(
    W: np.ndarray,
    targets: Sequence[str] | Mapping[str, Callable] = TARGETS,
    *,
    n_train: int = 20_000,
    n_test: int = 20_000,
    ridge: float = 1e-6,
    J: np.ndarray | None = None,
    top: bool = False,
    rng: np.random.Generator | int = 0,
) -> dict[str, TargetFit]:
    r"""Train the network on targets, and the small model of eq. (2) on the same data.

    For each target :math:`y(x)`, on :math:`N` training inputs :math:`x_n \sim N(0, I_d)`,
    the ridge least-squares fits of the width-:math:`m` network and of the
    :math:`K = d(d+3)/2` limit functions :math:`\Phi` (:func:`companion.limit_features`):

    .. math::

       v = \arg\min_v \frac1N\sum_n (X(x_n)^\top v - y_n)^2 + \lambda\|v\|^2, \qquad
       u = \arg\min_u \frac1N\sum_n (\Phi(x_n)^\top u - y_n)^2 + \lambda\|u\|^2,

    then each fitted network's share in the span of eq. (2) (:func:`companion.project`) and the
    held-out relative errors of both. The built-in targets (:data:`companion.model.TARGETS`):

    * ``"span"``: :math:`\|x\| + x_1 + x_1x_2/\|x\|`, in the span of the limit functions;
    * ``"abs"``: :math:`|x_1| = \|x\|\,|\hat x_1|`, all even degrees;
    * ``"harmonic4"``: :math:`(x_1^4 - 6x_1^2x_2^2 + x_2^4)/\|x\|^3
      = \|x\|\operatorname{Re}(\hat x_1 + i\hat x_2)^4`, a degree-4 harmonic times
      :math:`\|x\|`, orthogonal to the small model;
    * ``"teacher"``: :math:`\sigma(a_1^\top x) - \sigma(a_2^\top x) + \sigma(a_3^\top x)`,
      :math:`a_j` uniform unit vectors drawn from ``rng``;
    * ``"sin"``: :math:`\sin(3x_1)`, not positively homogeneous (no bias-free ReLU network
      is).

    The network's fit takes the cheaper of the primal form (:math:`N \ge m`: :math:`X^\top X`,
    :math:`N m^2` flops) and the dual one (:math:`N < m`:
    :math:`v = X^\top(XX^\top + N\lambda I)^{-1}y`, :math:`N^2 m` flops), both the same
    solution; the features are made in chunks (of inputs, or of hidden units), so memory is a
    few ``m x m`` (or ``N x N``) matrices and 32 MiB of features.

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights, ``d >= 3``, ``m >= d(d+3)/2``; finite, no zero column.
    targets : sequence of str, or mapping of str to callable, default TARGETS
        Names from :data:`companion.model.TARGETS` (one string is one name), or
        ``{name: f}`` with ``f`` taking inputs of shape ``(N, d)`` and returning ``N`` finite
        values.
    n_train : int, default 20000
        Training inputs, ``>= 1``.
    n_test : int, default 20000
        Held-out inputs, ``>= 1``.
    ridge : float, default 1e-6
        :math:`\lambda \ge 0`, for both fits (with 0: least squares, or for ``n_train < m``
        the minimum-norm interpolant of the training data).
    J : ndarray of shape (m, m), optional
        The exact Fisher matrix if already computed (:func:`companion.fisher_exact`).
    top : bool, default False
        Also each fitted network's share in the top :math:`K` eigenvectors of :math:`J`
        (:math:`O(m^3)`).
    rng : numpy.random.Generator or int, default 0
        Source of the teacher's directions (drawn first, when it is a target), then of the
        training and the held-out inputs; or a seed ``>= 0``.

    Returns
    -------
    dict of str to companion.model.TargetFit
        One fit per target, in the order given.

    Raises
    ------
    TypeError
        If ``W`` or ``J`` is not an array of real numbers, ``n_train`` or ``n_test`` is not an
        integer, ``ridge`` is not a real number, a target is not callable, or ``rng`` is
        neither a generator nor an integer seed.
    ValueError
        If ``W`` is not 2-D, not finite, has fewer than 3 rows, a zero column, fewer than
        :math:`d(d+3)/2` columns or too many for the dense ``m x m`` matrices (``m <= 11585``,
        ``9459`` with ``top``); if a target name is not one of
        :data:`companion.model.TARGETS` (or repeated), or a target function returns the
        wrong shape or non-finite values; if ``n_train < 1``, ``n_test < 1``, ``ridge`` is
        negative or not finite, ``J`` is not ``(m, m)``, the seed is negative, or
        ``ridge = 0`` leaves the normal equations singular.
    """
    W, J = _check_inputs(W, J, top)
    d, m = W.shape
    if isinstance(targets, Mapping):
        for name, f in targets.items():
            if not isinstance(name, str) or not callable(f):
                raise TypeError(
                    f"targets must map names (str) to functions of x, got {name!r}: "
                    f"{type(f).__name__}"
                )
        if not targets:
            raise ValueError("targets must name at least one target")
    else:
        targets = check_choices(targets, "targets", TARGETS)
    n_train = check_int(n_train, "n_train")
    n_test = check_int(n_test, "n_test")
    ridge = check_real(ridge, "ridge", lo=0.0)
    rng = check_rng(rng)

    funcs = dict(targets) if isinstance(targets, Mapping) else _builtin_targets(targets, d, rng)
    x_train = sample_inputs(d, n_train, rng)
    x_test = sample_inputs(d, n_test, rng)
    y_train = _target_values(funcs, x_train)
    y_test = _target_values(funcs, x_test)
    K = _n_basis(d)

    V_fit = _ridge_network(W, x_train, y_train, ridge)
    P = np.zeros((K, K))  # the small model's normal equations, over chunks of inputs
    Q = np.zeros((K, y_train.shape[1]))
    for a, b in _compute.chunk_bounds(n_train, K):
        Phi = limit_features(x_train[a:b])
        P += Phi.T @ Phi
        Q += Phi.T @ y_train[a:b]
    P /= n_train
    P[np.diag_indices(K)] += ridge
    try:
        U_fit = scipy.linalg.cho_solve(scipy.linalg.cho_factor(P, lower=True), Q / n_train)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"ridge = {ridge} leaves the normal equations of the small model singular "
            f"(n_train = {n_train}, K = {K}); take ridge > 0"
        ) from None

    def errors(x, y):
        num, num_small = np.zeros(y.shape[1]), np.zeros(y.shape[1])
        for a, b in _compute.chunk_bounds(x.shape[0], m + K):
            num += ((features(x[a:b], W) @ V_fit - y[a:b]) ** 2).sum(axis=0)
            num_small += ((limit_features(x[a:b]) @ U_fit - y[a:b]) ** 2).sum(axis=0)
        den = (y * y).sum(axis=0)
        return num / den, num_small / den

    err_train, small_train = errors(x_train, y_train)
    err_test, small_test = errors(x_test, y_test)
    frame = _frame(W, J, top=bool(top))
    proj = _shares(frame, V_fit)
    labels = list(frame.labels)
    mean_y2 = (y_test * y_test).mean(axis=0)
    out = {}
    for j, name in enumerate(funcs):
        p = Projection(
            coefficients=proj["coefficients"][:, j],
            residual=proj["residual"][:, j],
            norm2=float(proj["norm2"][j]),
            share=float(proj["share"][j]),
            group_shares={g: float(s[j]) for g, s in proj["group_shares"].items()},
            own_shares={g: float(s[j]) for g, s in proj["own_shares"].items()},
            top_share=None if proj["top_share"] is None else float(proj["top_share"][j]),
            labels=labels,
        )
        out[name] = TargetFit(
            name=name,
            v=V_fit[:, j].copy(),
            error=float(err_test[j]),
            train_error=float(err_train[j]),
            coefficients=U_fit[:, j].copy(),
            limit_error=float(small_test[j]),
            limit_train_error=float(small_train[j]),
            projection=p,
            norm_ratio=float(proj["norm2"][j] / mean_y2[j]),
        )
    return out
