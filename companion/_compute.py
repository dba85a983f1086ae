"""How the heavy computations run: bounded memory, threads, draws in the background.

The mathematics of the chapters' modules calls these and never sees a thread or a lock:

- :func:`chunk_bounds` and :func:`second_moments`: Monte Carlo sums over chunks of rows, so
  that memory is bounded by one chunk whatever the number of samples;
- :func:`strided_sum`: chunks of hidden units shared by threads, each with a one-thread BLAS
  (threadpoolctl), partial sums added in a fixed order (the same numbers every run for a
  given number of workers); :func:`default_workers` says how many;
- :func:`row_rngs` and :func:`draws`: the seed convention of the simulations (one
  independent generator per seed of a ``(d, m)`` cell) and their draws of ``(W, x)``, each
  made in a background thread while the previous one is used.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

import numpy as np

#: Memory budget in bytes of one chunk of rows (inputs or samples) in the Monte Carlo sums
#: (:func:`second_moments`): bounds the ``n x m`` feature block.
CHUNK_BYTES = 32 * 1024**2
#: Threads repay their start only for products above about this many flops.
THREAD_MIN_FLOPS = 1e9
#: At most this many worker threads.
MAX_WORKERS = 8


def chunk_bounds(n: int, width: int) -> list[tuple[int, int]]:
    """Split ``n`` rows into consecutive ``(start, stop)`` chunks of at most
    ``CHUNK_BYTES`` of width-``width`` float64 rows (at least 16 rows a chunk)."""
    step = int(max(16, min(n, CHUNK_BYTES // (8 * max(width, 1)))))
    return [(s, min(s + step, n)) for s in range(0, n, step)]


def second_moments(
    blocks: Iterable[np.ndarray], *, return_se: bool = True
) -> tuple[np.ndarray, np.ndarray | None, int]:
    r"""Mean second-moment matrix of the rows of stacked blocks, and its standard error.

    For rows :math:`\phi_1, \dots, \phi_n` (the blocks stacked),

    .. math::

       \hat M = \frac1n \sum_{s=1}^n \phi_s \phi_s^\top, \qquad
       \operatorname{se}(\hat M_{ij})
       = \sqrt{\frac{\overline{\phi_i^2\phi_j^2} - \hat M_{ij}^2}{n - 1}},

    the bar an average over the rows: the sample standard deviation of :math:`\phi_i\phi_j`
    (``ddof=1``) over :math:`\sqrt n`, the one standard-error formula of the package. Only the
    ``K x K`` sums are kept, so memory is bounded by the largest block.

    Parameters
    ----------
    blocks : iterable of ndarray of shape (n_c, K)
        The rows, in chunks (a generator, so that a chunk is freed before the next is made).
    return_se : bool, default True
        Also accumulate the fourth moments for the standard errors (else ``se`` is None).

    Returns
    -------
    mean : ndarray of shape (K, K)
    se : ndarray of shape (K, K) or None
        NaN when ``n = 1`` (no spread to estimate it from).
    n : int
        Number of rows.
    """
    S1 = S2 = None
    n = 0
    for Phi in blocks:
        P1 = Phi.T @ Phi
        S1 = P1 if S1 is None else S1 + P1
        if return_se:
            Q = Phi * Phi
            P2 = Q.T @ Q
            S2 = P2 if S2 is None else S2 + P2
        n += Phi.shape[0]
    mean = S1 / n
    if not return_se:
        return mean, None, n
    if n < 2:
        return mean, np.full_like(mean, np.nan), n
    var = np.maximum(S2 / n - mean * mean, 0.0)
    return mean, np.sqrt(var / (n - 1)), n


# --- threads with a one-thread BLAS --------------------------------------------------------

_BLAS_CONTROLLER = None
_CONTROLLER_LOCK = threading.Lock()
#: Held by a threaded :func:`strided_sum`: threadpoolctl's limit on BLAS's threads holds for
#: the whole process, so two such calls at once would restore each other's limits in the
#: wrong order (and leave BLAS on one thread). Such calls run one after another.
_THREADED = threading.Lock()
#: BLAS's thread count just before a threaded :func:`strided_sum` limited it to one; read by
#: :func:`default_workers` while that limit holds, so that a call made meanwhile from another
#: thread gets the same default as it would alone (the limit is the package's, not the user's).
_OUTER_BLAS_THREADS: int | None = None


def blas_controller():
    """threadpoolctl's view of the loaded BLAS (its scan of the libraries is done once)."""
    global _BLAS_CONTROLLER
    with _CONTROLLER_LOCK:
        if _BLAS_CONTROLLER is None:
            from threadpoolctl import ThreadpoolController

            _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER


def _blas_threads() -> int | None:
    blas = [lib["num_threads"] for lib in blas_controller().info() if lib.get("user_api") == "blas"]
    return max(blas) if blas else None


@contextlib.contextmanager
def one_blas_thread():
    """A context in which BLAS runs on one thread (in the whole process)."""
    global _OUTER_BLAS_THREADS
    outer = _blas_threads()
    with blas_controller().limit(limits=1, user_api="blas"):
        _OUTER_BLAS_THREADS = outer
        try:
            yield
        finally:
            _OUTER_BLAS_THREADS = None


def default_workers(chunks: int, flops: float) -> int:
    """Threads for :func:`strided_sum`: as many as BLAS may use (``OPENBLAS_NUM_THREADS``,
    ``threadpoolctl`` limits; at most ``MAX_WORKERS`` and one per chunk) when the products are
    large enough to repay starting them, else 1."""
    if chunks < 2 or flops < THREAD_MIN_FLOPS:
        return 1
    cpus = _OUTER_BLAS_THREADS if _THREADED.locked() and _OUTER_BLAS_THREADS else None
    if cpus is None:
        cpus = _blas_threads()
    if cpus is None:  # no BLAS that threadpoolctl knows: the CPUs this process may run on
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
    return max(1, min(cpus, chunks, MAX_WORKERS))


def strided_sum(
    partial_sum: Callable[[int, int, threading.Event], np.ndarray], workers: int
) -> np.ndarray:
    """``sum(partial_sum(i, workers, stop) for i in range(workers))``, in threads.

    ``partial_sum(first, step, stop)`` handles chunks ``first, first + step, ...`` and returns
    its float64 partial sum; it should return early once ``stop`` is set. With one worker it
    runs in the calling thread (BLAS with its own threads). With several, each thread runs
    with a one-thread BLAS, and the partial sums are added in a fixed order (the same sums
    every run); an error or Ctrl-C in one stops the others at their next chunk.
    """
    stop = threading.Event()
    if workers == 1:
        return partial_sum(0, 1, stop)
    with _THREADED, one_blas_thread(), ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(partial_sum, i, workers, stop) for i in range(workers)]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
        finally:  # all done, or an error (or Ctrl-C): the others stop at their next chunk
            stop.set()
        total = futures[0].result()
        for f in futures[1:]:
            total += f.result()
    return total


# --- the simulations' draws -----------------------------------------------------------------


def row_rngs(seed: int, d: int, m: int, seeds: int) -> list[np.random.Generator]:
    """Independent generators for one ``(d, m)`` cell, from ``SeedSequence([seed, d, m])``:
    the same seed gives the same numbers whether the cell is computed alone or within a table.
    ``seed`` is a checked non-negative int."""
    children = np.random.SeedSequence([seed, d, m]).spawn(seeds)
    return [np.random.default_rng(c) for c in children]


@contextlib.contextmanager
def draws(cells, seed: int, n_inputs: int, dtype: str | np.dtype = "float64"):
    """``with draws(...) as stream``: the draws of the ``(d, m, seeds)`` cells in turn.

    ``seeds`` pairs ``(W, x)`` per cell (Table 1, Figure 1 and the finite-width study share them):
    from each of :func:`row_rngs`'s generators, ``W`` (``sample_weights``, written into a block of
    ``dtype``) then ``n_inputs`` inputs (``sample_inputs``). Each draw is made in a background
    thread while the previous one is being used, so that generating the normal numbers (serial: one
    stream per draw) overlaps the products; the ``W`` go into two blocks used in turn, no new
    ``d x m`` array per draw (a ``W`` is overwritten once the next draw is asked for). When the
    block ends (also on an error) the draw being made is waited for, and the thread and the two
    blocks are freed at once, even while a traceback keeps the frame.
    """
    stream = _draw_stream(cells, seed, n_inputs, dtype)
    try:
        yield stream
    finally:
        stream.close()


def _draw_stream(cells, seed, n_inputs, dtype):
    from .fisher import sample_inputs, sample_weights  # (fisher imports this module)

    tasks = [
        (int(d), int(m), rng) for d, m, k in cells for rng in row_rngs(seed, int(d), int(m), int(k))
    ]
    if not tasks:
        return
    blocks = [
        np.empty(max([d * m for d, m, _ in tasks[j::2]], default=0), dtype=dtype) for j in (0, 1)
    ]

    def draw(i: int):
        d, m, rng = tasks[i]
        W = sample_weights(d, m, rng, out=blocks[i % 2][: d * m].reshape(d, m))
        return W, sample_inputs(d, n_inputs, rng)

    with ThreadPoolExecutor(1) as pool:
        ahead = pool.submit(draw, 0)
        for i in range(len(tasks)):
            W, x = ahead.result()
            if i + 1 < len(tasks):
                ahead = pool.submit(draw, i + 1)  # into the block of draw i - 1, already used
            yield W, x
