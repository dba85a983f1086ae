"""Speed benchmark of the projection of eq. (2) (``companion.project``) on many networks.

Run from anywhere::

    python benchmarks/bench_model.py             # a short report
    python benchmarks/bench_model.py --json      # one JSON object on stdout (progress on stderr)
    python benchmarks/bench_model.py --threads 1 # every BLAS call on one thread

It times, in one run on the same machine, at ``--d`` (20), ``--m`` (5000) and ``--networks``
(1000) output-weight vectors ``v ~ N(0, I_m)``, the exact ``J`` given (its own time,
``companion.fisher_exact``, is reported beside):

(a) ``companion.project(W, v, J=J)``: coefficients, residuals and every share of the 1000
    networks (the basis, ``JV``, the Cholesky factor of ``V^T J V``, ``Jv`` in chunks of
    networks, the triangular solves, ``Vu``);
(b) the BLAS products it cannot avoid, on random operands of the same shapes allocated before
    the clock starts: ``J (m x m) @ v (m x n)`` (the exact norms ``v^T J v``, ``2 m^2 n`` flops),
    ``J @ V (m x K)`` and ``V @ u (K x n)``, ``K = d(d+3)/2``: ``2 m^2 (n + K) + 2 m K n`` flops.

(a) and (b) alternate ``--repeat`` times (default 3) and medians are reported, with the load
average at start and end. The ratio (a)/(b) is the overhead of everything but the products
(target: <= 1.5). A cross-check compares (a)'s shares of the first networks with a direct
computation (``np.linalg.solve`` of the normal equations), in every run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


from _blas_threads import early_threads  # noqa: E402

early_threads(sys.argv[1:])

import numpy as np  # noqa: E402

import companion as cp  # noqa: E402

TARGET = 1.5


def flops(d: int, m: int, n: int) -> int:
    """The products of (b): J @ v, J @ V and V @ u."""
    K = d * (d + 3) // 2
    return 2 * m * m * (n + K) + 2 * m * K * n


def time_a(W, v, J) -> tuple[float, object]:
    t0 = time.perf_counter()
    p = cp.project(W, v, J=J)
    return time.perf_counter() - t0, p


def time_b(d: int, m: int, n: int, seed: int) -> float:
    """One repetition of (b): the three products on random operands."""
    K = d * (d + 3) // 2
    rng = np.random.default_rng(seed)
    J, v = rng.random((m, m)), rng.random((m, n))
    V, u = rng.random((m, K)), rng.random((K, n))
    t0 = time.perf_counter()
    J @ v
    J @ V
    V @ u
    return time.perf_counter() - t0


def direct_shares(W, v, J) -> np.ndarray:
    """The shares from the normal equations, solved directly (the cross-check)."""
    V, _ = cp.basis(W)
    JV = J @ V
    B = JV.T @ v
    u = np.linalg.solve(V.T @ JV, B)
    return np.einsum("kj,kj->j", B, u) / np.einsum("ij,ij->j", v, J @ v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--d", type=int, default=20, help="input dimension (default 20)")
    ap.add_argument("--m", type=int, default=5000, help="hidden units (default 5000)")
    ap.add_argument("--networks", type=int, default=1000, help="networks v (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions; medians are reported")
    ap.add_argument("--seed", type=int, default=0, help="seed of W and v (default 0)")
    ap.add_argument("--check", type=int, default=20, help="networks cross-checked (default 20)")
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="BLAS threads (sets OPENBLAS_NUM_THREADS; default: the BLAS's own)",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    d, m, n = args.d, args.m, args.networks
    log = (
        (lambda *a: print(*a, file=sys.stderr, flush=True))
        if args.json
        else (lambda *a: print(*a, flush=True))
    )
    fl = flops(d, m, n)
    load0 = os.getloadavg()
    log(f"projection benchmark: d = {d}, m = {m}, {n} networks, K = {d * (d + 3) // 2}")

    rng = np.random.default_rng(args.seed)
    W = cp.sample_weights(d, m, rng)
    v = rng.standard_normal((m, n))
    t0 = time.perf_counter()
    J = cp.fisher_exact(W)
    t_fisher = time.perf_counter() - t0
    log(f"  fisher_exact (not in (a)): {t_fisher:.3f} s")

    runs_a, runs_b = [], []
    p = None
    for r in range(args.repeat):
        t, p = time_a(W, v, J)
        runs_a.append(t)
        runs_b.append(time_b(d, m, n, seed=r))
        log(
            f"  repetition {r + 1}: (a) project {runs_a[-1]:.3f} s, (b) BLAS {runs_b[-1]:.3f} s "
            f"(load {os.getloadavg()[0]:.2f})"
        )
    k = min(args.check, n)
    check = float(np.abs(direct_shares(W, v[:, :k], J) - p.share[:k]).max())
    t_a, t_b = statistics.median(runs_a), statistics.median(runs_b)
    load1 = os.getloadavg()
    result = {
        "d": d,
        "m": m,
        "networks": n,
        "n_basis": d * (d + 3) // 2,
        "flops_b": fl,
        "fisher_seconds": t_fisher,
        "project_seconds": t_a,
        "project_runs_seconds": runs_a,
        "blas_seconds": t_b,
        "blas_runs_seconds": runs_b,
        "blas_gflops": fl / t_b / 1e9,
        "ratio_project_over_blas": t_a / t_b,
        "target_ratio_max": TARGET,
        "max_abs_diff_share_vs_direct": check,
        "machine": {
            "cpus": os.cpu_count(),
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
            "loadavg_start": load0,
            "loadavg_end": load1,
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
    }
    if args.json:
        print(json.dumps(result))
        return 0
    ok = "ok" if t_a / t_b <= TARGET else "MISSED"
    print()
    med_a, med_b = [round(t, 3) for t in runs_a], [round(t, 3) for t in runs_b]
    print(f"(a) project, {n} networks  {t_a:8.3f} s  (median of {med_a})")
    print(
        f"(b) J@v, J@V, V@u (BLAS)   {t_b:8.3f} s  (median of {med_b})"
        f"  {fl / t_b / 1e9:6.1f} GFLOP/s"
    )
    print(f"(a)/(b) = {t_a / t_b:.2f}   target <= {TARGET}  {ok}")
    print(f"fisher_exact (computed once, not in (a)): {t_fisher:.3f} s")
    print(f"shares of {k} networks against a direct solve: max difference {check:.1e}")
    print(
        f"machine: {os.cpu_count()} CPUs, BLAS threads {result['machine']['blas_threads']}, "
        f"load average {load0[0]:.2f} at start, {load1[0]:.2f} at end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
