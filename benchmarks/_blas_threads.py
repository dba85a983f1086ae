"""``--threads T`` of the benchmarks: it must reach the BLAS before NumPy is imported."""

from __future__ import annotations

import os


def early_threads(argv: list[str]) -> None:
    """Set the BLAS thread variables from ``--threads T`` (or ``--threads=T``) in ``argv``,
    for this process and the subprocesses it starts."""
    for i, arg in enumerate(argv):
        value = (
            argv[i + 1]
            if arg == "--threads" and i + 1 < len(argv)
            else (arg.split("=", 1)[1] if arg.startswith("--threads=") else None)
        )
        if value is not None:
            for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ[var] = value
