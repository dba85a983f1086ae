"""The Fisher information matrix: closed form against Monte Carlo and exact identities."""

import numpy as np
import pytest

import companion as cp
from companion import _compute


def test_weights_are_reproducible_and_scaled():
    W1 = cp.sample_weights(7, 20000, rng=3)
    W2 = cp.sample_weights(7, 20000, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(W1, W2)
    # entries N(0, 1/m): m * Var = 1 within 4 standard errors (Var of a chi^2 mean: 2/n)
    n = W1.size
    assert abs(W1.var() * 20000 - 1) < 4 * np.sqrt(2 / n)


def test_weights_drawn_into_a_given_array_are_the_same_numbers():
    fresh = cp.sample_weights(5, 3001, rng=11)
    out = np.full((5, 3001), np.nan)
    W = cp.sample_weights(5, 3001, rng=11, out=out)
    assert W is out
    np.testing.assert_array_equal(W, fresh)
    # a float32 array receives the float64 draws rounded (drawn a row at a time, the same stream)
    out32 = np.zeros((5, 3001), dtype=np.float32)
    W32 = cp.sample_weights(5, 3001, rng=11, out=out32)
    assert W32 is out32 and not np.any(W32 == 0)
    np.testing.assert_array_equal(W32, fresh.astype(np.float32))
    # the generator is left where a fresh draw leaves it: the inputs drawn next are the same
    r1, r2 = np.random.default_rng(4), np.random.default_rng(4)
    cp.sample_weights(5, 3001, r1)
    cp.sample_weights(5, 3001, r2, out=out32)
    np.testing.assert_array_equal(cp.sample_inputs(5, 3, r1), cp.sample_inputs(5, 3, r2))


def _read_only(a):
    a.flags.writeable = False
    return a


@pytest.mark.parametrize(
    "bad",
    [
        np.empty((3001, 5)),
        np.empty((5, 3001), dtype=np.float16),
        np.empty((5, 6002))[:, ::2],
        _read_only(np.empty((5, 3001))),
        _read_only(np.empty((5, 3001), dtype=np.float32)),
    ],
)
def test_weights_refuse_an_unfit_out_array(bad):
    rng = np.random.default_rng(0)
    with pytest.raises(
        ValueError,
        match=r"out must be a writable, C-contiguous float64 or float32 array "
        r"of shape \(d, m\) = \(5, 3001\)",
    ):
        cp.sample_weights(5, 3001, rng=rng, out=bad)
    # refused before drawing: the generator has not moved
    np.testing.assert_array_equal(
        rng.standard_normal(3), np.random.default_rng(0).standard_normal(3)
    )


def test_weights_refuse_an_out_that_is_not_an_array():
    with pytest.raises(
        TypeError, match=r"out must be a NumPy array of shape \(d, m\) = \(5, 3\), got list"
    ):
        cp.sample_weights(5, 3, rng=0, out=[[0.0] * 3] * 5)


def test_features_are_relu_of_xW():
    W = cp.sample_weights(4, 30, rng=0)
    x = cp.sample_inputs(4, 9, rng=1)
    X = cp.features(x, W)
    np.testing.assert_array_equal(X, np.where(x @ W > 0, x @ W, 0.0))
    np.testing.assert_allclose(cp.features(x[2], W), X[2], rtol=1e-13, atol=1e-16)


def test_exact_fisher_matches_monte_carlo_within_standard_errors():
    d, m, n = 5, 40, 100_000
    W = cp.sample_weights(d, m, rng=11)
    J = cp.fisher_exact(W)
    X = cp.features(cp.sample_inputs(d, n, rng=12), W)
    J_mc = X.T @ X / n
    # standard error of each entry, estimated from the same sample
    second = (X**2).T @ (X**2) / n
    se = np.sqrt(np.maximum(second - J_mc**2, 0) / n)
    z = np.abs(J - J_mc) / se
    assert z.max() < 5.5, z.max()  # 1600 entries; a 5.5-sigma miss has probability ~1e-5 in all
    assert np.abs(z).mean() < 1.0  # |N(0,1)| has mean 0.8


def test_exact_fisher_identities():
    W = cp.sample_weights(6, 300, rng=2)
    J = cp.fisher_exact(W)
    np.testing.assert_allclose(J, J.T, rtol=0, atol=1e-15)
    assert np.trace(J) == pytest.approx(np.sum(W**2) / 2, rel=1e-13)
    assert np.linalg.eigvalsh(J).min() > -1e-12
    # scaling a column by c > 0 scales its row and column by c (ReLU is 1-homogeneous)
    W2 = W.copy()
    W2[:, 0] *= 3.0
    J2 = cp.fisher_exact(W2)
    np.testing.assert_allclose(J2[0, 1:], 3 * J[0, 1:], rtol=1e-12)


def test_parallel_and_antiparallel_columns():
    w = np.array([0.3, -1.2, 0.5])
    W = np.stack([w, 2 * w, -w, w + 1e-9 * np.array([1.0, 0.0, 0.0])], axis=1)
    J = cp.fisher_exact(W)
    n = np.linalg.norm(w)
    assert J[0, 1] == pytest.approx(n * 2 * n / 2, rel=1e-12)  # theta = 0
    assert J[0, 2] == pytest.approx(0.0, abs=1e-15)  # theta = pi: never both positive
    assert J[0, 3] == pytest.approx(n * n / 2, rel=1e-8)


def test_empirical_fisher_is_the_sample_average():
    W = cp.sample_weights(4, 25, rng=0)
    x = cp.sample_inputs(4, 100, rng=5)
    X = cp.features(x, W)
    np.testing.assert_allclose(cp.fisher_empirical(W, x), X.T @ X / 100, rtol=1e-14)


def test_spectrum_dense_and_top_agree():
    W = cp.sample_weights(8, 400, rng=4)
    J = cp.fisher_exact(W)
    eig = cp.fisher_spectrum(J)
    assert np.all(np.diff(eig) <= 1e-14)
    assert eig.sum() == pytest.approx(np.trace(J), rel=1e-12)
    np.testing.assert_allclose(cp.fisher_spectrum(J, top=10), eig[:10], rtol=1e-9)
    np.testing.assert_allclose(cp.fisher_spectrum(W), eig, rtol=1e-12)


def test_dense_fisher_refused_when_too_large():
    W = np.ones((3, 1_000_000))
    with pytest.raises(ValueError, match="m = 1000000"):
        cp.fisher_exact(W)
    with pytest.raises(ValueError, match="m = 1000000"):
        cp.fisher_empirical(W, np.ones((2, 3)))


def test_empirical_standard_error_matches_spread_over_repeats():
    """The standard error of J_hat predicts the spread of J_hat over independent samples."""
    d, m, N, reps = 4, 6, 400, 300
    W = cp.sample_weights(d, m, rng=11)
    rng = np.random.default_rng(12)
    draws = np.array([cp.fisher_empirical(W, cp.sample_inputs(d, N, rng)) for _ in range(reps)])
    _, se = cp.fisher_empirical(W, cp.sample_inputs(d, 200_000, rng=13), return_se=True)
    se_at_N = se * np.sqrt(200_000 / N)  # the same standard error at sample size N
    ratio = draws.std(axis=0, ddof=1) / se_at_N
    # sd of a sample sd from 300 draws is ~4% (more for heavy-tailed entries): allow 20%
    np.testing.assert_allclose(ratio, 1.0, atol=0.2)
    J_hat, se_small = cp.fisher_empirical(W, cp.sample_inputs(d, N, rng=14), return_se=True)
    assert se_small.shape == J_hat.shape == (m, m) and (se_small > 0).all()
    np.testing.assert_allclose(cp.fisher_empirical(W, cp.sample_inputs(d, N, rng=14)), J_hat)


def test_empirical_standard_error_is_the_sample_sd_over_sqrt_N_and_chunking_changes_nothing(
    monkeypatch,
):
    """se = std(X_i X_j, ddof=1) / sqrt(N), computed independently; tiny chunks give the
    same J_hat and se."""
    W = cp.sample_weights(3, 7, rng=1)
    x = cp.sample_inputs(3, 500, rng=2)
    X = cp.features(x, W)
    P = X[:, :, None] * X[:, None, :]
    J_hat, se = cp.fisher_empirical(W, x, return_se=True)
    np.testing.assert_allclose(J_hat, P.mean(0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(se, P.std(0, ddof=1) / np.sqrt(500), rtol=1e-8, atol=1e-15)
    monkeypatch.setattr(_compute, "CHUNK_BYTES", 8 * 7 * 16)  # chunks of 16 inputs: 32 chunks
    assert len(_compute.chunk_bounds(500, 7)) == 32
    J_c, se_c = cp.fisher_empirical(W, x, return_se=True)
    np.testing.assert_allclose(J_c, J_hat, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(se_c, se, rtol=1e-8, atol=1e-15)
    # one input: J_hat = X X^T, and no spread to estimate the standard error from
    J1, se1 = cp.fisher_empirical(W, x[0], return_se=True)
    np.testing.assert_allclose(J1, np.outer(X[0], X[0]), rtol=1e-14)
    assert np.all(np.isnan(se1))


def test_spectrum_top_lanczos_and_dense_branches():
    """top < m/4: Lanczos (deterministic: same numbers twice); otherwise the dense solver;
    top > m: all m."""
    W = cp.sample_weights(5, 200, rng=6)
    J = cp.fisher_exact(W)
    full = np.sort(np.linalg.eigvalsh(J))[::-1]  # independent solver
    for top in (1, 20, 49, 50, 120):  # Lanczos for top <= 49, dense from 50 on
        eig = cp.fisher_spectrum(J, top=top)
        assert eig.shape == (top,) and np.all(np.diff(eig) <= 0)
        np.testing.assert_allclose(eig, full[:top], rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(eig, cp.fisher_spectrum(J, top=top))
    np.testing.assert_allclose(
        cp.fisher_spectrum(J[:3, :3], top=5), np.sort(np.linalg.eigvalsh(J[:3, :3]))[::-1]
    )
    with pytest.raises(TypeError, match="top"):
        cp.fisher_spectrum(J, top=2.0)
