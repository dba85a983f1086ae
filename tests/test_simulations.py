"""Table 1, Figure 1 and the error's decay, at small size."""

import threading

import numpy as np
import pytest

import companion as cp
from companion import finite_width, fisher, simulations


def test_member_mae_is_the_mean_absolute_error():
    d, m = 5, 3000
    W = cp.sample_weights(d, m, rng=0)
    x = cp.sample_inputs(d, 30, rng=1)
    mae = cp.member_mae(x, W)
    X = cp.features(x, W)
    for g in cp.TABLE1_GROUPS:
        direct = np.abs(X @ cp.group_vectors(W, g) - cp.limit(x, g)).mean(axis=0)
        np.testing.assert_allclose(mae[g], direct, rtol=1e-10)
        assert mae[g].shape == (cp.group_size(d, g),)
    # squared=True: the same MAE and the per-member mean squared error, from one set of outputs
    mae2, mse = cp.member_mae(x, W, ("G2", "G3_tilde"), squared=True)
    for g in ("G2", "G3_tilde"):
        e = X @ cp.group_vectors(W, g) - cp.limit(x, g)
        np.testing.assert_allclose(mae2[g], np.abs(e).mean(axis=0), rtol=1e-10)
        np.testing.assert_allclose(mse[g], (e**2).mean(axis=0), rtol=1e-10)
    with pytest.raises(TypeError, match="squared"):
        cp.member_mae(x, W, squared="yes")


def test_table1_row_structure_and_reproducibility():
    r = cp.table1_row(6, 2000, seeds=3, n_inputs=40, rng=5)
    assert r.per_member["G3_ab"].shape == (3, 15)
    for g in cp.TABLE1_GROUPS:
        assert r.mean[g] == pytest.approx(r.per_member[g].mean())
        assert r.sd[g] == pytest.approx(r.per_member[g].mean(axis=1).std(ddof=1))
    r2 = cp.table1(rows=[(6, 2000)], seeds=3, n_inputs=40, rng=5)[0]
    assert r2.mean == r.mean
    assert r.paper is None
    assert cp.table1_row(10, 10000, seeds=1, n_inputs=5).paper == cp.PAPER_TABLE1[(10, 10000)]


def test_table1_rows_are_those_computed_alone():
    """table1 draws the rows' W into two blocks used in turn: a smaller row after a larger one
    (a prefix of a block) and the precisions give the numbers of the rows alone."""
    rows = [(7, 3000), (4, 500), (7, 3000)]
    for dtype in ("float32", "float64"):
        table = cp.table1(rows, seeds=2, n_inputs=25, rng=9, dtype=dtype)
        for (d, m), r in zip(rows, table, strict=True):
            alone = cp.table1_row(d, m, seeds=2, n_inputs=25, rng=9, dtype=dtype)
            for g in cp.TABLE1_GROUPS:
                np.testing.assert_array_equal(r.per_member[g], alone.per_member[g])
    assert len(cp.table1([], seeds=1)) == 0


def _draw_threads() -> int:
    return sum(t.name.startswith("ThreadPoolExecutor") for t in threading.enumerate())


def test_table1_errors_reach_the_caller_and_leave_no_thread(monkeypatch):
    """An error while drawing (in the background thread) or while using a draw comes out of
    table1, and the drawing thread is gone when it does."""
    rows = [(4, 300), (5, 400), (6, 500)]
    before = _draw_threads()
    weights = fisher.sample_weights
    made = []

    def failing_draw(d, m, rng, **kw):
        made.append(d)
        if len(made) == 3:
            raise RuntimeError("draw failed")
        return weights(d, m, rng, **kw)

    monkeypatch.setattr(fisher, "sample_weights", failing_draw)
    with pytest.raises(RuntimeError, match="draw failed") as info:
        cp.table1(rows, seeds=1, n_inputs=5)
    assert _draw_threads() == before
    del info
    monkeypatch.setattr(fisher, "sample_weights", weights)

    def failing_use(*args, **kw):
        raise RuntimeError("use failed")

    monkeypatch.setattr(simulations, "member_mae", failing_use)
    monkeypatch.setattr(finite_width, "member_mae", failing_use)
    for call in (
        lambda: cp.table1(rows, seeds=1, n_inputs=5),
        lambda: cp.finite_width_study([4], [300, 400], seeds=1, n_inputs=5),
    ):
        with pytest.raises(RuntimeError, match="use failed") as info:
            call()
        # closed at once, even while the traceback is kept (as Jupyter keeps the last one)
        assert info.tb is not None and _draw_threads() == before
        del info


def test_table1_error_scale_matches_clt_prediction():
    """The MAE of G2 is E|N(0, s^2)| = s sqrt(2/pi) with
    s^2 = E[relu(x.z)^2 z_l^2]/m - (x_l/2)^2/m."""
    d, m, n = 8, 20000, 200
    r = cp.table1_row(d, m, seeds=4, n_inputs=n, rng=1)
    # for x ~ N(0, I_d), E_x E_z[relu(x.z)^2 z_l^2] = (d + 2)/2 and E[x_l^2/4] = 1/4
    # so MAE ~ E_x sqrt(...) ~ sqrt(((d + 2)/2 - 1/4)/m) sqrt(2/pi) to a few percent
    predicted = np.sqrt(((d + 2) / 2 - 0.25) / m) * np.sqrt(2 / np.pi)
    assert r.mean["G2"] == pytest.approx(predicted, rel=0.1)


def test_paper_table_is_complete():
    # PAPER_TABLE1 is built with zip(), which would silently drop a missing row or cell:
    # eight rows (the paper's, the default of table1), each with the four columns
    assert list(cp.PAPER_TABLE1) == list(simulations._PAPER_ROWS) and len(cp.PAPER_TABLE1) == 8
    assert all(list(v) == list(cp.TABLE1_GROUPS) for v in cp.PAPER_TABLE1.values())
    assert cp.PAPER_TABLE1[(100, 100000)]["G3_ab"] == 0.0202  # transcription: the paper's last cell


def test_figure1_data_and_decay():
    data = cp.figure1_data(5, 5000, n_inputs=50, rng=2)
    for g, (F, Xv) in data.items():
        assert F.shape == Xv.shape == (50,)
        assert np.corrcoef(F, Xv)[0, 1] > 0.9, g
    dec = cp.error_decay(5, [500, 5000, 50000], seeds=2, n_inputs=50)
    for g in cp.TABLE1_GROUPS:
        assert np.all(np.diff(dec[g]["mean"]) < 0)
        assert -0.65 < dec[g]["slope"] < -0.35, (g, dec[g]["slope"])


def test_fit_slope():
    ms = np.array([10.0, 100.0, 1000.0])
    assert cp.fit_slope(ms, 3 * ms**-0.5) == pytest.approx(-0.5)
    with pytest.raises(ValueError):
        cp.fit_slope(ms, np.array([1.0, -1.0, 1.0]))


def test_table1_readings():
    rows = cp.table1(rows=[(10, 10000), (5, 300)], seeds=3, n_inputs=20)
    assert isinstance(rows[1:], simulations.Table1) and len(rows[1:]) == 1
    readings = rows.readings()
    assert len(readings) == 4  # only the paper's row, four groups
    r = rows[0]
    cell = readings.loc[(10, 10000, "G2")]
    p = cp.PAPER_TABLE1[(10, 10000)]["G2"]
    assert cell["z_a"] == pytest.approx((p - r.mean["G2"]) / r.sd["G2"])
    assert cell["z_b"] == pytest.approx((p - r.mean["G2"]) / r.member_sd["G2"])
    assert cell["pct_b"] == pytest.approx(100 * np.mean(r.per_member["G2"] <= p))
    with pytest.raises(ValueError, match="PAPER_TABLE1"):
        rows[1:].readings()


# --- central-limit constants and the finite-width study ---------------------------------------


def test_clt_mean_squared_error_is_exact_at_small_width():
    """E[(X^T v - F)^2] = n_g((d+2)/2 - lambda_g)/m holds at m = 40 already
    (Monte Carlo over draws)."""
    d, S = 5, 150
    st = cp.finite_width_study((d,), (40, 400), seeds=S, n_inputs=40, rng=3)
    for g in cp.GROUPS:
        for j, m in enumerate(st.ms):
            draws = st.mse[g][0, j]
            se = draws.std(ddof=1) / np.sqrt(S)
            pred = cp.clt_mae(d, int(m), g, kind="mse")
            assert abs(draws.mean() - pred) < 4 * se, (g, m, draws.mean(), pred, se)
    # the constant without the -lambda term would be far off for G1 (lambda_0 ~ (2d+1)/(4 pi))
    wrong = (d + 2) / 2 / 40
    assert st.mean("G1", "mse")[0, 0] < 0.75 * wrong


def test_clt_mae_against_simulation():
    """The MAE is sqrt(2/pi) times the RMS error, up to Jensen's step (about 1/(4d)) and noise."""
    d, m, S = 6, 4000, 24
    st = cp.finite_width_study((d,), (m,), seeds=S, n_inputs=60, rng=1)
    for g in cp.GROUPS:
        draws = st.mae[g][0, 0]
        se = draws.std(ddof=1) / np.sqrt(S)
        pred = cp.clt_mae(d, m, g)
        assert abs(draws.mean() - pred) < 1 / (4 * d) * pred + 4 * se, (g, draws.mean(), pred, se)
        assert st.clt_ratio(g)[0, 0] == pytest.approx(draws.mean() / pred)


def test_clt_formulas_and_shapes():
    d = 10
    for g in cp.GROUPS:
        mse = cp.clt_mae(d, 100, g, kind="mse")
        assert cp.clt_mae(d, 100, g) == pytest.approx(np.sqrt(2 / np.pi * mse))
        arr = cp.clt_mae(d, [100, 400], g)
        assert arr.shape == (2,) and arr[0] / arr[1] == pytest.approx(2.0)
    lam = cp.group_eigenvalues(d, exact=True)
    assert cp.clt_mae(d, 1, "G2", kind="mse") == pytest.approx((d + 2) / 2 - 0.25)
    assert cp.clt_mae(d, 50, "G3_tilde") / cp.clt_mae(d, 50, "G3_gamma") == pytest.approx(
        np.sqrt(1 - 1 / d)
    )
    assert cp.limit_norm2(d, "G3_ab") == pytest.approx(lam["G3_ab"])
    # the predicted crossing: relative error there equals the threshold
    for g in ("G1", "G2", "G3_ab", "G3_tilde"):
        m_star = cp.clt_crossing_width(d, g, 0.1)
        rel = np.sqrt(2 / np.pi * cp.clt_mae(d, 1, g, kind="mse") / m_star / cp.limit_norm2(d, g))
        assert rel == pytest.approx(0.1)
    assert cp.clt_crossing_width(d, "G3_ab", 0.1) == pytest.approx(
        2 * (d + 2) ** 2 / 0.01, rel=0.05
    )
    # against the constants written out: C_g = n_g((d+2)/2 - lambda_g), RMS(F)^2 = n_g lambda_g
    for g in cp.GROUPS:
        n_g = 1 - 1 / d if g == "G3_tilde" else 1.0
        c = (d + 2) / 2 - lam[g]
        assert cp.clt_mae(d, 7, g, kind="mse") == pytest.approx(n_g * c / 7, rel=1e-12)
        assert cp.clt_mae(d, 7, g) == pytest.approx(np.sqrt(2 / np.pi * n_g * c / 7), rel=1e-12)
        assert cp.clt_crossing_width(d, g, 0.2) == pytest.approx(
            2 / (np.pi * 0.04) * c / lam[g], rel=1e-12
        )


def test_limit_norm2_against_monte_carlo():
    d, n = 6, 200_000
    x = cp.sample_inputs(d, n, rng=7)
    for g in cp.GROUPS:
        F2 = cp.limit(x, g) ** 2  # (n, K): every member has the same norm
        est = F2.mean()
        se = F2.mean(axis=1).std() / np.sqrt(n)
        assert abs(est - cp.limit_norm2(d, g)) < 5 * se, g


def test_fit_exponent_slope_and_standard_error():
    fit_exponent = finite_width._fit_exponent  # the fit of FiniteWidthStudy.width_exponents
    ms = np.array([100.0, 300, 1000, 3000, 10000])
    slope, se = fit_exponent(ms, 2 * ms**-0.5, np.zeros(5))
    assert slope == pytest.approx(-0.5) and se == 0
    assert slope == pytest.approx(cp.fit_slope(ms, 2 * ms**-0.5))
    # the standard error is the spread of the slope over noisy repetitions
    rng = np.random.default_rng(0)
    sig = np.array([0.2, 0.1, 0.05, 0.05, 0.1])
    slopes = [
        fit_exponent(ms, 2 * ms**-0.5 * np.exp(sig * rng.standard_normal(5)), sig)[0]
        for _ in range(4000)
    ]
    _, se = fit_exponent(ms, 2 * ms**-0.5, sig)
    assert np.std(slopes) == pytest.approx(se, rel=0.06)
    assert np.mean(slopes) == pytest.approx(-0.5, abs=4 * se / np.sqrt(4000))
    with pytest.raises(ValueError, match="same length"):
        fit_exponent(ms, ms, sig[:3])
    with pytest.raises(ValueError, match="two different widths"):
        fit_exponent([5.0, 5.0], [1.0, 2.0], [0.1, 0.1])


def test_first_width_interpolated_crossing():
    ms = np.array([100.0, 1000, 10000])
    e = 3 * ms**-0.5  # a power law: the log-log interpolation is exact
    assert cp.first_width(e, ms, 0.05, interpolate=True) == pytest.approx((3 / 0.05) ** 2)
    assert np.isnan(cp.first_width(e, ms, 0.001, interpolate=True))  # never reached on the grid
    assert np.isnan(cp.first_width(e, ms, 1.0, interpolate=True))  # below already at ms[0]
    assert cp.first_width(e, ms, 0.05) == 10000  # without interpolation: the grid width
    with pytest.raises(ValueError, match="increasing"):
        cp.first_width(ms, ms[::-1], 0.1, interpolate=True)
    with pytest.raises(ValueError, match="positive"):
        cp.first_width(e - 1, ms, 0.1, interpolate=True)
    with pytest.raises(ValueError, match="above"):
        cp.first_width(e, ms, 0.1, interpolate=True, above=True)
    with pytest.raises(ValueError, match="tol"):
        cp.first_width(e, ms, 0.0, interpolate=True)
    with pytest.raises(TypeError, match="tol"):
        cp.first_width(e, ms, "0.1", interpolate=True)


def test_first_width():
    ms = np.array([10, 20, 40, 80])
    assert cp.first_width([0.5, 0.05, 0.3, 0.1], ms, 0.2) == 80
    assert cp.first_width([0.1, 0.05, 0.03, 0.01], ms, 0.2) == 10
    assert np.isnan(cp.first_width([0.1, 0.05, 0.03, 0.3], ms, 0.2))
    assert cp.first_width([1.0, 3.0, 2.5, 4.0], ms, 2.0, above=True) == 20
    with pytest.raises(ValueError, match=r"tol must be a finite number in \(0, 10\]"):
        cp.first_width([0.1, 0.05, 0.03, 0.01], ms, -0.2)
    with pytest.raises(ValueError, match="tol"):
        cp.first_width([0.1, 0.05, 0.03, 0.01], ms, float("nan"))
    with pytest.raises(TypeError, match="tol must be a real number"):
        cp.first_width([0.1, 0.05, 0.03, 0.01], ms, "0.2")


def test_clt_term_cumulants_against_monte_carlo():
    from scipy.stats import kurtosis, skew

    from companion.finite_width import clt_term_cumulants

    rng = np.random.default_rng(11)
    n = 1_000_000
    u, z1, z2 = rng.standard_normal((3, n))
    s = np.maximum(u, 0)
    # standard errors at n = 1e6: skewness ~0.005, kurtosis ~0.02 (G1), 0.3 (G2), 3 (G3_ab)
    for g, t, tol in (("G1", s, 0.1), ("G2", s * z1, 1.5), ("G3_ab", s * z1 * z2, 12.0)):
        c = clt_term_cumulants(g)
        assert c["excess_kurtosis"] == pytest.approx(kurtosis(t), abs=tol)
        assert c["skewness"] == pytest.approx(skew(t), abs=0.05 if g == "G1" else 0.3)
        assert c["edgeworth"] == pytest.approx(c["excess_kurtosis"] - c["skewness"] ** 2)
    # exact values: G2 3*E sigma^4 / (E sigma^2)^2 - 3 = 15, G3 = 51; G1 nearly cancels
    assert clt_term_cumulants("G2")["excess_kurtosis"] == pytest.approx(15.0)
    assert clt_term_cumulants("G3_ab")["excess_kurtosis"] == pytest.approx(51.0)
    assert -0.5 < clt_term_cumulants("G1")["edgeworth"] < 0
    with pytest.raises(ValueError, match="group must be one of"):
        clt_term_cumulants("G3_tilde")


def test_finite_width_study_structure_and_reproducibility():
    st = cp.finite_width_study([5, 8], [200, 2000], seeds=[3, 2], n_inputs=30, rng=4)
    assert st.mae["G3_ab"].shape == (2, 2, 3)
    assert np.isnan(st.mae["G2"][:, 1, 2]).all() and not np.isnan(st.mae["G2"][:, 0]).any()
    assert st.mean("G2").shape == (2, 2)
    # the draws are those of table1_row with the same seed
    row = cp.table1_row(8, 2000, seeds=2, n_inputs=30, rng=4, dtype="float64")
    for g in cp.TABLE1_GROUPS:
        assert st.mean(g)[1, 1] == pytest.approx(row.mean[g], rel=1e-12)
        assert st.sd(g)[1, 1] == pytest.approx(row.sd[g], rel=1e-9)
    assert st.relative("G2")[0, 0] == pytest.approx(st.mean("G2")[0, 0] / 0.5)
    with pytest.raises(ValueError, match="increasing"):
        cp.finite_width_study([5], [2000, 200])
    with pytest.raises(ValueError, match="one per width"):
        cp.finite_width_study([5], [200, 2000], seeds=[2, 2, 2])
    with pytest.raises(ValueError, match="group"):
        cp.finite_width_study([5], [200], groups=("G4",))
    with pytest.raises(ValueError, match="d must be"):
        cp.finite_width_study([2], [200])
    with pytest.raises(TypeError, match="ms must be an integer"):
        cp.finite_width_study([5], [200.0, 400.0])


def test_width_exponents_and_crossings():
    st = cp.finite_width_study([5], [200, 800, 3200, 12800], seeds=4, n_inputs=40, rng=0)
    ex = st.width_exponents()
    assert list(ex.index.get_level_values("group")) == list(cp.GROUPS)
    for g in cp.GROUPS:
        slope, se = ex.loc[(5, g), ["slope", "se"]]
        assert 0 < se < 0.05 and abs(slope + 0.5) < max(5 * se, 0.03), (g, slope, se)
    ex_mse = st.width_exponents(kind="mse", m_max=3200)
    assert (ex_mse["n_widths"] == 3).all()
    cr = st.crossing_widths(threshold=0.1)
    g2 = cr.loc[(5, "G2")]
    assert g2["predicted"] == pytest.approx(cp.clt_crossing_width(5, "G2", 0.1))
    assert g2["measured"] == pytest.approx(g2["predicted"], rel=0.25)
    with pytest.raises(ValueError, match="at least two"):
        st.width_exponents(m_min=5000)
    one = cp.finite_width_study([5], [200, 800], seeds=1, n_inputs=10)
    with pytest.raises(ValueError, match="two draws"):
        one.width_exponents()
    with pytest.raises(ValueError, match="kind"):
        st.width_exponents(kind="rms")


def test_spectral_resolution():
    d = 4
    f = cp.spectral_resolution(d, [60, 300, 1500], rng=0)
    assert list(f.index) == [60, 300, 1500]
    # the clusters tighten around their limits and separate
    assert f["dev_G2"].iloc[-1] < f["dev_G2"].iloc[0] and f["dev_G3"].iloc[-1] < f["dev_G3"].iloc[0]
    assert (f[["gap_G1", "gap_G2"]] > 1).all().all()
    # the Rayleigh quotients' excess over lambda is C/(m lambda) (exact in expectation)
    ratio = (f["rq_G3"] / f["rq_pred_G3"]).loc[[300, 1500]]  # one draw: noisy at m = 60
    assert (ratio > 0.6).all() and (ratio < 1.5).all(), ratio
    # the eigenvalues agree with a dense solver
    W = cp.sample_weights(
        d, 300, np.random.default_rng(np.random.SeedSequence([0, d, 300]).spawn(1)[0])
    )
    eig = cp.fisher_spectrum(W)
    lam = cp.group_eigenvalues(d, exact=True)
    assert f.loc[300, "mean_G2"] == pytest.approx(eig[1 : 1 + d].mean() / lam["G2"] - 1, abs=1e-9)
    n3 = d * (d + 1) // 2 - 1  # the clusters by hand: 1, d and n3 eigenvalues
    assert f.loc[300, "dev_G1"] == pytest.approx(abs(eig[0] / lam["G1"] - 1), abs=1e-9)
    assert f.loc[300, "gap_G2"] == pytest.approx(eig[d] / eig[1 + d], rel=1e-9)
    assert f.loc[300, "gap_G3"] == pytest.approx(eig[d + n3] / eig[1 + d + n3], rel=1e-9)
    assert f.loc[300, "dev_G3"] == pytest.approx(
        np.abs(eig[1 + d : 1 + d + n3] / lam["G3_ab"] - 1).max(), abs=1e-9
    )
    with pytest.raises(ValueError, match="m must be >= 15"):
        cp.spectral_resolution(d, [10])
    with pytest.raises(ValueError, match="<= 8000"):
        cp.spectral_resolution(d, [9000])


def test_clt_validation():
    # the default study measures every group of the package, each with a finite error and a CLT
    # prediction
    st = cp.finite_width_study([3], [20], seeds=1, n_inputs=3)
    assert set(st.mae) == set(cp.GROUPS)
    for g in cp.GROUPS:
        assert (
            np.isfinite(st.mae[g]).all()
            and np.isfinite(st.clt_ratio(g)).all()
            and cp.clt_mae(3, 20, g, kind="mse") > 0
        ), g
    with pytest.raises(ValueError, match="group must be one of"):
        cp.clt_mae(5, 100, "G4")
    with pytest.raises(ValueError, match="m must be >= 1"):
        cp.clt_mae(5, 0, "G2", kind="mse")
    with pytest.raises(ValueError, match="kind must be one of"):
        cp.clt_mae(5, 100, "G2", kind="rms")
    with pytest.raises(TypeError, match="m must be an integer"):
        cp.clt_mae(5, 100.0, "G2")
    with pytest.raises(ValueError, match="d must be >= 3"):
        cp.clt_mae(2, 100, "G2")
    with pytest.raises(ValueError, match="threshold"):
        cp.clt_crossing_width(5, "G2", -0.1)
    with pytest.raises(ValueError, match="group"):
        cp.limit_norm2(5, "G3")


def test_plot_finite_width_and_explorer():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from companion.widgets import explorer

    st = cp.finite_width_study([5], [200, 2000], seeds=2, n_inputs=20, groups=("G1", "G2"))
    for kind in ("mae", "ratio", "relative"):
        fig = cp.plot_finite_width(st, 5, kind=kind, m_range=(100, 10**6))
        ax = fig.axes[0]
        assert len(ax.get_legend().get_texts()) == 2 + (kind == "relative")
        plt.close(fig)
    with pytest.raises(ValueError, match="one of the study's"):
        cp.plot_finite_width(st, 10)
    with pytest.raises(ValueError, match="kind"):
        cp.plot_finite_width(st, 5, kind="slope")
    box = explorer("finite_width", live=True)
    assert len(box.redraw_seconds) == 1 and box.children[-1].value[:4] == b"\x89PNG"


def test_table1_float32_products_match_float64_on_a_paper_row():
    """Table 1 computes X^T v in float32 (summed in float64): every error within 1e-5 of float64."""
    r32 = cp.table1_row(10, 10_000, seeds=2, n_inputs=100, rng=3)
    r64 = cp.table1_row(10, 10_000, seeds=2, n_inputs=100, rng=3, dtype="float64")
    for g in cp.TABLE1_GROUPS:
        np.testing.assert_allclose(r32.per_member[g], r64.per_member[g], rtol=1e-5)
        assert not np.array_equal(r32.per_member[g], r64.per_member[g])  # really two precisions
    with pytest.raises(ValueError, match="dtype must be 'float64' or 'float32'"):
        cp.table1_row(10, 100, dtype="float16")
