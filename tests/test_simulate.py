"""Table 1, Figure 1 and the error's decay, at small size."""

import numpy as np
import pytest

import companion as cp


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


def test_table1_row_structure_and_reproducibility():
    r = cp.table1_row(6, 2000, seeds=3, n_inputs=40, seed=5)
    assert r.per_member["G3_ab"].shape == (3, 15)
    for g in cp.TABLE1_GROUPS:
        assert r.mean[g] == pytest.approx(r.per_member[g].mean())
        assert r.sd[g] == pytest.approx(r.per_member[g].mean(axis=1).std(ddof=1))
    r2 = cp.table1(rows=[(6, 2000)], seeds=3, n_inputs=40, seed=5)[0]
    assert r2.mean == r.mean
    assert r.paper is None
    assert cp.table1_row(10, 10000, seeds=1, n_inputs=5).paper == cp.PAPER_TABLE1[(10, 10000)]


def test_table1_error_scale_matches_clt_prediction():
    """The MAE of G2 is E|N(0, s^2)| = s sqrt(2/pi) with s^2 = E[relu(x.z)^2 z_l^2]/m - (x_l/2)^2/m."""
    d, m, n = 8, 20000, 200
    r = cp.table1_row(d, m, seeds=4, n_inputs=n, seed=1)
    # for x ~ N(0, I_d), E_x E_z[relu(x.z)^2 z_l^2] = (d + 2)/2 and E[x_l^2/4] = 1/4
    # so MAE ~ E_x sqrt(...) ~ sqrt(((d + 2)/2 - 1/4)/m) sqrt(2/pi) to a few percent
    predicted = np.sqrt(((d + 2) / 2 - 0.25) / m) * np.sqrt(2 / np.pi)
    assert r.mean["G2"] == pytest.approx(predicted, rel=0.1)


def test_paper_table_is_complete():
    assert list(cp.PAPER_TABLE1) == list(cp.PAPER_ROWS)
    assert cp.PAPER_TABLE1[(100, 100000)]["G3_ab"] == 0.0202


def test_figure1_data_and_decay():
    data = cp.figure1_data(5, 5000, n_inputs=50, seed=2)
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
    readings = cp.table1_readings(rows)
    assert len(readings) == 4  # only the paper's row, four groups
    r = rows[0]
    cell = readings.loc[(10, 10000, "G2")]
    p = cp.PAPER_TABLE1[(10, 10000)]["G2"]
    assert cell["z_a"] == pytest.approx((p - r.mean["G2"]) / r.sd["G2"])
    assert cell["z_b"] == pytest.approx((p - r.mean["G2"]) / r.member_sd["G2"])
    assert cell["pct_b"] == pytest.approx(100 * np.mean(r.per_member["G2"] <= p))
    with pytest.raises(ValueError, match="PAPER_ROWS"):
        cp.table1_readings(rows[1:])
