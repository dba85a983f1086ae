"""Spherical-harmonic (Mercer) spectrum of the Fisher information as ``m -> oo``.

Section 1 of Ho, Takeishi & Takeuchi (arXiv 2505.17907v2) relates the three
leading eigenspaces of the Fisher information ``J = E_x[X X^T]`` to the
spherical harmonics of degree ``k <= 2``; this module computes the whole
degree-by-degree spectrum that the paper only approximates.

Setting.  ``x ~ N(0, I_d)``, columns ``w_i`` of ``W`` iid ``N(0, I_d / m)`` and
``X = relu(x^T W)``.  Then (a Gaussian integral, the arc-cosine kernel of
order 1)

    J_ij = ||w_i|| ||w_j|| g(cos theta_ij),
    g(t) = (sqrt(1 - t^2) + (pi - arccos t) t) / (2 pi),

``theta_ij`` the angle between ``w_i`` and ``w_j``.  Writing ``w_i = z_i / sqrt(m)``,
``J = (1/m) [k(z_i, z_j)]`` with ``k(z, z') = ||z|| ||z'|| g(z^ . z'^)``, so as
``m -> oo`` the spectrum of ``J`` tends to that of the integral operator of ``k``
on ``L^2(N(0, I_d))``.  Because ``||z||`` and ``z^ = z / ||z||`` are independent
under ``N(0, I_d)``, the functions ``||z|| Y_k(z^)`` (``Y_k`` a spherical harmonic of
degree ``k``) are eigenfunctions, with eigenvalue

    lambda_k = E||z||^2 mu_k = d mu_k,

where by the Funk--Hecke formula (uniform probability measure on ``S^{d-1}``)

    mu_k = (1 / B((d-1)/2, 1/2)) int_0^pi g(cos phi) P_k(cos phi) sin^{d-2}(phi) dphi,

``P_k(t) = C_k^{(d-2)/2}(t) / C_k^{(d-2)/2}(1)`` the Legendre polynomial of
dimension ``d``.  Every other direction in ``L^2`` (radial profiles orthogonal
to ``||z||``) is in the kernel.  Each ``lambda_k`` has multiplicity ``N(d, k)``.

Facts used as checks (see ``tests/test_harmonics.py``): the odd part of ``g`` is
exactly ``t / 4``, so ``lambda_1 = 1/4`` and ``lambda_k = 0`` for odd ``k >= 3``;
``sum_k N(d, k) lambda_k = d g(1) = d / 2`` (the limit of ``trace J``); and
Theorems 3.1 and 3.5 of the paper give ``lambda_0 = d^2 B(d/2, 1/2)^2 / (4 pi^2)``
and ``lambda_2 = lambda_0 / (d + 1)^2``.  The paper's approximations (Section 1
and eq. (5)) are ``(2d + 1) / (4 pi)``, ``1/4`` and ``1 / (2 pi (d + 2))``.
In fact ``lambda_{k+2} = lambda_k ((k - 1) / (k + d + 1))^2`` for even ``k``
(:func:`mercer_eigenvalues` with ``method="closed_form"``), so ``lambda_k ~ k^{-(d+2)}`` (the
``(1 - t)^{3/2}`` singularity of ``g`` at ``t = 1``) and the trace tail beyond
degree ``K`` is ``~ K^{-3}``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import binom, comb, eval_gegenbauer, gammaln, roots_legendre

from companion._validate import check_choice, check_d, check_int
from companion.limits import limit_constants

__all__ = [
    "multiplicity",
    "zonal_kernel",
    "mercer_eigenvalues",
    "closed_form_eigenvalues",
    "paper_eigenvalues",
    "paper_comparison",
    "trace_share",
]

#: The quadrature window keeps ``|phi - pi/2| <= a`` with ``sin^{d-2}(phi) >= exp(-_LOG_CUT)``
#: at its edges; the mass left out is below ``exp(-_LOG_CUT) ~ 2e-22`` of the total.
_LOG_CUT = 50.0

#: Largest ``kmax`` / ``n_nodes`` accepted (the quadrature is dense in both).
_MAX_KMAX = 10_000
_MAX_NODES = 200_000
#: Largest d for the quadrature: its absolute error (about 1e-15 lambda_0) is below 1e-6 of
#: lambda_2 ~ lambda_0 / d^2 up to here (measured 8e-7 relative at d = 10^9, 5e-5 at 10^12,
#: 0.13 at 10^15); the closed forms (closed_form_eigenvalues) hold for any d.
_MAX_D_QUADRATURE = 10**9
#: The quadrature's work is about kmax^2 n_nodes evaluations, this many seconds each (measured
#: on a 2-core machine: 2.5 s at kmax = 1000, n_nodes = 1786; 63 s at kmax = 3000); calls that
#: would take longer than _TIME_BUDGET seconds are refused before they start.
_SECONDS_PER_EVALUATION = 1.5e-9
_TIME_BUDGET = 120.0

#: Largest ``log C_kmax^{(d-2)/2}(1)`` accepted by the quadrature of :func:`mercer_eigenvalues`.
#: ``scipy.special.eval_gegenbauer`` returns the unnormalised ``C_k = C_k(1) P_k``, which
#: overflows once ``log C_k(1) > 709.78`` (e.g. ``k >= 135`` at ``d = 10^4``); 700 keeps a
#: margin of ``e^9``.  Up to the overflow the quotient ``P_k`` was measured accurate to
#: ``1e-13`` absolute.
_LOG_GEGENBAUER_MAX = 700.0


# --------------------------------------------------------------------------- #
# multiplicities
# --------------------------------------------------------------------------- #
def multiplicity(d: int, k: int) -> int:
    r"""Dimension :math:`N(d, k)` of the degree-:math:`k` spherical harmonics on :math:`S^{d-1}`.

    :math:`N(d, 0) = 1` and, for :math:`k \ge 1`,

    .. math::

       N(d, k) = \frac{2k + d - 2}{k}\binom{k + d - 3}{k - 1},

    e.g. :math:`N(d, 1) = d` and :math:`N(d, 2) = d(d + 1)/2 - 1`: the multiplicities
    :math:`1, d, d(d+1)/2 - 1` of the three eigenvalue groups in Section 1 of the paper
    (degrees :math:`k > 2`: beyond the paper, chapter harmonics).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    k : int
        Degree, ``k >= 0``.

    Returns
    -------
    int
        The exact (arbitrary-precision) integer ``N(d, k)``.

    Raises
    ------
    TypeError
        If ``d`` or ``k`` is not an integer.
    ValueError
        If ``d < 3`` or ``k < 0``.
    """
    d = check_d(d)
    k = check_int(k, "k", minimum=0)
    if k == 0:
        return 1
    num = (2 * k + d - 2) * comb(k + d - 3, k - 1, exact=True)
    value, rem = divmod(num, k)
    assert rem == 0, "N(d, k) must be an integer"
    return int(value)


# --------------------------------------------------------------------------- #
# the zonal kernel g
# --------------------------------------------------------------------------- #
def _sin_minus_x_cos(psi: np.ndarray) -> np.ndarray:
    """``sin(psi) - psi cos(psi)`` for ``psi`` in ``[0, pi]``, without cancellation at 0.

    For ``psi < 0.5`` the Taylor series
    ``sum_{n>=1} (-1)^{n+1} 2n psi^{2n+1} / (2n+1)!`` (8 terms, truncation
    ``< 1e-20`` relative) replaces the direct formula, whose relative round-off
    ``~ 3 eps / psi^2`` is ``< 3e-15`` for ``psi >= 0.5``.
    """
    psi = np.asarray(psi, dtype=np.float64)
    shape = psi.shape
    psi = psi.reshape(-1)
    out = np.sin(psi) - psi * np.cos(psi)
    small = psi < 0.5
    if np.any(small):
        p = psi[small]
        p2 = p * p
        series = np.zeros_like(p)
        for n in range(8, 0, -1):  # Horner in psi^2, innermost term first
            coef = (-1) ** (n + 1) * 2 * n / math.factorial(2 * n + 1)
            series = series * p2 + coef
        out[small] = series * p2 * p
    return out.reshape(shape)


def _g_from_psi(psi: np.ndarray) -> np.ndarray:
    """``g`` as a function of ``psi = arccos(-t) = pi - theta`` (angle to the antipode).

    ``g = (sin(psi) - psi cos(psi)) / (2 pi)``, identical to
    ``(sin theta + (pi - theta) cos theta) / (2 pi)`` with ``theta = pi - psi``.
    """
    return _sin_minus_x_cos(psi) / (2.0 * np.pi)


def zonal_kernel(t: ArrayLike) -> np.ndarray:
    r"""Zonal kernel :math:`g` of the Fisher information (Section 1 of the paper).

    .. math::

       g(t) = \frac{\sqrt{1 - t^2} + (\pi - \arccos t)\, t}{2\pi}, \qquad t \in [-1, 1],

    so that :math:`J_{ij} = \|w_i\|\,\|w_j\|\, g(\cos\theta_{ij})` (the closed form of
    :math:`J = \mathbb E_x[X X^\top]` of §2.2, :func:`companion.fisher_exact`); :math:`g(t)`
    equals :math:`\mathbb E[\sigma(x^\top a)\,\sigma(x^\top b)]` for unit vectors :math:`a, b`
    with :math:`a^\top b = t` and :math:`x \sim N(0, I)` (half the order-1 arc-cosine kernel).
    :math:`g(1) = 1/2`, :math:`g(0) = 1/(2\pi)`, :math:`g(-1) = 0` and
    :math:`g(t) - g(-t) = t/2`. The paper (Section 1) relates :math:`J` to the Mercer
    decomposition of this kernel without writing it out: beyond the paper, chapter harmonics.

    It is evaluated as :math:`(\sin\psi - \psi\cos\psi)/(2\pi)` with
    :math:`\psi = \arccos(-t)`, using a series for small :math:`\psi`, so that it stays
    accurate to a few ulps relative near :math:`t = -1` where :math:`g \sim \psi^3/(6\pi)`.

    Parameters
    ----------
    t : array_like
        Cosines in ``[-1, 1]``; round-off up to ``1e-12`` outside is clipped.

    Returns
    -------
    numpy.ndarray
        ``g(t)``, float64, same shape as ``t``.

    Raises
    ------
    ValueError
        If ``t`` contains NaN or values with ``|t| > 1 + 1e-12``.
    TypeError
        If ``t`` is not numeric.
    """
    try:
        arr = np.asarray(t, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"t must be an array of real numbers ({exc})") from None
    if np.any(np.isnan(arr)):
        raise ValueError("t must not contain NaN")
    if np.any(np.abs(arr) > 1.0 + 1e-12):
        raise ValueError(
            f"t must lie in [-1, 1] (cosines), got values up to |t| = {np.max(np.abs(arr))!r}"
        )
    arr = np.clip(arr, -1.0, 1.0)
    return _g_from_psi(np.arccos(-arr))


# --------------------------------------------------------------------------- #
# Legendre polynomials of dimension d
# --------------------------------------------------------------------------- #
def _log_gegenbauer_at_one(d: int, k: ArrayLike) -> np.ndarray:
    """``log C_k^{(d-2)/2}(1) = log Gamma(k + d - 2) - log Gamma(k + 1) - log Gamma(d - 2)``."""
    k = np.asarray(k, dtype=np.float64)
    return gammaln(k + (d - 2)) - gammaln(k + 1.0) - gammaln(d - 2.0)


def _check_gegenbauer_range(d: int, kmax: int) -> None:
    """Refuse a ``kmax`` whose ``C_kmax^{(d-2)/2}(1)`` exceeds ``exp(_LOG_GEGENBAUER_MAX)``.

    ``C_k(1)`` is non-decreasing in ``k`` (ratio ``(k + d - 2) / (k + 1) >= 1``) and
    in ``d``, so the largest admissible degree is a count.
    """
    log_c = _log_gegenbauer_at_one(d, np.arange(kmax + 1))
    if log_c[-1] > _LOG_GEGENBAUER_MAX:
        largest = int(np.count_nonzero(log_c <= _LOG_GEGENBAUER_MAX)) - 1
        raise ValueError(
            f"kmax = {kmax} is too large for d = {d}: C_kmax^((d-2)/2)(1) = exp({log_c[-1]:.1f}) "
            "overflows float64 in scipy.special.eval_gegenbauer; "
            f"at d = {d} kmax must be <= {largest} "
            "(every kmax <= 100 is accepted for d <= 10^4)"
        )


def _legendre_rows(d: int, kmax: int, t: np.ndarray) -> np.ndarray:
    """Legendre polynomials of dimension ``d``: rows ``P_0(t), ..., P_kmax(t)`` (no checks).

    ``P_k = C_k^{(d-2)/2} / C_k^{(d-2)/2}(1)``, so ``P_k(1) = 1``, and ``P_k(u . v)`` is the
    reproducing kernel of the degree-``k`` harmonics on ``S^{d-1}`` divided by ``N(d, k)``
    (the Funk--Hecke kernels of the Mercer decomposition).  One broadcast call of
    ``scipy.special.eval_gegenbauer`` (integer degrees along the first axis, the points
    along the others) divided by ``C_k^{(d-2)/2}(1) = binom(k + d - 3, k)``
    (``scipy.special.binom``); shape ``(kmax + 1,) + t.shape``.

    Accuracy.  For ``|t| >= 1e-5`` scipy's ``eval_gegenbauer`` runs the recurrence of the
    normalised polynomial and multiplies it by this same ``binom``, so the quotient is the
    normalised value to round-off; the log form
    ``exp(gammaln(k + 2 alpha) - gammaln(k + 1) - gammaln(2 alpha))`` differs from that
    ``binom`` by ``~ eps gammaln(k + 2 alpha)`` relative (measured ``2e-12`` at ``d = 10^3``,
    ``3e-11`` at ``d = 10^4``, ``k <= 100``, also in ``P_k(1)``), so it is used only to check
    the range.  Measured absolute error
    against exact rational values (``k <= 100``, ``t`` in ``[-1, 1]``): ``<= 2e-13`` at
    ``d = 3`` (that of ``eval_gegenbauer`` / ``eval_legendre``), ``<= 2e-14`` for ``d >= 7``.
    Near ``t = 0`` at large ``d``, where ``P_k ~ d^{-k/2}`` is small, the error is ``~ eps``
    times the ``O(|t|)`` terms of scipy's recurrence rather than ``eps |P_k|``.

    Range.  The numerator ``C_k(t)`` is as large as ``C_k(1)``, which overflows float64 when
    ``log C_kmax(1) > 709.78``; the callers first refuse ``log C_kmax(1) > 700``
    (:func:`_check_gegenbauer_range`): every ``kmax <= 100`` passes for ``d <= 10^4``
    (``log C_100(1) = 558`` at ``d = 10^4``), every ``kmax <= 10^4`` for ``d <= 134``, but
    e.g. only ``kmax <= 131`` at ``d = 10^4`` and ``kmax <= 87`` at ``d = 10^5``.  The cost
    is ``O(kmax^2)`` per point (``eval_gegenbauer`` recurs up to each degree separately).
    """
    # integer degrees (C long) select scipy's integer-order evaluation, not hyp2f1
    k = np.arange(kmax + 1, dtype="l").reshape((-1,) + (1,) * t.ndim)
    return eval_gegenbauer(k, 0.5 * (d - 2), t) / binom(k + (d - 3), k)


# --------------------------------------------------------------------------- #
# Mercer eigenvalues by quadrature
# --------------------------------------------------------------------------- #
def _check_time(d: int, kmax: int, n_nodes: int, default_nodes: bool) -> None:
    """Refuse a quadrature that would run longer than ``_TIME_BUDGET`` (one long call into
    SciPy that Ctrl-C cannot stop), naming the largest ``kmax`` that fits."""

    def seconds(k: int) -> float:
        n = _default_n_nodes(d, k) if default_nodes else n_nodes
        return _SECONDS_PER_EVALUATION * (k + 1) ** 2 * n

    if seconds(kmax) <= _TIME_BUDGET:
        return
    lo, hi = 0, kmax  # seconds(lo) fits, seconds(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if seconds(mid) <= _TIME_BUDGET else (lo, mid)
    raise ValueError(
        f"kmax = {kmax} would take about {seconds(kmax) / 60:.0f} minutes "
        f"(kmax^2 x n_nodes quadrature work); kmax must be <= {lo} here "
        f"(a budget of {_TIME_BUDGET / 60:.0f} minutes)"
    )


def _window(d: int) -> float:
    """Half-width ``a`` of the window ``|phi - pi/2| <= a`` used for quadrature.

    ``cos(a)^{d-2} = exp(-_LOG_CUT)``, i.e. the weight at the edge is
    ``exp(-50) ~ 2e-22`` of its peak (``a = pi/2`` for ``d = 3``).
    """
    return float(min(np.pi / 2, np.arccos(np.exp(-_LOG_CUT / (d - 2)))))


def _default_n_nodes(d: int, kmax: int) -> int:
    """Default number of Gauss--Legendre nodes of the quadrature (checked ``d``, ``kmax``).

    On the window ``|phi - pi/2| <= a`` (:func:`_window`) the integrand is an analytic
    function made of a Gaussian-like envelope ``sin^{d-2} phi`` and ``P_k(cos phi)``, which
    oscillates with angular frequency ``~ k``.  The rule ``n = ceil(1.1 kmax a) + 60``
    (``~1.1`` nodes per radian per unit of frequency, plus 60 for the envelope and for ``g``)
    keeps a margin of at least 1.4 over the fewest nodes that reach ``1e-14 lambda_0`` in a
    scan of ``3 <= d <= 10^4``, ``kmax <= 100`` (those were ``~kmax + 5`` for small ``d`` and
    ``~41`` for large ``d``); see the convergence test in ``tests/test_harmonics.py``.
    """
    return int(math.ceil(1.1 * kmax * _window(d))) + 60


def mercer_eigenvalues(
    d: int, kmax: int, *, method: str = "quadrature", n_nodes: int | None = None
) -> np.ndarray:
    r"""Eigenvalues :math:`\lambda_0, \dots, \lambda_{k_{\max}}` of :math:`J` as :math:`m\to\infty`.

    One eigenvalue per degree :math:`k` of the spherical harmonics.

    :math:`\lambda_k = d\,\mu_k` is the eigenvalue of the limit operator with
    kernel :math:`\|z\|\,\|z'\|\, g(\hat z^\top \hat z')` on :math:`L^2(N(0, I_d))` for the
    eigenfunctions :math:`\|z\|\, Y_k(\hat z)` (Section 1 of the paper: :math:`k = 0, 1, 2`
    give :math:`\|x\|`, :math:`x_l` and :math:`x_\alpha x_\beta / \|x\|`), with multiplicity
    :math:`N(d, k)`, and

    .. math::

       \mu_k = \frac{1}{B(\frac{d-1}{2}, \frac12)} \int_0^\pi g(\cos\phi)\, P_k(\cos\phi)\,
       \sin^{d-2}\phi \, d\phi,

    :math:`P_k = C_k^{(d-2)/2} / C_k^{(d-2)/2}(1)` the Legendre polynomial of dimension
    :math:`d`.  The paper identifies degrees :math:`k \le 2` only approximately (and quotes
    :math:`\lambda_k = O(k^{-d})` from the NTK literature); the whole spectrum is beyond the
    paper: chapter harmonics.  Two independent computations:

    ``method="quadrature"`` (the default): Gauss--Legendre quadrature of the integral in
    ``phi`` (the integrand is analytic in ``phi``) on the window ``|phi - pi/2| <= a``
    outside which ``sin^{d-2} phi < 2e-22``.  The weight is formed in log form,
    ``exp((d-2) log sin phi)`` with ``log sin phi = log1p(-2 sin^2(x/2))``,
    ``x = phi - pi/2`` (finite and accurate for large ``d``), and divided by its
    own quadrature sum, which equals ``B((d-1)/2, 1/2)`` to round-off (more
    accurately than ``exp(betaln(...))``, off by up to ``~1e-11`` relative for
    ``d <= 10^4``).  ``P_k`` comes from ``scipy.special.eval_gegenbauer`` (integer degrees,
    broadcast over all degrees and nodes at once) divided by
    :math:`C_k^{(d-2)/2}(1) = \binom{k + d - 3}{k}`; the numerator overflows float64 when
    :math:`\log C_{k_{\max}}^{(d-2)/2}(1) > 709.78`, so ``kmax`` is limited to
    ``log C_kmax^{(d-2)/2}(1) <= 700``: any ``kmax <= 100`` for ``d <= 10^4``, every
    ``kmax <= 10^4`` for ``d <= 134``, but only ``kmax <= 131`` at ``d = 10^4``.  The cost
    grows like ``kmax^2 n_nodes`` (about 0.2 s at ``kmax = 400``, 3 s at ``kmax = 1000``);
    calls that would take over two minutes are refused.  Accuracy: absolute error
    ``<= 1e-15 lambda_0`` measured (``1e-14`` tested, against exact rational values) for
    ``d <= 10^4``, ``kmax <= 100`` with the default ``n_nodes``.  Hence ``lambda_k`` for
    large ``k`` (which decays like ``k^{-(d+2)}``) is known only to that *absolute*
    accuracy, and odd ``k >= 3`` (exactly 0) come out as round-off ``~ 1e-17``.
    The same holds for small ``lambda_k`` at large ``d``: ``lambda_2 = lambda_0 / (d+1)^2``
    is accurate to ``~1e-14`` relative for ``d <= 100`` but only ``5e-12`` at
    ``d = 10^3`` and ``1e-8`` at ``d = 10^4`` (``lambda_4``: ``6e-8`` and ``2e-4``).

    ``method="closed_form"``: since :math:`g(u^\top v) = \mathbb E[\sigma(x^\top u)
    \sigma(x^\top v)] = d\, \mathbb E_s[\sigma(s^\top u)\sigma(s^\top v)]` (:math:`s`
    uniform on :math:`S^{d-1}`), Funk--Hecke gives :math:`\lambda_k = d^2 \nu_k^2` with
    :math:`\nu_k` the Funk--Hecke eigenvalue of :math:`\sigma` itself; Rodrigues' formula and
    two integrations by parts give :math:`\nu_1 = 1/(2d)`, :math:`\nu_k = 0` for odd
    :math:`k \ge 3` and, for even :math:`k`, the recursion

    .. math::

       \lambda_{k+2} = \lambda_k \left(\frac{k - 1}{k + d + 1}\right)^2,
       \qquad k = 0, 2, 4, \dots,

    started from :math:`\lambda_0 = d^2 B(d/2, 1/2)^2 / (4\pi^2)` (Theorem 3.1), which
    reproduces :math:`\lambda_2 = \lambda_0 / (d + 1)^2` (Theorem 3.5) and shows
    :math:`\lambda_k \sim k^{-(d+2)}`.  The product is accumulated in logarithms (no
    underflow before the true value leaves the float range), so every entry is accurate
    *relative* to itself, which :func:`companion.trace_share` needs for large ``kmax`` and
    ``d``: the product adds ``<= 2e-13`` (measured, ``k <= 100``) to the relative error of
    ``lambda_0`` from :func:`companion.closed_form_eigenvalues` (round-off for
    ``d <= 342``, ``<= 2.3e-11`` for ``d <= 10^4``, ``<= 3e-10`` for
    ``d <= 10^5``, all entries shifted by the same factor).  Odd ``k >= 3`` are
    exactly ``0.0``; any ``d >= 3`` and ``kmax <= 10^4`` are accepted.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3`` (``d <= 10^9`` for the quadrature).
    kmax : int
        Highest degree, ``0 <= kmax <= 10^4`` (and ``log C_kmax^{(d-2)/2}(1) <= 700`` for the
        quadrature).
    method : {"quadrature", "closed_form"}, default "quadrature"
        Gauss--Legendre quadrature of the Funk--Hecke integral (error absolute, a fraction
        of :math:`\lambda_0`), or the recursion (error relative to each :math:`\lambda_k`).
    n_nodes : int, optional
        Number of quadrature nodes, ``1 <= n_nodes <= 200000``; by default
        :math:`\lceil 1.1\, k_{\max}\, a \rceil + 60` with
        :math:`a = \min(\pi/2, \arccos e^{-50/(d-2)})` the half-width of the window.
        Only with ``method="quadrature"``.

    Returns
    -------
    numpy.ndarray
        Shape ``(kmax + 1,)``; entry ``k`` is ``lambda_k``, float64.

    Raises
    ------
    ValueError
        If ``d < 3``, ``kmax`` or ``n_nodes`` is out of range (including
        ``C_kmax^{(d-2)/2}(1)`` too large for float64, or a quadrature longer than two
        minutes), ``method`` is unknown, or ``n_nodes`` is given with
        ``method="closed_form"``.
    TypeError
        If ``d``, ``kmax`` or ``n_nodes`` is not an integer.
    """
    d = check_d(d)
    kmax = check_int(kmax, "kmax", minimum=0, maximum=_MAX_KMAX)
    check_choice(method, "method", ("quadrature", "closed_form"))
    if method == "closed_form":
        if n_nodes is not None:
            raise ValueError("n_nodes is a parameter of the quadrature, not of the closed form")
        return np.exp(_log_closed_form(d, kmax))
    default_nodes = n_nodes is None
    if n_nodes is None:
        n_nodes = _default_n_nodes(d, kmax)
    n_nodes = check_int(n_nodes, "n_nodes", minimum=1, maximum=_MAX_NODES)
    if d > _MAX_D_QUADRATURE:
        raise ValueError(
            f"d must be <= {_MAX_D_QUADRATURE} for the quadrature, got {d} (beyond, its error "
            'exceeds the eigenvalues of degree 2; method="closed_form" holds for any d)'
        )
    _check_time(d, kmax, n_nodes, default_nodes)
    _check_gegenbauer_range(d, kmax)

    a = _window(d)
    s, w_gl = roots_legendre(n_nodes)
    x = a * s  # phi - pi/2
    w_gl = a * w_gl
    log_sin_phi = np.log1p(-2.0 * np.sin(0.5 * x) ** 2)  # log cos x = log sin(phi)
    weight = w_gl * np.exp((d - 2) * log_sin_phi)  # in (0, 1]: never overflows
    # Normalise by the quadrature of the weight itself, i.e. by B((d-1)/2, 1/2)
    # up to e^-50: the quadrature errors of numerator and denominator cancel and the
    # ratio is exact to round-off, whereas scipy's betaln((d-1)/2, 1/2) loses a few
    # ulps of gammaln(d/2) (up to ~1e-11 relative, after exp, for d <= 10^4).
    weight = weight / math.fsum(weight)
    t = -np.sin(x)  # cos(phi)
    g = _g_from_psi(0.5 * np.pi - x)  # psi = pi - phi
    P = _legendre_rows(d, kmax, t)  # (kmax + 1, n_nodes)
    mu = P @ (weight * g)
    return d * mu


# --------------------------------------------------------------------------- #
# comparison with the paper
# --------------------------------------------------------------------------- #
def closed_form_eigenvalues(d: int) -> np.ndarray:
    r"""Closed forms of :math:`\lambda_0, \lambda_1, \lambda_2` from the paper's limit functions.

    .. math::

       \lambda_0 = d\,c_0^2 = \frac{d^2 B(\frac d2, \frac12)^2}{4\pi^2}, \qquad
       \lambda_1 = \frac14, \qquad
       \lambda_2 = \frac{c_3^2}{d + 2} = \frac{\lambda_0}{(d + 1)^2},

    the squared :math:`L^2(N(0, I_d))` norms of :math:`F_0 = c_0\|x\|` (Theorem 3.1,
    eq. (6); :math:`\mathbb E\|x\|^2 = d`), :math:`F_l = x_l / 2` (Theorem 3.2) and
    :math:`F_{\alpha\beta} = c_3 x_\alpha x_\beta / \|x\|` (Theorem 3.5, eq. (9);
    :math:`\mathbb E[x_\alpha^2 x_\beta^2 / \|x\|^2] = 1 / (d + 2)`), with
    :math:`c_0 = \sqrt d\, B(\frac d2, \frac12) / (2\pi)` and
    :math:`c_3 = d\sqrt{d + 2}\, B(\frac d2, \frac12) / (2\pi(d + 1))` taken from
    :func:`companion.limit_constants` (log form, ``scipy.special.betaln``).  The paper's §3
    computes the same norms before approximating :math:`B`.  This
    is the single source of the exact group eigenvalues
    (:func:`companion.group_eigenvalues` with ``exact=True``).

    Accuracy: ``betaln(d/2, 1/2)`` is at round-off for ``d <= 342``; beyond, scipy
    forms it as a difference of ``gammaln`` values and loses a few ulps of
    ``gammaln((d+1)/2)``: measured ``|error of log B| <= 1.7 eps gammaln((d+1)/2)``,
    i.e. up to ``1.1e-11`` for ``d <= 10^4`` and ``1.5e-10`` for ``d <= 10^5``;
    ``lambda_0`` and ``lambda_2`` (``~ B^2``) carry twice that relative error.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    numpy.ndarray
        Shape ``(3,)``: :math:`\lambda_0, \lambda_1, \lambda_2`, float64.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    c = limit_constants(d)
    return np.array([d * c["c0"] ** 2, 0.25, c["c3"] ** 2 / (d + 2.0)])


def _log_closed_form(d: int, kmax: int) -> np.ndarray:
    """``log lambda_k`` (``-inf`` for odd ``k >= 3``) from the closed form (no checks)."""
    out = np.full(kmax + 1, -np.inf)
    out[0] = math.log(closed_form_eigenvalues(d)[0])  # lambda_0 = d c_0^2 ~ d / (2 pi): no overflow
    if kmax >= 1:
        out[1] = math.log(0.25)
    even = np.arange(0, kmax - 1, 2, dtype=np.float64)  # k with k + 2 <= kmax
    if even.size:
        steps = 2.0 * (np.log(np.abs(even - 1.0)) - np.log(even + d + 1.0))
        out[2 : kmax + 1 : 2] = out[0] + np.cumsum(steps)
    return out


def paper_eigenvalues(d: int) -> np.ndarray:
    r"""The paper's approximate eigenvalues for degrees 0, 1, 2 (Section 1, eq. (5)).

    .. math::

       \frac{2d + 1}{4\pi}, \qquad \frac14, \qquad \frac{1}{2\pi(d + 2)},

    with multiplicities :math:`1, d, d(d + 1)/2 - 1`.  They follow from
    :func:`companion.closed_form_eigenvalues` with
    :math:`B(d/2, 1/2) \approx \sqrt{\pi(2d + 1)}/d` and, for :math:`k = 2`,
    :math:`(2d + 1) / (2(d + 1)^2) \approx 1 / (d + 2)` (§3).  This is the single
    source of the paper's group eigenvalues (:func:`companion.group_eigenvalues`).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    numpy.ndarray
        Shape ``(3,)``: the three values above, float64.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    return np.array([(2 * d + 1) / (4 * np.pi), 0.25, 1.0 / (2 * np.pi * (d + 2))])


def paper_comparison(d: int) -> dict[str, np.ndarray]:
    r"""Degrees 0, 1, 2: exact :math:`m \to \infty` eigenvalues against the paper's approximations.

    ``exact`` is :func:`companion.mercer_eigenvalues` (quadrature); ``closed_form`` is
    :func:`companion.closed_form_eigenvalues`
    (:math:`\lambda_0 = d c_0^2 = d^2 B(d/2, 1/2)^2 / (4\pi^2)`, :math:`1/4`,
    :math:`c_3^2 / (d + 2) = \lambda_0 / (d + 1)^2`, from Theorems 3.1, 3.2, 3.5); ``paper``
    is :func:`companion.paper_eigenvalues`, which follows from the closed form with
    :math:`B(d/2, 1/2) \approx \sqrt{\pi(2d + 1)}/d` and, for :math:`k = 2`, also
    :math:`(2d + 1) / (2(d + 1)^2) \approx 1 / (d + 2)` (Section 3).  The paper's values
    are low by :math:`\sim 1/(8d^2)` (:math:`k = 0`) and :math:`\sim 1/(2d)` (:math:`k = 2`),
    relative.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.

    Returns
    -------
    dict of str to numpy.ndarray
        Keys ``"k"``, ``"multiplicity"`` (int arrays), ``"exact"``,
        ``"closed_form"``, ``"paper"`` and ``"rel_diff"`` =
        ``(paper - exact) / exact`` (float arrays), each of length 3.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    exact = mercer_eigenvalues(d, 2)
    closed = closed_form_eigenvalues(d)
    paper = paper_eigenvalues(d)
    return {
        "k": np.arange(3),
        "multiplicity": np.array([multiplicity(d, k) for k in range(3)], dtype=np.int64),
        "exact": exact,
        "closed_form": closed,
        "paper": paper,
        "rel_diff": (paper - exact) / exact,
    }


def trace_share(d: int, kmax: int = 2, *, paper: bool = False) -> float:
    r"""Share of :math:`\operatorname{tr} J` (as :math:`m\to\infty`) carried by degrees ``<= kmax``.

    .. math::

       \text{share} = \frac{\sum_{k \le k_{\max}} N(d, k)\, \lambda_k}{d / 2},

    since :math:`\operatorname{tr} J \to \sum_k N(d, k)\,\lambda_k = d\, g(1) = d / 2`.  For
    ``kmax = 2`` this is the exact counterpart of the paper's "97.7 %"
    (Section 1): it decreases from :math:`127/128` at :math:`d = 3` to
    :math:`1/2 + 3/(2\pi) = 0.97746\ldots` as :math:`d \to \infty`, approximately
    :math:`+0.08/d` above the limit for large :math:`d`.

    The terms use :func:`companion.mercer_eigenvalues` with ``method="closed_form"`` (relative
    accuracy for every ``k``), combined in logarithms as ``exp(log N(d, k) + log lambda_k)``
    so that neither the huge ``N(d, k) ~ k^{d-2}`` nor the tiny ``lambda_k``
    overflows.  The quadrature (``method="quadrature"``) gives the same
    numbers while ``N(d, k) * 1e-15 lambda_0`` is negligible (small ``d`` or
    ``kmax``), but its absolute error would swamp the sum for large ``kmax``
    at large ``d``.

    With ``paper=True`` the :math:`\lambda_k` are the paper's approximations
    (:func:`companion.paper_eigenvalues`), so ``kmax <= 2``.  Since
    :math:`d(d + 1)/2 - 1 = (d + 2)(d - 1)/2`, the numerator for ``kmax = 2`` is then
    :math:`\frac{2d + 1}{4\pi} + \frac d4 + \frac{d(d + 1)/2 - 1}{2\pi(d + 2)}
    = \frac{3d}{4\pi} + \frac d4`, and the share is :math:`1/2 + 3/(2\pi) = 0.97746\ldots`
    (the paper's 97.7 %) for *every* :math:`d`; the exact share is larger and decreases to the
    same limit.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    kmax : int, default 2
        Highest degree included, ``0 <= kmax <= 10^4`` (``<= 2`` with ``paper=True``).
    paper : bool, default False
        Use the paper's approximate eigenvalues instead of the exact ones.

    Returns
    -------
    float
        The share, in :math:`(0, 1]`, of the limit :math:`d/2` of :math:`\operatorname{tr} J`
        carried by the eigenvalues of degrees :math:`0, \dots, k_{\max}` (with their
        multiplicities).

    Raises
    ------
    TypeError
        If ``d`` or ``kmax`` is not an integer, or ``paper`` not a bool.
    ValueError
        If ``d < 3``, ``kmax < 0``, ``kmax > 10^4``, or ``kmax > 2`` with ``paper=True``.
    """
    if not isinstance(paper, (bool, np.bool_)):
        raise TypeError(f"paper must be True or False, got {type(paper).__name__}")
    d = check_d(d)
    kmax = check_int(kmax, "kmax", minimum=0, maximum=2 if paper else _MAX_KMAX)
    if paper:
        lam = paper_eigenvalues(d)[: kmax + 1]
        mult = [multiplicity(d, k) for k in range(kmax + 1)]
        return float(sum(n * lam_k for n, lam_k in zip(mult, lam, strict=True)) / (d / 2))
    log_lam = _log_closed_form(d, kmax)
    terms = [
        math.exp(math.log(multiplicity(d, k)) + log_lam[k])
        for k in range(kmax + 1)
        if np.isfinite(log_lam[k])
    ]
    return math.fsum(terms) / (d / 2)
