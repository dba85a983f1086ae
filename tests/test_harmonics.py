"""Tests of :mod:`companion.harmonics` (Section 1 of arXiv 2505.17907v2).

Every quantity is checked against a computation that does not go through the
code under test:

* multiplicities against the count of harmonic polynomials;
* ``g`` against the naive formula, the integral ``int_0^psi s sin s ds`` and a
  Monte Carlo estimate of ``E[relu(x.a) relu(x.b)]``;
* ``P_k`` against exact integer-arithmetic values of the explicit sum for
  ``C_k^{(d-2)/2}``, against ``eval_legendre`` (``d = 3``) and the addition theorem;
* ``lambda_k`` against an exact rational-arithmetic formula (derived below),
  the paper's closed forms, the trace sum rule and a finite-``m`` Fisher matrix.

Tolerances on ``lambda_0`` (and ``lambda_2 = lambda_0 / (d + 1)^2``) from the closed
form follow ``_betaln_rtol``: :func:`companion.closed_form_eigenvalues` takes
``B(d/2, 1/2)`` from ``scipy.special.betaln``, which is not at round-off for large ``d``.

Reference formula for ``lambda_k``.  ``g(u.v) = E[relu(x.u) relu(x.v)]`` and
``x = r s`` (``r = ||x||``, ``s`` uniform on the sphere, independent) give
``g(u.v) = d E_s[relu(s.u) relu(s.v)]``, so by Funk--Hecke ``mu_k = d nu_k^2``
with ``nu_k`` the Funk--Hecke eigenvalue of ``relu`` itself, and
``lambda_k = d mu_k = d^2 nu_k^2``.  With Rodrigues' formula
``P_k(t) (1-t^2)^{(d-3)/2} = (-1/2)^k Gamma((d-1)/2) / Gamma(k+(d-1)/2) D^k (1-t^2)^{k+(d-3)/2}``
and two integrations by parts, for even ``k >= 2`` (``j = (k-2)/2``,
``beta = k + (d-3)/2``)

    nu_k = (1/2)^k (-1)^j binom(beta, j) (2j)! / poch((d-1)/2, k) / B((d-1)/2, 1/2),

``nu_0 = 1 / ((d-1) B((d-1)/2, 1/2))``, ``nu_1 = 1/(2d)`` and ``nu_k = 0`` for odd
``k >= 3``.  ``1 / B((d-1)/2, 1/2)`` is rational for odd ``d`` and rational / pi for
even ``d``, so ``lambda_k`` is evaluated exactly with :class:`fractions.Fraction`.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.sparse.linalg import eigsh
from scipy.special import betaln, comb, eval_gegenbauer, eval_legendre, gammaln, roots_legendre

import companion as cp
from companion import harmonics as H

LIMIT_SHARE = 0.5 + 3 / (2 * math.pi)  # the paper's 97.7 %
DIMS = [3, 5, 10, 50, 100, 1000, 10000]


# --------------------------------------------------------------------------- #
# independent references
# --------------------------------------------------------------------------- #
@functools.cache
def _inv_beta(d: int) -> tuple[Fraction, int]:
    """``1 / B((d-1)/2, 1/2) = R / pi^e`` exactly: returns ``(R, e)``."""
    if d % 2:  # d = 2n + 1: Gamma(n + 1/2) / (Gamma(n) sqrt(pi))
        n = (d - 1) // 2
        return Fraction(math.factorial(2 * n), 4**n * math.factorial(n) * math.factorial(n - 1)), 0
    n = d // 2  # d = 2n: Gamma(n) / (Gamma(n - 1/2) sqrt(pi))
    return Fraction(4 ** (n - 1) * math.factorial(n - 1) ** 2, math.factorial(2 * n - 2)), 1


@functools.cache
def exact_lambda(d: int, k: int) -> float:
    """``lambda_k = d^2 nu_k^2`` in exact rational arithmetic (module docstring)."""
    if k == 1:
        return 0.25
    if k % 2:
        return 0.0
    R, e = _inv_beta(d)
    if k == 0:
        nu = R / (d - 1)
    else:
        j = (k - 2) // 2
        beta = k + Fraction(d - 3, 2)
        poch = math.prod((Fraction(d - 1, 2) + i for i in range(k)), start=Fraction(1))
        binom = math.prod(
            (beta - j + i for i in range(1, j + 1)), start=Fraction(1)
        ) / math.factorial(j)
        nu = Fraction(1, 2**k) * binom * math.factorial(2 * j) / poch * R
    return float(d * d * nu * nu) / math.pi ** (2 * e)


def exact_log_beta_half(d: int) -> float:
    """``log B(d/2, 1/2)`` from exact factorials."""
    if d % 2 == 0:  # Gamma(n) sqrt(pi) / Gamma(n + 1/2)
        n = d // 2
        R, e = Fraction(math.factorial(n - 1) * 4**n * math.factorial(n), math.factorial(2 * n)), 0
    else:  # Gamma(n + 1/2) sqrt(pi) / Gamma(n + 1)
        n = (d - 1) // 2
        R, e = Fraction(math.factorial(2 * n), 4**n * math.factorial(n) ** 2), 1
    return math.log(float(R)) + e * math.log(math.pi)  # float(Fraction) is correctly rounded


def exact_legendre_d(d: int, kmax: int, ts: list[tuple[int, int]]) -> np.ndarray:
    """``P_k(p / q)``, ``k = 0..kmax``, for each ``(p, q)`` in ``ts``, in exact integer arithmetic.

    From the explicit sum ``C_n^a(t) = sum_j (-1)^j poch(a, n-j) (2t)^{n-2j} / (j! (n-2j)!)``
    with ``a = (d-2)/2``: multiplied by ``n! 2^{floor(n/2)}`` every coefficient is an
    integer ``N_j``, so ``P_n(p/q) = sum_j N_j p^{n-2j} q^{2j} / (q^n sum_j N_j)``, a ratio
    of integers that Python rounds correctly to float.
    """
    h = d - 2  # 2 a
    prods = [1]  # prods[m] = prod_{i<m} (h + 2i) = 2^m poch(a, m)
    for i in range(kmax):
        prods.append(prods[-1] * (h + 2 * i))
    out = np.empty((kmax + 1, len(ts)))
    for n in range(kmax + 1):
        N = [
            (-1) ** j
            * prods[n - j]
            * 2 ** (n // 2 - j)
            * (math.factorial(n) // (math.factorial(j) * math.factorial(n - 2 * j)))
            for j in range(n // 2 + 1)
        ]
        c1 = sum(N)
        for i, (p, q) in enumerate(ts):
            out[n, i] = sum(Nj * p ** (n - 2 * j) * q ** (2 * j) for j, Nj in enumerate(N)) / (
                q**n * c1
            )
    return out


def _betaln_rtol(d: int) -> float:
    """Relative tolerance for ``lambda_0, lambda_2 ~ B(d/2, 1/2)^2`` from the closed form.

    ``closed_form_eigenvalues`` takes ``B(d/2, 1/2)`` from ``scipy.special.betaln``
    (via ``limit_constants``).  For ``d <= 342`` that is at round-off (measured
    ``<= 7e-16`` in ``log B``), so the old ``5e-15`` stands.  For ``d/2 + 1/2 > 171.6``
    scipy evaluates ``gammaln(d/2) + gammaln(1/2) - gammaln((d+1)/2)``, which loses a
    few ulps of ``gammaln((d+1)/2)``: over ~400 ``d`` in ``[343, 10^5]`` (against
    exact factorials) ``|error of log B| <= 1.7 eps gammaln((d+1)/2)`` (``1.1e-11``
    for ``d <= 10^4``, ``1.5e-10`` for ``d <= 10^5``), doubled in ``B^2``.  The
    tolerance ``8 eps gammaln((d+1)/2)`` (``4.6e-12`` at ``d = 10^3``, ``6.7e-11`` at
    ``10^4``, ``8.7e-10`` at ``10^5``) leaves a margin of 2.4 over that envelope;
    ``test_closed_form_eigenvalues_exact`` checks the envelope itself.
    """
    if d <= 342:
        return 5e-15
    return 5e-15 + 8 * np.finfo(float).eps * float(gammaln((d + 1) / 2))


def naive_g(t: np.ndarray) -> np.ndarray:
    """``g(t)`` straight from the formula (fine away from ``t = -1``)."""
    t = np.asarray(t, dtype=float)
    return (np.sqrt(1 - t * t) + (np.pi - np.arccos(t)) * t) / (2 * np.pi)


def integral_g(psi: float) -> float:
    """``g = (1/2pi) int_0^psi s sin(s) ds`` (= (sin psi - psi cos psi) / 2pi) by Gauss-Legendre."""
    s, w = roots_legendre(40)
    x = 0.5 * psi * (s + 1)
    return float(0.5 * psi * np.sum(w * x * np.sin(x)) / (2 * np.pi))


def legendre_d(d: int, kmax: int, t) -> np.ndarray:
    """``P_0(t), ..., P_kmax(t)`` of dimension ``d``: the rows the quadrature uses, after its
    range check (private: the chapter's exercise calls scipy's ``eval_gegenbauer`` itself)."""
    H._check_gegenbauer_range(d, kmax)
    return H._legendre_rows(d, kmax, np.asarray(t, dtype=np.float64))


# --------------------------------------------------------------------------- #
# multiplicities
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("d", [3, 4, 5, 7, 12, 40])
def test_multiplicity_is_dimension_of_harmonic_polynomials(d):
    # harmonic polynomials of degree k = homogeneous ones minus |z|^2 * (degree k-2)
    for k in range(0, 30):
        count = comb(k + d - 1, d - 1, exact=True) - (
            comb(k + d - 3, d - 1, exact=True) if k >= 2 else 0
        )
        assert H.multiplicity(d, k) == count


def test_multiplicity_special_cases():
    for k in range(50):
        assert H.multiplicity(3, k) == 2 * k + 1
    for d in [3, 4, 10, 100, 10000]:
        assert H.multiplicity(d, 0) == 1
        assert H.multiplicity(d, 1) == d
        assert H.multiplicity(d, 2) == d * (d + 1) // 2 - 1
    big = H.multiplicity(10000, 100)  # exact big integer, no float overflow
    assert type(big) is int
    assert big == comb(10099, 9999, exact=True) - comb(10097, 9999, exact=True)


# --------------------------------------------------------------------------- #
# zonal kernel g
# --------------------------------------------------------------------------- #
def test_zonal_kernel_special_values_and_shape():
    assert H.zonal_kernel(1.0) == pytest.approx(0.5, abs=1e-16)
    assert H.zonal_kernel(0.0) == pytest.approx(1 / (2 * np.pi), abs=1e-16)
    assert H.zonal_kernel(-1.0) == 0.0
    t = np.linspace(-1, 1, 12).reshape(3, 4)
    assert H.zonal_kernel(t).shape == (3, 4)
    assert np.ndim(H.zonal_kernel(0.3)) == 0


def test_zonal_kernel_matches_naive_formula_away_from_minus_one():
    t = np.linspace(-0.5, 1.0, 2001)
    # both are a handful of correctly rounded operations; for t >= -0.5 the naive
    # formula cancels at most a factor ~2.5 (it is the less accurate one further down)
    np.testing.assert_allclose(H.zonal_kernel(t), naive_g(t), rtol=5e-15, atol=0)


def test_zonal_kernel_odd_part_is_t_over_4():
    t = np.linspace(-1, 1, 4001)
    # g(t) - g(-t) = t/2 exactly; round-off of two O(1) values
    np.testing.assert_allclose(H.zonal_kernel(t) - H.zonal_kernel(-t), t / 2, rtol=0, atol=3e-16)


def test_zonal_kernel_accurate_near_minus_one():
    # the private angle form over psi in (0, pi], incl. the series / direct switch at 0.5
    psis = np.concatenate([np.logspace(-8, np.log10(np.pi), 60), [0.5 - 1e-12, 0.5, 0.5 + 1e-12]])
    got = H._g_from_psi(psis)
    ref = np.array([integral_g(p) for p in psis])
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=0)
    # public function at t = -1 + s (s exact), psi = arccos(1 - s) = 2 asin(sqrt(s / 2))
    s = 2.0 ** -np.arange(4, 40, 3)
    got = H.zonal_kernel(-1 + s)
    ref = np.array([integral_g(2 * math.asin(math.sqrt(si / 2))) for si in s])
    # g ~ psi^3 / (6 pi) is tiny here but still accurate to a few ulps relative
    np.testing.assert_allclose(got, ref, rtol=1e-13, atol=0)
    # the naive formula loses this relative accuracy (cancellation) -- why the angle form is used
    assert abs(naive_g(-1 + 2.0**-37) / ref[-1] - 1) > 1e-6


def test_zonal_kernel_is_gaussian_relu_correlation():
    """g(cos theta) = E[relu(x.a) relu(x.b)], x ~ N(0, I_2), |a| = |b| = 1 (Monte Carlo)."""
    rng = np.random.default_rng(20250523)
    x = rng.standard_normal((400_000, 2))
    for theta in [0.0, 0.4, 1.2, np.pi / 2, 2.3, 3.0]:
        a = np.array([1.0, 0.0])
        b = np.array([np.cos(theta), np.sin(theta)])
        prod = np.maximum(x @ a, 0) * np.maximum(x @ b, 0)
        se = prod.std() / np.sqrt(len(prod))
        assert abs(prod.mean() - H.zonal_kernel(np.cos(theta))) < 4 * se + 1e-12


def test_zonal_kernel_bad_input():
    assert H.zonal_kernel(1 + 1e-13) == pytest.approx(0.5)  # round-off is clipped
    assert H.zonal_kernel(-1 - 1e-13) == 0.0
    with pytest.raises(ValueError, match=r"\bt\b"):
        H.zonal_kernel(1.01)
    with pytest.raises(ValueError, match=r"\bt\b"):
        H.zonal_kernel([0.2, np.nan])
    with pytest.raises(TypeError, match=r"\bt\b"):
        H.zonal_kernel("abc")


# --------------------------------------------------------------------------- #
# Legendre polynomials of dimension d
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("d", [3, 4, 7, 20])
def test_legendre_d_matches_scipy_gegenbauer(d):
    t = np.linspace(-1, 1, 101)
    P = legendre_d(d, 20, t)
    alpha = (d - 2) / 2
    for k in range(21):
        ref = eval_gegenbauer(k, alpha, t) / eval_gegenbauer(k, alpha, 1.0)
        np.testing.assert_allclose(P[k], ref, rtol=0, atol=1e-12)  # |P_k| <= 1


def test_legendre_d_dimension_3_is_legendre_and_large_d_is_finite():
    t = np.linspace(-1, 1, 201)
    P = legendre_d(3, 60, t)
    for k in range(61):
        np.testing.assert_allclose(P[k], eval_legendre(k, t), rtol=0, atol=1e-13)
    P = legendre_d(10000, 100, t)  # C_k^{(d-2)/2}(1) ~ 1e242 is never formed
    assert np.all(np.isfinite(P))
    assert np.max(np.abs(P)) <= 1 + 1e-12
    np.testing.assert_allclose(P[:, -1], 1.0, rtol=1e-13)


#: points t = p / q for the exact reference: a grid on [-1, 1], two inside the
#: |t| < 1e-5 power-series branch of eval_gegenbauer, two near +-1
EXACT_T = [(j, 16) for j in range(-16, 17)] + [(1, 10**6), (-3, 10**6), (999, 1000), (-9999, 10000)]


@pytest.mark.parametrize("d", [3, 4, 5, 7, 10, 100, 1000, 10000])
def test_legendre_d_matches_exact_values(d):
    """P_k, k <= 100, against exact values of the explicit sum (independent of scipy)."""
    ref = exact_legendre_d(d, 100, EXACT_T)
    P = legendre_d(d, 100, np.array([p / q for p, q in EXACT_T]))
    # absolute (|P_k| <= 1); measured max 1.5e-13 (d = 3, at large k near t = +-1, the
    # error of eval_gegenbauer / eval_legendre themselves), 6e-14 (d = 4), <= 1.8e-14 for d >= 7
    np.testing.assert_allclose(P, ref, rtol=0, atol=4e-13 if d <= 5 else 5e-14)


def test_legendre_d_range_limit():
    """eval_gegenbauer returns C_k = C_k(1) P_k: kmax is refused where C_kmax(1) nears overflow."""
    t = np.array([p / q for p, q in EXACT_T])
    # the largest kmax accepted at d = 10^4 (log C_131(1) <= 700): finite and exact
    P = legendre_d(10000, 131, t)
    np.testing.assert_allclose(
        P, exact_legendre_d(10000, 131, EXACT_T), rtol=0, atol=5e-14
    )  # measured 3e-15
    with pytest.raises(
        ValueError, match=r"kmax = 132 is too large for d = 10000.*kmax must be <= 131"
    ):
        legendre_d(10000, 132, t)
    with pytest.raises(
        ValueError, match=r"kmax = 100 is too large for d = 100000.*kmax must be <= 87"
    ):
        H.mercer_eigenvalues(100000, 100)
    # the promised range d <= 10^4, kmax <= 100 is inside; every kmax <= 10^4 for d <= 134
    H._check_gegenbauer_range(10000, 100)
    H._check_gegenbauer_range(134, 10000)
    with pytest.raises(ValueError, match="kmax"):
        H._check_gegenbauer_range(135, 10000)
    # without the guard scipy overflows soon after: C_135(1) > 1.8e308 at d = 10^4
    with np.errstate(all="ignore"):
        assert not np.all(np.isfinite(eval_gegenbauer(135, (10000 - 2) / 2, t)))


def test_legendre_d_addition_theorem_norm():
    # E_t[P_j P_k] = delta_jk / N(d, k) under the density of t = u.v on S^{d-1};
    # for d = 5 the density is 3/4 (1 - t^2): a polynomial, so Gauss-Legendre is exact
    d, kmax = 5, 12
    s, w = roots_legendre(40)
    dens = 0.75 * (1 - s * s) * w
    P = legendre_d(d, kmax, s)
    gram = (P * dens) @ P.T
    expect = np.diag([1 / H.multiplicity(d, k) for k in range(kmax + 1)])
    np.testing.assert_allclose(gram, expect, rtol=0, atol=1e-14)


# --------------------------------------------------------------------------- #
# Mercer eigenvalues
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("d", DIMS)
def test_low_degrees_match_paper_closed_forms(d):
    """lambda_0 = d^2 B(d/2,1/2)^2/(4 pi^2), lambda_1 = 1/4, lambda_2 = lambda_0/(d+1)^2."""
    lam = H.mercer_eigenvalues(d, 2)
    assert np.all(np.isfinite(lam))
    lam0 = np.exp(2 * np.log(d) + 2 * betaln(d / 2, 0.5) - 2 * np.log(2 * np.pi))
    # scipy's betaln is itself only good to ~2e-12 at d = 1e4 (checked against
    # exact factorials); 1e-10 leaves room for that and nothing else
    np.testing.assert_allclose(lam[0], lam0, rtol=1e-10)
    np.testing.assert_allclose(lam[1], 0.25, rtol=1e-13)
    # lambda_2 = lambda_0 / (d+1)^2 is tiny for large d, while the quadrature's error is
    # absolute (documented <= 1e-15 lambda_0): eval_gegenbauer's P_2 near t = 0 is accurate
    # to ~1 ulp of its O(t) intermediate terms, not of P_2 ~ 1/d itself, so the relative
    # error of lambda_2 grows up to ~eps d^2 (measured 5e-12 at d = 1e3, 1e-8 at d = 1e4;
    # it was <= 1e-11 with the hand-written recurrence).  Hence atol = 1e-15 lambda_0.
    np.testing.assert_allclose(lam[2], lam0 / (d + 1) ** 2, rtol=1e-10, atol=1e-15 * lam0)


@pytest.mark.parametrize("d", [3, 4, 5, 10, 100, 1000, 10000])
def test_all_degrees_match_exact_rational_formula(d):
    lam = H.mercer_eigenvalues(d, 100)
    ref = np.array([exact_lambda(d, k) for k in range(101)])
    # the quadrature's error is absolute; measured <= 7e-16 lambda_0 for these d
    np.testing.assert_allclose(lam, ref, rtol=0, atol=1e-14 * ref[0])


def test_odd_degrees_vanish():
    worst = 0.0
    for d in DIMS:
        lam = H.mercer_eigenvalues(d, 101)
        worst = max(worst, np.max(np.abs(lam[3::2])) / lam[0])
    # the quadrature gives round-off, not 0.0 (measured max 5e-16 relative to lambda_0)
    assert worst <= 1e-13


def test_even_degrees_positive_and_decay_like_k_to_minus_d_plus_2():
    # J is PSD, and g ~ (1 - t)^{3/2} at t = 1 makes lambda_k ~ k^{-(d+2)}
    # (faster than the O(k^{-d}) the paper quotes for the full NTK)
    for d in [3, 5]:
        lam = H.mercer_eigenvalues(d, 400)
        assert np.all(lam[0::2] > 0)
        slope = math.log(lam[400] / lam[200]) / math.log(2)
        assert abs(slope + (d + 2)) < 0.15  # measured -4.98 (d=3), -6.93 (d=5)


@pytest.mark.parametrize(
    "d,kmax", [(3, 2), (3, 100), (10, 50), (100, 100), (1000, 30), (10000, 100)]
)
def test_default_nodes_are_converged(d, kmax):
    default = H._default_n_nodes(d, kmax)
    lam = H.mercer_eigenvalues(d, kmax)
    finer = H.mercer_eigenvalues(d, kmax, n_nodes=2 * default + 50)
    np.testing.assert_allclose(lam, finer, rtol=0, atol=1e-14 * lam[0])
    # the comparison can fail: too few nodes are visibly wrong
    n_coarse = kmax // 2 + 5 if d < 100 else 12
    coarse = H.mercer_eigenvalues(d, kmax, n_nodes=n_coarse)
    assert np.max(np.abs(coarse - finer)) > 1e-8 * lam[0]


@pytest.mark.parametrize("d", [3, 4, 5, 10, 100, 1000, 10000, 100000])
def test_closed_form_all_degrees_relative_accuracy(d):
    """lambda_{k+2} = lambda_k ((k-1)/(k+d+1))^2 against the rational formula, entry by entry."""
    lam = H.mercer_eigenvalues(d, 100, method="closed_form")
    ref = np.array([exact_lambda(d, k) for k in range(101)])
    assert np.all(lam[3::2] == 0.0)
    # relative, even where lambda_k ~ 1e-245 (d = 1e4, k = 100): the product adds <= 1.6e-13
    # (measured) to the error of lambda_0 from scipy's betaln (see _betaln_rtol), which
    # shifts every entry by the same factor: measured 6.8e-13 (d = 1e3), 1.3e-12 (1e4),
    # 8.2e-11 (1e5), <= 2e-14 for d <= 100
    np.testing.assert_allclose(lam, ref, rtol=5e-13 + _betaln_rtol(d), atol=0)


def test_closed_form_eigenvalues_exact():
    eps = np.finfo(float).eps
    for d in [3, 4, 5, 6, 7, 8, 20, 39, 40, 41, 100, 342, 343, 1000, 10000, 100000]:
        cf = H.closed_form_eigenvalues(d)
        lam0 = exact_lambda(d, 0)
        # was rtol=5e-15 with a hand-written Stirling series for B(d/2, 1/2); now scipy's
        # betaln: measured 6.6e-13 (d = 1e3), 1.2e-12 (1e4), 7e-11 (1e5), <= 1.1e-15 for d <= 342
        np.testing.assert_allclose(cf, [lam0, 0.25, lam0 / (d + 1) ** 2], rtol=_betaln_rtol(d))
        # the envelope behind _betaln_rtol: betaln(d/2, 1/2) against exact factorials
        err = abs(betaln(d / 2, 0.5) - exact_log_beta_half(d))
        assert err <= (1e-15 if d <= 342 else 2 * eps * gammaln((d + 1) / 2)), (d, err)


def test_group_eigenvalues_come_from_harmonics():
    """eigengroups.group_eigenvalues is built from the closed / paper forms (one source)."""
    for d in [3, 4, 10, 1000, 10000, 100000]:
        for exact, ref in ((True, H.closed_form_eigenvalues(d)), (False, H.paper_eigenvalues(d))):
            lam = cp.group_eigenvalues(d, exact=exact)
            assert lam == {
                "G1": ref[0],
                "G2": ref[1],
                "G3_gamma": ref[2],
                "G3_ab": ref[2],
                "G3_tilde": ref[2],
            }
            assert all(type(v) is float for v in lam.values())
        # lambda_0 = d c0^2 and lambda_2 = c3^2 / (d+2), from limit_constants
        c = cp.limit_constants(d)
        np.testing.assert_array_equal(
            H.closed_form_eigenvalues(d), [d * c["c0"] ** 2, 0.25, c["c3"] ** 2 / (d + 2)]
        )


# --------------------------------------------------------------------------- #
# trace
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("d", [3, 4, 5])
def test_trace_sum_rule(d):
    """sum_k N(d,k) lambda_k = d g(1) = d/2, with a tail ~ K^{-3}."""
    K = 160
    lam = H.mercer_eigenvalues(d, K)
    terms = np.array([float(H.multiplicity(d, k)) for k in range(K + 1)]) * lam
    S = np.cumsum(terms)
    gap = d / 2 - S
    assert np.all(terms[0::2] > 0) and np.all(gap > 0)
    # N(d,k) ~ k^{d-2} and lambda_k ~ k^{-(d+2)}: the tail is ~ K^{-3}, so halving it
    # takes a factor 8 (1/K would give 2); measured 7.8, 7.7, 7.6 at K = 80
    assert 7.0 < gap[80] / gap[160] < 8.5
    # 3-point Richardson (S_inf - a K^-3 - b K^-4) from K = 40, 80, 160: the sum
    # converges to d/2 and nothing else; residual measured <= 5e-3 * gap(160)
    Ks = np.array([40.0, 80.0, 160.0])
    A = np.column_stack([np.ones(3), -(Ks**-3), -(Ks**-4)])
    S_inf = np.linalg.solve(A, S[[40, 80, 160]])[0]
    assert abs(S_inf - d / 2) < 2e-2 * gap[160]
    # trace_share uses the closed form; the quadrature's absolute error (<~1e-16 lambda_0
    # per degree here) times N(d, k) <= 1e6 bounds the difference far below 1e-9
    np.testing.assert_allclose(H.trace_share(d, K), S[K] / (d / 2), rtol=1e-9)


@pytest.mark.parametrize("d", [3, 5, 10, 30])
def test_trace_sum_rule_closed_form_to_high_degree(d):
    """Same sum rule with the closed form, far into the k >> d regime: S_inf = d/2 to ~1e-15."""
    Ks = [1000, 2000, 4000]
    share = np.array([H.trace_share(d, K) for K in Ks])
    gap = 1 - share
    assert np.all(np.diff(share) > 0) and np.all(gap > 0)
    assert 7.5 < gap[1] / gap[2] < 8.2  # K^{-3} tail; measured 7.91 - 7.99
    A = np.column_stack([np.ones(3), -(np.array(Ks, float) ** -3), -(np.array(Ks, float) ** -4)])
    s_inf = np.linalg.solve(A, share)[0]
    assert abs(s_inf - 1) < 1e-2 * gap[2]  # measured <= 4e-4 * gap(4000) ~ 1e-13


def test_trace_share_degrees_up_to_two():
    shares = [H.trace_share(d) for d in [3, 10, 100, 1000, 10000]]
    assert shares[0] == pytest.approx(0.9921875, rel=1e-13)  # d = 3: 127/128 (exact rationals)
    assert all(a > b for a, b in zip(shares, shares[1:], strict=False))  # decreasing in d ...
    for d, s in zip([10, 100, 1000, 10000], shares[1:], strict=True):
        assert 0 < s - LIMIT_SHARE <= 0.1 / d  # ... to 1/2 + 3/(2 pi) from above, ~0.08/d


def test_trace_share_with_paper_eigenvalues_is_exactly_the_limit():
    # (2d+1)/(4pi) + d/4 + (d(d+1)/2 - 1)/(2pi(d+2)) = 3d/(4pi) + d/4 for every d
    for d in [3, 4, 10, 1000, 10**6]:
        assert H.trace_share(d, paper=True) == pytest.approx(LIMIT_SHARE, rel=1e-14)
    for d in [3, 4, 10, 1000, 10000]:  # so the exact share is the larger one
        assert H.trace_share(d, paper=True) < H.trace_share(d)


# --------------------------------------------------------------------------- #
# comparison with the paper
# --------------------------------------------------------------------------- #
def test_paper_comparison():
    for d in [3, 10, 100, 1000]:
        pc = H.paper_comparison(d)
        assert set(pc) >= {"k", "multiplicity", "exact", "paper", "rel_diff", "closed_form"}
        np.testing.assert_array_equal(pc["k"], [0, 1, 2])
        np.testing.assert_array_equal(pc["multiplicity"], [1, d, d * (d + 1) // 2 - 1])
        ref = np.array([exact_lambda(d, k) for k in range(3)])
        # lambda_2 up to the quadrature's absolute error 1e-15 lambda_0 (see
        # test_low_degrees_match_paper_closed_forms): measured 5e-12 relative at d = 1000
        np.testing.assert_allclose(pc["exact"][:2], ref[:2], rtol=1e-12)
        np.testing.assert_allclose(pc["exact"][2], ref[2], rtol=1e-12, atol=1e-15 * ref[0])
        np.testing.assert_allclose(
            pc["paper"], [(2 * d + 1) / (4 * np.pi), 0.25, 1 / (2 * np.pi * (d + 2))], rtol=1e-15
        )
        np.testing.assert_allclose(
            pc["rel_diff"], (pc["paper"] - pc["exact"]) / pc["exact"], rtol=1e-12
        )
        # closed form (betaln, see _betaln_rtol) against the quadrature
        np.testing.assert_allclose(
            pc["closed_form"][:2], pc["exact"][:2], rtol=1e-12 + _betaln_rtol(d)
        )
        np.testing.assert_allclose(
            pc["closed_form"][2], pc["exact"][2], rtol=1e-12 + _betaln_rtol(d), atol=1e-15 * ref[0]
        )
        # the paper's approximations underestimate: lambda_0 by ~1/(8 d^2), lambda_2 by ~1/(2d)
        assert pc["rel_diff"][0] < 0 and pc["rel_diff"][2] < 0
        if d >= 10:  # measured -0.90 (d=10), -0.990, -0.999
            assert abs(pc["rel_diff"][0] * 8 * d**2 + 1) < 0.15
        if d >= 100:  # measured -0.815 (d=10), -0.978, -0.998
            assert abs(pc["rel_diff"][2] * 2 * d + 1) < 0.05
        assert abs(pc["rel_diff"][1]) < 1e-14


# --------------------------------------------------------------------------- #
# Monte Carlo
# --------------------------------------------------------------------------- #
def test_finite_m_fisher_matrix_spectrum():
    """Top 1 + d + N(d,2) eigenvalues of J for d = 5, m = 3000 cluster at lambda_0, 1/4,
    lambda_2."""
    d, m = 5, 3000
    n2 = d * (d + 1) // 2 - 1
    rng = np.random.default_rng(7)
    W = rng.standard_normal((d, m)) / np.sqrt(m)
    norms = np.linalg.norm(W, axis=0)
    cos = np.clip((W / norms).T @ (W / norms), -1, 1)
    J = (
        np.outer(norms, norms)
        * (np.sqrt(1 - cos**2) + (np.pi - np.arccos(cos)) * cos)
        / (2 * np.pi)
    )
    ev = np.sort(eigsh(J, k=d + n2 + 2, which="LA", return_eigenvectors=False))[::-1]
    lam = H.mercer_eigenvalues(d, 2)
    groups = [ev[0], ev[1 : 1 + d].mean(), ev[1 + d : 1 + d + n2].mean()]
    assert ev[d + n2] / ev[d + n2 + 1] > 10  # the degree-2 cluster is well separated (measured ~40)
    # over 40 seeds each ratio - 1 had sd 1.1 %, max 2.7 % (mostly the chi^2 scale of the
    # ||w_i||^2, which also moves trace J): tolerance 5 %
    np.testing.assert_allclose(groups, lam, rtol=0.05)
    # dividing by trace(J) / (d/2) removes that common scale: sd <= 0.08 %, max 0.44 %:
    # tolerance 1 %
    scale = np.trace(J) / (d / 2)
    np.testing.assert_allclose(np.array(groups) / scale, lam, rtol=0.01)


def test_funk_hecke_monte_carlo():
    """mu_k = E[g(u.v) P_k(u.v)], u, v uniform on S^{d-1}: lambda_k / d within 4 standard errors."""
    d, n = 5, 400_000
    rng = np.random.default_rng(11)
    u = rng.standard_normal((n, d))
    v = rng.standard_normal((n, d))
    t = np.clip(
        np.einsum("ij,ij->i", u, v) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1)), -1, 1
    )
    lam = H.mercer_eigenvalues(d, 2)
    alpha = (d - 2) / 2
    for k in range(3):
        f = naive_g(t) * eval_gegenbauer(k, alpha, t) / eval_gegenbauer(k, alpha, 1.0)
        se = f.std() / np.sqrt(n)
        assert abs(f.mean() - lam[k] / d) < 4 * se


# --------------------------------------------------------------------------- #
# input checks
# --------------------------------------------------------------------------- #
def test_bad_input():
    with pytest.raises(ValueError, match=r"\bd\b"):
        H.mercer_eigenvalues(2, 3)
    with pytest.raises(TypeError, match=r"\bd\b"):
        H.mercer_eigenvalues(3.0, 3)
    with pytest.raises(ValueError, match="kmax"):
        H.mercer_eigenvalues(3, -1)
    with pytest.raises(ValueError, match="n_nodes"):
        H.mercer_eigenvalues(3, 2, n_nodes=0)
    with pytest.raises(TypeError, match="n_nodes"):
        H.mercer_eigenvalues(3, 2, n_nodes=10.0)
    with pytest.raises(ValueError, match=r"\bk\b"):
        H.multiplicity(3, -1)
    with pytest.raises(ValueError, match=r"\bd\b"):
        H.multiplicity(2, 1)
    with pytest.raises(ValueError, match="kmax"):
        H.trace_share(3, -1)
    with pytest.raises(ValueError, match=r"\bd\b"):
        H.paper_comparison(2)
    with pytest.raises(TypeError, match=r"\bd\b"):
        H.trace_share(True, paper=True)
    with pytest.raises(ValueError, match="kmax"):
        H.trace_share(3, 3, paper=True)  # the paper's approximations stop at degree 2
    with pytest.raises(TypeError, match="paper"):
        H.trace_share(3, paper="yes")
    with pytest.raises(ValueError, match="method"):
        H.mercer_eigenvalues(3, 2, method="exact")
    with pytest.raises(ValueError, match="n_nodes"):
        H.mercer_eigenvalues(3, 2, method="closed_form", n_nodes=100)
    with pytest.raises(ValueError, match=r"\bd\b.*closed_form"):
        H.mercer_eigenvalues(10**10, 2)
    assert H.mercer_eigenvalues(10**10, 2, method="closed_form")[1] == 0.25


def test_small_cases_run():
    assert H.mercer_eigenvalues(3, 0).shape == (1,)
    # one node (phi = pi/2, t = 0) gives mu_0 = g(0) = 1/(2 pi): crude but defined
    np.testing.assert_allclose(H.mercer_eigenvalues(4, 0, n_nodes=1), 4 / (2 * np.pi), rtol=1e-15)
