"""Input checks shared by every module of :mod:`companion`.

Each check raises a :class:`TypeError` (wrong kind of value) or a
:class:`ValueError` (right kind, outside the allowed range) whose message names
the parameter and the allowed range, *before* any heavy work starts.
"""

from __future__ import annotations

import numbers

import numpy as np

#: What an array of each refused dtype kind holds (for the message of :func:`check_array`).
_KINDS = {
    "c": "complex numbers (take .real if the imaginary part is meant to be 0)",
    "b": "booleans",
    "U": "strings",
    "S": "bytes",
    "O": "Python objects",
    "M": "dates",
    "m": "time differences",
    "V": "structured records",
}

#: Largest dense m x m float64 matrix the package will build (bytes).
MAX_DENSE_BYTES = 2 * 1024**3


def check_int(value: object, name: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[minimum, maximum]``.

    Booleans and floats (even ``3.0``) are refused: a dimension is a count.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be >= {minimum}{upper}, got {value}")
    return value


def check_real(
    value: object,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` in the interval from ``lo`` to ``hi``.

    ``lo_open``/``hi_open`` exclude the end points. Booleans and non-numbers are refused with a
    ``TypeError``, NaN, inf and values outside the interval with a ``ValueError`` naming
    ``name`` and the interval.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    interval = f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"
    if (
        not np.isfinite(value)
        or (lo is not None and (value < lo or (lo_open and value == lo)))
        or (hi is not None and (value > hi or (hi_open and value == hi)))
    ):
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}")
    return value


def check_d(d: object, *, minimum: int = 3) -> int:
    """Input dimension ``d``; the theorems of the paper need ``d > 2``."""
    return check_int(d, "d", minimum=minimum)


def check_rng(rng: object) -> np.random.Generator:
    """Accept a :class:`numpy.random.Generator` (used as it is) or an integer seed (see
    :func:`check_seed`)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(check_seed(rng))


def check_array(
    a: object, name: str, *, ndim: int | tuple[int, ...], float32: bool = False
) -> np.ndarray:
    """Return ``a`` as a finite float64 array with ``ndim`` dimensions (with ``float32=True``
    a float32 array is kept as it is, not copied to float64)."""
    if isinstance(a, bool) or not isinstance(a, (np.ndarray, list, tuple, numbers.Real)):
        raise TypeError(f"{name} must be an array of real numbers, got {type(a).__name__}")
    try:
        raw = np.asarray(a)  # no copy of an array; a ragged list fails here
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers ({exc})") from None
    if raw.dtype.kind not in "iuf":  # complex, bool, strings, objects: no silent conversion
        got = _KINDS.get(raw.dtype.kind, f"dtype {raw.dtype}")
        raise TypeError(f"{name} must be an array of real numbers, got an array of {got}")
    keep = float32 and raw.dtype == np.float32
    arr = raw if keep else raw.astype(np.float64, copy=False)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in allowed:
        raise ValueError(
            f"{name} must have {' or '.join(map(str, allowed))} dimension(s), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    # min and max are NaN when any entry is NaN and infinite when any is: exact, and no
    # boolean array of the size of ``arr`` (W at full scale has 10^7 entries)
    if not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def check_W(W: object, *, min_d: int = 1, float32: bool = False) -> np.ndarray:
    """Hidden weights ``W`` of shape ``(d, m)``: finite, ``d >= min_d``, ``m >= 1`` (float64,
    or float32 kept as it is with ``float32=True``)."""
    W = check_array(W, "W", ndim=2, float32=float32)
    d, m = W.shape
    if d < min_d:
        raise ValueError(f"W must have d >= {min_d} rows (input dimension), got shape {W.shape}")
    if np.any(np.einsum("ij,ij->j", W, W) == 0.0):
        raise ValueError(
            "W must have no zero column (a hidden unit with no weights has no direction)"
        )
    return W


def check_x(x: object, d: int) -> np.ndarray:
    """Inputs ``x``: one input of shape ``(d,)`` or a batch of shape ``(N, d)``; returned as
    ``(N, d)``."""
    x = check_array(x, "x", ndim=(1, 2))
    if x.shape[-1] != d:
        raise ValueError(f"x must have d = {d} entries per input (last axis), got shape {x.shape}")
    return x.reshape(-1, d)


def check_dense(m: int, name: str = "m", *, copies: int = 1) -> None:
    """Refuse ``copies`` dense ``m x m`` float64 matrices larger than ``MAX_DENSE_BYTES``
    together."""
    need = 8 * m * m * copies
    if need > MAX_DENSE_BYTES:
        limit = int(np.sqrt(MAX_DENSE_BYTES / (8 * copies)))
        what = f"a dense {m} x {m} matrix" if copies == 1 else f"{copies} dense {m} x {m} matrices"
        raise ValueError(
            f"{name} = {m} needs {what} ({need / 1024**3:.1f} GiB); "
            f"this is computed only for {name} <= {limit}"
        )


def check_choice(value: object, name: str, allowed) -> object:
    """``value`` if it is one of ``allowed`` (a group name, a distribution, ...), else a
    ``ValueError`` that lists the choices: ``"<name> must be one of [...], got <value>"``."""
    allowed = list(allowed)
    try:
        ok = value in allowed
    except TypeError:  # an unhashable or incomparable value
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def check_choices(values: object, name: str, allowed) -> tuple:
    """A non-empty sequence of distinct choices (one string is a sequence of one), each
    checked by :func:`check_choice`."""
    values = (values,) if isinstance(values, str) else tuple(values)
    if not values:
        raise ValueError(f"{name} must name at least one of {list(allowed)}")
    for v in values:
        check_choice(v, name, allowed)
    if len(set(values)) != len(values):
        raise ValueError(f"{name} must not repeat an entry, got {list(values)}")
    return values


def check_dtype(dtype: object) -> np.dtype:
    """The precision of the products: ``"float64"`` or ``"float32"``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be 'float64' or 'float32', got {dtype!r}") from None
    if dt not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r}")
    return dt


#: Share of the memory available at the call that one computation may take.
MEMORY_SHARE = 0.5


def available_memory() -> int:
    """Bytes of memory available now (Linux ``MemAvailable``; elsewhere the physical memory
    from ``os.sysconf``, or 8 GiB when neither can be read)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 8 * 1024**3


def check_memory(
    per_unit: float, name: str, value: int, *, fixed: float = 0.0, available: int | None = None
) -> None:
    """Refuse, before any work, a call whose memory ``per_unit * value + fixed`` (bytes, an
    estimate linear in the argument ``name``) exceeds ``MEMORY_SHARE`` of the memory available
    (``available``, by default :func:`available_memory`); the message names ``name`` and the
    largest value of it that fits."""
    budget = MEMORY_SHARE * (available_memory() if available is None else available)
    need = per_unit * value + fixed
    if need > budget:
        largest = max(int((budget - fixed) // max(per_unit, 1)), 0)
        raise ValueError(
            f"{name} = {value} needs about {need / 2**30:.1f} GiB, more than the "
            f"{budget / 2**30:.1f} GiB this machine has free for it; {name} must be <= "
            f"{largest} here"
        )


def check_seed(rng: object) -> int:
    """The root seed of a simulation from ``rng``: a non-negative integer is the seed itself;
    a :class:`numpy.random.Generator` gives one drawn from it (so a generator passed twice gives
    two independent runs). The package's one seed convention: every function takes ``rng``, an
    int or a Generator; those that make several independent streams (one per seed and
    ``(d, m)`` cell) derive them from this root seed."""
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**63))
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return check_int(rng, "seed", minimum=0)
    raise TypeError(
        "rng must be a numpy.random.Generator or a non-negative integer seed, "
        f"got {type(rng).__name__}"
    )
