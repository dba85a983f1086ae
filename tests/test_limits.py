"""Theorems 3.1-3.5 and Lemma 3.3: X^T v against its limit F(x) as m grows.

Each X^T v is a sum of m independent terms (one per hidden unit), so its distance to the
limit is ~ sqrt(m) * sd(term): the tolerance is a multiple of that standard error,
estimated from the same draw, and the error must fall like m^(-1/2).
"""

import numpy as np
import pytest
from scipy import integrate, special

import companion as cp

GROUPS = ("G1", "G2", "G3_gamma", "G3_ab", "G3_tilde")


def _terms(x, W, group):
    """Per-unit terms X_i(x) v_i for every member: shape (N, m, K)."""
    X = cp.features(x, W)
    V = cp.group_vectors(W, group)
    return X[:, :, None] * V[None, :, :]


@pytest.mark.parametrize("group", GROUPS)
def test_limit_within_clt_error(group):
    d, m = 6, 40_000
    W = cp.sample_weights(d, m, rng=21)
    x = cp.sample_inputs(d, 4, rng=22)
    t = _terms(x, W, group)
    Xv = t.sum(axis=1)
    se = np.sqrt(m) * t.std(axis=1)
    z = np.abs(Xv - cp.limit(x, group)) / se
    assert z.max() < 5.0, (group, z.max())


@pytest.mark.parametrize("group", GROUPS)
def test_error_falls_like_inverse_sqrt_m(group):
    d = 5
    x = cp.sample_inputs(d, 20, rng=1)
    errs = []
    for m in (1_000, 100_000):
        e = [
            np.abs(
                cp.group_outputs(x, cp.sample_weights(d, m, rng=s), [group])[group]
                - cp.limit(x, group)
            ).mean()
            for s in range(3)
        ]
        errs.append(np.mean(e))
    ratio = errs[0] / errs[1]
    assert 5 < ratio < 20, ratio  # sqrt(100) = 10


def test_constants_against_quadrature():
    for d in (3, 4, 10, 37):
        # E[relu(zhat_1)] over the sphere, from the marginal density of zhat_1 (Appendix A)
        def dens(u, d=d):
            return (1 - u * u) ** ((d - 3) / 2) / special.beta((d - 1) / 2, 0.5)

        e_relu = integrate.quad(lambda u, dens=dens: u * dens(u), 0, 1)[0]
        c = cp.limit_constants(d)
        assert c["c0"] == pytest.approx(np.sqrt(d) * e_relu, rel=1e-9)
        # C_d = E[relu(zhat_1) zhat_1^2], C'_d = C_d / 2 (Appendix G); c3 = sqrt(d+2) d C_d / 2
        C_d = integrate.quad(lambda u, dens=dens: u**3 * dens(u), 0, 1)[0]
        assert c["c3"] == pytest.approx(np.sqrt(d + 2) * d * C_d / 2, rel=1e-9)
        assert c["B"] == pytest.approx(special.beta(d / 2, 0.5), rel=1e-13)


def test_constants_finite_for_large_d():
    for d in (1000, 10_000):
        c = cp.limit_constants(d)
        assert np.isfinite(c["c0"]) and np.isfinite(c["c3"])
        # B(d/2, 1/2) ~ sqrt(2 pi / d): c0 -> 1/sqrt(2 pi), c3 -> 1/sqrt(2 pi) * sqrt(d)...
        # to O(1/d)
        assert c["c0"] == pytest.approx(1 / np.sqrt(2 * np.pi), rel=1 / d)
        assert c["B"] == pytest.approx(np.exp(special.betaln(d / 2, 0.5)), rel=1e-14)


def test_limits_at_zero_and_homogeneity():
    d = 7
    x = cp.sample_inputs(d, 5, rng=0)
    for g in GROUPS:
        F = cp.limit(x, g)
        np.testing.assert_allclose(cp.limit(2.5 * x, g), 2.5 * F, rtol=1e-13, atol=1e-15)
        F0 = cp.limit(np.zeros(d), g)
        assert np.all(F0 == 0) and np.all(np.isfinite(F0))
        tiny = cp.limit(1e-300 * x[0], g)
        assert np.all(np.isfinite(tiny)) and np.abs(tiny).max() < 1e-299


def test_limit_shapes_follow_the_group_vectors():
    d = 5
    x = cp.sample_inputs(d, 3, rng=4)
    for g in GROUPS:
        K = cp.group_size(d, g)
        F = cp.limit(x, g)
        assert F.shape == (3, K) and F.dtype == np.float64, g
        np.testing.assert_array_equal(cp.limit(x[1], g), F[1])  # one input: shape (K,)
    with pytest.raises(ValueError, match="group must be one of"):
        cp.limit(x, "G3")


def test_third_group_limits_are_consistent():
    d = 6
    x = cp.sample_inputs(d, 50, rng=3)
    Ft = cp.limit(x, "G3_tilde")
    np.testing.assert_allclose(Ft.sum(axis=1), 0, atol=1e-13)  # sum_gamma x_gamma^2/|x| = |x|
    np.testing.assert_allclose(
        cp.limit(x, "G3_gamma"), Ft[:, :-1] - Ft[:, -1:] / (np.sqrt(d) + 1), rtol=1e-12, atol=1e-14
    )
    a, b = cp.pairs(d)
    assert len(a) == d * (d - 1) // 2 and np.all(a < b)


def test_squared_norms_of_limits_are_the_exact_eigenvalues():
    """E_x[F^2] by Monte Carlo equals the exact group eigenvalue (§3's computation)."""
    d, n = 8, 400_000
    x = cp.sample_inputs(d, n, rng=9)
    lam = cp.group_eigenvalues(d, exact=True)
    for g in ("G1", "G2", "G3_gamma", "G3_ab"):
        sq = cp.limit(x, g) ** 2
        mean, se = sq.mean(axis=0), sq.std(axis=0) / np.sqrt(n)
        assert np.all(np.abs(mean - lam[g]) < 5 * se), g
