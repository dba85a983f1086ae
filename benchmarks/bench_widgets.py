"""Redraw time of the live explorers at their default sizes (target: at most 0.5 s each).

Run: ``.venv/bin/python benchmarks/bench_widgets.py`` (``--json`` for one JSON object;
``--only CHAPTER [CHAPTER ...]`` for some chapters' explorers). Each explorer is built live,
then its first slider is moved back and forth six times; the report gives the number of
redraws the moves caused (six: one per move), and the median and the largest redraw time at
the default (d, m).
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from companion import widgets  # noqa: E402

TARGET = 0.5


#: The chapters whose explorer is timed (all of them).
EXPLORERS = tuple(widgets._EXPLORERS)


def main() -> int:
    names = EXPLORERS
    if "--only" in sys.argv:
        names = tuple(a for a in sys.argv[sys.argv.index("--only") + 1 :] if not a.startswith("--"))
        unknown = sorted(set(names) - set(EXPLORERS)) or (["(none given)"] if not names else [])
        if unknown:
            print(
                f"--only: unknown explorer {', '.join(unknown)}; "
                f"choose from {', '.join(EXPLORERS)}",
                file=sys.stderr,
            )
            return 2
    report = {}
    for name in names:
        box = widgets.explorer(name, live=True)
        slider = box.children[0]
        d0 = slider.value
        for value in (d0 + 1, d0, d0 + 1, d0, d0 + 1, d0):
            slider.value = value
        times = np.array(box.redraw_seconds[1:])  # the moves; the first draw warms caches
        report[name] = {
            "default_d": d0,
            "redraws": len(times),
            "median_s": float(np.median(times)),
            "max_s": float(times.max()),
            "within_target": bool(np.median(times) <= TARGET),
        }
    if "--json" in sys.argv:
        print(json.dumps(report))
    else:
        for name, r in report.items():
            print(
                f"{name:20s} median {r['median_s']:.3f} s   max {r['max_s']:.3f} s   "
                f"{'ok' if r['within_target'] else 'SLOWER than'} (target {TARGET} s)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
