"""The network as a small linear model (companion.model): the projection of eq. (2) against
independent computations (Monte Carlo least squares in function space, direct linear algebra),
the expected share against averages over many networks, the fits against direct solutions."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import companion as cp
from companion import model

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("G1", "G2", "G3_gamma", "G3_ab")


@pytest.fixture(scope="module")
def small():
    """d = 4, m = 60: K = 14 basis vectors, the exact J."""
    d, m = 4, 60
    W = cp.sample_weights(d, m, rng=11)
    J = cp.fisher_exact(W)
    V, labels = cp.basis(W)
    return W, J, V, labels


def _ratio_of_means(a, b):
    """mean(a) / mean(b) and its delta-method standard error."""
    r = a.mean() / b.mean()
    return r, (a - r * b).std(ddof=1) / (np.sqrt(a.size) * b.mean())


# --------------------------------------------------------------------------------------- #
# project
# --------------------------------------------------------------------------------------- #
def test_projection_is_the_least_squares_fit_in_function_space(small):
    """u against least squares of f_v on the functions f_{V_k} over many Gaussian inputs, with
    the sandwich standard errors; the norm and the share against Monte Carlo averages."""
    W, J, V, _ = small
    v = np.random.default_rng(1).standard_normal(W.shape[1])
    p = cp.project(W, v, J=J)
    N = 200_000
    X = cp.features(cp.sample_inputs(W.shape[0], N, rng=2), W)
    F, y = X @ V, X @ v  # f_{V_k}(x_n), f_v(x_n)
    u_hat = np.linalg.lstsq(F, y, rcond=None)[0]
    e = y - F @ u_hat
    H_inv = np.linalg.inv(F.T @ F / N)
    S = (F * e[:, None] ** 2).T @ F / N
    se = np.sqrt(np.diag(H_inv @ S @ H_inv) / N)
    assert np.abs((u_hat - p.coefficients) / se).max() < 5
    # ||f_v||^2 = v^T J v
    y2 = y * y
    assert abs(y2.mean() - p.norm2) < 5 * y2.std(ddof=1) / np.sqrt(N)
    # the share, as a ratio of two Monte Carlo means
    share, se_share = _ratio_of_means((F @ p.coefficients) ** 2, y2)
    assert abs(share - p.share) < 5 * se_share
    # the residual's function is orthogonal to every basis function
    fr = X @ p.residual
    prods = fr[:, None] * F
    z = prods.mean(axis=0) / (prods.std(axis=0, ddof=1) / np.sqrt(N))
    assert np.abs(z).max() < 5


def test_a_network_in_the_span_is_kept_whole(small):
    W, J, V, _ = small
    c = np.random.default_rng(3).standard_normal(V.shape[1])
    p = cp.project(W, V @ c, J=J)
    assert p.share == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(p.coefficients, c, rtol=1e-8, atol=1e-10)
    assert np.linalg.norm(p.residual) < 1e-10 * np.linalg.norm(V @ c)
    assert sum(p.group_shares.values()) == pytest.approx(1.0, abs=1e-10)
    # the first row of W is v^(1): a network of G2 alone
    p1 = cp.project(W, W[0], J=J)
    assert p1.share == pytest.approx(1.0, abs=1e-10)
    assert p1.own_shares["G2"] == pytest.approx(1.0, abs=1e-10)
    assert p1.group_shares["G1"] < 0.05 and p1.group_shares["G2"] > 0.95


def test_a_network_orthogonal_to_the_span_keeps_nothing(small):
    W, J, _, _ = small
    r = cp.project(W, np.random.default_rng(4).standard_normal(W.shape[1]), J=J).residual
    p = cp.project(W, r, J=J)
    assert p.share == pytest.approx(0.0, abs=1e-10)
    assert np.abs(p.coefficients).max() < 1e-8 * np.abs(r).max()
    np.testing.assert_allclose(p.residual, r, rtol=0, atol=1e-10 * np.abs(r).max())


def test_shares_against_direct_linear_algebra(small):
    """Total, sequential (Gram-Schmidt in eq. (2)'s order) and own-group shares against
    solves of the normal equations, for many networks at once."""
    W, J, V, labels = small
    v = np.random.default_rng(5).standard_normal((W.shape[1], 7))
    p = cp.project(W, v, J=J)
    G, B, n2 = V.T @ J @ V, V.T @ J @ v, np.einsum("ij,ij->j", v, J @ v)
    u = np.linalg.solve(G, B)
    np.testing.assert_allclose(p.coefficients, u, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(p.norm2, n2, rtol=1e-12)
    np.testing.assert_allclose(p.share, np.einsum("kj,kj->j", B, u) / n2, rtol=1e-10)
    lab = np.array(labels)
    before = np.zeros(v.shape[1])
    for g in GROUPS:
        idx = np.flatnonzero(lab == g)
        upto = np.flatnonzero(np.isin(lab, GROUPS[: GROUPS.index(g) + 1]))
        Bg = B[upto]
        total = np.einsum("kj,kj->j", Bg, np.linalg.solve(G[np.ix_(upto, upto)], Bg)) / n2
        np.testing.assert_allclose(p.group_shares[g], total - before, rtol=1e-8, atol=1e-12)
        before = total
        own = np.einsum("kj,kj->j", B[idx], np.linalg.solve(G[np.ix_(idx, idx)], B[idx])) / n2
        np.testing.assert_allclose(p.own_shares[g], own, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(sum(p.group_shares.values()), p.share, rtol=1e-12)


def test_top_share_of_eigenvectors(small):
    W, J, V, _ = small
    lam, E = np.linalg.eigh(J)
    K = V.shape[1]
    p = cp.project(W, E[:, [-1, -K, -K - 1, 0]], J=J, top=True)
    np.testing.assert_allclose(p.top_share, [1.0, 1.0, 0.0, 0.0], atol=1e-8)
    v = np.random.default_rng(6).standard_normal(W.shape[1])
    c = E.T @ v
    direct = (lam[-K:] * c[-K:] ** 2).sum() / (lam * c * c).sum()
    assert cp.project(W, v, J=J, top=True).top_share == pytest.approx(direct, rel=1e-9)
    assert cp.project(W, v, J=J).top_share is None


def test_shares_lie_in_the_unit_interval(small):
    """Also for networks along every eigenvector of J, the extreme cases."""
    W, J, _, _ = small
    _, E = np.linalg.eigh(J)
    v = np.hstack([E, np.random.default_rng(7).standard_normal((W.shape[1], 50))])
    p = cp.project(W, v, J=J, top=True)
    for s in (p.share, p.top_share, *p.group_shares.values(), *p.own_shares.values()):
        assert np.all((s >= 0) & (s <= 1))


def test_one_network_and_many_agree(small):
    W, J, _, _ = small
    v = np.random.default_rng(8).standard_normal((W.shape[1], 3))
    many = cp.project(W, v, J=J, top=True)
    one = cp.project(W, v[:, 1], J=J, top=True)
    assert isinstance(one.share, float) and isinstance(one.group_shares["G1"], float)
    assert one.coefficients.shape == (14,) and one.residual.shape == (W.shape[1],)
    assert one.share == pytest.approx(many.share[1], rel=1e-12)
    assert one.top_share == pytest.approx(many.top_share[1], rel=1e-12)
    np.testing.assert_allclose(one.coefficients, many.coefficients[:, 1], rtol=1e-12)
    # J computed inside, or passed
    assert cp.project(W, v[:, 1]).share == pytest.approx(one.share, rel=1e-12)
    assert one.labels == list(cp.basis(W)[1])


# --------------------------------------------------------------------------------------- #
# expected_share
# --------------------------------------------------------------------------------------- #
def test_expected_share_against_the_trace_formula(small):
    W, J, V, _ = small
    es = cp.expected_share(W, J=J)
    JV = J @ V
    direct = np.trace(JV @ np.linalg.solve(V.T @ JV, JV.T)) / np.trace(J)
    assert es.share == pytest.approx(direct, rel=1e-10)
    lam = np.linalg.eigvalsh(J)
    assert es.top == pytest.approx(lam[-V.shape[1] :].sum() / lam.sum(), rel=1e-10)
    assert es.share <= es.top + 1e-12  # Ky Fan: the top eigenvectors are the best K-span
    assert sum(es.group_shares.values()) == pytest.approx(es.share, rel=1e-12)
    assert es.limit == pytest.approx(cp.trace_share(4), rel=1e-14)
    assert es.limit_large_d == pytest.approx(0.5 + 1.5 / np.pi, rel=1e-14)
    assert es.trace == pytest.approx(np.sum(W**2) / 2, rel=1e-12)
    assert (es.d, es.m, es.n_basis, es.samples) == (4, 60, 14, None)


def test_expected_share_is_the_ratio_of_averages_over_networks(small):
    """Over many v ~ N(0, I): mean ||f_proj||^2 / mean ||f_v||^2, within its standard error,
    for the span, each group (in order) and the top eigenvectors."""
    W, J, _, _ = small
    es = cp.expected_share(W, J=J)
    v = np.random.default_rng(9).standard_normal((W.shape[1], 20_000))
    p = cp.project(W, v, J=J, top=True)
    for got, want in [
        (p.share, es.share),
        (p.top_share, es.top),
        *[(p.group_shares[g], es.group_shares[g]) for g in GROUPS],
        *[(p.own_shares[g], es.own_shares[g]) for g in GROUPS],
    ]:
        r, se = _ratio_of_means(got * p.norm2, p.norm2)
        assert abs(r - want) < 5 * se
    # the ratio of expectations is not the mean of the ratios
    assert abs(p.share.mean() - es.share) > 5 * p.share.std() / np.sqrt(v.shape[1])


def test_expected_share_samples_are_projections_of_random_networks(small):
    W, J, _, _ = small
    es = cp.expected_share(W, J=J, n_networks=30, rng=12)
    v = np.random.default_rng(12).standard_normal((W.shape[1], 30))  # one chunk: the same draws
    p = cp.project(W, v, J=J, top=True)
    np.testing.assert_allclose(es.samples, p.share, rtol=1e-12)
    np.testing.assert_allclose(es.samples_top, p.top_share, rtol=1e-12)
    assert cp.expected_share(W, J=J, top=False, n_networks=5).samples_top is None


def test_expected_share_tends_to_the_degree_two_share():
    """It decreases to trace_share(d) as m grows, about like 1/m."""
    d = 5
    gaps = []
    for m in (200, 800, 3200):
        es = cp.expected_share(cp.sample_weights(d, m, rng=0), top=False)
        gaps.append(es.share - es.limit)
    assert 0 < gaps[2] < gaps[1] < gaps[0]
    assert gaps[2] < 0.5 * gaps[0] * (200 / 3200) ** 0.5


# --------------------------------------------------------------------------------------- #
# limit_features, fit_targets
# --------------------------------------------------------------------------------------- #
def test_limit_features_are_the_limits_in_basis_order():
    x = cp.sample_inputs(5, 30, rng=1)
    Phi = cp.limit_features(x)
    assert Phi.shape == (30, 20)
    ref = np.hstack([cp.limit(x, g) for g in GROUPS])
    np.testing.assert_allclose(Phi, ref, rtol=1e-15)
    np.testing.assert_allclose(cp.limit_features(x[3]), Phi[3], rtol=1e-15)


def test_fit_against_a_direct_ridge_solution():
    """The network's ridge fit in its primal (N >= m) and dual (N < m) forms against
    np.linalg.solve of the primal normal equations, on the documented draws."""
    d, lam = 3, 1e-4
    for m, n_train in ((30, 400), (80, 40)):
        W = cp.sample_weights(d, m, rng=2)
        fits = cp.fit_targets(W, ("abs",), n_train=n_train, n_test=50, ridge=lam, rng=5)
        rng = np.random.default_rng(5)
        x = cp.sample_inputs(d, n_train, rng)
        x_test = cp.sample_inputs(d, 50, rng)
        y, y_test = np.abs(x[:, 0]), np.abs(x_test[:, 0])
        X = cp.features(x, W)
        v = np.linalg.solve(X.T @ X / n_train + lam * np.eye(m), X.T @ y / n_train)
        np.testing.assert_allclose(fits["abs"].v, v, rtol=1e-7, atol=1e-9 * np.abs(v).max())
        Phi = cp.limit_features(x)
        u = np.linalg.solve(Phi.T @ Phi / n_train + lam * np.eye(9), Phi.T @ y / n_train)
        np.testing.assert_allclose(fits["abs"].coefficients, u, rtol=1e-8)
        err = ((cp.features(x_test, W) @ v - y_test) ** 2).sum() / (y_test**2).sum()
        assert fits["abs"].error == pytest.approx(err, rel=1e-6)
        err_small = ((cp.limit_features(x_test) @ u - y_test) ** 2).sum() / (y_test**2).sum()
        assert fits["abs"].limit_error == pytest.approx(err_small, rel=1e-6)


def test_the_span_target_is_the_small_model_exactly():
    """||x|| + x_1 + x_1 x_2/||x|| = F_0/c_0 + 2 F_1 + F_12/c_3: the least-squares
    coefficients are those, and the small model's errors vanish."""
    d = 4
    W = cp.sample_weights(d, 100, rng=0)
    fit = cp.fit_targets(W, "span", n_train=500, n_test=500, ridge=0.0, rng=1)["span"]
    e = np.eye(d)
    c0 = cp.limit(e[0], "G1")[0]  # F_0(e_1) = c_0
    c3 = 2 * cp.limit((e[0] + e[1]) / np.sqrt(2), "G3_ab")[0]  # F_12 = c_3 x_1 x_2 / ||x||
    want = np.zeros(14)
    want[0], want[1] = 1 / c0, 2.0
    want[1 + d + (d - 1)] = 1 / c3  # the first pair (1, 2)
    np.testing.assert_allclose(fit.coefficients, want, rtol=1e-8, atol=1e-8)
    assert fit.limit_error < 1e-18 and fit.limit_train_error < 1e-18
    assert fit.share > 0.99


def test_a_degree_four_target_is_lost_by_the_small_model():
    W = cp.sample_weights(5, 400, rng=0)
    fits = cp.fit_targets(W, ("harmonic4", "teacher"), n_train=6000, n_test=6000, rng=2)
    h4, teacher = fits["harmonic4"], fits["teacher"]
    assert h4.limit_error == pytest.approx(1.0, abs=0.1)  # orthogonal to the span
    assert h4.share < 0.05 and h4.error < 0.7  # the network learns part of it, outside the span
    assert teacher.share > 0.9 and teacher.limit_error < 0.15
    for f in fits.values():
        assert f.predicted_limit_error == pytest.approx(
            f.error + (1 - f.share) * f.norm_ratio, rel=1e-12
        )
        assert f.projection.norm2 == pytest.approx(f.v @ cp.fisher_exact(W) @ f.v, rel=1e-10)


def test_fit_targets_takes_functions():
    W = cp.sample_weights(3, 40, rng=0)
    fits = cp.fit_targets(W, {"x2": lambda x: x[:, 1], "r": lambda x: np.linalg.norm(x, axis=1)},
                          n_train=300, n_test=100, ridge=0.0, rng=0)  # fmt: skip
    assert list(fits) == ["x2", "r"]
    assert fits["x2"].limit_error < 1e-20 and fits["r"].limit_error < 1e-20
    with pytest.raises(ValueError, match="targets: 'bad' must return 300 finite values"):
        cp.fit_targets(W, {"bad": lambda x: x}, n_train=300, n_test=100)


# --------------------------------------------------------------------------------------- #
# bad arguments: named, before any heavy work
# --------------------------------------------------------------------------------------- #
W4 = np.random.default_rng(0).standard_normal((4, 30)) / np.sqrt(30)


@pytest.mark.parametrize(
    "call, exc, word",
    [
        (lambda: cp.project(W4, np.ones(29)), ValueError, "v must have m = 30 rows"),
        (lambda: cp.project(W4, np.zeros((30, 2))), ValueError, "v must have no zero column"),
        (lambda: cp.project(W4, np.full(30, np.nan)), ValueError, "v must be finite"),
        (lambda: cp.project(W4, "v"), TypeError, "v must be an array"),
        (lambda: cp.project(W4[:, :13], np.ones(13)), ValueError, "W must have m >= d"),
        (lambda: cp.project(W4[:2], np.ones(30)), ValueError, "W must have d >= 3"),
        (lambda: cp.project("W", np.ones(30)), TypeError, "W must be an array"),
        (lambda: cp.project(W4, np.ones(30), J=np.eye(3)), ValueError, "J must have shape"),
        (lambda: cp.expected_share(W4, n_networks=-1), ValueError, "n_networks must be >= 0"),
        (lambda: cp.expected_share(W4, n_networks=2.0), TypeError, "n_networks must be an"),
        (lambda: cp.expected_share(W4, rng="0"), TypeError, "rng must be"),
        (lambda: cp.expected_share(W4, rng=-1), ValueError, "seed must be >= 0"),
        (lambda: cp.fit_targets(W4, ("abs", "cos")), ValueError, "targets must be one of"),
        (lambda: cp.fit_targets(W4, ("abs", "abs")), ValueError, "targets must not repeat"),
        (lambda: cp.fit_targets(W4, {"f": 3}), TypeError, "targets must map"),
        (lambda: cp.fit_targets(W4, {}), ValueError, "targets must name"),
        (lambda: cp.fit_targets(W4, n_train=0), ValueError, "n_train must be >= 1"),
        (lambda: cp.fit_targets(W4, n_test=1.5), TypeError, "n_test must be an integer"),
        (lambda: cp.fit_targets(W4, ridge=-1.0), ValueError, "ridge must be a finite number"),
        (lambda: cp.fit_targets(W4, ridge=np.nan), ValueError, "ridge must be a finite number"),
        (lambda: cp.limit_features(np.ones((3, 2))), ValueError, "x must have d >= 3"),
        (lambda: cp.plot_model(3, 8), ValueError, "m must be >= 9"),
        (lambda: cp.plot_model(2, 100), ValueError, "d must be >= 3"),
        (lambda: cp.plot_model(3, 50, n_train=0), ValueError, "n_train must be >= 1"),
    ],
)
def test_bad_input_is_named_before_any_work(monkeypatch, call, exc, word):
    def no_work(*args, **kw):
        raise AssertionError("heavy work started before the arguments were checked")

    for mod in (model, cp.plotting):
        for name in ("fisher_exact", "sample_inputs"):
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, no_work)
    monkeypatch.setattr(model, "basis", no_work)
    monkeypatch.setattr(cp.fisher, "fisher_exact", no_work)
    monkeypatch.setattr(cp.fisher, "sample_weights", no_work)
    with pytest.raises(exc, match=word):
        call()


# --------------------------------------------------------------------------------------- #
# the figure and the benchmark
# --------------------------------------------------------------------------------------- #
def test_plot_model_draws_two_panels():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = cp.plot_model(3, 60, rng=1, n_train=300, n_test=300)
    assert len(fig.axes) == 2 and "plot_model" in cp.plotting.__all__
    assert "d = 3, m = 60" in fig._suptitle.get_text()
    plt.close(fig)


def test_bench_model_runs_and_checks_itself():
    p = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_model.py"), "--d", "4", "--m", "200",
         "--networks", "50", "--repeat", "1", "--json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout)
    assert (r["d"], r["m"], r["networks"]) == (4, 200, 50)
    assert r["max_abs_diff_share_vs_direct"] < 1e-10
    assert r["project_seconds"] > 0 and r["blas_seconds"] > 0
