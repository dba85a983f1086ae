"""Learning dynamics: gradient descent on the output weights, group components and rates."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import companion as cp
from companion import dynamics, widgets


def _psd(m, rank=None, rng=0):
    rng = np.random.default_rng(rng)
    A = rng.standard_normal((m, rank or m))
    return A @ A.T / m


# --------------------------------------------------------------------------- gradient descent


@pytest.mark.parametrize("rank", [None, 7])
def test_gradient_descent_matches_the_closed_form(rank):
    m = 20
    H = _psd(m, rank, rng=1)
    rng = np.random.default_rng(2)
    b = H @ rng.standard_normal(m)  # in the range of H (as b = X^T y / N is)
    v0 = rng.standard_normal(m)
    eta = 1.5 / np.linalg.eigvalsh(H)[-1]
    run = cp.gradient_descent(H, b, eta, 60, v0=v0)
    # the iteration, written out independently
    v = v0.copy()
    for t in range(61):
        np.testing.assert_allclose(run.trajectory[t], v, rtol=1e-12, atol=1e-12)
        v = v - eta * (H @ v - b)
    closed = cp.gd_closed_form(H, b, eta, [0, 1, 10, 60], v0=v0)
    np.testing.assert_allclose(closed, run.trajectory[[0, 1, 10, 60]], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(
        run.loss, [0.5 * u @ H @ u - b @ u for u in run.trajectory], rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(run.final, run.trajectory[-1])


def test_gradient_descent_limit_is_the_minimum_norm_minimiser_plus_null_part():
    m = 12
    H = _psd(m, 5, rng=3)
    rng = np.random.default_rng(4)
    b = H @ rng.standard_normal(m)
    v0 = rng.standard_normal(m)
    eta = 1.0 / np.linalg.eigvalsh(H)[-1]
    v_inf = cp.gd_closed_form(H, b, eta, 20_000, v0=v0)
    P_null = np.eye(m) - np.linalg.pinv(H) @ H
    np.testing.assert_allclose(v_inf, np.linalg.pinv(H) @ b + P_null @ v0, atol=1e-8)
    # at mu = 0 the closed form grows like eta t b (here b has no null part, so it stays put)
    np.testing.assert_allclose(
        cp.gd_closed_form(np.zeros((3, 3)), np.ones(3), 0.1, 5), 0.5 * np.ones(3)
    )


def test_closed_form_with_b_outside_the_range_of_a_singular_H():
    """Numerically-zero eigenvalues (|mu| ~ 1e-17, either sign) must give eta t, as the iteration
    does."""
    m, steps = 30, 50
    H = _psd(m, 10, rng=8)  # rank 10: 20 eigenvalues that are zero up to rounding
    mu, U = np.linalg.eigh(H)
    assert np.sum(np.abs(mu) < 1e-14) == 20 and np.any(mu[:20] != 0)
    b = np.random.default_rng(9).standard_normal(m)  # generic: far outside the range of H
    v0 = np.random.default_rng(10).standard_normal(m)
    eta = 0.5 / mu[-1]
    v, literal = v0.copy(), [v0.copy()]
    for _ in range(steps):
        v = v - eta * (H @ v - b)
        literal.append(v.copy())
    literal = np.array(literal)
    ts = [0, 1, 7, steps]
    closed = cp.gd_closed_form(H, b, eta, ts, v0=v0)
    np.testing.assert_allclose(closed, literal[ts], rtol=1e-10, atol=1e-10 * np.abs(literal).max())
    # the null part grows linearly: u^T v_t = u^T v0 + eta t u^T b along each null direction
    null = U[:, :20]
    np.testing.assert_allclose(
        null.T @ closed[-1], null.T @ v0 + eta * steps * (null.T @ b), rtol=1e-10, atol=1e-10
    )
    # and the learning rate may exceed the stability limit (the formula needs no condition)
    big = 2.5 / mu[-1]
    w = v0.copy()
    for _ in range(5):
        w = w - big * (H @ w - b)
    np.testing.assert_allclose(
        cp.gd_closed_form(H, b, big, 5, v0=v0), w, rtol=1e-9, atol=1e-9 * np.abs(w).max()
    )


def test_minimum_loss_is_the_least_squares_training_loss():
    d, m, n = 4, 40, 25  # N < m: H is singular, b = X^T y / N in its range
    W = cp.sample_weights(d, m, rng=0)
    x = cp.sample_inputs(d, n, rng=1)
    y = np.random.default_rng(2).standard_normal(n)
    H, b = cp.training_problem(W, x, y)
    X = cp.features(x, W)
    v, *_ = np.linalg.lstsq(X, y, rcond=None)
    lsq = 0.5 * np.mean((X @ v - y) ** 2)
    assert 0.5 * np.mean(y**2) + dynamics._minimum_loss(H, b) == pytest.approx(lsq, abs=1e-10)
    with pytest.raises(ValueError, match="range of H"):
        dynamics._minimum_loss(H, np.random.default_rng(3).standard_normal(m))
    # learning_curves: the loss stays above loss_min and approaches it (N = 3000 > m, noise 1:
    # about (1 - m/N)/2 of the loss cannot be fitted)
    c = cp.learning_curves(4, 60, n_train=3000, noise=1.0, steps=3000, rng=2)
    assert np.all(c.loss >= c.loss_min - 1e-12)
    assert c.loss_min == pytest.approx(0.5 * (1 - 60 / 3000), abs=0.05)
    assert c.loss[-1] - c.loss_min < 0.1 * (c.loss[0] - c.loss_min)


def test_gradient_descent_several_targets_and_record():
    m = 15
    H = _psd(m, rng=5)
    B = np.random.default_rng(6).standard_normal((m, 3))
    eta = 0.5 / np.linalg.eigvalsh(H)[-1]
    together = cp.gradient_descent(H, B, eta, 30)
    for k in range(3):
        alone = cp.gradient_descent(H, B[:, k], eta, 30)
        np.testing.assert_allclose(
            together.trajectory[..., k], alone.trajectory, rtol=1e-12, atol=1e-13
        )
    R = np.random.default_rng(7).standard_normal((4, m))
    rec = cp.gradient_descent(H, B[:, 0], eta, 30, record=R)
    np.testing.assert_allclose(
        rec.trajectory, together.trajectory[..., 0] @ R.T, rtol=1e-10, atol=1e-12
    )


# --------------------------------------------------------------------------- targets


def test_random_target_has_unit_norm_parts_and_mixed_second_moment():
    d = 6
    y = cp.random_target(d, "mixed", rng=3)
    coef = y.coefficients
    lam = cp.group_eigenvalues(d, exact=True)
    assert list(coef) == list(cp.DYNAMICS_GROUPS)
    for g, c in coef.items():
        assert c.shape == (cp.group_size(d, g),)
        assert lam[g] * c @ c == pytest.approx(1.0, rel=1e-12)
    again = cp.random_target(d, "mixed", rng=3).coefficients
    assert all(np.array_equal(coef[g], again[g]) for g in coef)
    assert list(cp.random_target(d, "G2", rng=0).coefficients) == ["G2"]
    # E[y^2] = 3 (orthogonal parts of norm 1), by Monte Carlo: sd of y^2 / sqrt(n)
    x = cp.sample_inputs(d, 200_000, rng=4)
    y2 = y(x) ** 2
    assert abs(y2.mean() - 3.0) < 5 * y2.std() / np.sqrt(y2.size)


def test_target_moment_is_the_population_expectation():
    """E_x[X(x) F_k(x)] = lambda_g v^(k) at finite m: Monte Carlo, entry by entry, within 5
    standard errors."""
    d, m, n = 5, 30, 400_000
    W = cp.sample_weights(d, m, rng=0)
    y = cp.random_target(d, "mixed", rng=1)
    coef = y.coefficients
    b = y.moment(W)
    lam = cp.group_eigenvalues(d, exact=True)
    np.testing.assert_allclose(b, sum(lam[g] * cp.group_vectors(W, g) @ c for g, c in coef.items()))
    x = cp.sample_inputs(d, n, rng=2)
    for g in cp.DYNAMICS_GROUPS:  # one member of each group alone: F_0, F_1, F_12
        one = dynamics.Target(d, {g: np.eye(cp.group_size(d, g))[0]})
        prod = cp.features(x, W) * one(x)[:, None]
        se = prod.std(axis=0) / np.sqrt(n)
        z = (prod.mean(axis=0) - one.moment(W)) / se
        assert np.abs(z).max() < 5.0, (g, np.abs(z).max())


def test_training_problem_matches_direct_computation_and_prefixes():
    d, m = 4, 25
    W = cp.sample_weights(d, m, rng=0)
    x = cp.sample_inputs(d, 50, rng=1)
    y = np.random.default_rng(2).standard_normal(50)
    H, b = cp.training_problem(W, x, y)
    np.testing.assert_allclose(H, cp.fisher_empirical(W, x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b, cp.features(x, W).T @ y / 50, rtol=1e-12, atol=1e-14)
    for n, (Hn, bn) in zip(
        (10, 30, 50), cp.training_problem(W, x, y, sizes=(10, 30, 50)), strict=True
    ):
        H1, b1 = cp.training_problem(W, x[:n], y[:n])
        np.testing.assert_allclose(Hn, H1, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(bn, b1, rtol=1e-12, atol=1e-14)


# --------------------------------------------------------------------------- components and rates


@pytest.mark.parametrize("n_train", [None, 12])
def test_group_subspaces_are_nested_and_orthonormal(n_train):
    d, m = 4, 60
    W = cp.sample_weights(d, m, rng=0)
    H = (
        cp.fisher_exact(W)
        if n_train is None
        else cp.fisher_empirical(W, cp.sample_inputs(d, n_train, rng=1))
    )
    S = dynamics._group_subspaces(H, W)
    allS = np.hstack([S[g] for g in cp.DYNAMICS_GROUPS])
    np.testing.assert_allclose(allS.T @ H @ allS, np.eye(allS.shape[1]), atol=1e-8)
    # S_G1 spans f_{v^(0)}; S_G1 + S_G2 spans the G1 and G2 functions (projections in the H
    # metric agree)
    V = np.hstack([cp.group_vectors(W, g) for g in ("G1", "G2")])
    Q = np.hstack([S["G1"], S["G2"]])
    proj = Q @ (Q.T @ (H @ V))  # H-orthogonal projection of V on span Q
    np.testing.assert_allclose(H @ proj, H @ V, atol=1e-8 * np.abs(H @ V).max())
    sizes = [S[g].shape[1] for g in cp.DYNAMICS_GROUPS]
    if n_train is None:
        assert sizes == [1, d, d * (d - 1) // 2]
    else:  # rank 12 < 1 + 4 + 6 + ... : the third span loses dimensions
        assert sum(sizes) <= n_train and sizes[:2] == [1, d]


def test_ritz_values_and_fit_rate_are_exact_on_an_eigenspace():
    rng = np.random.default_rng(0)
    m = 10
    U, _ = np.linalg.qr(rng.standard_normal((m, m)))
    mu = np.array([2.0, 0.5, 0.5, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01])
    H = (U * mu) @ U.T
    S = U[:, 1:3] / np.sqrt(0.5)  # H-orthonormal basis of the 0.5-eigenspace
    np.testing.assert_allclose(dynamics._ritz_values(H, S), [0.5, 0.5], rtol=1e-12)
    eta = 0.4
    A = 3.0 * (1 - eta * 0.1) ** np.arange(100)
    assert cp.fit_rate(A, eta) == pytest.approx(0.1, rel=1e-12)
    mix = np.sqrt(
        ((1 - eta * 0.1) ** np.arange(200)) ** 2 + ((1 - eta * 0.3) ** np.arange(200)) ** 2
    )
    assert 0.1 < cp.fit_rate(mix, eta) < 0.3


def test_population_rates_follow_the_fisher_rayleigh_quotients():
    """Population loss (Hessian J): each group's measured rate is the mean Ritz value of J on it."""
    c = cp.learning_curves(5, 1000, rng=0)
    assert c.n_train is None and c.eta == pytest.approx(0.5 / c.lambda_max)
    np.testing.assert_allclose(c.eta * c.lambda_max, 0.5)
    for g, tol in (("G1", 0.03), ("G2", 0.07), ("G3_ab", 0.12)):
        assert c.measured[g] == pytest.approx(c.fisher[g], rel=tol), g
        # H is J here: both are the mean eigenvalue of the same k x k matrix (H S)^T (H S)
        # (k <= 10), but `hessian` comes from eigh and `fisher` from eigvalsh (_ritz_values),
        # two LAPACK routes that may differ by ~k eps ||.|| (the Ritz values of one group are
        # within a factor ~2 of each other, so of their mean): a few ulps; 1e-12 is far above
        assert c.hessian[g] == pytest.approx(c.fisher[g], rel=1e-12, abs=0), g
    # the ratios approach the eigenvalue ratios (2d+1)/(4 pi) : 1/4 : 1/(2 pi (d+2))
    for g, r in c.ratios().items():
        assert r == pytest.approx(c.ratios("exact")[g], rel=0.12), g
    assert c.measured["G1"] > c.measured["G2"] > c.measured["G3_ab"]
    for _g, A in c.components.items():
        assert A[0] == pytest.approx(1.0, rel=0.1) and A[-1] < 0.2 * A[0]
    # the loss decreases monotonically to (almost) zero from E[y^2]/2 = 3/2
    assert (
        c.loss[0] == pytest.approx(1.5) and np.all(np.diff(c.loss) <= 1e-12) and c.loss[-1] < 0.05
    )


def test_hessian_error_matches_a_dense_computation():
    d, m = 4, 60
    W = cp.sample_weights(d, m, rng=0)
    J = cp.fisher_exact(W)
    H = cp.fisher_empirical(W, cp.sample_inputs(d, 300, rng=1))
    err = dynamics._hessian_error(H, J, W)
    E = H - J
    norm = lambda A: np.abs(np.linalg.eigvalsh(A)).max()  # noqa: E731
    assert err["total"] == pytest.approx(norm(E), rel=1e-8)
    u = cp.group_vectors(W, "G1")[:, 0]
    P = np.eye(m) - np.outer(u, u) / (u @ u)
    assert err["orthogonal_to_G1"] == pytest.approx(norm(P @ E @ P), rel=1e-8)
    S = dynamics._group_subspaces(J, W)
    for g in cp.DYNAMICS_GROUPS:
        Q, _ = np.linalg.qr(S[g])
        assert err[g] == pytest.approx(norm(Q.T @ E @ Q), rel=1e-8), g
        assert err[g] <= err["total"] * (1 + 1e-12)
    # Weyl: the Ritz values of H and J on each span differ by at most the compressed error
    Q, _ = np.linalg.qr(S["G3_ab"])
    shift = np.linalg.eigvalsh(Q.T @ H @ Q) - np.linalg.eigvalsh(Q.T @ J @ Q)
    assert np.abs(shift).max() <= err["G3_ab"] * (1 + 1e-10)
    assert all(v == 0 for v in dynamics._hessian_error(J, J, W).values())
    # m > 200: the Lanczos path (P E P as an operator) agrees with the dense computation
    W = cp.sample_weights(d, 250, rng=2)
    J = cp.fisher_exact(W)
    H = cp.fisher_empirical(W, cp.sample_inputs(d, 500, rng=3))
    err = dynamics._hessian_error(H, J, W)
    u = cp.group_vectors(W, "G1")[:, 0]
    P = np.eye(250) - np.outer(u, u) / (u @ u)
    assert err["total"] == pytest.approx(norm(H - J), rel=1e-6)
    assert err["orthogonal_to_G1"] == pytest.approx(norm(P @ (H - J) @ P), rel=1e-6)


def test_rates_vs_samples_approach_the_population_rates():
    df = cp.rates_vs_samples(5, 300, [8, 3000], steps=400, rng=1)
    assert list(df.index.get_level_values("N")) == [8] * 3 + [3000] * 3 + [np.inf] * 3
    big = df.xs(3000, level="N")
    assert np.all(np.abs(big["vs_population"]) < 0.1), big
    small = df.xs(8, level="N")
    assert small.loc["G3_ab", "dim"] < cp.group_size(
        5, "G3_ab"
    )  # 8 inputs cannot span 1 + 5 + 10 functions
    assert df.xs(np.inf, level="N")["hessian_gap"].eq(0).all()
    assert df.attrs["m"] == 300
    np.testing.assert_allclose(df["vs_fisher"], df["measured"] / df["fisher"] - 1)
    # the Fisher prediction (computed once) is that of learning_curves at the same W, on every row
    pop = cp.learning_curves(5, 300, steps=400, rng=1)
    for n in (8, 3000, np.inf):
        np.testing.assert_allclose(
            df.xs(n, level="N")["fisher"].to_numpy(),
            [pop.fisher[g] for g in cp.DYNAMICS_GROUPS],
            rtol=1e-12,
        )
    np.testing.assert_allclose(
        df.xs(np.inf, level="N")["measured"].to_numpy(),
        [pop.measured[g] for g in cp.DYNAMICS_GROUPS],
        rtol=1e-10,
    )
    # compressed errors: at most the full error, and shrinking with N
    lam = cp.group_eigenvalues(5, exact=True)
    normJ = df.attrs["lambda_max"]
    assert normJ == pytest.approx(pop.lambda_max, rel=1e-8)
    for (_n, g), row in df.iterrows():
        assert row["span_gap"] * lam[g] <= row["hessian_gap"] * normJ * (1 + 1e-9)
        assert row["gap_off_G1"] <= row["hessian_gap"] * (1 + 1e-9)
    assert df.loc[(3000, "G3_ab"), "span_gap"] < df.loc[(8, "G3_ab"), "span_gap"]
    # the same W, target and nested sample as learning_curves (shared set-up): the gaps are
    # _hessian_error of the first N inputs' problem, and the N = 3000 run is learning_curves'
    p = dynamics._setup(5, 300, "mixed", 1, None)
    x, y = p.sample(3000)
    for n in (8, 3000):
        err = dynamics._hessian_error(cp.training_problem(p.W, x[:n], y[:n])[0], p.J, p.W)
        assert df.loc[(n, "G1"), "hessian_gap"] * normJ == pytest.approx(err["total"], rel=1e-6)
        assert df.loc[(n, "G1"), "gap_off_G1"] * normJ == pytest.approx(
            err["orthogonal_to_G1"], rel=1e-6
        )
        for g in cp.DYNAMICS_GROUPS:
            assert df.loc[(n, g), "span_gap"] * lam[g] == pytest.approx(err[g], rel=1e-6), (n, g)
    run = cp.learning_curves(5, 300, n_train=3000, steps=400, rng=1)
    np.testing.assert_allclose(
        df.xs(3000, level="N")["measured"].to_numpy(),
        [run.measured[g] for g in cp.DYNAMICS_GROUPS],
        rtol=1e-8,
    )


def test_stability_check_uses_the_top_of_the_spectrum():
    """gradient_descent refuses eta >= 2 / lambda_max(H) (fisher_spectrum(H, top=1)), tiny H
    included."""
    for m in (1, 2, 3, 5, 300):
        H = _psd(m, rng=m)
        top = np.linalg.eigvalsh(H)[-1]
        assert cp.fisher_spectrum(H, top=1)[0] == pytest.approx(top, rel=1e-10), m
        cp.gradient_descent(H, np.ones(m), 1.999 / top, 2)
        with pytest.raises(ValueError, match="eta"):
            cp.gradient_descent(H, np.ones(m), 2.001 / top, 2)
    with pytest.raises(ValueError, match="H must be symmetric"):
        cp.gradient_descent(np.triu(np.ones((4, 4))), np.ones(4), 0.1, 3)


def test_learning_curves_reproducible_and_noise():
    a = cp.learning_curves(4, 80, n_train=200, steps=50, rng=3)
    b = cp.learning_curves(4, 80, n_train=200, steps=50, rng=3)
    assert a.measured == b.measured
    c = cp.learning_curves(4, 80, n_train=200, steps=50, rng=3, noise=1.0)
    assert c.loss[0] > a.loss[0]  # the noise adds to E[y^2]
    one = cp.learning_curves(4, 400, steps=20, target="G2", rng=0)
    assert one.components["G2"][0] == pytest.approx(1.0, rel=0.1)
    assert one.components["G1"][0] < 0.1


# --------------------------------------------------------------------------- bad inputs


def test_bad_inputs_raise_naming_the_parameter():
    H = _psd(5, rng=0)
    b = np.ones(5)
    lam = np.linalg.eigvalsh(H)[-1]
    with pytest.raises(ValueError, match="eta"):
        cp.gradient_descent(H, b, 0.0, 3)
    with pytest.raises(ValueError, match="eta"):
        cp.gradient_descent(H, b, -1.0, 3)
    with pytest.raises(ValueError, match="eta"):
        cp.gradient_descent(H, b, 2.0 / lam * 1.001, 3)
    with pytest.raises(ValueError, match="eta"):
        cp.gd_closed_form(H, b, float("nan"), 3)
    with pytest.raises(TypeError, match="eta"):
        cp.gradient_descent(H, b, "0.1", 3)
    with pytest.raises(ValueError, match="b must have m = 5"):
        cp.gradient_descent(H, np.ones(4), 0.1, 3)
    with pytest.raises(ValueError, match="H must be a square"):
        cp.gradient_descent(np.ones((5, 4)), b, 0.1, 3)
    Hn = H.copy()
    Hn[0, 0] = np.nan
    with pytest.raises(ValueError, match="H must be finite"):
        cp.gradient_descent(Hn, b, 0.1, 3)
    with pytest.raises(ValueError, match="steps"):
        cp.gradient_descent(H, b, 0.1, -1)
    with pytest.raises(ValueError, match="v0"):
        cp.gradient_descent(H, b, 0.1, 3, v0=np.ones(3))
    with pytest.raises(ValueError, match="n_train"):
        cp.learning_curves(4, 50, n_train=0)
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"noise must be a finite number in \[0.0, inf\)"):
            cp.learning_curves(4, 50, n_train=10, noise=bad)
    with pytest.raises(TypeError, match="noise"):
        cp.learning_curves(4, 50, n_train=10, noise="1")
    with pytest.raises(ValueError, match="noise"):
        cp.rates_vs_samples(4, 10, [5], noise=-1.0)
    with pytest.raises(
        ValueError, match=r"eta \(learning rate\) must be a finite number in \(0.0, inf\)"
    ):
        cp.gradient_descent(H, b, float("inf"), 3)
    with pytest.raises(ValueError, match="eta"):
        cp.learning_curves(4, 50, eta=100.0)
    with pytest.raises(ValueError, match=r"target must be 'mixed' or .*'G3_ab'.*got 'G4'"):
        cp.random_target(5, "G4")
    for bad in ("G3_gamma", ("G1", "G3_gamma"), ("G1", "G1"), ()):
        with pytest.raises(ValueError, match=r"target .*'mixed'"):
            cp.random_target(5, bad)
    with pytest.raises(ValueError, match="target.*G3_gamma"):
        cp.learning_curves(5, 50, target="G3_gamma")
    with pytest.raises(TypeError, match="target"):
        cp.random_target(5, 3)
    with pytest.raises(ValueError, match="coefficients"):
        dynamics.Target(5, {"G3_gamma": np.ones(4)})
    with pytest.raises(ValueError, match="J must have the shape"):
        dynamics._hessian_error(np.eye(5), np.eye(4), cp.sample_weights(4, 5, rng=0))
    with pytest.raises(ValueError, match="d must be"):
        cp.random_target(2)
    with pytest.raises(ValueError, match=r"coefficients\['G2'\]"):
        dynamics.Target(5, {"G2": np.ones(4)})
    y = cp.random_target(5, rng=0)
    with pytest.raises(ValueError, match="W must have d = 5 rows"):
        y.moment(cp.sample_weights(4, 20, rng=0))
    with pytest.raises(ValueError, match="x must have d = 5 columns"):
        y(np.ones((3, 4)))
    with pytest.raises(ValueError, match="seed must be >= 0"):
        cp.learning_curves(4, 50, rng=-1)
    with pytest.raises(TypeError, match="seed"):
        cp.learning_curves(4, 50, rng=1.5)
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match=r"lo must be a finite number in \(0.0, 1.0\)"):
            cp.fit_rate(np.ones(5), 0.1, lo=bad)
    with pytest.raises(TypeError, match="lo"):
        cp.fit_rate(np.ones(5), 0.1, lo="0.5")
    with pytest.raises(ValueError, match="amplitude must be finite"):
        cp.fit_rate(np.array([1.0, np.nan]), 0.1)
    W = cp.sample_weights(4, 10, rng=0)
    x = cp.sample_inputs(4, 6, rng=0)
    with pytest.raises(ValueError, match="y must have one target per input"):
        cp.training_problem(W, x, np.ones(5))
    with pytest.raises(ValueError, match="sizes"):
        cp.training_problem(W, x, np.ones(6), sizes=(4, 2))
    with pytest.raises(ValueError, match="sizes"):
        cp.rates_vs_samples(4, 10, [])


# --------------------------------------------------------------------------- figures and widget


def test_plots_draw_the_curves():
    c = cp.learning_curves(4, 100, steps=60, rng=0)
    fig = cp.plot_learning_curves(c)
    lines = fig.axes[0].get_lines()
    solid = [ln for ln in lines if ln.get_linestyle() == "-"]
    assert len(solid) == 3
    r = c.components["G2"] / c.components["G2"][0]
    np.testing.assert_allclose(solid[1].get_ydata(), r[r >= 1e-4])
    df = cp.rates_vs_samples(4, 60, [20, 200], steps=60)
    fig2 = cp.plot_rates_vs_samples(df)
    assert len(fig2.axes) == 2
    np.testing.assert_allclose(
        fig2.axes[0].get_lines()[0].get_ydata(),
        df.xs("G1", level="group")["vs_population"].to_numpy()[:2] + 1,
    )


def test_dynamics_explorer_static_grid():
    import ipywidgets as w

    box = widgets.explorer("dynamics", live=False, m=60, steps=40)
    d_slider, n_slider, note, pictures = box.children
    assert isinstance(pictures, w.Stack) and len(pictures.children) == 2
    assert all(len(inner.children) == 3 for inner in pictures.children)
    assert "N (training inputs)" in note.value


def test_weighted_ritz_mean_is_the_starting_decay_rate():
    """``weighted``: the Rayleigh quotient of the starting residual, <r, K r>/<r, r>, on each
    span."""
    c = cp.learning_curves(5, 400, steps=5, rng=0)
    H, b, _ = c.problem
    W = dynamics._setup(5, 400, "mixed", 0, None).W
    S = dynamics._group_subspaces(H, W)
    for g in cp.DYNAMICS_GROUPS:
        z, HS = S[g].T @ b, H @ S[g]  # residual coordinates at t = 0 (v_0 = 0)
        assert c.weighted[g] == pytest.approx(z @ (HS.T @ HS) @ z / (z @ z), rel=1e-10), g
        lo, hi = c.hessian_range[g]
        assert lo * (1 - 1e-12) <= c.weighted[g] <= hi * (1 + 1e-12), g
    assert c.weighted["G1"] == pytest.approx(c.hessian["G1"], rel=1e-12)  # one direction
    # at d = 10, m = 1000 the spans are nearly invariant: the first step decays at the weighted
    # rate, not the plain mean (the two differ by ~7 % for G2 here, the leakage by < 1 %)
    c = cp.learning_curves(10, 1000, steps=2, rng=0)
    for g in ("G2", "G3_ab"):
        A = c.components[g]
        first = (1 - A[1] / A[0]) / c.eta
        assert first == pytest.approx(c.weighted[g], rel=0.01), g
    assert abs(c.weighted["G2"] / c.hessian["G2"] - 1) > 0.03
