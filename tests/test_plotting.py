"""The figures draw exactly the numbers they are given."""

import matplotlib

matplotlib.use("Agg")

import numpy as np

import companion as cp


def test_plot_limits_draws_the_data():
    data = cp.figure1_data(5, 2000, n_inputs=30, rng=1)
    fig = cp.plot_limits(data)
    axes = fig.axes
    assert len(axes) == 4
    for ax, (_g, (F, Xv)) in zip(axes, data.items(), strict=True):
        dots = [ln for ln in ax.get_lines() if ln.get_linestyle() == "None"][0]
        np.testing.assert_array_equal(dots.get_xdata(), F)
        np.testing.assert_array_equal(dots.get_ydata(), Xv)


def test_plot_spectrum_levels_are_the_predictions():
    d = 4
    W = cp.sample_weights(d, 200, rng=0)
    eig = cp.fisher_spectrum(W)
    fig = cp.plot_spectrum(eig, d)
    ys = {round(float(ln.get_ydata()[0]), 12) for ln in fig.axes[0].get_lines()[1:]}
    expected = {
        round(v, 12) for e in (True, False) for v in cp.group_eigenvalues(d, exact=e).values()
    }
    assert ys == expected
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), eig[eig > 0])


def test_plot_mercer_and_gram_and_decay():
    lam = cp.mercer_eigenvalues(6, 8)
    fig = cp.plot_mercer(lam, 6)
    np.testing.assert_allclose(
        fig.axes[0].get_lines()[0].get_ydata(), np.abs(lam[[0, 1, 2, 4, 6, 8]])
    )
    W = cp.sample_weights(4, 300, rng=2)
    V, labels = cp.basis(W)
    G = cp.gram_matrix(cp.fisher_exact(W), V)
    img = cp.plot_gram(G, labels).axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(np.diag(img), 1.0)
    dec = cp.error_decay(4, [200, 2000], seeds=2, n_inputs=10)
    fig = cp.plot_error_decay(dec)
    assert len(fig.axes[0].get_legend().get_texts()) == 5


def test_table1_frame():
    rows = cp.table1(rows=[(10, 10000), (5, 300)], seeds=2, n_inputs=10)
    frame = rows.frame()
    assert frame.shape == (2, 8)
    assert frame.loc[(10, 10000), ("G1", "paper")] == "0.0159"
    assert frame.loc[(5, 300), ("G2", "paper")] == ""
    assert frame.loc[(5, 300), ("G2", "this book (mean ± sd)")].startswith(
        f"{rows[1].mean['G2']:.4f}"
    )


def test_empirical_fisher_plot_with_fewer_samples_than_eigenvalues():
    """N = 20 < d(d+3)/2 = 65 at d = 10: indices beyond N are NaN, left out without warnings."""
    import warnings

    study = cp.empirical_fisher_study(10, None, sizes=(20,), draws=4, rng=0)
    assert np.isnan(study.eig_deviation(20)[:, 20:]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = cp.plot_empirical_fisher(study)
    lo, hi = fig.axes[0].get_ylim()
    assert lo == -100 and np.isfinite(hi) and hi >= 100
    import matplotlib.pyplot as plt

    plt.close(fig)
