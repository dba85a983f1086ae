"""Other input distributions (companion.distributions): samplers, J_p, Gram matrices,
empirical Fisher, and the memory guards.

Monte Carlo quantities are compared with closed forms through their standard errors: a
z-score above 5 (over a few hundred entries, the largest Gaussian |z| is about 3.5) fails.
"""

import numpy as np
import pytest
import scipy.linalg

import companion as cp
from companion import _validate
from companion.distributions import _input_covariance, _input_factor, _limit_mae_under

DISTS = cp.INPUT_DISTRIBUTIONS
PARAMS = {"rho": 0.5, "k": 2}


# --------------------------------------------------------------------------- samplers
@pytest.mark.parametrize("dist", DISTS)
def test_sampler_mean_and_covariance(dist):
    d, n = 4, 200_000
    x = cp.sample_distribution(dist, d, n, rng=3, **PARAMS)
    Sigma = _input_covariance(dist, d, **PARAMS)
    assert x.shape == (n, d)
    assert np.trace(Sigma) == pytest.approx(d)
    live = np.diag(Sigma) > 0
    # mean: standard error sqrt(Sigma_ii / n)
    z_mean = np.abs(x.mean(0)[live]) / np.sqrt(np.diag(Sigma)[live] / n)
    assert z_mean.max() < 5.0
    # second moments: standard error of the mean of x_i x_j from the sample itself
    P = x[:, :, None] * x[:, None, :]
    C, se = P.mean(0), P.std(0) / np.sqrt(n)
    ok = se > 0
    assert np.all(C[~ok] == 0.0) and np.all(Sigma[~ok] == 0.0)
    assert (np.abs(C - Sigma)[ok] / se[ok]).max() < 5.0


def test_factor_reproduces_covariance():
    for dist in ("gaussian", "ar1", "equicorrelated", "subspace"):
        A = _input_factor(dist, 6, rho=0.3, k=4)
        assert np.allclose(A @ A.T, _input_covariance(dist, 6, rho=0.3, k=4), atol=1e-12)
    assert _input_factor("subspace", 6, k=4).shape == (6, 4)


def test_gaussian_reduces_to_paper_model():
    # the same call (rng.standard_normal((n, d))) on the same generator: the same numbers
    assert np.array_equal(
        cp.sample_distribution("gaussian", 5, 7, rng=11), cp.sample_inputs(5, 7, rng=11)
    )
    W = cp.sample_weights(5, 40, rng=1)
    # fisher_under builds fisher_exact(A^T W) with A = I: one more BLAS product, I^T W, which
    # IEEE arithmetic makes exactly W, but no bit-identity is required of the BLAS; J moves
    # by a few ulps at most if it is not exact (the same tolerance as the two checks below)
    np.testing.assert_allclose(
        cp.fisher_under(W, "gaussian").J, cp.fisher_exact(W), rtol=1e-13, atol=1e-15
    )
    # the subspace of full dimension is the standard Gaussian
    assert np.allclose(
        cp.fisher_under(W, "subspace", k=5).J, cp.fisher_exact(W), rtol=1e-13, atol=1e-15
    )
    # rho = 0 is the standard Gaussian too
    assert np.allclose(
        cp.fisher_under(W, "ar1", rho=0.0).J, cp.fisher_exact(W), rtol=1e-13, atol=1e-15
    )


def test_reproducible_with_seed():
    for dist in DISTS:
        a = cp.sample_distribution(dist, 4, 10, rng=5, **PARAMS)
        assert np.array_equal(a, cp.sample_distribution(dist, 4, 10, rng=5, **PARAMS))
    W = cp.sample_weights(4, 20, rng=0)
    f1 = cp.fisher_under(W, "laplace", n=500, rng=9).J
    assert np.array_equal(f1, cp.fisher_under(W, "laplace", n=500, rng=9).J)
    s1 = cp.empirical_fisher_study(3, 30, sizes=(20,), draws=2, rng=4)
    s2 = cp.empirical_fisher_study(3, 30, sizes=(20,), draws=2, rng=4)
    assert np.array_equal(s1.eig_hat[20], s2.eig_hat[20]) and np.array_equal(
        s1.q_hat[20], s2.q_hat[20]
    )


# --------------------------------------------------------------------------- Fisher matrix
@pytest.mark.parametrize("dist", ["ar1", "equicorrelated", "subspace"])
def test_exact_fisher_matches_monte_carlo(dist):
    W = cp.sample_weights(4, 25, rng=2)
    exact = cp.fisher_under(W, dist, **PARAMS)
    mc = cp.fisher_under(W, dist, method="mc", n=60_000, rng=8, **PARAMS)
    assert exact.exact and not mc.exact and mc.n == 60_000
    z = np.abs(mc.J - exact.J) / mc.se
    assert z.max() < 5.0, z.max()


@pytest.mark.parametrize("dist", ["uniform", "laplace"])
def test_monte_carlo_fisher_odd_part_and_trace(dist):
    """For symmetric p, J_p = W^T Sigma W / 4 + even part, so tr J_p = tr(W^T Sigma W) / 2."""
    W = cp.sample_weights(4, 20, rng=4)
    f = cp.fisher_under(W, dist, n=80_000, rng=6)
    assert np.allclose(f.J, f.J.T)
    assert np.trace(f.J) == pytest.approx(np.sum(W * W) / 2, abs=5 * np.sum(np.diag(f.se)))
    # Proposition: J_p = W^T Sigma_p W / 4 + E_p[|W^T x| |W^T x|^T] / 4 (the cross terms vanish).
    # The even part is estimated from an independent sample; the difference must be zero within
    # the combined standard error (it is not if the sampler is not symmetric, Sigma_p is wrong, or
    # fisher_under mis-scales J).
    x = cp.sample_distribution(dist, 4, 80_000, rng=7)
    A = np.abs(x @ W)
    E2 = A.T @ A / x.shape[0]
    se2 = np.sqrt(np.maximum((A * A).T @ (A * A) / x.shape[0] - E2**2, 0) / (x.shape[0] - 1))
    Sigma = _input_covariance(dist, 4)
    resid = f.J - W.T @ Sigma @ W / 4 - E2 / 4
    z = np.abs(resid) / np.sqrt(f.se**2 + (se2 / 4) ** 2)
    assert z[np.triu_indices_from(z)].max() < 5.0
    # and the check can fail: a wrong odd part (Sigma_p / 2 instead of Sigma_p) is far outside
    z_wrong = np.abs(f.J - W.T @ Sigma @ W / 8 - E2 / 4) / np.sqrt(f.se**2 + (se2 / 4) ** 2)
    assert z_wrong.max() > 20.0


def test_basis_gram_exact_vs_monte_carlo():
    W = cp.sample_weights(4, 60, rng=12)
    ex = cp.basis_gram("ar1", 4, W=W, rho=0.4)
    mc = cp.basis_gram("ar1", 4, W=W, rho=0.4, method="mc", n=60_000, rng=13)
    z = np.abs(mc.G - ex.G) / mc.se
    assert z.max() < 5.0, z.max()
    assert ex.trace == pytest.approx(np.trace(cp.fisher_under(W, "ar1", rho=0.4).J), rel=1e-12)
    assert np.allclose(ex.G, ex.G.T) and ex.labels == cp.basis(W)[1]


@pytest.mark.parametrize(
    "dist, k, rank", [("gaussian", None, 5), ("laplace", None, 5), ("subspace", 2, 2)]
)
def test_spectrum_parity_finds_the_second_group(dist, k, rank):
    """The odd eigenvectors (second group) sit right after the top one; their odd share is
    near 1."""
    W = cp.sample_weights(5, 300, rng=3)
    r = cp.spectrum_parity(W, dist, k=k, top=40, n=20_000, rng=4)
    assert np.array_equal(r["odd_positions"], np.arange(2, 2 + rank))
    assert np.all(r["odd_share"][1 : 1 + rank] > 0.9) and r["odd_share"][0] < 0.1
    eig = np.sort(scipy.linalg.eigvalsh(cp.fisher_under(W, dist, k=k, n=20_000, rng=4).J))[::-1]
    assert np.allclose(r["eigenvalues"], eig[:40])


def test_spectrum_parity_split_levels():
    """odd_levels / even_levels are the spectra of W^T Sigma W / 4 and of J_p minus it."""
    W = cp.sample_weights(5, 80, rng=5)
    r = cp.spectrum_parity(W, "ar1", rho=0.6, top=10)
    S = _input_covariance("ar1", 5, rho=0.6)
    odd = W.T @ S @ W / 4
    assert np.allclose(r["odd_levels"], np.sort(np.linalg.eigvalsh(odd))[::-1][:5], rtol=1e-10)
    J = cp.fisher_under(W, "ar1", rho=0.6).J
    assert np.allclose(
        r["even_levels"], np.sort(np.linalg.eigvalsh(J - odd))[::-1][:10], atol=1e-12
    )
    assert r["even_over_odd"] == pytest.approx(r["even_levels"][0] / r["odd_levels"][0])
    # the odd share of each eigenvector u is u^T (W^T Sigma W / 4) u / lambda, with Sigma itself
    lam, U = np.linalg.eigh(J)
    lam, U = lam[::-1][:10], U[:, ::-1][:, :10]
    assert np.allclose(
        r["odd_share"], np.einsum("ik,ij,jk->k", U, odd, U) / lam, rtol=1e-8, atol=1e-12
    )
    # rho and k are the ones given (not fisher_under's defaults):
    # a different rho changes every level
    assert not np.allclose(cp.spectrum_parity(W, "ar1", top=10)["odd_levels"], r["odd_levels"])
    sub = cp.spectrum_parity(W, "subspace", k=3, top=10)
    assert sub["odd_levels"].shape == (3,) and np.array_equal(sub["odd_positions"], np.arange(2, 5))


def test_even_level_stays_on_top_and_ties_for_one_dimensional_data():
    """Data on a line: J_p = (p p^T + q q^T)/2 with p, q the positive/negative parts of sqrt(d) W_1,
    whose odd part (p - q)(p - q)^T/4 and even part (p + q)(p + q)^T/4 have the same top eigenvalue
    |W_1|^2 d/4 (-> d/4): an exact tie. Equicorrelated inputs approach it from above as rho -> 1."""
    d = 10
    W = cp.sample_weights(d, 400, rng=1)
    line = cp.spectrum_parity(W, "subspace", k=1, top=3)
    assert line["even_over_odd"] == pytest.approx(1.0, rel=1e-10)
    assert line["odd_levels"][0] == pytest.approx(d / 4 * np.sum(W[0] ** 2), rel=1e-10)
    ratios = [
        cp.spectrum_parity(W, "equicorrelated", rho=rho, top=3)["even_over_odd"]
        for rho in (0.5, 0.9, 0.99)
    ]
    assert 1.0 < ratios[2] < ratios[1] < ratios[0]  # measured 1.001, 1.02, 1.37 (m -> inf: same)
    assert ratios[2] < 1.01


def test_gram_hierarchy_is_the_order_within_the_basis_span():
    """The Gram levels are Rayleigh-Ritz values: on a line the span of F_0 and the F_gamma gives a
    top even level of about 2.40, below the exact d/4 = 2.5, so `hierarchy` (order within the span)
    fails although the spectrum ties; at rho = 0.5 the order holds with a wide margin."""
    d = 10
    assert cp.basis_gram("equicorrelated", d, rho=0.5, n=20_000, rng=1).summary()["hierarchy"]
    line = cp.basis_gram("subspace", d, k=1, n=20_000, rng=1).summary()
    assert line["levels"]["G2"].max() == pytest.approx(d / 4, rel=0.03)
    assert line["even_levels"][0] < 0.98 * d / 4 and not line["hierarchy"]


# --------------------------------------------------------------------------- limits
def test_limit_gram_of_the_gaussian_gives_the_group_eigenvalues():
    d = 5
    g = cp.basis_gram("gaussian", d, n=200_000, rng=1)
    lam = cp.group_eigenvalues(d, exact=True)
    expected = np.array([lam[lab] for lab in g.labels])
    z = np.abs(np.diag(g.G) - expected) / np.diag(g.se)
    assert z.max() < 5.0
    off = ~np.eye(len(expected), dtype=bool)
    assert (np.abs(g.G[off]) / g.se[off]).max() < 5.0  # orthogonal (Section 2.3)


@pytest.mark.parametrize("dist", ["uniform", "laplace", "ar1", "equicorrelated", "subspace"])
def test_limit_gram_second_group_is_sigma_over_four(dist):
    """The odd part is exactly linear: E_p[F_l F_l'] = Sigma_ll' / 4 for any p (up to MC error)."""
    d = 4
    g = cp.basis_gram(dist, d, n=100_000, rng=2, **PARAMS)
    idx = [i for i, lab in enumerate(g.labels) if lab == "G2"]
    x = cp.sample_distribution(dist, d, 100_000, rng=2, **PARAMS)
    assert np.allclose(g.G[np.ix_(idx, idx)], x.T @ x / 4 / x.shape[0], rtol=1e-9, atol=1e-12)
    G2 = g.G[np.ix_(idx, idx)]
    S = _input_covariance(dist, d, **PARAMS) / 4
    se = g.se[np.ix_(idx, idx)]
    ok = se > 0
    assert (np.abs(G2 - S)[ok] / se[ok]).max() < 5.0


@pytest.mark.parametrize("dist", ["uniform", "laplace", "equicorrelated", "subspace"])
def test_group_means_do_not_depend_on_the_shape(dist):
    """Sum rules: with E||x||^2 = d the mean level of each group is the Gaussian one."""
    d = 5
    g = cp.basis_gram(dist, d, n=200_000, rng=7, **PARAMS)
    s = g.summary()
    lam = cp.group_eigenvalues(d, exact=True)
    labels = np.array(g.labels)
    for grp, key in (("G1", "G1"), ("G2", "G2"), ("G3", "G3_ab")):
        sel = np.char.startswith(labels, grp)
        se = np.diag(g.se)[sel].mean()  # bounds the standard error of the mean of correlated terms
        assert abs(s["mean"][grp] - lam[key]) < 5 * se + 1e-12, (grp, s["mean"][grp], lam[key], se)


def test_summary_detects_split_and_reversal():
    d = 5
    gauss = cp.basis_gram("gaussian", d, n=100_000, rng=1).summary()
    assert gauss["order_levels"] and gauss["order_members"] and gauss["between"] < 0.05
    assert gauss["share"] == pytest.approx(cp.trace_share(d), rel=0.02)
    eq = cp.basis_gram("equicorrelated", d, rho=0.9, n=100_000, rng=1).summary()
    # the linear function along (1,...,1) has norm (1 + (d-1) rho)/4 > lambda_0: G2 above G1
    assert eq["levels"]["G2"].max() == pytest.approx((1 + (d - 1) * 0.9) / 4, rel=0.02)
    assert eq["levels"]["G2"].max() > eq["levels"]["G1"].max()
    assert not eq["order_levels"]
    sub = cp.basis_gram("subspace", d, k=2, n=50_000, rng=1).summary()
    k = 2  # zero: F_l for l > k, and F_ab unless both alpha, beta <= k
    assert sub["n_zero"] == (d - k) + (d * (d - 1) // 2 - k * (k - 1) // 2)


@pytest.mark.parametrize("dist", ["uniform", "laplace"])
def test_third_group_split_formula(dist):
    """iid symmetric coordinates: E[F_ab^2] = c3^2 b and E[F_gamma^2] = c3^2 (a - b)/2 with
    a = E[x_1^4/|x|^2], b = E[x_1^2 x_2^2/|x|^2] (an independent sample; the chapter's exercise)."""
    d = 4
    g = cp.basis_gram(dist, d, n=100_000, rng=3)
    s = g.summary()
    x = cp.sample_distribution(dist, d, 400_000, rng=4)
    r2 = np.sum(x**2, axis=1)
    ta, tb = x[:, 0] ** 4 / r2, x[:, 0] ** 2 * x[:, 1] ** 2 / r2
    a, b = ta.mean(), tb.mean()
    se_a, se_b = ta.std() / np.sqrt(x.shape[0]), tb.std() / np.sqrt(x.shape[0])
    c3sq = cp.limit_constants(d)["c3"] ** 2
    lab = np.array(g.labels)
    for grp, expected, se_formula in (
        ("G3_ab", c3sq * b, c3sq * se_b),
        ("G3_gamma", c3sq * (a - b) / 2, c3sq * (se_a + se_b) / 2),
    ):
        se = np.diag(g.se)[lab == grp].mean() + se_formula
        assert abs(s["quotients"][grp].mean() - expected) < 5 * se, (
            grp,
            s["quotients"][grp].mean(),
            expected,
            se,
        )
    gauss = c3sq / (d + 2)
    assert abs(c3sq * b - gauss) > 20 * c3sq * se_b  # the split is real, not noise


def test_distribution_table_rows_do_not_depend_on_the_others():
    kw = dict(d=3, m=20, n=400, n_limit=400, mae_m=100, rng=2)
    both = cp.distribution_table(dists=("gaussian", "laplace"), **kw)
    one = cp.distribution_table(dists=("laplace",), **kw)
    assert np.allclose(both.loc["laplace"].astype(float), one.loc["laplace"].astype(float))
    assert {"lim_G3_gamma", "lim_G3_ab"} <= set(one.columns)


def test_limits_hold_pointwise_for_any_distribution():
    """Theorems 3.1-3.5 are statements at fixed x: the error falls with m under uniform inputs."""
    small = _limit_mae_under("uniform", 5, 1_000, n_inputs=50, rng=3)
    large = _limit_mae_under("uniform", 5, 16_000, n_inputs=50, rng=3)
    for g in small:
        assert large[g] < 0.5 * small[g], (g, small[g], large[g])  # expected ratio 1/4


# --------------------------------------------------------------------------- empirical Fisher
def test_empirical_study_matches_fisher_empirical():
    d, m, N = 3, 30, 40
    st = cp.empirical_fisher_study(d, m, sizes=(N, 100), draws=1, rng=0)
    # rebuild the draw independently from the same stream
    rng = np.random.default_rng(np.random.SeedSequence([0, d, m]).spawn(1)[0])
    W = cp.sample_weights(d, m, rng)
    x = rng.standard_normal((N, d))
    n_top = 1 + d + d * (d + 1) // 2 - 1
    J = cp.fisher_exact(W)
    assert np.allclose(st.eig_J[0], np.sort(np.linalg.eigvalsh(J))[::-1][:n_top])
    Jh = cp.fisher_empirical(W, x)
    assert np.allclose(st.eig_hat[N][0], np.sort(np.linalg.eigvalsh(Jh))[::-1][:n_top], atol=1e-12)
    V, _ = cp.basis(W)
    assert np.allclose(st.q_hat[N][0], cp.rayleigh_quotients(Jh, V))
    assert np.allclose(st.q_J[0], cp.rayleigh_quotients(J, V))


def test_infinite_width_spectrum_is_the_wide_limit():
    """m = None uses the kernel of the inputs: the spectrum of J_hat_N at a very large m is
    close."""
    d, N = 4, 30
    st = cp.empirical_fisher_study(d, None, sizes=(N,), draws=1, rng=1)
    rng = np.random.default_rng(np.random.SeedSequence([1, d, 0]).spawn(1)[0])
    x = rng.standard_normal((N, d))
    W = cp.sample_weights(d, 40_000, rng=2)
    X = cp.features(x, W)
    wide = np.sort(np.linalg.eigvalsh(X @ X.T / N))[::-1][: st.eig_hat[N].shape[1]]
    assert np.allclose(st.eig_hat[N][0], wide, rtol=0.05)  # the error is ~ m^(-1/2)
    Phi = np.hstack([cp.limit(x, g) for g in ("G1", "G2", "G3_gamma", "G3_ab")])
    assert np.allclose(st.q_hat[N][0], np.mean(Phi**2, axis=0))


def test_empirical_deviations_shrink_with_N():
    st = cp.empirical_fisher_study(5, None, sizes=(50, 800), draws=6, rng=2)
    r = st.readings()
    for reading in ("eig_vs_J", "quotient"):
        wide = r.loc[(50, reading, "G2"), "hi"] - r.loc[(50, reading, "G2"), "lo"]
        narrow = r.loc[(800, reading, "G2"), "hi"] - r.loc[(800, reading, "G2"), "lo"]
        assert narrow < 0.5 * wide  # expected ratio sqrt(50/800) = 1/4
    rev = st.reversals(800)
    assert rev["G2>G1"] == 0.0 and rev["gap12"] > 1.0
    assert st.eig_deviation(50, "theory").shape == (6, 1 + 5 + 14)


def test_small_samples_carry_only_N_eigenvalues():
    """J_hat_N has rank <= N: the positions beyond N are NaN (not -100% deviations) and are
    left out."""
    d, N = 3, 5  # n_top = 1 + 3 + 5 = 9 > N
    st = cp.empirical_fisher_study(d, None, sizes=(N,), draws=4, rng=0)
    dev = st.eig_deviation(N, "theory")
    assert np.all(np.isfinite(dev[:, :N])) and np.all(np.isnan(dev[:, N:]))
    r = st.readings()
    assert np.all(np.isfinite(r.to_numpy()))
    # G3 (positions 5..9 at d = 3) keeps only position 5: its range is that of one column
    col = dev[:, N - 1]
    assert r.loc[(N, "eig_vs_theory", "G3"), "lo"] == pytest.approx(np.quantile(col, 0.025))
    assert r.loc[(N, "eig_vs_theory", "G3"), "hi"] == pytest.approx(np.quantile(col, 0.975))
    st1 = cp.empirical_fisher_study(d, None, sizes=(3,), draws=2, rng=0)  # carries no G3 eigenvalue
    assert np.isnan(st1.readings().loc[(3, "eig_vs_theory", "G3"), "lo"])


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: cp.sample_distribution("cauchy", 3, 5, rng=0), "dist"),
        (lambda: cp.sample_distribution("ar1", 3, 5, rng=0, rho=1.0), "rho"),
        (lambda: cp.sample_distribution("ar1", 3, 5, rng=0, rho=float("nan")), "rho"),
        (lambda: _input_covariance("equicorrelated", 4, rho=-0.5), "rho"),
        (lambda: cp.sample_distribution("subspace", 3, 5, rng=0, k=0), "k"),
        (lambda: cp.sample_distribution("subspace", 3, 5, rng=0, k=4), "k"),
        (lambda: cp.sample_distribution("uniform", 3, 0, rng=0), "n"),
        (lambda: _input_factor("laplace", 3), "dist"),
        (lambda: cp.fisher_under(cp.sample_weights(3, 5, 0), "uniform"), "rng"),
        (lambda: cp.fisher_under(cp.sample_weights(3, 5, 0), "uniform", method="exact"), "method"),
        (lambda: cp.fisher_under(cp.sample_weights(3, 5, 0), "gaussian", method="quad"), "method"),
        (lambda: cp.fisher_under(np.full((3, 5), np.nan), "gaussian"), "W"),
        (lambda: cp.basis_gram("laplace", 3, W=cp.sample_weights(3, 5, 0), n=1, rng=0), "n"),
        (lambda: cp.basis_gram("gaussian", 4, W=cp.sample_weights(3, 5, 0)), "W"),
        (lambda: cp.basis_gram("laplace", 3, W=cp.sample_weights(3, 5, 0), n=100), "rng"),
        (lambda: cp.basis_gram("gaussian", 2, rng=0), "d"),
        (lambda: cp.basis_gram("gaussian", 3, method="exact", rng=0), "method"),
        (lambda: cp.basis_gram("gaussian", 3), "rng"),  # no hidden default seed
        (lambda: cp.empirical_fisher_study(3, 5), "m"),
        (lambda: cp.empirical_fisher_study(3, None, sizes=(0,)), "N"),
        (lambda: cp.empirical_fisher_study(3, None, sizes=()), "sizes"),
        (
            lambda: cp.empirical_fisher_study(3, None, sizes=(5,), draws=1).readings(level=1.5),
            "level",
        ),
        (lambda: cp.empirical_fisher_study(3, None, sizes=(5,), draws=1).eig_deviation(7), "N"),
        (
            lambda: cp.empirical_fisher_study(3, None, sizes=(5,), draws=1).quotient_deviation(7),
            "N",
        ),
        (lambda: cp.empirical_fisher_study(3, None, sizes=(5,), draws=1).reversals(7), "N"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_bad_real_messages_state_the_interval():
    with pytest.raises(
        ValueError,
        match=r"rho \(for dist='ar1'\) must be a finite number in \(-1.0, 1.0\), got 1.0",
    ):
        _input_covariance("ar1", 3, rho=1.0)
    with pytest.raises(
        ValueError,
        match=r"rho \(for dist='equicorrelated' at d = 4\) must be a finite number in \(-0.333",
    ):
        _input_covariance("equicorrelated", 4, rho=-0.5)
    with pytest.raises(ValueError, match=r"rho must be a finite number in \[-inf, inf\], got inf"):
        _input_covariance("uniform", 3, rho=float("inf"))
    st = cp.empirical_fisher_study(3, None, sizes=(5,), draws=1)
    with pytest.raises(ValueError, match=r"level must be a finite number in \(0.0, 1.0\), got 1.0"):
        st.readings(level=1)


def test_bad_types():
    with pytest.raises(TypeError, match="sizes"):
        cp.empirical_fisher_study(3, None, sizes=100)
    st = cp.empirical_fisher_study(3, None, sizes=(5,), draws=1)
    with pytest.raises(TypeError, match="level"):
        st.readings(level="x")
    with pytest.raises(TypeError, match="N"):
        st.eig_deviation(5.0)
    with pytest.raises(TypeError, match="rng"):  # no hidden default seed
        _limit_mae_under("gaussian", 3, 50)
    with pytest.raises(TypeError, match="rho"):
        cp.sample_distribution("ar1", 3, 5, rng=0, rho="0.5")
    with pytest.raises(TypeError, match="k"):
        cp.sample_distribution("subspace", 3, 5, rng=0, k=1.5)


# --------------------------------------------------------------------------- memory
def _no_work(*args, **kwargs):
    raise AssertionError("computed before the memory was checked")


def test_gram_memory_is_checked_before_any_work(monkeypatch):
    """The Gram matrices take about nine K x K arrays, K = d(d+3)/2: memory O(d^4). At d = 1000
    (K^2 = 2.5e11 entries, 18 TB) the call is refused at once, before anything is drawn."""
    from companion import distributions

    monkeypatch.setattr(distributions, "sample_distribution", _no_work)
    monkeypatch.setattr(distributions, "basis", _no_work)
    with pytest.raises(
        ValueError,
        match=r"K\^2 \(K = d\(d\+3\)/2 = 501500 basis functions at d = 1000\) = 251502250000 "
        r"needs about .* GiB, more than .* must be <= \d+ here",
    ):
        cp.basis_gram("gaussian", 1000, rng=0)
    with pytest.raises(ValueError, match=r"at d = 1000\)"):
        cp.basis_gram("laplace", 1000, W=np.ones((1000, 5)), rng=0)
    # 64 MiB free, a budget of 32 MiB: d = 40 (K = 860, 53 MB) does not fit, d = 30 does
    monkeypatch.setattr(_validate, "available_memory", lambda: 64 * 2**20)
    with pytest.raises(ValueError, match=r"at d = 40\)"):
        cp.basis_gram("gaussian", 40, rng=0)
    with pytest.raises(ValueError, match=r"at d = 40\)"):
        cp.distribution_table(d=40, m=20, rng=0)
    monkeypatch.undo()
    monkeypatch.setattr(_validate, "available_memory", lambda: 64 * 2**20)
    assert cp.basis_gram("gaussian", 30, n=20, rng=0).G.shape == (495, 495)


def test_dense_memory_is_checked_before_any_work(monkeypatch):
    """J_p and its spectrum hold several dense m x m matrices (two exact, eight at the peak of
    Monte Carlo, six in spectrum_parity), and the Monte Carlo samples are drawn at once."""
    monkeypatch.setattr(_validate, "available_memory", lambda: 2**20)  # a budget of 512 KiB
    W = cp.sample_weights(3, 120, rng=0)  # one m x m matrix: 115 kB
    assert cp.fisher_under(W, "gaussian").J.shape == (120, 120)
    with pytest.raises(ValueError, match=r"m\^2 \(m = 120 hidden units\) = 14400 needs about"):
        cp.fisher_under(W, "laplace", n=100, rng=0)
    with pytest.raises(ValueError, match=r"m\^2 \(m = 120 hidden units\)"):
        cp.spectrum_parity(W, "gaussian")
    with pytest.raises(ValueError, match=r"n = 100000 needs about .* n must be <= \d+ here"):
        cp.fisher_under(W[:, :10], "laplace", n=100_000, rng=0)
    with pytest.raises(ValueError, match=r"n = 100000 needs about"):
        cp.sample_distribution("gaussian", 10, 100_000, rng=0)


def test_study_memory_is_checked_before_any_work(monkeypatch):
    """A million samples at m = 5000: the features alone take 40 GB; refused before any draw,
    naming N. Dense matrices beyond 2 GiB are refused with the name of their side (N or m)."""
    from companion import distributions

    monkeypatch.setattr(distributions, "sample_weights", _no_work)
    monkeypatch.setattr(distributions, "fisher_exact", _no_work)
    monkeypatch.setattr(_validate, "available_memory", lambda: 8 * 2**30)
    with pytest.raises(
        ValueError, match=r"N \(the largest of sizes\) = 1000000 needs about .* must be <= \d+"
    ):
        cp.empirical_fisher_study(10, 5000, sizes=(100, 10**6), draws=1)
    with pytest.raises(ValueError, match=r"draws = 1000000000000 needs about"):
        cp.empirical_fisher_study(3, None, sizes=(5,), draws=10**12)
    with pytest.raises(ValueError, match=r"N = 20000 needs a dense 20000 x 20000 matrix"):
        cp.empirical_fisher_study(10, None, sizes=(20_000,), draws=1)
    with pytest.raises(ValueError, match=r"m = 20000 needs a dense 20000 x 20000 matrix"):
        cp.empirical_fisher_study(10, 20_000, sizes=(100,), draws=1)


# --------------------------------------------------------------------------- figures and widget
def test_figures_and_explorer():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from companion import widgets

    st = cp.empirical_fisher_study(4, None, sizes=(30, 60), draws=3, rng=0)
    fig = cp.plot_empirical_fisher(st)
    assert len(fig.axes) == 2 and "N = 60" in fig.axes[1].get_title()
    sums = {
        dist: cp.basis_gram(dist, 4, n=2000, rng=0).summary() for dist in ("gaussian", "subspace")
    }
    fig2 = cp.plot_input_levels(sums, 4)
    assert [t.get_text() for t in fig2.axes[0].get_xticklabels()] == ["gaussian", "subspace"]
    plt.close("all")
    box = widgets.explorer("distributions", live=True, draws=2)
    assert len(box.redraw_seconds) == 1 and box.children[-1].value[:4] == b"\x89PNG"
