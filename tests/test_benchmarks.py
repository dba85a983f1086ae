"""The benchmark scripts run, at a tiny size, and their cross-checks hold.

Speed itself is not tested here (see benchmarks/README.md): these tests keep the scripts
working, and use the straightforward implementation (c) of bench_table1.py as an independent
check of companion.table1 (one member's vector at a time, float64).
"""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _run(*args: str) -> dict:
    p = subprocess.run(
        [sys.executable, *args, "--json"], capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout)


def test_bench_table1_small_rows_cross_checks_the_straightforward_implementation():
    rows = [(5, 300), (12, 700)]
    r = _run(
        str(BENCH / "bench_table1.py"),
        "--rows",
        *[f"{d}:{m}" for d, m in rows],
        "--repeat",
        "1",
        "--naive-full",
    )
    assert r["rows"] == [list(x) for x in rows]
    assert r["flops"] == sum(2 * 100 * m * (1 + d + (d - 1) + d * (d - 1) // 2) for d, m in rows)
    c = r["c_naive"]
    assert c["full"] and c["members_timed"] == c["members_total"] == sum(
        1 + d + (d - 1) + d * (d - 1) // 2 for d, _ in rows
    )
    # table1 (float32 products in panels, threads) against (c) (float64, one vector at a time)
    assert c["max_rel_diff_mae_vs_table1"] < 1e-5
    # the report's timings are not tested (benchmarks/README.md); its memory bound is
    assert 0 < r["a_rss_after_import_bytes"] <= r["a_peak_rss_bytes"] < 2e9


def test_bench_widgets_redraws_once_per_move():
    """The script runs (on the quickest explorer: the timings themselves are not tested)."""
    r = _run(str(BENCH / "bench_widgets.py"), "--only", "harmonics")
    assert set(r) == {"harmonics"}
    assert r["harmonics"]["redraws"] == 6  # six slider moves, six new pictures
