r"""Other input distributions: the empirical Fisher matrix and non-Gaussian inputs (paper §6).

The paper's Fisher information is an expectation over :math:`x \sim N(0, I_d)`. For any input
distribution :math:`p` it becomes

.. math::

   J_p = \mathbb{E}_{x \sim p}\left[X(x) X(x)^\top\right], \qquad X(x) = \sigma(x^\top W).

Every distribution here has mean 0, is symmetric (:math:`x \mapsto -x` leaves it unchanged)
and has :math:`\operatorname{tr}\Sigma_p = d` for :math:`\Sigma_p = \mathbb E_p[xx^\top]`, so that
only its *shape* changes:

``gaussian``
    :math:`x`: :math:`N(0, I_d)` (the paper); :math:`\Sigma_p`: :math:`I_d`
``uniform``
    :math:`x`: uniform on the cube :math:`[-\sqrt3, \sqrt3]^d`; :math:`\Sigma_p`: :math:`I_d`
``laplace``
    :math:`x`: iid Laplace coordinates of scale :math:`1/\sqrt2`; :math:`\Sigma_p`: :math:`I_d`
``ar1``
    :math:`x`: :math:`N(0, \Sigma)`; :math:`\Sigma_p`: :math:`\Sigma_{ij} = \rho^{|i-j|}`
``equicorrelated``
    :math:`x`: :math:`N(0, \Sigma)`;
    :math:`\Sigma_p`: :math:`\Sigma = (1-\rho)I + \rho\mathbf 1\mathbf 1^\top`
``subspace``
    :math:`x`: :math:`\sqrt{d/k}\,(z_1, \dots, z_k, 0, \dots, 0)`, :math:`z \sim N(0, I_k)`;
    :math:`\Sigma_p`: :math:`\frac dk\operatorname{diag}(I_k, 0)` (rank :math:`k`)

**Exact where a closed form exists.** A Gaussian input :math:`x = A z`, :math:`z \sim N(0, I_r)`,
gives :math:`x^\top W = z^\top (A^\top W)`: the model with inputs :math:`N(0, I_r)` and weights
:math:`A^\top W`, so :math:`J_p(W) = J(A^\top W)` (:func:`companion.fisher_exact`). The other
distributions use Monte Carlo, chunked over samples, with a standard error.

**The odd part is exactly linear.** Since :math:`\sigma(t) = (t + |t|)/2`, for every symmetric
:math:`p` the cross terms vanish and

.. math::

   J_p = \tfrac14 W^\top \Sigma_p W + \tfrac14\, \mathbb E_p\bigl[|W^\top x|\,|W^\top x|^\top\bigr],

so the functions of the second group, :math:`F_l(x) = x_l/2`, have the Gram matrix
:math:`\Sigma_p/4` whatever the shape of :math:`p`: the level :math:`1/4` survives every
distribution with :math:`\Sigma_p = I_d` and splits into :math:`\operatorname{eig}(\Sigma_p)/4`
otherwise. The first group keeps :math:`\mathbb E_p[F_0^2] = c_0^2 \operatorname{tr}\Sigma_p`;
only the third group's norms depend on the shape beyond :math:`\Sigma_p`.

The limits of Theorems 3.1–3.5 are limits over :math:`W` at a *fixed* :math:`x`; they hold
for inputs from any distribution (the ``MAE_*`` columns of :func:`distribution_table`). What
changes with :math:`p` is the inner product :math:`\langle f, g\rangle_p = \mathbb E_p[f g]`,
hence the norms :math:`v^\top J_p v \to \mathbb E_p[F^2]` and whether the :math:`v` are
eigenvectors of :math:`J_p` (:func:`basis_gram`, at a width or in the limit, read by
:meth:`companion.distributions.BasisGram.summary`).

Example
-------
>>> import companion as cp
>>> x = cp.sample_distribution("uniform", d=10, n=5, rng=0)
>>> x.shape
(5, 10)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg

from . import _compute
from ._validate import (
    check_choice,
    check_d,
    check_dense,
    check_int,
    check_memory,
    check_real,
    check_rng,
    check_seed,
    check_W,
)
from .eigengroups import (
    GROUPS,
    basis,
    basis_labels,
    cluster_labels,
    gram_matrix,
    group_eigenvalues,
    rayleigh_quotients,
)
from .fisher import (
    features,
    fisher_empirical,
    fisher_exact,
    fisher_spectrum,
    sample_weights,
)
from .limits import limit
from .simulations import member_mae

__all__ = [
    "INPUT_DISTRIBUTIONS",
    "sample_distribution",
    "fisher_under",
    "basis_gram",
    "spectrum_parity",
    "distribution_table",
    "empirical_fisher_study",
]

#: The input distributions, in the order of the chapter's tables.
INPUT_DISTRIBUTIONS = ("gaussian", "uniform", "laplace", "ar1", "equicorrelated", "subspace")
#: Distributions that are Gaussian, x = A z: their Fisher matrix has a closed form.
_GAUSSIAN_FAMILY = ("gaussian", "ar1", "equicorrelated", "subspace")
#: The four groups of the basis of decomposition (5), in the order of :func:`companion.basis`.
_BASIS_GROUPS = GROUPS[:4]


# --------------------------------------------------------------------------- parameters
def _check_dist(dist: object) -> str:
    return check_choice(dist, "dist", INPUT_DISTRIBUTIONS)


def _check_params(
    dist: object, d: object, rho: object, k: object, *, min_d: int = 1
) -> tuple[str, int, float, int]:
    """Validate (dist, d, rho, k); return them with the defaults filled in."""
    dist = _check_dist(dist)
    d = check_d(d, minimum=min_d)
    if dist == "ar1":
        rho = check_real(rho, "rho (for dist='ar1')", lo=-1.0, hi=1.0, lo_open=True, hi_open=True)
    elif dist == "equicorrelated":  # positive definite for -1/(d-1) < rho < 1
        lo = -1.0 / (d - 1) if d > 1 else None
        rho = check_real(
            rho,
            f"rho (for dist='equicorrelated' at d = {d})",
            lo=lo,
            hi=1.0,
            lo_open=True,
            hi_open=True,
        )
    else:
        rho = check_real(rho, "rho")
    k = max(1, d // 2) if k is None else check_int(k, "k", minimum=1, maximum=d)
    return dist, d, rho, k


def _input_covariance(dist: str, d: int, *, rho: float = 0.5, k: int | None = None) -> np.ndarray:
    r"""The second-moment matrix :math:`\Sigma_p = \mathbb E_p[x x^\top]` (mean 0, trace :math:`d`).

    :math:`I_d` for ``gaussian``, ``uniform`` and ``laplace``; :math:`\rho^{|i-j|}` for ``ar1``;
    :math:`(1-\rho)I_d + \rho\mathbf 1\mathbf 1^\top` for ``equicorrelated``;
    :math:`\frac dk\operatorname{diag}(1,\dots,1,0,\dots,0)` (:math:`k` ones) for ``subspace``.
    Arguments and errors as :func:`sample_distribution`.

    Returns
    -------
    Sigma : ndarray of shape (d, d)
        The symmetric positive semi-definite matrix :math:`\Sigma_p`, of trace :math:`d`
        (positive definite except for ``subspace``, of rank :math:`k`).
    """
    dist, d, rho, k = _check_params(dist, d, rho, k)
    if dist == "ar1":
        i = np.arange(d)
        return rho ** np.abs(i[:, None] - i[None, :])
    if dist == "equicorrelated":
        return (1.0 - rho) * np.eye(d) + rho * np.ones((d, d))
    if dist == "subspace":
        return np.diag(np.r_[np.full(k, d / k), np.zeros(d - k)])
    return np.eye(d)


def _input_factor(dist: str, d: int, *, rho: float = 0.5, k: int | None = None) -> np.ndarray:
    r"""The factor :math:`A` (``d x r``) with :math:`x = A z`, :math:`z \sim N(0, I_r)`, of a
    Gaussian ``dist``.

    :math:`A A^\top = \Sigma_p` (:func:`_input_covariance`): the identity for ``gaussian``, the
    (lower) Cholesky factor for ``ar1`` and ``equicorrelated``, and :math:`\sqrt{d/k}\,[I_k; 0]`
    (``d x k``) for ``subspace``; ``uniform`` and ``laplace`` have none (``ValueError``). With
    it :math:`x^\top W = z^\top (A^\top W)`, so the Fisher matrix under ``dist`` is the paper's
    closed form (§2.2) at the weights :math:`A^\top W`. Arguments as :func:`sample_distribution`.

    Returns
    -------
    A : ndarray of shape (d, r)
        :math:`r = k` for ``subspace`` and :math:`r = d` otherwise; :math:`AA^\top = \Sigma_p`.
    """
    dist, d, rho, k = _check_params(dist, d, rho, k)
    if dist not in _GAUSSIAN_FAMILY:
        raise ValueError(
            f"dist must be Gaussian (one of {list(_GAUSSIAN_FAMILY)}) to have a factor A, "
            f"got {dist!r}"
        )
    if dist == "subspace":
        return np.sqrt(d / k) * np.eye(d, k)
    if dist == "gaussian":
        return np.eye(d)
    return np.linalg.cholesky(_input_covariance(dist, d, rho=rho))


def sample_distribution(
    dist: str,
    d: int,
    n: int,
    rng: np.random.Generator | int,
    *,
    rho: float = 0.5,
    k: int | None = None,
) -> np.ndarray:
    r"""Draw ``n`` inputs from ``dist`` as the rows of an ``(n, d)`` array.

    All have mean 0 and the second-moment matrix :math:`\Sigma_p = \mathbb E_p[xx^\top]` of
    trace :math:`d`:

    * ``gaussian``: :math:`N(0, I_d)` (the same numbers as :func:`companion.sample_inputs` for
      the same ``rng``); ``uniform`` on :math:`[-\sqrt3, \sqrt3]^d`; ``laplace`` with density
      :math:`\prod_i \frac{1}{\sqrt2} e^{-\sqrt2 |x_i|}`: all three with :math:`\Sigma_p = I_d`;
    * ``ar1``: :math:`N(0, \Sigma)` with :math:`\Sigma_{ij} = \rho^{|i-j|}`;
    * ``equicorrelated``: :math:`N(0, \Sigma)` with
      :math:`\Sigma = (1-\rho)I_d + \rho\mathbf 1\mathbf 1^\top`;
    * ``subspace``: :math:`\sqrt{d/k}\,(z_1, \dots, z_k, 0, \dots, 0)`, :math:`z \sim N(0, I_k)`,
      so :math:`\Sigma_p = \frac dk\operatorname{diag}(I_k, 0)` (rank :math:`k`).

    The last three are drawn as :math:`x = A z`, :math:`z \sim N(0, I_r)`, with
    :math:`AA^\top = \Sigma_p` (the Cholesky factor; :math:`\sqrt{d/k}\,[I_k; 0]` for
    ``subspace``).

    Beyond the paper (which samples :math:`N(0, I_d)` only; §6 names other input distributions
    as open): chapter ``distributions``.

    Parameters
    ----------
    dist : str
        One of ``companion.INPUT_DISTRIBUTIONS``.
    d, n : int
        Input dimension and number of samples, both ``>= 1``.
    rng : numpy.random.Generator or int
        Source of randomness, or a non-negative seed: the same seed gives the same inputs.
    rho : float, default 0.5
        Correlation: in :math:`(-1, 1)` for ``ar1``, in :math:`(-\frac1{d-1}, 1)` for
        ``equicorrelated`` (where :math:`\Sigma` is positive definite; any :math:`\rho < 1` at
        :math:`d = 1`); ignored otherwise (but it must still be a finite real number).
    k : int, optional
        Dimension of the subspace, ``1 <= k <= d`` (default ``max(1, d // 2)``); used by
        ``subspace`` only (but checked for every ``dist``).

    Returns
    -------
    x : ndarray of shape (n, d)
        One input per row, iid from ``dist``.

    Raises
    ------
    TypeError
        If ``d``, ``n`` or ``k`` is not an integer, ``rho`` not a real number, or ``rng`` neither
        a Generator nor an integer.
    ValueError
        If ``dist`` is not one of ``companion.INPUT_DISTRIBUTIONS``, ``d < 1``, ``n < 1``, the
        seed is negative, ``k`` is outside ``[1, d]``, ``rho`` is not finite or outside the
        range of ``dist``, or the samples would take more than half of the memory available.
    """
    dist, d, rho, k = _check_params(dist, d, rho, k)
    n = check_int(n, "n")
    rng = check_rng(rng)
    check_memory(16.0 * d, "n", n)  # x, and z for x = A z
    if dist == "gaussian":
        return rng.standard_normal((n, d))
    if dist == "uniform":
        return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(n, d))
    if dist == "laplace":
        return rng.laplace(0.0, 1.0 / np.sqrt(2.0), size=(n, d))
    A = _input_factor(dist, d, rho=rho, k=k)
    return rng.standard_normal((n, A.shape[1])) @ A.T


def _sigma_factor(dist: str, d: int, rho: float, k: int | None) -> np.ndarray:
    r"""A factor :math:`A` (``d x r``, :math:`r = \operatorname{rank}\Sigma_p`) with
    :math:`AA^\top = \Sigma_p`, for every ``dist``.

    :func:`_input_factor` for the Gaussian family; the identity for ``uniform`` and ``laplace``
    (:math:`\Sigma_p = I_d`).
    """
    return _input_factor(dist, d, rho=rho, k=k) if dist in _GAUSSIAN_FAMILY else np.eye(d)


#: Dense m x m float64 matrices alive at once at the peak of the Monte Carlo Fisher matrix
#: (:func:`companion.fisher_empirical`: the sums of products and of squared products, a chunk's
#: two terms, the mean, the standard errors and their temporaries).
_MC_COPIES = 8


def _check_square_memory(m: int, copies: int) -> None:
    """Refuse (:func:`companion._validate.check_memory`) ``copies`` dense ``m x m`` float64
    matrices that would not fit, before any work; the message names ``m^2``."""
    check_memory(8.0 * copies, f"m^2 (m = {m} hidden units)", m * m)


@dataclass
class InputFisher:
    r"""The Fisher matrix :math:`J_p` of one input distribution.

    :math:`J_p = \mathbb E_{x\sim p}[X(x)X(x)^\top]`, the paper's Fisher information (§2.2)
    with :math:`N(0, I_d)` replaced by ``p``; beyond the paper: chapter ``distributions``.
    Made by :func:`companion.fisher_under`; the constructor's parameters are the attributes.

    Parameters
    ----------
    J, se : ndarray of shape (m, m)
        The matrix and the standard errors of its entries.
    exact : bool
        Whether the closed form was used.
    n : int
        Monte Carlo sample size, ``>= 2`` (0 when exact).

    Attributes
    ----------
    J : ndarray of shape (m, m)
        :math:`J_p`: exact (:math:`J(A^\top W)`) or the Monte Carlo estimate
        :math:`\frac1n\sum_s X(x_s)X(x_s)^\top`.
    se : ndarray of shape (m, m)
        Standard error of every entry (zeros when exact).
    exact : bool
        True when :math:`J_p = J(A^\top W)` was used.
    n : int
        Monte Carlo sample size (0 when exact).
    """

    J: np.ndarray = field(repr=False)
    se: np.ndarray = field(repr=False)
    exact: bool
    n: int


def fisher_under(
    W: np.ndarray,
    dist: str,
    *,
    rho: float = 0.5,
    k: int | None = None,
    method: str = "auto",
    n: int = 20_000,
    rng: np.random.Generator | int | None = None,
) -> InputFisher:
    r"""The Fisher matrix :math:`J_p = \mathbb E_{x\sim p}[X X^\top]` for inputs from ``dist``.

    ``method="exact"`` (the default for the Gaussian family): :math:`J_p(W) = J(A^\top W)` with
    :math:`x = Az` (:math:`A` as in :func:`companion.sample_distribution`;
    :func:`companion.fisher_exact`).
    ``method="mc"`` (the default for ``uniform`` and ``laplace``):
    :math:`\hat J = \frac1n\sum_s X(x_s)X(x_s)^\top` over ``n`` samples in chunks, with the
    standard error :math:`\sqrt{(\overline{(X_iX_j)^2} - \hat J_{ij}^2)/(n-1)}` of each entry
    (:func:`companion.fisher_empirical` on the ``n x d`` samples, drawn at once; the ``n x m``
    features are made in chunks).

    The paper's Fisher information (§2.2) under another input distribution (§6 leaves this
    open); beyond the paper: chapter ``distributions``.

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights: finite, ``d >= 1``, no zero column; the dense ``m x m`` result must fit
        in 2 GiB (``m <= 16384``).
    dist : str
        One of ``companion.INPUT_DISTRIBUTIONS``.
    rho : float, default 0.5
        Correlation, as in :func:`companion.sample_distribution`.
    k : int, optional
        Dimension of the subspace, as in :func:`companion.sample_distribution`.
    method : {"auto", "exact", "mc"}, default "auto"
        ``"auto"``: exact for the Gaussian family, Monte Carlo otherwise; ``"exact"`` needs a
        Gaussian ``dist``; ``"mc"`` works for every ``dist``.
    n : int, default 20000
        Monte Carlo samples, ``n >= 2`` (not used when exact).
    rng : numpy.random.Generator or int, optional
        Source of randomness or a non-negative seed; required for Monte Carlo, ignored when
        exact.

    Returns
    -------
    InputFisher
        The matrix :math:`J_p`, the standard errors of its entries (zeros when exact), whether it
        is exact and the sample size (0 when exact).

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers, ``k`` or ``n`` not an integer, ``rho`` not a
        real number, or ``rng`` neither a Generator nor an integer.
    ValueError
        If ``W`` is not a finite 2-D array without zero columns or too large, ``dist`` or
        ``method`` is unknown, ``method="exact"`` with a non-Gaussian ``dist``, ``rho`` or ``k`` is
        out of range, for Monte Carlo ``n < 2`` or ``rng`` is None, or the ``m x m`` matrices
        (two exact, eight at the peak of Monte Carlo) and the samples would take more than half
        of the memory available.
    """
    W = check_W(W)
    d = W.shape[0]
    dist, d, rho, k = _check_params(dist, d, rho, k)
    if method not in ("auto", "exact", "mc"):
        raise ValueError(f"method must be 'auto', 'exact' or 'mc', got {method!r}")
    if method == "exact" and dist not in _GAUSSIAN_FAMILY:
        raise ValueError(
            f"method='exact' needs a Gaussian dist (one of {list(_GAUSSIAN_FAMILY)}), got {dist!r}"
        )
    m = W.shape[1]
    if method == "exact" or (method == "auto" and dist in _GAUSSIAN_FAMILY):
        _check_square_memory(m, 2)  # J and se
        J = fisher_exact(_input_factor(dist, d, rho=rho, k=k).T @ W)
        return InputFisher(J=J, se=np.zeros_like(J), exact=True, n=0)
    n = check_int(n, "n", minimum=2)
    if rng is None:
        raise ValueError(
            "rng must be given (a Generator or a seed) for the Monte Carlo Fisher matrix"
        )
    rng = check_rng(rng)
    _check_square_memory(m, _MC_COPIES)
    check_memory(16.0 * d, "n", n, fixed=8.0 * _MC_COPIES * m * m)  # the samples, drawn at once
    J, se = fisher_empirical(W, sample_distribution(dist, d, n, rng, rho=rho, k=k), return_se=True)
    return InputFisher(J=J, se=se, exact=False, n=n)


def spectrum_parity(
    W: np.ndarray,
    dist: str,
    *,
    top: int | None = None,
    rho: float = 0.5,
    k: int | None = None,
    **kwargs,
) -> dict:
    r"""Eigenvalues of :math:`J_p` and how much of each eigenvector's function is odd.

    For a symmetric :math:`p` the odd part of :math:`f_u = X^\top u` is :math:`x^\top W u/2`, of
    squared norm :math:`u^\top(\frac14 W^\top\Sigma_p W)u` (the odd part of :math:`J_p`, exact). For
    each eigenpair :math:`(\lambda, u)` of :math:`J_p` (:func:`fisher_under`, same keywords) this
    returns the odd share :math:`u^\top(\frac14W^\top\Sigma_pW)u/\lambda`: close to 1 for the second
    group's eigenvectors (the :math:`x_l/2`), close to 0 for the first and third groups'.

    **Parity-split spectrum.** As :math:`m\to\infty` the kernel :math:`X(x)^\top X(y)` of
    :math:`J_p` becomes the arc-cosine kernel, which commutes with :math:`x\mapsto -x`; its
    spectrum is the union of that of the odd part :math:`J_{odd} = \frac14W^\top\Sigma_pW` and
    that of the even part :math:`J_{even} = J_p - J_{odd}`. At finite :math:`m` the cross terms
    still vanish exactly (the odd and even functions are orthogonal), but :math:`J_{odd}` and
    :math:`J_{even}` do not act on orthogonal subspaces of :math:`\mathbb R^m` (their ranges
    overlap at order :math:`m^{-1/2}`), so eigenvectors whose levels nearly tie mix (odd shares
    near 1/2), and
    the order of the odd and even levels is read off the two parts separately:
    ``"odd_levels"`` are the :math:`\operatorname{rank}\Sigma_p` nonzero eigenvalues of
    :math:`J_{odd}` (those of :math:`\frac14 W^\top A A^\top W`, computed from the ``r x r``
    matrix :math:`\frac14 A^\top W W^\top A` with :math:`\Sigma_p = AA^\top`), ``"even_levels"``
    the ``top`` largest eigenvalues of :math:`J_{even}`, both descending, and ``"even_over_odd"``
    the ratio of the two top levels (above 1: the top eigenvalue is even, as in the paper).

    The paper's order of the groups (eq. (5): the even :math:`F_0` above the odd :math:`F_l`
    above the even third group) under another input distribution, which §6 says may change;
    beyond the paper: chapter ``distributions``.

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights, as in :func:`companion.fisher_under`.
    dist : str
        One of ``companion.INPUT_DISTRIBUTIONS``.
    top : int, optional
        Number of eigenpairs, ``1 <= top <= m`` (default all ``m``).
    rho : float, default 0.5
        Correlation, as in :func:`companion.sample_distribution`.
    k : int, optional
        Dimension of the subspace, as in :func:`companion.sample_distribution`.
    **kwargs
        ``method``, ``n``, ``rng``: as in :func:`companion.fisher_under`.

    Returns
    -------
    dict
        ``"eigenvalues"`` (descending, length ``top``), ``"odd_share"`` (same length),
        ``"odd_positions"``: the 1-based positions of the :math:`\operatorname{rank}\Sigma_p`
        eigenvectors with the largest odd share (``2, ..., d+1`` when the order G1 > G2 > G3
        holds), and ``"odd_levels"``, ``"even_levels"``, ``"even_over_odd"`` as above. Arrays
        except ``"even_over_odd"``, a float.

    Raises
    ------
    TypeError
        If ``top`` is not an integer, or an argument is of the wrong type (as in
        :func:`companion.fisher_under`).
    ValueError
        If ``top`` is outside ``[1, m]``, an argument is out of range (as in
        :func:`companion.fisher_under`), or six ``m x m`` matrices would take more than half of
        the memory available.
    """
    W = check_W(W)
    d, m = W.shape
    _check_square_memory(m, 6)  # J, se, the eigenvectors, J_odd, J_even and eigvalsh's copy
    fisher = fisher_under(W, dist, rho=rho, k=k, **kwargs)
    top = m if top is None else check_int(top, "top", minimum=1, maximum=m)
    lam, U = scipy.linalg.eigh(fisher.J, subset_by_index=[m - top, m - 1])
    lam, U = lam[::-1], U[:, ::-1]
    # the odd part W^T Sigma W / 4 = (A^T W)^T (A^T W) / 4 with Sigma = A A^T,
    # A of rank r = rank Sigma
    AW = _sigma_factor(dist, d, rho, k).T @ W
    r = AW.shape[0]
    J_odd = AW.T @ AW / 4.0
    share = np.einsum("ik,ik->k", U, J_odd @ U) / np.where(lam > 0, lam, np.inf)
    odd_levels = np.sort(np.linalg.eigvalsh(AW @ AW.T / 4.0))[
        ::-1
    ]  # the nonzero ones, from the r x r Gram
    J_even = fisher.J - J_odd
    even_levels = scipy.linalg.eigvalsh(J_even, subset_by_index=[m - top, m - 1])[::-1]
    return {
        "eigenvalues": lam,
        "odd_share": share,
        "odd_positions": np.sort(np.argsort(share)[::-1][:r]) + 1,
        "odd_levels": odd_levels,
        "even_levels": even_levels,
        "even_over_odd": float(even_levels[0] / odd_levels[0]),
    }


# --------------------------------------------------------------------------- Gram matrices
#: K x K float64 arrays alive at once at the peak of a Gram matrix and its summary (the sums of
#: products and of squared products, a chunk's two terms, the mean, the standard errors and
#: their temporaries, V^T V), K = d(d+3)/2: the O(d^4) part of :func:`basis_gram`'s memory.
_GRAM_COPIES = 9


@dataclass
class BasisGram:
    r"""Inner products of the basis functions of decomposition (5) under one distribution.

    The paper's function-space inner product (§2.3),
    :math:`\langle f_v, f_u\rangle = v^\top J u \approx \lambda_i\delta_{ij}` for its basis,
    with :math:`N(0, I_d)` replaced by ``p`` (§6: the orthogonality and the norms depend on
    :math:`p_X`); beyond the paper: chapter ``distributions``. Made by
    :func:`companion.basis_gram` (at a finite width, or in the limit :math:`m \to \infty`);
    read by :meth:`summary`. The constructor's parameters are the attributes.

    Parameters
    ----------
    G, se, VtV : ndarray of shape (K, K)
        The Gram matrix, its standard errors and the Gram matrix of the basis vectors.
    trace : float
        The trace of :math:`J_p`, ``> 0``.
    labels : list of str
        Group of each basis vector.
    d, n : int
        Input dimension (``d >= 3``) and Monte Carlo sample size (0 when exact).

    Attributes
    ----------
    G : ndarray of shape (K, K)
        :math:`G_{ij} = \langle f_{v_i}, f_{v_j}\rangle_p = v_i^\top J_p v_j` (finite :math:`m`) or
        :math:`\mathbb E_p[F_i F_j]` (the limits, :math:`m \to \infty`), ``K = d(d+3)/2``.
    se : ndarray of shape (K, K)
        Monte Carlo standard error of each entry (zeros when exact).
    VtV : ndarray of shape (K, K)
        :math:`v_i^\top v_j` (the identity in the limit).
    trace : float
        :math:`\operatorname{tr} J_p` (:math:`\operatorname{tr}\Sigma_p / 2` in the limit).
    labels : list of str
        Group of each basis vector (``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``), as
        :func:`companion.basis`.
    d : int
        Input dimension.
    n : int
        Monte Carlo samples (0 when exact).
    """

    G: np.ndarray = field(repr=False)
    se: np.ndarray = field(repr=False)
    VtV: np.ndarray = field(repr=False)
    trace: float
    labels: list = field(repr=False)
    d: int
    n: int

    def summary(self) -> dict:
        r"""What the Gram matrix says about the eigen-groups: levels, order, orthogonality, share.

        Reads the paper's claims about its basis (§2.2–2.3: :math:`v_i^\top J v_j \approx
        \lambda_i\delta_{ij}`, the order of the levels of eq. (5), the residual's share of the
        trace below 0.023) off a Gram matrix under any input distribution (§6: these depend on
        :math:`p_X`); beyond the paper: chapter ``distributions``.

        Returns
        -------
        dict
            ``quotients``: ``{group: array}``, the Rayleigh quotients
            :math:`G_{ii}/(V^\top V)_{ii}` of every member;
            ``mean``: ``{group: float}``, their mean (for ``"G3"`` over both parts of the third
            group);
            ``levels``: ``{group: array}``, the eigenvalues of the group's block
            (:math:`G_{gg}\,u = \lambda\,(V^\top V)_{gg}\,u`: the quotients after the best
            rotation within the group), descending;
            ``order_means``: True when the mean quotients satisfy G1 > G2 > G3;
            ``order_members``: True when every G1 quotient exceeds every G2 quotient and every
            G2 quotient exceeds every G3 quotient;
            ``order_levels``: the same for the ``levels`` (levels of zero are left out);
            ``even_levels``: the eigenvalues of the joint block of G1 and G3 (the even
            functions, which mix when the groups are not orthogonal), descending;
            ``hierarchy``: True when the order *within the span of the basis* is the paper's:
            the top even level above every G2 level, and every G2 level above all other even
            levels (the G2 block is decoupled from the others when :math:`p` is symmetric, in
            the limit). These levels are Rayleigh–Ritz values, lower bounds for the eigenvalues
            of :math:`J_p`, and the top even level can be far below the top even eigenvalue when
            the data are nearly low-dimensional (for data on a line at :math:`d = 10`: 2.42,
            which the chapter's Monte Carlo estimate puts at 2.40, against the exact
            :math:`d/4 = 2.5`); use :func:`companion.spectrum_parity` for the order of the
            spectrum itself;
            ``within``, ``between``: the largest :math:`|G_{ij}|/\sqrt{G_{ii}G_{jj}}` for
            :math:`i\neq j` in the same group / in different groups (G3 one group), among
            functions whose norm is not zero;
            ``n_zero``: the number of basis functions of (numerically) zero norm;
            ``share``: :math:`\operatorname{tr}\bigl((V^\top V)^{-1} G\bigr)/\operatorname{tr}J_p`,
            the share of the trace of :math:`J_p` in the span of the basis (paper: at least
            0.977).
        """
        G, VtV, labels = self.G, self.VtV, np.asarray(self.labels)
        merged = np.where(np.char.startswith(labels.astype(str), "G3"), "G3", labels)
        diag = np.diag(G).copy()
        q = diag / np.diag(VtV)
        quotients = {g: q[labels == g] for g in _BASIS_GROUPS}
        mean = {g: float(q[merged == g].mean()) for g in ("G1", "G2", "G3")}
        levels = {}
        for g in ("G1", "G2", "G3"):
            idx = np.flatnonzero(merged == g)
            levels[g] = scipy.linalg.eigh(
                G[np.ix_(idx, idx)], VtV[np.ix_(idx, idx)], eigvals_only=True
            )[::-1]
        alive = diag > 1e-12 * diag.max()
        s = np.sqrt(np.where(alive, diag, 1.0))
        C = np.abs(G / np.outer(s, s))
        ok = np.outer(alive, alive) & ~np.eye(len(diag), dtype=bool)
        same = merged[:, None] == merged[None, :]
        within = float(C[ok & same].max()) if np.any(ok & same) else 0.0
        between = float(C[ok & ~same].max()) if np.any(ok & ~same) else 0.0

        tol = 1e-12 * diag.max()

        def ordered(a, b, c):
            a, b, c = (v[v > tol] for v in (a, b, c))  # functions of zero norm carry no level
            return bool(a.size and b.size and c.size and a.min() > b.max() and b.min() > c.max())

        qm = {g: q[merged == g] for g in ("G1", "G2", "G3")}
        even = np.flatnonzero(merged != "G2")
        ev = scipy.linalg.eigh(G[np.ix_(even, even)], VtV[np.ix_(even, even)], eigvals_only=True)[
            ::-1
        ]
        ev_alive, odd_alive = ev[ev > tol], levels["G2"][levels["G2"] > tol]
        hierarchy = bool(
            ev_alive.size >= 2
            and odd_alive.size
            and ev_alive[0] > odd_alive.max()
            and odd_alive.min() > ev_alive[1]
        )
        return {
            "quotients": quotients,
            "mean": mean,
            "levels": levels,
            "order_means": bool(mean["G1"] > mean["G2"] > mean["G3"]),
            "order_members": ordered(qm["G1"], qm["G2"], qm["G3"]),
            "order_levels": ordered(levels["G1"], levels["G2"], levels["G3"]),
            "even_levels": ev,
            "hierarchy": hierarchy,
            "within": within,
            "between": between,
            "n_zero": int((~alive).sum()),
            "share": float(np.trace(np.linalg.solve(VtV, G)) / self.trace),
        }


def basis_gram(
    dist: str,
    d: int,
    *,
    W: np.ndarray | None = None,
    rho: float = 0.5,
    k: int | None = None,
    method: str = "auto",
    n: int | None = None,
    rng: np.random.Generator | int | None = None,
) -> BasisGram:
    r"""Gram matrix of the :math:`K = d(d+3)/2` basis functions of (5) under ``dist``, at the
    width of ``W`` or in the limit :math:`m \to \infty`.

    * **At a width** (weights ``W`` given): :math:`G = V^\top J_p V` with :math:`V` from
      :func:`companion.basis`. Exact for the Gaussian family (:math:`J_p = J(A^\top W)`, as in
      :func:`companion.fisher_under`); otherwise by Monte Carlo without forming :math:`J_p`:
      :math:`\frac1n\sum_s \Phi_s^\top\Phi_s` with :math:`\Phi_s = X(x_s)^\top V`, in chunks of
      samples, with standard errors.
    * **In the limit** (``W=None``): :math:`G_{ij} = \mathbb E_p[F_i(x) F_j(x)]` for the limit
      functions :math:`F_0`, :math:`F_l` (:math:`l = 1..d`), :math:`F_\gamma`
      (:math:`\gamma = 1..d-1`) and :math:`F_{\alpha\beta}` (:math:`\alpha<\beta`), in the
      order of :func:`companion.basis` (Theorems 3.1–3.5). Since :math:`v_i^\top J_p v_j =
      \mathbb E_p[(X^\top v_i)(X^\top v_j)]` and :math:`X^\top v \to F` for every :math:`x`,
      this is the limit of the Gram matrix at a width; no weights are drawn. Monte Carlo over
      ``n`` inputs, with standard errors; ``VtV`` is the identity and ``trace`` is
      :math:`\operatorname{tr}\Sigma_p/2` (the limit of
      :math:`\operatorname{tr}J_p = \frac12\operatorname{tr}(W^\top\Sigma_pW)`). For
      ``gaussian`` the diagonal is :func:`companion.group_eigenvalues` ``(d, exact=True)`` (up
      to the Monte Carlo error).

    The memory grows like :math:`d^4`: about nine ``K x K`` float64 arrays (1.9 GB at
    :math:`d = 100`), plus the ``m x K`` matrix :math:`V` at a width. A call that needs more
    than half of the memory available is refused before any work.

    The entries are the paper's :math:`\langle f_{v_i}, f_{v_j}\rangle = v_i^\top J v_j` (§2.3)
    for the basis of decomposition (5) (§2.2), under ``dist`` instead of :math:`N(0, I_d)`;
    beyond the paper (which has the norms under :math:`N(0, I_d)` only, §3 and eq. (5)):
    chapter ``distributions``. Read it with
    :meth:`~companion.distributions.BasisGram.summary`.

    Parameters
    ----------
    dist : str
        One of ``companion.INPUT_DISTRIBUTIONS``.
    d : int
        Input dimension, ``d >= 3`` (the theorems need :math:`d > 2`).
    W : ndarray of shape (d, m), optional
        Hidden weights, as in :func:`companion.fisher_under` (with ``d`` rows); default None:
        the limit :math:`m \to \infty`.
    rho : float, default 0.5
        Correlation, as in :func:`companion.sample_distribution`.
    k : int, optional
        Dimension of the subspace, as in :func:`companion.sample_distribution`.
    method : {"auto", "exact", "mc"}, default "auto"
        As in :func:`companion.fisher_under`, at a width; the limit is always Monte Carlo
        (``"exact"`` needs ``W``).
    n : int, optional
        Monte Carlo samples, ``n >= 2``: default 20000 at a width (not used when exact), 200000
        in the limit.
    rng : numpy.random.Generator or int, optional
        Source of randomness or a non-negative seed: same seed, same numbers; required for
        Monte Carlo (always in the limit), ignored when exact.

    Returns
    -------
    BasisGram
        ``G``, its standard errors (zeros when exact), ``VtV`` (:math:`V^\top V`; the identity
        in the limit), ``trace`` (:math:`\operatorname{tr}J_p`, at a width by Monte Carlo the
        sample mean of :math:`\|X(x)\|^2`; :math:`\operatorname{tr}\Sigma_p/2` in the limit),
        the labels of :func:`companion.basis_labels`, ``d`` and ``n`` (0 when exact).

    Raises
    ------
    TypeError
        If ``d``, ``k`` or ``n`` is not an integer, ``W`` not an array of real numbers, ``rho``
        not a real number, or ``rng`` neither a Generator nor an integer.
    ValueError
        If ``dist`` or ``method`` is unknown, ``d < 3``, ``W`` is not a finite 2-D array with
        ``d`` rows and no zero column, ``method="exact"`` with a non-Gaussian ``dist`` or
        without ``W``, ``rho`` or ``k`` is out of range, for Monte Carlo ``n < 2`` or ``rng``
        is None, or the arrays would take more than half of the memory available.
    """
    dist, d, rho, k = _check_params(dist, d, rho, k, min_d=3)
    if method not in ("auto", "exact", "mc"):
        raise ValueError(f"method must be 'auto', 'exact' or 'mc', got {method!r}")
    m = 0
    if W is None:
        if method == "exact":
            raise ValueError(
                "method='exact' needs the weights W: the limit m -> infinity is Monte Carlo"
            )
    else:
        W = check_W(W, min_d=3)
        if W.shape[0] != d:
            raise ValueError(f"W must have d = {d} rows, got shape {W.shape}")
        m = W.shape[1]
    exact = W is not None and (method == "exact" or (method == "auto" and dist in _GAUSSIAN_FAMILY))
    if exact and dist not in _GAUSSIAN_FAMILY:
        raise ValueError(
            f"method='exact' needs a Gaussian dist (one of {list(_GAUSSIAN_FAMILY)}), got {dist!r}"
        )
    if not exact:
        n = check_int((200_000 if W is None else 20_000) if n is None else n, "n", minimum=2)
        if rng is None:
            raise ValueError(
                "rng must be given (a Generator or a seed) for the Monte Carlo Gram matrix"
            )
        rng = check_rng(rng)
    K = d * (d + 3) // 2
    # the K x K arrays, and at a width V (m x K, and its parts while they are stacked), J V
    # and J (m x m)
    check_memory(
        8.0 * _GRAM_COPIES,
        f"K^2 (K = d(d+3)/2 = {K} basis functions at d = {d})",
        K * K,
        fixed=8.0 * m * (3 * K + m),
    )
    if W is None:
        return _limit_gram(dist, d, rho, k, n, rng)
    V, labels = basis(W)
    VtV = V.T @ V
    if exact:
        AW = _input_factor(dist, d, rho=rho, k=k).T @ W
        J = fisher_exact(AW)
        G = gram_matrix(J, V)
        return BasisGram(
            G=G,
            se=np.zeros_like(G),
            VtV=VtV,
            trace=float(np.einsum("ij,ij->", AW, AW) / 2.0),
            labels=labels,
            d=d,
            n=0,
        )
    traces = []

    def blocks():
        for a, b in _compute.chunk_bounds(n, max(K, m)):
            x = sample_distribution(dist, d, b - a, rng, rho=rho, k=k)
            X = features(x, W)
            traces.append(np.einsum("ij,ij->", X, X))
            yield X @ V

    G, se, _ = _compute.second_moments(blocks())
    return BasisGram(G=G, se=se, VtV=VtV, trace=float(sum(traces) / n), labels=labels, d=d, n=n)


def _limit_gram(
    dist: str, d: int, rho: float, k: int, n: int, rng: np.random.Generator
) -> BasisGram:
    """:func:`basis_gram` in the limit, for checked arguments: Monte Carlo over ``n`` inputs
    of the limit functions, in chunks."""
    K = d * (d + 3) // 2

    def blocks():
        for a, b in _compute.chunk_bounds(n, 4 * K):
            x = sample_distribution(dist, d, b - a, rng, rho=rho, k=k)
            yield np.hstack([limit(x, g) for g in _BASIS_GROUPS])

    G, se, n = _compute.second_moments(blocks())
    trace = float(np.trace(_input_covariance(dist, d, rho=rho, k=k)) / 2.0)
    return BasisGram(G=G, se=se, VtV=np.eye(K), trace=trace, labels=basis_labels(d), d=d, n=n)


def _limit_mae_under(
    dist: str,
    d: int,
    m: int,
    *,
    rho: float = 0.5,
    k: int | None = None,
    n_inputs: int = 100,
    rng: np.random.Generator | int,
) -> dict[str, float]:
    r"""Table 1's error for inputs from ``dist``: the MAE of :math:`X^\top v` against its limit
    :math:`F`.

    Theorems 3.1–3.5 hold at every fixed :math:`x`, so the error should stay small (and fall like
    :math:`m^{-1/2}`) whatever the input distribution. The mean over members of
    :func:`companion.member_mae`, per group, for one draw of :math:`W` (``d x m``) and
    ``n_inputs`` inputs, both from ``rng`` (required: same seed, same numbers); the other
    arguments as :func:`sample_distribution`. The ``MAE_*`` columns of
    :func:`distribution_table`.

    Returns
    -------
    dict of str to float
        ``{"G1": ..., "G2": ..., "G3_gamma": ..., "G3_ab": ...}``: the mean MAE of the members
        of each group (the columns of Table 1).
    """
    dist, d, rho, k = _check_params(dist, d, rho, k, min_d=3)
    m = check_int(m, "m")
    rng = check_rng(rng)
    W = sample_weights(d, m, rng)
    x = sample_distribution(dist, d, check_int(n_inputs, "n_inputs"), rng, rho=rho, k=k)
    return {g: float(v.mean()) for g, v in member_mae(x, W).items()}


def distribution_table(
    d: int = 10,
    m: int = 500,
    *,
    dists: tuple[str, ...] = INPUT_DISTRIBUTIONS,
    rho: float = 0.5,
    k: int | None = None,
    n: int = 20_000,
    n_limit: int = 100_000,
    mae_m: int = 10_000,
    rng: int | np.random.Generator = 0,
):
    r"""One row per input distribution: the eigen-groups at width ``m`` and in the limit.

    Columns: the mean Rayleigh quotients of G1, G2, G3 at width ``m`` (:func:`basis_gram`,
    the same :math:`W` for every distribution) and in the limit (``lim_*``, :func:`basis_gram`
    with ``W=None``;
    ``lim_G3_gamma`` and ``lim_G3_ab`` are the mean limit levels of the two parts of the third
    group, the :math:`F_\gamma` and the :math:`F_{\alpha\beta}`); the extreme levels of G2 and
    G3 (``G2_max``, ``G2_min``, ``G3_max``, ``G3_min``, limit; the extreme eigenvalues of a
    degenerate block of Monte Carlo estimates are biased outwards, so for the level of a part of
    the third group read ``lim_G3_gamma``/``lim_G3_ab``); the top level of the even functions, G1
    and G3 together (``top_even``, limit), and whether the paper's order holds within the span of
    the basis (``hierarchy``, limit; see :meth:`~companion.distributions.BasisGram.summary`);
    the largest
    correlation between groups and within a group (``between``, ``within``, limit); the trace share
    of the basis (``share``, width ``m``); and the Table-1 error of each group at width ``mae_m``
    (``MAE_G1`` ... : the mean over the members of each group of :func:`companion.member_mae`,
    for one draw of :math:`W` and 100 inputs from the distribution).

    Every distribution's random numbers are seeded by ``seed`` and its position in
    ``companion.INPUT_DISTRIBUTIONS``, so a row does not change when ``dists`` is reordered or
    subset. The weights are one draw of :math:`W` (iid :math:`N(0, 1/m)`, seeded by ``seed``,
    ``d`` and ``m``) shared by every row.

    The paper's levels (eq. (5)), their order, the orthogonality of §2.3 and the errors of Table 1
    (§4), under the input distributions that §6 leaves open; beyond the paper: chapter
    ``distributions``.

    Parameters
    ----------
    d : int, default 10
        Input dimension, ``d >= 3``.
    m : int, default 500
        Width of the finite-width columns, ``m >= 1``.
    dists : tuple of str, default ``companion.INPUT_DISTRIBUTIONS``
        The distributions (rows), each one of ``companion.INPUT_DISTRIBUTIONS``.
    rho : float, default 0.5
        Correlation, as in :func:`companion.sample_distribution` (for ``ar1`` and
        ``equicorrelated``).
    k : int, optional
        Dimension of the subspace, as in :func:`companion.sample_distribution` (for ``subspace``).
    n : int, default 20000
        Monte Carlo samples of :func:`companion.basis_gram` at width ``m`` (non-Gaussian
        rows), ``n >= 2``.
    n_limit : int, default 100000
        Monte Carlo inputs of :func:`companion.basis_gram` in the limit, ``n_limit >= 2``.
    mae_m : int, default 10000
        Width of the Table-1 errors, ``mae_m >= 1``.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0`` of all the random numbers, or a Generator that one is drawn from.

    Returns
    -------
    pandas.DataFrame
        Indexed by distribution name, one column per quantity above (``G1``, ``G2``, ``G3``,
        ``lim_G1``, ``lim_G2``, ``lim_G3``, ``lim_G3_gamma``, ``lim_G3_ab``, ``G2_max``,
        ``G2_min``, ``G3_max``, ``G3_min``, ``top_even``, ``hierarchy``, ``between``,
        ``within``, ``share``, ``MAE_G1``, ``MAE_G2``, ``MAE_G3_gamma``, ``MAE_G3_ab``).

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``k``, ``n``, ``n_limit``, ``mae_m`` or ``seed`` is not an integer, or
        ``rho`` not a real number.
    ValueError
        If a name in ``dists`` is unknown, ``d < 3``, ``seed < 0``, ``rho`` or ``k`` is out of
        range, a size is below its minimum, or the Gram matrices would take more than half of
        the memory available (:func:`companion.basis_gram`).
    """
    import pandas as pd

    d = check_d(d)
    m = check_int(m, "m")
    seed = check_seed(rng)
    for dist in dists:
        _check_params(dist, d, rho, k, min_d=3)
    W = sample_weights(d, m, np.random.default_rng([seed, d, m]))
    rows = {}
    for dist in dists:
        i = INPUT_DISTRIBUTIONS.index(dist)  # seeded by name: a row does not depend on the others
        fin = basis_gram(
            dist, d, W=W, rho=rho, k=k, n=n, rng=np.random.default_rng([seed, i, 1])
        ).summary()
        lim = basis_gram(
            dist, d, rho=rho, k=k, n=n_limit, rng=np.random.default_rng([seed, i, 2])
        ).summary()
        mae = _limit_mae_under(
            dist, d, mae_m, rho=rho, k=k, rng=np.random.default_rng([seed, i, 3])
        )
        row = {f"{g}": fin["mean"][g] for g in ("G1", "G2", "G3")}
        row.update({f"lim_{g}": lim["mean"][g] for g in ("G1", "G2", "G3")})
        row.update({f"lim_{g}": float(lim["quotients"][g].mean()) for g in ("G3_gamma", "G3_ab")})
        row.update(
            {
                "G2_max": lim["levels"]["G2"].max(),
                "G2_min": lim["levels"]["G2"].min(),
                "G3_max": lim["levels"]["G3"].max(),
                "G3_min": lim["levels"]["G3"].min(),
                "top_even": lim["even_levels"][0],
                "hierarchy": lim["hierarchy"],
                "between": lim["between"],
                "within": lim["within"],
                "share": fin["share"],
            }
        )
        row.update({f"MAE_{g}": v for g, v in mae.items()})
        rows[dist] = row
    return pd.DataFrame.from_dict(rows, orient="index")


# --------------------------------------------------------------------------- empirical Fisher
@dataclass
class EmpiricalFisherStudy:
    r"""The empirical Fisher matrix :math:`\hat J_N` against :math:`J` over many draws (paper §6).

    Each draw takes new weights :math:`W` (unless ``m`` is None: infinite width) and, for every
    sample size :math:`N`, new inputs :math:`x_1..x_N \sim N(0, I_d)`, with
    :math:`\hat J_N = \frac1N\sum_n X(x_n)X(x_n)^\top`: the experiment of the paper's §6
    (:math:`d = 10`, :math:`N = 100` and :math:`1000`), repeated. With
    :math:`n_{top} = 1 + d + d(d+1)/2 - 1` (the three clusters), the arrays, keyed by :math:`N`,
    are listed below. Made by :func:`companion.empirical_fisher_study`; the constructor's
    parameters are the attributes.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int or None
        Width, or None for infinite width.
    draws : int
        Number of draws, ``>= 1``.
    sizes : tuple of int
        The sample sizes :math:`N`.
    eig_J : ndarray of shape (draws, n_top)
        Top eigenvalues of :math:`J`.
    eig_hat : dict
        Top eigenvalues of :math:`\hat J_N`, keyed by :math:`N`.
    q_J : ndarray of shape (draws, K)
        Rayleigh quotients under :math:`J`.
    q_hat : dict
        Rayleigh quotients under :math:`\hat J_N`, keyed by :math:`N`.
    labels : list of str
        Group of each basis vector.

    Attributes
    ----------
    d : int
        Input dimension.
    m : int or None
        Width (None: :math:`m = \infty`).
    draws : int
        Number of independent draws.
    sizes : tuple of int
        The sample sizes :math:`N`.
    eig_J : ndarray of shape (draws, n_top)
        Top eigenvalues of the exact :math:`J` (descending).
    eig_hat : dict of ndarray (draws, n_top)
        Top eigenvalues of :math:`\hat J_N` (descending). :math:`\hat J_N` has rank
        :math:`\le N`: when :math:`N < n_{top}` the sample carries only :math:`N` of the
        clustered eigenvalues, and the positions beyond :math:`N` are NaN (left out of
        :meth:`readings`), not zeros that would read as deviations of -100%.
    q_J : ndarray of shape (draws, K)
        Rayleigh quotients :math:`v^\top J v / v^\top v` of the :math:`K = d(d+3)/2` basis vectors
        (at infinite width :math:`\mathbb E[F^2]`, the exact group eigenvalues).
    q_hat : dict of ndarray (draws, K)
        The same under :math:`\hat J_N` (at infinite width :math:`\frac1N\sum_n F(x_n)^2`).
    labels : list of str
        Group of each basis vector (``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``), as
        :func:`companion.basis_labels`.
    """

    d: int
    m: int | None
    draws: int
    sizes: tuple
    eig_J: np.ndarray = field(repr=False)
    eig_hat: dict = field(repr=False)
    q_J: np.ndarray = field(repr=False)
    q_hat: dict = field(repr=False)
    labels: list = field(repr=False)

    @property
    def cluster(self) -> np.ndarray:
        """Cluster of every one of the top eigenvalues: "G1", "G2" or "G3"
        (:func:`companion.cluster_labels`), an array of shape (n_top,)."""
        return cluster_labels(self.d)

    def _check_N(self, N: object) -> int:
        if isinstance(N, bool) or not isinstance(N, numbers.Integral):
            raise TypeError(
                f"N must be an integer, one of the study's sizes {list(self.sizes)}, got {N!r}"
            )
        if int(N) not in self.sizes:
            raise ValueError(f"N must be one of the study's sizes {list(self.sizes)}, got {N}")
        return int(N)

    def eig_deviation(self, N: int, reference: str = "J") -> np.ndarray:
        r"""Relative deviations :math:`\hat\lambda_i/\lambda_i - 1` of the sorted top eigenvalues.

        ``reference="J"``: against the sorted eigenvalues of the exact :math:`J` (same :math:`W`);
        ``"theory"``: against the exact :math:`m\to\infty` group eigenvalue of the cluster of
        :math:`i`; ``"paper"``: against the paper's group eigenvalue (eq. (5)). Shape
        (draws, n_top); NaN at the positions beyond :math:`N` (see ``eig_hat``). ``N`` must be one
        of ``sizes``.

        Parameters
        ----------
        N : int
            Sample size, one of ``sizes``.
        reference : {"J", "theory", "paper"}, default "J"
            What :math:`\hat\lambda_i` is compared with.

        Returns
        -------
        ndarray of shape (draws, n_top)
            :math:`\hat\lambda_i/\lambda_i - 1` for every draw and position :math:`i`.

        Raises
        ------
        TypeError
            If ``N`` is not an integer.
        ValueError
            If ``N`` is not one of ``sizes`` or ``reference`` is unknown.
        """
        hat = self.eig_hat[self._check_N(N)]
        if reference == "J":
            return hat / self.eig_J - 1.0
        if reference not in ("theory", "paper"):
            raise ValueError(f"reference must be 'J', 'theory' or 'paper', got {reference!r}")
        lam = group_eigenvalues(self.d, exact=reference == "theory")
        level = np.array([lam["G3_ab" if c == "G3" else c] for c in self.cluster])
        return hat / level - 1.0

    def quotient_deviation(self, N: int) -> np.ndarray:
        r"""Relative deviations :math:`v^\top\hat J_N v / v^\top J v - 1` of the basis vectors,
        (draws, K).

        Parameters
        ----------
        N : int
            Sample size, one of ``sizes``.

        Returns
        -------
        ndarray of shape (draws, K)
            One deviation per draw and basis vector (in the order of ``labels``).

        Raises
        ------
        TypeError
            If ``N`` is not an integer.
        ValueError
            If ``N`` is not one of ``sizes``.
        """
        return self.q_hat[self._check_N(N)] / self.q_J - 1.0

    def reversals(self, N: int) -> dict[str, float]:
        r"""Share of draws in which some quotient of a lower group exceeds one of a higher group.

        ``"G2>G1"``: max G2 quotient above the G1 quotient; ``"G3>G2"``: max G3 quotient above the
        min G2 quotient; also ``"gap12"``, ``"gap23"``: the smallest ratio over draws of
        :math:`\hat\lambda_1/\hat\lambda_2` and :math:`\hat\lambda_{d+1}/\hat\lambda_{d+2}` (a
        ratio above 1 keeps the clusters apart in the spectrum; NaN when the sample does not carry
        both eigenvalues). ``N`` must be one of ``sizes``. The paper (§6) reports "no reversal
        of eigenvalue ordering".

        Parameters
        ----------
        N : int
            Sample size, one of ``sizes``.

        Returns
        -------
        dict of str to float
            ``"G2>G1"`` and ``"G3>G2"`` (shares of draws, in :math:`[0, 1]`), ``"gap12"`` and
            ``"gap23"`` (smallest ratios over draws).

        Raises
        ------
        TypeError
            If ``N`` is not an integer.
        ValueError
            If ``N`` is not one of ``sizes``.
        """
        lab = np.asarray(self.labels)
        g3 = np.char.startswith(lab.astype(str), "G3")
        N = self._check_N(N)
        q = self.q_hat[N]
        e = self.eig_hat[N]
        d = self.d
        return {
            "G2>G1": float(np.mean(q[:, lab == "G2"].max(1) > q[:, lab == "G1"].min(1))),
            "G3>G2": float(np.mean(q[:, g3].max(1) > q[:, lab == "G2"].min(1))),
            "gap12": float((e[:, 0] / e[:, 1]).min()),
            "gap23": float((e[:, d] / e[:, d + 1]).min()),
        }

    def readings(self, *, level: float = 0.95):
        r"""Several readings of "the eigenvalues deviate by :math:`\pm x\%`" for each :math:`N`.

        For every sample size and cluster (G1, G2, G3 and all), with deviations pooled over
        draws:

        * ``eig_vs_J``: sorted eigenvalues of :math:`\hat J_N` against those of :math:`J`
          (:meth:`eig_deviation` with ``reference="J"``);
        * ``eig_vs_theory``: against the exact :math:`m\to\infty` group eigenvalue
          (``reference="theory"``);
        * ``quotient``: Rayleigh quotients :math:`v^\top\hat J_N v` against :math:`v^\top J v`
          (:meth:`quotient_deviation`);

        and, for each, ``lo``/``hi`` (the central ``level`` interval of the deviations, in units
        of 1), ``typical`` (median of :math:`|\text{dev}|`) and ``max_median`` (the median over
        draws of the largest :math:`|\text{dev}|` in the cluster: "the error" one would read off
        one draw). Eigenvalues that a sample of size :math:`N < n_{top}` does not carry (NaN in
        the study) are left out; a cluster with none left gets NaN. The paper (§6) reports
        "within :math:`\pm 20\%`" at :math:`N = 1000` and "about :math:`\pm 50\%`" at
        :math:`N = 100` without saying which reading; beyond the paper: chapter
        ``distributions``.

        Parameters
        ----------
        level : float, default 0.95
            Coverage of the central interval ``lo``/``hi``, in :math:`(0, 1)`.

        Returns
        -------
        pandas.DataFrame
            Index (N, reading, cluster); columns ``lo``, ``hi``, ``typical``, ``max_median``
            (relative deviations, floats).

        Raises
        ------
        TypeError
            If ``level`` is not a real number.
        ValueError
            If ``level`` is not in :math:`(0, 1)`.
        """
        import pandas as pd

        level = check_real(level, "level", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
        a = (1.0 - level) / 2.0
        lab = np.asarray(self.labels)
        qcl = np.where(np.char.startswith(lab.astype(str), "G3"), "G3", lab)
        records = []
        for N in self.sizes:
            devs = {
                "eig_vs_J": (self.eig_deviation(N, "J"), self.cluster),
                "eig_vs_theory": (self.eig_deviation(N, "theory"), self.cluster),
                "quotient": (self.quotient_deviation(N), qcl),
            }
            for name, (dev, cl) in devs.items():
                for c in ("G1", "G2", "G3", "all"):
                    sel = np.ones(cl.size, bool) if c == "all" else cl == c
                    block = dev[:, sel]
                    # the positions the sample carries
                    block = block[:, np.all(np.isfinite(block), axis=0)]
                    if block.size == 0:
                        lo = hi = typical = max_median = np.nan
                    else:
                        lo, hi = np.quantile(block, [a, 1.0 - a])
                        typical = np.median(np.abs(block))
                        max_median = np.median(np.abs(block).max(axis=1))
                    records.append(
                        {
                            "N": N,
                            "reading": name,
                            "cluster": c,
                            "lo": float(lo),
                            "hi": float(hi),
                            "typical": float(typical),
                            "max_median": float(max_median),
                        }
                    )
        return pd.DataFrame(records).set_index(["N", "reading", "cluster"])


#: Bytes per draw of a study beyond its arrays: its generator and seed sequence (measured:
#: about 1 KiB).
_BYTES_PER_RNG = 2048


def _check_study_memory(d: int, m: int | None, sizes: tuple, draws: int, n_top: int, K: int):
    """Refuse (:func:`companion._validate.check_memory`) an :func:`empirical_fisher_study` whose
    memory does not fit, before any work: first the results of the draws (named ``draws``), then
    one draw's arrays (named ``N``, the largest of ``sizes``), as float64 counts.

    Per sample of the largest size: ``x`` (``d``); at a width ``m`` the features (``m``, also
    the previous size's) and the ``min(N, m)``-square matrices of the spectrum (``M``, the
    previous one, ``M / N``, the temporaries of ``fisher_spectrum``'s symmetry check and its
    copy: 7, each at most ``N m`` entries) and the ``N x K`` products of the quotients (2); at
    infinite width the ``N x N`` kernel matrices (7, each at most ``N max(sizes)``) and the limit
    functions, stacked and squared (3 ``K``). Fixed at a width: ``W``, ``V`` (with its parts
    while stacked), ``J V`` and ``J`` with the temporaries of its spectrum (5 ``m x m``).
    """
    n_max = max(sizes)
    if m is None:
        check_dense(n_max, "N")  # fisher_exact(x.T) is N x N
        per_input, fixed = d + 7 * n_max + 3 * K, 0
    else:
        check_dense(m)  # fisher_exact(W) is m x m
        per_input, fixed = d + 9 * m + 2 * K, d * m + 3 * m * K + 5 * m * m
    per_draw = 8.0 * (n_top + K) * (len(sizes) + 1) + _BYTES_PER_RNG
    check_memory(per_draw, "draws", draws)
    check_memory(
        8.0 * per_input, "N (the largest of sizes)", n_max, fixed=8.0 * fixed + per_draw * draws
    )


def empirical_fisher_study(
    d: int = 10,
    m: int | None = None,
    *,
    sizes: tuple[int, ...] = (100, 1000),
    draws: int = 100,
    rng: int | np.random.Generator = 0,
) -> EmpiricalFisherStudy:
    r"""Draw Gaussian samples ``draws`` times and compare :math:`\hat J_N` with :math:`J`
    (paper §6).

    :math:`\hat J_N = \frac1N\sum_{n}X(x_n)X(x_n)^\top` (:func:`companion.fisher_empirical`).

    * Finite width (``m`` an integer): each draw takes new weights :math:`W` and compares with the
      exact :math:`J(W)`. The nonzero eigenvalues of :math:`\hat J_N` are those of the ``N x N``
      matrix :math:`\frac1N \mathbf X\mathbf X^\top` when :math:`N < m`. The quotients use
      :math:`v^\top \hat J_N v = \frac1N\sum_{n} (X(x_n)^\top v)^2`.
    * Infinite width (``m=None``): :math:`\frac1N\mathbf X\mathbf X^\top` tends to
      :math:`\frac1N[k(x_a, x_b)]_{ab}` with the arc-cosine kernel :math:`k` of
      :func:`companion.fisher_exact` applied to the *inputs* (``fisher_exact(x.T)``), so the
      spectrum of :math:`\hat J_N` at :math:`m=\infty` is that of this ``N x N`` matrix; it is
      compared with the exact group eigenvalues (:func:`companion.group_eigenvalues`,
      ``exact=True``), and the quotients become :math:`\frac1N\sum_n F(x_n)^2` against
      :math:`\mathbb E[F^2]`.

    Same ``seed``, same numbers. The draws are made one after another; a study whose arrays
    (the features :math:`\mathbf X`, the ``N x N`` or ``m x m`` matrices of the spectra, the
    ``N x K`` products of the quotients, :math:`W`, :math:`V` and :math:`J`) would take more than
    half of the memory available is refused before any work.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int or None
        Hidden units, ``m >= d(d+3)/2`` (so that the three clusters exist), or None for
        :math:`m = \infty`.
    sizes : sequence of int
        Sample sizes :math:`N`, each ``>= 1`` (the paper: 100 and 1000). A sample of
        :math:`N < n_{top}` carries only :math:`N` eigenvalues; the others are NaN.
    draws : int
        Independent draws, ``>= 1``.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a Generator that one is drawn from: the draws come from
        ``numpy.random.SeedSequence([seed, d, m or 0])``.

    Returns
    -------
    EmpiricalFisherStudy
        The top eigenvalues and the Rayleigh quotients of :math:`J` and of every
        :math:`\hat J_N`, for every draw.

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``draws``, ``seed`` or a size is not an integer, or ``sizes`` is not a
        sequence.
    ValueError
        If ``d < 3``, ``m < d(d+3)/2``, ``sizes`` is empty, a size is below 1, ``draws < 1``,
        ``seed < 0``, ``m`` or (at infinite width) a size is above 16384 (a dense matrix of that
        side would exceed 2 GiB), or the study would take more than half of the memory
        available.
    """
    d = check_d(d)
    cluster = cluster_labels(d)
    n_top = cluster.size
    if m is not None:
        m = check_int(m, "m", minimum=n_top)
    if isinstance(sizes, (str, bytes)) or not np.iterable(sizes):
        raise TypeError(
            "sizes must be a sequence of sample sizes N (e.g. (100, 1000)), "
            f"got {type(sizes).__name__} {sizes!r}"
        )
    sizes = tuple(check_int(N, "N") for N in sizes)
    if not sizes:
        raise ValueError("sizes must list at least one sample size N")
    draws = check_int(draws, "draws")
    seed = check_seed(rng)
    labels = basis_labels(d)
    K = len(labels)
    _check_study_memory(d, m, sizes, draws, n_top, K)
    rngs = [
        np.random.default_rng(c) for c in np.random.SeedSequence([seed, d, m or 0]).spawn(draws)
    ]
    eig_J = np.empty((draws, n_top))
    q_J = np.empty((draws, K))
    eig_hat = {N: np.full((draws, n_top), np.nan) for N in sizes}
    q_hat = {N: np.empty((draws, K)) for N in sizes}
    if m is None:
        lam = group_eigenvalues(d, exact=True)
        eig_J[:] = [lam["G3_ab" if c == "G3" else c] for c in cluster]
        q_J[:] = [lam[g] for g in labels]
    for r, rng in enumerate(rngs):
        if m is not None:
            W = sample_weights(d, m, rng)
            V, _ = basis(W)
            vv = np.einsum("ik,ik->k", V, V)
            J = fisher_exact(W)
            eig_J[r] = np.maximum(fisher_spectrum(J, top=n_top), 0.0)
            q_J[r] = rayleigh_quotients(J, V)
        for N in sizes:
            x = rng.standard_normal((N, d))
            if m is None:
                M = fisher_exact(x.T)
                Phi = np.hstack([limit(x, g) for g in _BASIS_GROUPS])
                q_hat[N][r] = np.mean(Phi**2, axis=0)
            else:
                X = features(x, W)
                M = (X @ X.T) if N < m else (X.T @ X)
                q_hat[N][r] = np.mean((X @ V) ** 2, axis=0) / vv
            ev = np.maximum(
                fisher_spectrum(M / N, top=n_top), 0.0
            )  # rank <= N: min(N, n_top) of them
            eig_hat[N][r, : ev.size] = ev
    return EmpiricalFisherStudy(
        d=d,
        m=m,
        draws=draws,
        sizes=sizes,
        eig_J=eig_J,
        eig_hat=eig_hat,
        q_J=q_J,
        q_hat=q_hat,
        labels=labels,
    )
