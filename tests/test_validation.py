"""Bad input: a clear TypeError/ValueError naming the parameter, before any heavy work."""

import numpy as np
import pytest

import companion as cp

W5 = np.random.default_rng(0).standard_normal((5, 20)) / np.sqrt(20)


@pytest.mark.parametrize(
    "call, exc, word",
    [
        (lambda: cp.sample_weights(0, 10, 0), ValueError, "d must be >= 1"),
        (lambda: cp.sample_weights(3, 0, 0), ValueError, "m must be >= 1"),
        (lambda: cp.sample_weights(3.0, 10, 0), TypeError, "d must be an integer"),
        (lambda: cp.sample_weights(3, 10, "seed"), TypeError, "rng"),
        (lambda: cp.sample_weights(3, 10, -1), ValueError, "seed"),
        (lambda: cp.sample_inputs(3, 0, 0), ValueError, "n must be >= 1"),
        (lambda: cp.features(np.ones((2, 4)), W5), ValueError, "x must have d = 5"),
        (lambda: cp.features(np.full(5, np.nan), W5), ValueError, "x must be finite"),
        (
            lambda: cp.features(np.ones(5), np.where(W5 > 0, np.inf, W5)),
            ValueError,
            "W must be finite",
        ),
        (lambda: cp.features(np.ones(5), W5[0]), ValueError, "W must have 2 dimension"),
        (lambda: cp.features("abc", W5), TypeError, "x must be an array"),
        (lambda: cp.fisher_exact(np.zeros((3, 4))), ValueError, "no zero column"),
        (lambda: cp.group_vectors(W5[:2], "G1"), ValueError, "d >= 3"),
        (lambda: cp.group_vectors(W5, "G4"), ValueError, "group must be one of"),
        (lambda: cp.group_outputs(np.ones((3, 4)), W5), ValueError, "x must have d = 5"),
        (lambda: cp.limit(np.ones((3, 2)), "G1"), ValueError, "x must have d >= 3"),
        (lambda: cp.limit(np.array([1.0, np.inf, 0.0]), "G1"), ValueError, "x must be finite"),
        (lambda: cp.limit(np.ones(4), "G9"), ValueError, "group must be one of"),
        (lambda: cp.limit_constants(2), ValueError, "d must be >= 3"),
        (lambda: cp.group_eigenvalues(2), ValueError, "d must be >= 3"),
        (lambda: cp.table1_row(2, 100), ValueError, "d must be >= 3"),
        (lambda: cp.table1_row(5, 100, n_inputs=0), ValueError, "n_inputs must be >= 1"),
        (lambda: cp.table1_row(5, 100, seeds=0), ValueError, "seeds must be >= 1"),
        (lambda: cp.table1(rows=[(5, 100, 3)]), ValueError, "rows must be"),
        (
            lambda: cp.rayleigh_quotients(np.eye(20), np.ones((19, 2))),
            ValueError,
            "V must have m = 20 rows",
        ),
        (lambda: cp.fisher_spectrum(np.eye(20), top=0), ValueError, "top must be >= 1"),
        (lambda: cp.cluster_means(np.ones(5), 10), ValueError, "eigenvalues must have at least"),
    ],
)
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_huge_group_refused_before_work():
    W = np.ones((100, 200_000))
    with pytest.raises(ValueError, match="GiB"):
        cp.group_vectors(W, "G3_ab")


def test_dense_matrices_refused_before_work():
    """m = 10^6 would need 7.3 TiB for one J; decomposition holds five m x m matrices."""
    with pytest.raises(ValueError, match=r"m = 1000000 needs a dense 1000000 x 1000000 matrix"):
        cp.fisher_exact(np.ones((3, 1_000_000)))
    # 8 * 8000^2 = 0.5 GiB for one matrix (allowed), 2.4 GiB for the five of decomposition
    with pytest.raises(
        ValueError, match=r"m = 8000 needs 5 dense 8000 x 8000 matrices .* m <= 7327"
    ):
        cp.decomposition(np.ones((3, 8000)))


@pytest.mark.parametrize(
    "value, exc, word",
    [
        (1.0, ValueError, r"rho must be a finite number in \(-1, 1\), got 1.0"),
        (float("nan"), ValueError, "rho must be a finite number"),
        (float("inf"), ValueError, "rho must be a finite number"),
        ("0.5", TypeError, "rho must be a real number"),
        (True, TypeError, "rho must be a real number"),
    ],
)
def test_check_real_names_the_parameter_and_interval(value, exc, word):
    from companion._validate import check_real

    with pytest.raises(exc, match=word):
        check_real(value, "rho", lo=-1, hi=1, lo_open=True, hi_open=True)
    assert check_real(np.float32(0.25), "rho", lo=-1, hi=1) == 0.25


@pytest.mark.parametrize(
    "bad, what",
    [
        (W5 + 0j, "complex numbers"),
        (W5 + 1e-3j, "complex numbers"),
        (W5 > 0, "booleans"),
        (W5.astype(str), "strings"),
        (np.array(W5, dtype=object), "Python objects"),
    ],
    ids=["complex (zero imaginary part)", "complex", "bool", "numeric strings", "object"],
)
def test_arrays_that_are_not_real_numbers_are_refused(bad, what):
    """No silent conversion: a complex W would lose its imaginary part, booleans and strings
    would become numbers."""
    for call in (lambda: cp.fisher_exact(bad), lambda: cp.features(np.ones(5), bad)):
        with pytest.raises(
            TypeError, match=f"W must be an array of real numbers, got an array of {what}"
        ):
            call()
    with pytest.raises(
        TypeError, match=f"x must be an array of real numbers, got an array of {what}"
    ):
        cp.features(bad[:, :5].T if bad.ndim == 2 else bad, W5)
    # integer arrays are numbers: accepted (and the same as their float values)
    np.testing.assert_array_equal(cp.features(np.arange(5), W5), cp.features(np.arange(5.0), W5))


def test_slow_or_meaningless_requests_are_refused_at_once(monkeypatch):
    """Estimated before any work: the quadrature's time (kmax), the table's memory (seeds,
    n_inputs), group_outputs' memory (N); and what has no meaning (a slope from one width,
    rtol = NaN, a d beyond the quadrature's accuracy)."""
    from companion import eigengroups, fisher

    def no_draw(*args, **kw):
        raise AssertionError("drawn before the request was checked")

    monkeypatch.setattr(fisher, "sample_weights", no_draw)
    with pytest.raises(ValueError, match=r"kmax = 10000 would take about .* kmax must be <= \d+"):
        cp.mercer_eigenvalues(10, 10_000)
    with pytest.raises(ValueError, match="d must be <= 1000000000 for the quadrature"):
        cp.mercer_eigenvalues(10**18, 3)
    with pytest.raises(ValueError, match=r"seeds = 10000000 needs about .* seeds must be <= \d+"):
        cp.table1(seeds=10**7)
    with pytest.raises(ValueError, match=r"n_inputs = 10000000000 needs .* n_inputs must be <="):
        cp.table1_row(10, 100, n_inputs=10**10)
    monkeypatch.setattr(eigengroups, "available_memory", lambda: 2**16)  # 64 KiB free
    with pytest.raises(ValueError, match=r"the number of inputs N = 500 needs .* must be <= \d+"):
        cp.group_outputs(np.ones((500, 5)), W5)
    with pytest.raises(ValueError, match="at least two different widths"):
        cp.fit_slope([100, 100, 100], [0.1, 0.11, 0.09])
    H = cp.fisher_exact(W5)
    with pytest.raises(ValueError, match=r"rtol must be a finite number in \[0.0, 1.0\)"):
        cp.dynamics._group_subspaces(H, W5, rtol=float("nan"))


def test_one_seed_convention_rng_takes_an_int_or_a_generator():
    """Every public function that draws random numbers takes ``rng`` (no ``seed=``): an int,
    or a Generator; for the simulations, a Generator gives the root seed drawn from it."""
    import inspect

    drawing = []
    for name in cp.__all__:
        obj = getattr(cp, name)
        if inspect.isfunction(obj):
            params = inspect.signature(obj).parameters
            assert "seed" not in params, f"{name} takes seed=; the convention is rng="
            if "rng" in params:
                drawing.append(name)
    assert len(drawing) >= 15
    gen = np.random.default_rng(7)
    root = int(np.random.default_rng(7).integers(2**63))
    a = cp.table1_row(5, 100, seeds=2, n_inputs=5, rng=gen)
    b = cp.table1_row(5, 100, seeds=2, n_inputs=5, rng=root)
    for g in cp.TABLE1_GROUPS:
        np.testing.assert_array_equal(a.per_member[g], b.per_member[g])  # the same call
    with pytest.raises(ValueError, match="seed must be >= 0"):
        cp.table1_row(5, 100, rng=-1)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        cp.learning_curves(5, 100, rng="0")
