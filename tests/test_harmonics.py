"""Tests of :mod:`companion.harmonics` (Section 1 of arXiv 2505.17907v2).

Every quantity is checked against a computation that does not go through the
code under test:

* multiplicities against the count of harmonic polynomials;
* ``g`` against the naive formula, the integral ``int_0^psi s sin s ds`` and a
  Monte Carlo estimate of ``E[relu(x.a) relu(x.b)]``;
* ``P_k`` against :func:`scipy.special.eval_gegenbauer` / ``eval_legendre``;
* ``lambda_k`` against an exact rational-arithmetic formula (derived below),
  the paper's closed forms, the trace sum rule and a finite-``m`` Fisher matrix.

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
from scipy.special import betaln, comb, eval_gegenbauer, eval_legendre, roots_legendre

from companion import harmonics as H

LIMIT_SHARE = 0.5 + 3 / (2 * math.pi)  # the paper's 97.7 %
DIMS = [3, 5, 10, 50, 100, 1000, 10000]


# --------------------------------------------------------------------------- #
# independent references
# --------------------------------------------------------------------------- #
@functools.lru_cache(maxsize=None)
def _inv_beta(d: int) -> tuple[Fraction, int]:
    """``1 / B((d-1)/2, 1/2) = R / pi^e`` exactly: returns ``(R, e)``."""
    if d % 2:  # d = 2n + 1: Gamma(n + 1/2) / (Gamma(n) sqrt(pi))
        n = (d - 1) // 2
        return Fraction(math.factorial(2 * n), 4**n * math.factorial(n) * math.factorial(n - 1)), 0
    n = d // 2  # d = 2n: Gamma(n) / (Gamma(n - 1/2) sqrt(pi))
    return Fraction(4 ** (n - 1) * math.factorial(n - 1) ** 2, math.factorial(2 * n - 2)), 1


@functools.lru_cache(maxsize=None)
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
        binom = math.prod((beta - j + i for i in range(1, j + 1)), start=Fraction(1)) / math.factorial(j)
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


def naive_g(t: np.ndarray) -> np.ndarray:
    """``g(t)`` straight from the formula (fine away from ``t = -1``)."""
    t = np.asarray(t, dtype=float)
    return (np.sqrt(1 - t * t) + (np.pi - np.arccos(t)) * t) / (2 * np.pi)


def integral_g(psi: float) -> float:
    """``g = (1/2pi) int_0^psi s sin(s) ds`` (= (sin psi - psi cos psi) / 2pi) by Gauss-Legendre."""
    s, w = roots_legendre(40)
    x = 0.5 * psi * (s + 1)
    return float(0.5 * psi * np.sum(w * x * np.sin(x)) / (2 * np.pi))


# --------------------------------------------------------------------------- #
# multiplicities
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("d", [3, 4, 5, 7, 12, 40])
def test_multiplicity_is_dimension_of_harmonic_polynomials(d):
    # harmonic polynomials of degree k = homogeneous ones minus |z|^2 * (degree k-2)
    for k in range(0, 30):
        count = comb(k + d - 1, d - 1, exact=True) - (comb(k + d - 3, d - 1, exact=True) if k >= 2 else 0)
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
    P = H.legendre_d(d, 20, t)
    alpha = (d - 2) / 2
    for k in range(21):
        ref = eval_gegenbauer(k, alpha, t) / eval_gegenbauer(k, alpha, 1.0)
        np.testing.assert_allclose(P[k], ref, rtol=0, atol=1e-12)  # |P_k| <= 1


def test_legendre_d_dimension_3_is_legendre_and_large_d_is_finite():
    t = np.linspace(-1, 1, 201)
    P = H.legendre_d(3, 60, t)
    for k in range(61):
        np.testing.assert_allclose(P[k], eval_legendre(k, t), rtol=0, atol=1e-13)
    P = H.legendre_d(10000, 100, t)  # C_k^{(d-2)/2}(1) ~ 1e242 is never formed
    assert np.all(np.isfinite(P))
    assert np.max(np.abs(P)) <= 1 + 1e-12
    np.testing.assert_allclose(P[:, -1], 1.0, rtol=1e-13)


def test_legendre_d_addition_theorem_norm():
    # E_t[P_j P_k] = delta_jk / N(d, k) under the density of t = u.v on S^{d-1};
    # for d = 5 the density is 3/4 (1 - t^2): a polynomial, so Gauss-Legendre is exact
    d, kmax = 5, 12
    s, w = roots_legendre(40)
    dens = 0.75 * (1 - s * s) * w
    P = H.legendre_d(d, kmax, s)
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
    np.testing.assert_allclose(lam[2], lam0 / (d + 1) ** 2, rtol=1e-10)


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


@pytest.mark.parametrize("d,kmax", [(3, 2), (3, 100), (10, 50), (100, 100), (1000, 30), (10000, 100)])
def test_default_nodes_are_converged(d, kmax):
    default = H.default_n_nodes(d, kmax)
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
    lam = H.mercer_eigenvalues_closed_form(d, 100)
    ref = np.array([exact_lambda(d, k) for k in range(101)])
    assert np.all(lam[3::2] == 0.0)
    # relative, even where lambda_k ~ 1e-245 (d = 1e4, k = 100); measured <= 1.6e-13
    np.testing.assert_allclose(lam, ref, rtol=5e-13, atol=0)


def test_closed_form_eigenvalues_exact():
    for d in [3, 4, 5, 6, 7, 8, 20, 39, 40, 41, 100, 1000, 10000, 100000]:
        cf = H.closed_form_eigenvalues(d)
        lam0 = exact_lambda(d, 0)
        np.testing.assert_allclose(cf, [lam0, 0.25, lam0 / (d + 1) ** 2], rtol=5e-15)
        np.testing.assert_allclose(
            0.5 * math.log(math.pi) - H._log_gamma_ratio_half(d / 2), exact_log_beta_half(d), rtol=0, atol=2e-15
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
    A = np.column_stack([np.ones(3), -np.array(Ks, float) ** -3, -np.array(Ks, float) ** -4])
    s_inf = np.linalg.solve(A, share)[0]
    assert abs(s_inf - 1) < 1e-2 * gap[2]  # measured <= 4e-4 * gap(4000) ~ 1e-13


def test_trace_share_degrees_up_to_two():
    shares = [H.trace_share(d) for d in [3, 10, 100, 1000, 10000]]
    assert shares[0] == pytest.approx(0.9921875, rel=1e-13)  # d = 3: 127/128 (exact rationals)
    assert all(a > b for a, b in zip(shares, shares[1:]))  # decreasing in d ...
    for d, s in zip([10, 100, 1000, 10000], shares[1:]):
        assert 0 < s - LIMIT_SHARE <= 0.1 / d  # ... to 1/2 + 3/(2 pi) from above, ~0.08/d


def test_paper_trace_share_is_exactly_the_limit():
    # (2d+1)/(4pi) + d/4 + (d(d+1)/2 - 1)/(2pi(d+2)) = 3d/(4pi) + d/4 for every d
    for d in [3, 4, 10, 1000, 10**6]:
        assert H.paper_trace_share(d) == pytest.approx(LIMIT_SHARE, rel=1e-14)
    for d in [3, 4, 10, 1000, 10000]:  # so the exact share is the larger one
        assert H.paper_trace_share(d) < H.trace_share(d)


# --------------------------------------------------------------------------- #
# comparison with the paper
# --------------------------------------------------------------------------- #
def test_paper_comparison():
    for d in [3, 10, 100, 1000]:
        pc = H.paper_comparison(d)
        assert set(pc) >= {"k", "multiplicity", "exact", "paper", "rel_diff", "closed_form"}
        np.testing.assert_array_equal(pc["k"], [0, 1, 2])
        np.testing.assert_array_equal(pc["multiplicity"], [1, d, d * (d + 1) // 2 - 1])
        np.testing.assert_allclose(pc["exact"], [exact_lambda(d, k) for k in range(3)], rtol=1e-12)
        np.testing.assert_allclose(pc["paper"], [(2 * d + 1) / (4 * np.pi), 0.25, 1 / (2 * np.pi * (d + 2))], rtol=1e-15)
        np.testing.assert_allclose(pc["rel_diff"], (pc["paper"] - pc["exact"]) / pc["exact"], rtol=1e-12)
        np.testing.assert_allclose(pc["closed_form"], pc["exact"], rtol=1e-12)
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
    """Top 1 + d + N(d,2) eigenvalues of J for d = 5, m = 3000 cluster at lambda_0, 1/4, lambda_2."""
    d, m = 5, 3000
    n2 = d * (d + 1) // 2 - 1
    rng = np.random.default_rng(7)
    W = rng.standard_normal((d, m)) / np.sqrt(m)
    norms = np.linalg.norm(W, axis=0)
    cos = np.clip((W / norms).T @ (W / norms), -1, 1)
    J = np.outer(norms, norms) * (np.sqrt(1 - cos**2) + (np.pi - np.arccos(cos)) * cos) / (2 * np.pi)
    ev = np.sort(eigsh(J, k=d + n2 + 2, which="LA", return_eigenvectors=False))[::-1]
    lam = H.mercer_eigenvalues(d, 2)
    groups = [ev[0], ev[1 : 1 + d].mean(), ev[1 + d : 1 + d + n2].mean()]
    assert ev[d + n2] / ev[d + n2 + 1] > 10  # the degree-2 cluster is well separated (measured ~40)
    # over 40 seeds each ratio - 1 had sd 1.1 %, max 2.7 % (mostly the chi^2 scale of the
    # ||w_i||^2, which also moves trace J): tolerance 5 %
    np.testing.assert_allclose(groups, lam, rtol=0.05)
    # dividing by trace(J) / (d/2) removes that common scale: sd <= 0.08 %, max 0.44 %: tolerance 1 %
    scale = np.trace(J) / (d / 2)
    np.testing.assert_allclose(np.array(groups) / scale, lam, rtol=0.01)


def test_funk_hecke_monte_carlo():
    """mu_k = E[g(u.v) P_k(u.v)], u, v uniform on S^{d-1}: lambda_k / d within 4 standard errors."""
    d, n = 5, 400_000
    rng = np.random.default_rng(11)
    u = rng.standard_normal((n, d))
    v = rng.standard_normal((n, d))
    t = np.clip(np.einsum("ij,ij->i", u, v) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1)), -1, 1)
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
        H.paper_trace_share(True)
    with pytest.raises(ValueError, match=r"\bd\b"):
        H.legendre_d(1, 2, 0.5)


def test_small_cases_run():
    assert H.mercer_eigenvalues(3, 0).shape == (1,)
    # one node (phi = pi/2, t = 0) gives mu_0 = g(0) = 1/(2 pi): crude but defined
    np.testing.assert_allclose(H.mercer_eigenvalues(4, 0, n_nodes=1), 4 / (2 * np.pi), rtol=1e-15)
