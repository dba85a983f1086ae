"""Each auto-check accepts the reference answer and rejects the typical wrong ones,
saying what is wrong without giving the answer away."""

import numpy as np
import pytest
from scipy.special import betaln

import companion as cp

W = cp.sample_weights(5, 40, rng=0)
x = cp.sample_inputs(5, 12, rng=1)


def _no_numbers_leaked(result, reference):
    text = str(result)
    for v in np.ravel(reference)[:20]:
        if abs(v) > 1e-3:
            assert f"{v:.6f}" not in text and f"{v:.4g}" not in text


def test_check_fisher():
    J = cp.fisher_exact(W)
    assert cp.check_fisher(J, W)
    r = cp.check_fisher(J * 2 * np.pi, W)
    assert not r and "1/(2π)" in str(r)
    r = cp.check_fisher(J * 2, W)
    assert not r and "1/2" in str(r)
    r = cp.check_fisher(np.eye(5), W)  # d x d: built from W transposed
    assert not r and "transposed" in str(r)
    bad = J.copy()
    bad[3, 7] += 0.1
    r = cp.check_fisher(bad, W)
    assert not r and "symmetric" in str(r) and "(3, 7)" in str(r)
    # a Monte Carlo estimate passes with a loose tolerance and fails with the exact one
    J_mc = cp.fisher_empirical(W, cp.sample_inputs(5, 200_000, rng=2))
    assert cp.check_fisher(J_mc, W, rtol=0.05)
    assert not cp.check_fisher(J_mc, W)
    _no_numbers_leaked(cp.check_fisher(J * 2, W), J)


def test_check_eigenvectors():
    for g in cp.GROUPS:
        assert cp.check_eigenvectors(cp.group_vectors(W, g), W, g), g
    V = cp.group_vectors(W, "G3_ab")
    r = cp.check_eigenvectors(V.T, W, "G3_ab")
    assert not r and "COLUMN" in str(r)
    r = cp.check_eigenvectors(V / np.sqrt(7), W, "G3_ab")
    assert not r and "√(d+2)" in str(r)
    r = cp.check_eigenvectors(V[:, ::-1], W, "G3_ab")
    assert not r and "order" in str(r)
    r = cp.check_eigenvectors(-V, W, "G3_ab")
    assert not r and "sign" in str(r)
    r = cp.check_eigenvectors(cp.group_vectors(W, "G3_tilde") * np.sqrt(2), W, "G3_tilde")
    assert not r and "√2" in str(r)


def test_check_limit():
    for g in ("G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"):
        assert cp.check_limit(cp.limit(x, g), x, g), g
    F0 = cp.limit(x, "G1")[:, 0]
    r = cp.check_limit(F0 * 2 * np.pi, x, "G1")
    assert not r and "1/(2π)" in str(r)
    wrong_beta = F0 * np.exp(betaln(2.0, 0.5) - betaln(2.5, 0.5))
    r = cp.check_limit(wrong_beta, x, "G1")
    assert not r and "B((d-1)/2, 1/2)" in str(r)
    r = cp.check_limit(F0 * np.linalg.norm(x, axis=1), x, "G1")
    assert not r and "‖x‖²" in str(r)
    r = cp.check_limit(cp.limit(x, "G3_ab") * np.sqrt(2), x, "G3_ab")
    assert not r and "1/√2" in str(r)
    r = cp.check_limit(cp.limit(x, "G2")[:, :3], x, "G2")
    assert not r and "shape" in str(r)
    _no_numbers_leaked(cp.check_limit(F0 * 3, x, "G1"), F0)


def test_check_mercer_eigenvalue():
    lam = cp.mercer_eigenvalues(7, 4)
    for k in range(5):
        assert cp.check_mercer_eigenvalue(lam[k], 7, k), k
    r = cp.check_mercer_eigenvalue(lam[2] / 7, 7, 2)
    assert not r and "factor d" in str(r)
    r = cp.check_mercer_eigenvalue(cp.group_eigenvalues(7)["G1"], 7, 0)
    assert not r and "approximation" in str(r)
    r = cp.check_mercer_eigenvalue(0.01, 7, 3)
    assert not r and "odd" in str(r)
    r = cp.check_mercer_eigenvalue(lam[4] * 1.1, 7, 4)
    assert not r and "too large" in str(r) and "%" not in str(r)
    r = cp.check_mercer_eigenvalue(lam[2] * 7232.4641, 7, 2)  # no ratio to read the answer from
    assert not r and "more than a factor 2" in str(r) and "7232" not in str(r)
    assert cp.check_mercer_eigenvalue(0.0, 7, 5)
    r = cp.check_mercer_eigenvalue(0.01, 7, 5)
    assert not r and "eigenvalue 0" not in str(r) and " 0 " not in str(r)
    _no_numbers_leaked(cp.check_mercer_eigenvalue(lam[2] * 3.3, 7, 2), lam[2:3])


def test_checks_refuse_complex_answers_and_loose_tolerances():
    J = cp.fisher_exact(W)
    assert not cp.check_fisher(J + 1e-3j, W)  # the real part is right, the answer is not
    assert "complex" in str(cp.check_fisher(J + 1e-3j, W))
    assert not cp.check_mercer_eigenvalue(0.25 + 0.1j, 7, 1)
    for bad in (1e10, 0.5, 0.0, -1e-6):
        with pytest.raises(ValueError, match=r"rtol must be a finite number in \(0, 0.1\]"):
            cp.check_fisher(np.zeros_like(J), W, rtol=bad)
    with pytest.raises(TypeError, match="rtol"):
        cp.check_limit(cp.limit(x, "G1"), x, "G1", rtol="loose")


def test_a_constant_factor_is_named_without_its_value():
    """A limit off by an unusual constant (the B(d/2, 1/2) constant of F0 is about 2.385 at
    d = 5) is reported as "a constant factor" without the factor, from which the constant
    would follow."""
    F0 = cp.limit(x, "G1")[:, 0]
    r = cp.check_limit(F0 / 2.38479, x, "G1")
    assert not r and "constant factor" in str(r)
    assert "2.38" not in str(r) and "0.419" not in str(r)


def test_check_table1_row():
    row = cp.table1_row(6, 2000, seeds=1, n_inputs=50, rng=3)
    assert cp.check_table1_row(row.mean, 6, 2000, n_inputs=50)
    # W drawn with variance 1 instead of 1/m
    rng = np.random.default_rng(4)
    Wbad = rng.standard_normal((6, 2000))
    xs = cp.sample_inputs(6, 50, rng=5)
    wrong = {g: float(v.mean()) for g, v in cp.member_mae(xs, Wbad).items()}
    r = cp.check_table1_row(wrong, 6, 2000, n_inputs=50)
    assert not r and "variance 1/m" in str(r)
    r = cp.check_table1_row({"G1": 0.1}, 6, 2000)
    assert not r and "missing" in str(r)
    half = dict(row.mean, G2=row.mean["G2"] / 3)
    r = cp.check_table1_row(half, 6, 2000, n_inputs=50)
    assert not r and "G2: too small" in str(r)


def test_result_renders_in_jupyter():
    r = cp.check_fisher(cp.fisher_exact(W), W)
    assert "correct" in r._repr_html_() and str(r).startswith("Fisher information J: correct")


def test_the_form_of_an_answer_is_judged_apart_from_its_values():
    """An autograder gives marks for the right form (numbers, shape) and for the right values."""
    J = cp.fisher_exact(W)
    wrong_values = cp.check_fisher(2 * J, W)
    assert not wrong_values and wrong_values.form_ok
    for not_yet in (..., np.eye(5), J + 1e-3j, np.full_like(J, np.nan)):
        r = cp.check_fisher(not_yet, W)
        assert not r and not r.form_ok
    assert cp.check_fisher(J, W).form_ok
    assert not cp.check_table1_row(..., 6, 2000).form_ok
    assert not cp.check_mercer_eigenvalue([0.1, 0.2], 7, 2).form_ok
