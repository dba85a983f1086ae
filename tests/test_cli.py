"""The command line ``python -m companion``: JSON output against the package,
and one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import companion as cp
from companion.cli import main

REPO = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    """Run the command line in-process; return (exit status, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1  # one object on one line, nothing else
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------- #
# mercer
# --------------------------------------------------------------------------- #
def test_mercer_json_in_a_real_subprocess():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "companion", "mercer", "--d", "5", "--kmax", "4", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert data["d"] == 5
    assert [r["k"] for r in data["degrees"]] == [0, 1, 2, 3, 4]
    assert (
        [r["multiplicity"] for r in data["degrees"]]
        == [cp.multiplicity(5, k) for k in range(5)]
        == [1, 5, 14, 30, 55]
    )
    lam = cp.mercer_eigenvalues(5, 4)
    np.testing.assert_allclose([r["eigenvalue"] for r in data["degrees"]], lam, rtol=0, atol=1e-15)
    assert data["degrees"][1]["eigenvalue"] == pytest.approx(0.25, abs=1e-14)
    assert data["share_degrees_le_2"] == pytest.approx(cp.trace_share(5), abs=1e-15)


def test_mercer_huge_multiplicities_are_exact_json_integers(capsys):
    data = run_json(capsys, "mercer", "--d", "2000", "--kmax", "40")
    top = data["degrees"][-1]["multiplicity"]
    assert isinstance(top, int) and top == cp.multiplicity(2000, 40) and top > 2**64


def test_mercer_readable_table(capsys):
    code, out, err = run(capsys, "mercer", "--d", "5", "--kmax", "3")
    assert code == 0 and err == ""
    assert "N(d, k)" in out and "lambda_k" in out
    assert any(line.split()[:3] == ["1", "5", "0.25"] for line in out.splitlines())


# --------------------------------------------------------------------------- #
# table1
# --------------------------------------------------------------------------- #
def test_table1_json_equals_table1_row(capsys):
    data = run_json(capsys, "table1", "--rows", "5:300", "--seeds", "2", "--n-inputs", "10")
    assert data["seeds"] == 2 and data["n_inputs"] == 10
    (row,) = data["rows"]
    ref = cp.table1_row(5, 300, seeds=2, n_inputs=10, rng=0)
    assert (row["d"], row["m"]) == (5, 300)
    assert row["paper"] is None
    for g in cp.TABLE1_GROUPS:
        assert row[g]["mean"] == pytest.approx(ref.mean[g], rel=1e-12)
        assert row[g]["sd"] == pytest.approx(ref.sd[g], rel=1e-12)


def test_table1_two_rows_and_paper_numbers(capsys):
    data = run_json(
        capsys,
        "table1",
        "--rows",
        "5:200",
        "10:500",
        "--seeds",
        "1",
        "--n-inputs",
        "5",
        "--seed",
        "3",
    )
    assert [(r["d"], r["m"]) for r in data["rows"]] == [(5, 200), (10, 500)]
    ref = cp.table1([(5, 200), (10, 500)], seeds=1, n_inputs=5, rng=3)
    for row, r in zip(data["rows"], ref, strict=True):
        for g in cp.TABLE1_GROUPS:
            assert row[g]["mean"] == pytest.approx(r.mean[g], rel=1e-12)
            assert row[g]["sd"] == 0.0


def test_table1_default_rows_are_the_papers(monkeypatch, capsys):
    """Without --rows the eight paper rows are computed (the computation itself is stubbed)."""
    seen = {}

    def fake_table1(rows, *, seeds, n_inputs, rng):
        seen.update(rows=list(rows), seeds=seeds, n_inputs=n_inputs, seed=rng)
        return [
            cp.simulations.Table1Row(
                d,
                m,
                n_inputs,
                seeds,
                {},
                {g: 0.1 for g in cp.TABLE1_GROUPS},
                {g: 0.0 for g in cp.TABLE1_GROUPS},
                {g: 0.0 for g in cp.TABLE1_GROUPS},
                cp.PAPER_TABLE1.get((d, m)),
            )
            for d, m in rows
        ]

    monkeypatch.setattr(cp, "table1", fake_table1)
    data = run_json(capsys, "table1", "--seeds", "1")
    assert seen == {"rows": list(cp.PAPER_TABLE1), "seeds": 1, "n_inputs": 100, "seed": 0}
    assert [r["paper"] for r in data["rows"]] == list(cp.PAPER_TABLE1.values())
    code, out, err = run(capsys, "table1", "--seeds", "1")
    assert code == 0 and "0.1344" in out and "±" in out  # paper's (50, 500) G1 beside mean ± sd


# --------------------------------------------------------------------------- #
# spectrum
# --------------------------------------------------------------------------- #
def test_spectrum_json_against_the_package(capsys):
    d, m, seed = 5, 300, 7
    data = run_json(capsys, "spectrum", "--d", str(d), "--m", str(m), "--seed", str(seed))
    W = cp.sample_weights(d, m, rng=seed)
    J = cp.fisher_exact(W)
    eig = np.array(data["eigenvalues"])
    assert eig.shape == (m,)
    assert np.all(np.diff(eig) <= 0)  # descending
    assert eig.sum() == pytest.approx(np.sum(W**2) / 2, rel=1e-10)  # tr J = ||W||_F^2 / 2
    np.testing.assert_allclose(eig, cp.fisher_spectrum(J), rtol=1e-10, atol=1e-13)
    ref = cp.cluster_means(cp.fisher_spectrum(J), d)
    for k, v in ref.items():
        assert data["cluster_means"][k] == pytest.approx(v, rel=1e-10)
    assert data["predicted"]["paper"] == pytest.approx(cp.group_eigenvalues(d))
    assert data["predicted"]["exact"] == pytest.approx(cp.group_eigenvalues(d, exact=True))
    assert data["residual_share"]["paper"] == pytest.approx(
        cp.decomposition(W, J=J).residual_share, rel=1e-10
    )
    assert data["residual_share"]["exact"] == pytest.approx(
        cp.decomposition(W, J=J, exact=True).residual_share, rel=1e-10
    )


def test_spectrum_readable(capsys):
    code, out, err = run(capsys, "spectrum", "--d", "4", "--m", "100")
    assert code == 0 and err == ""
    assert "G1" in out and "G3" in out and "residual share" in out


# --------------------------------------------------------------------------- #
# model
# --------------------------------------------------------------------------- #
def test_model_json_against_the_package(capsys):
    d, m, seed = 5, 300, 3
    data = run_json(capsys, "model", "--d", str(d), "--m", str(m), "--seed", str(seed))
    ref = cp.expected_share(cp.sample_weights(d, m, rng=seed), top=True)
    assert (data["d"], data["m"], data["seed"], data["n_basis"]) == (d, m, seed, 20)
    assert data["expected_share_groups"] == pytest.approx(ref.share, rel=1e-12)
    assert data["expected_share_top"] == pytest.approx(ref.top, rel=1e-12)
    for g in ("G1", "G2", "G3_gamma", "G3_ab"):
        assert data["expected_share_by_group"][g] == pytest.approx(ref.group_shares[g], rel=1e-12)
        assert data["expected_share_own_group"][g] == pytest.approx(ref.own_shares[g], rel=1e-12)
    # the m -> oo limit at this d is the share of the degrees <= 2, not its d -> oo limit
    assert data["share_limit"] == pytest.approx(cp.trace_share(d), rel=1e-14)
    assert data["share_limit_large_d"] == pytest.approx(0.5 + 1.5 / np.pi, rel=1e-14)
    assert data["share_limit_large_d"] < data["share_limit"] < data["expected_share_groups"]
    assert data["expected_share_groups"] <= data["expected_share_top"] + 1e-12  # Ky Fan


def test_model_readable(capsys):
    code, out, err = run(capsys, "model", "--d", "4", "--m", "100")
    assert code == 0 and err == ""
    assert "G3_ab" in out and "top 14 eigenvectors" in out and "1/2 + 3/(2 pi)" in out


def test_too_large_model_is_refused_before_drawing(capsys, monkeypatch):
    def no_draw(*args, **kw):
        raise AssertionError("W was drawn before m was checked")

    monkeypatch.setattr(cp, "sample_weights", no_draw)
    code, out, err = run(capsys, "model", "--d", "10", "--m", "12000")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "--m" in err


# --------------------------------------------------------------------------- #
# bad arguments: non-zero status, one line on stderr naming the argument, nothing on stdout
# --------------------------------------------------------------------------- #
BAD = [
    (["mercer", "--d", "2", "--kmax", "3"], "d must be >= 3"),
    (["spectrum", "--d", "2", "--m", "100"], "d must be >= 3"),
    (["table1", "--rows", "5x300"], "--rows"),
    (["table1", "--rows", "2:300"], "--rows"),
    (["table1", "--rows", "5:300", "--seeds", "0"], "seeds must be >= 1"),
    (["table1", "--rows", "5:300", "--n-inputs", "0"], "--n-inputs"),
    (["spectrum", "--d", "5", "--m", "0"], "--m"),
    (["spectrum", "--d", "5", "--m", "1000000"], "m = 1000000"),
    (["spectrum", "--d", "5", "--m", "100", "--seed", "-1"], "--seed"),
    (["mercer", "--d", "5", "--kmax", "-1"], "kmax must be >= 0"),
    (["mercer", "--d", "five", "--kmax", "1"], "--d"),
    (["mercer", "--d", "5"], "--kmax"),
    (["model", "--d", "2", "--m", "100"], "d must be >= 3"),
    (["model", "--d", "5", "--m", "19"], "--m"),
    (["model", "--d", "5", "--m", "1000000"], "m = 1000000"),
    (["model", "--d", "5", "--m", "100", "--seed", "-1"], "--seed"),
    (["model", "--d", "5"], "--m"),
    (["frobnicate"], "frobnicate"),
    ([], "SUBCOMMAND"),
]


@pytest.mark.parametrize("argv, names", BAD, ids=[" ".join(a) or "(none)" for a, _ in BAD])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_bad_argument_is_one_line(capsys, argv, names, as_json):
    code, out, err = run(capsys, *argv, *(["--json"] if as_json and argv else []))
    assert code != 0
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert names in lines[0]
    assert "Traceback" not in err and "usage:" not in err


def test_bad_argument_in_a_real_subprocess():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "companion", "spectrum", "--d", "5", "--m", "1000000", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "m = 1000000" in proc.stderr


def test_help_exits_zero(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "table1" in out and "spectrum" in out and "mercer" in out


# --------------------------------------------------------------------------- #
# failures that are not the user's: one line, exit status 1, never a traceback
# --------------------------------------------------------------------------- #
def test_too_large_spectrum_is_refused_before_drawing(capsys, monkeypatch):
    """m = 8000 is refused at once (the five dense matrices do not fit), and --help says so."""

    def no_draw(*args, **kw):
        raise AssertionError("W was drawn before m was checked")

    monkeypatch.setattr(cp, "sample_weights", no_draw)
    code, out, err = run(capsys, "spectrum", "--d", "10", "--m", "8000")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "m <= 7327" in err
    code, out, err = run(capsys, "spectrum", "--help")
    assert code == 0 and "--m M" in out and "<= 7327)" in out


@pytest.mark.parametrize("sink", ["closed pipe", "full disk"])
def test_output_not_written_is_one_line(sink):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    argv = [sys.executable, "-m", "companion", "mercer", "--d", "30", "--kmax", "200"]
    if sink == "full disk":
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full on this system")
        with open("/dev/full", "w") as full:
            p = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, env=env)
        reason = "No space left on device"
    else:
        p = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        p.stdout.close()  # the reader has gone, as with `| true`
        p.stderr_text = p.stderr.read()
        p.wait()
        p.stderr = p.stderr_text
        reason = "the pipe was closed"
    assert p.returncode == 1
    assert len(p.stderr.splitlines()) == 1 and reason in p.stderr, p.stderr


def test_internal_error_is_not_a_usage_error(capsys, monkeypatch):
    """A failure inside the package (not about an argument) says "internal error", status 1."""

    def broken(*args, **kw):
        raise ValueError("operands could not be broadcast together")

    monkeypatch.setattr(cp, "mercer_eigenvalues", broken)
    code, out, err = run(capsys, "mercer", "--d", "5", "--kmax", "3")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "internal error: ValueError: operands could not be broadcast" in err

    def crash(*args, **kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cp, "mercer_eigenvalues", crash)
    code, out, err = run(capsys, "mercer", "--d", "5", "--kmax", "3")
    assert code == 1 and "internal error: ZeroDivisionError" in err and len(err.splitlines()) == 1
