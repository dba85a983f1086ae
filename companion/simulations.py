r"""The simulations of the paper (§4): Table 1, Figure 1 and the decay of the error with m.

Table 1 reports the mean absolute error

.. math::

   \mathrm{MAE} = \frac1N \sum_{n=1}^N \bigl|F(x_n) - X(x_n)^\top v\bigr|

between a basis function and its limit (Theorems 3.1–3.5) over :math:`N = 100` Gaussian inputs.
The paper does not say whether each cell is one member of a group, or one draw of
:math:`W`. Here every cell is computed for **every** member of the group and for several
independent draws (seeds) of :math:`(W, x)`; a row keeps the per-member errors, the
mean over members and seeds, the spread of the group mean across seeds, and the spread of a
single member's error (what one number from one member and one draw can be).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from . import _compute
from ._validate import (
    check_array,
    check_d,
    check_dtype,
    check_int,
    check_memory,
    check_seed,
)
from .eigengroups import group_outputs, group_size
from .limits import limit

__all__ = [
    "TABLE1_GROUPS",
    "PAPER_TABLE1",
    "member_mae",
    "table1_row",
    "table1",
    "figure1_data",
    "error_decay",
    "fit_slope",
]

#: The four columns of Table 1: G1 v^(0), G2 v^(l), G3 v^(gamma), G3 v^(alpha,beta).
TABLE1_GROUPS = ("G1", "G2", "G3_gamma", "G3_ab")

#: The (d, m) rows of the paper's Table 1, in its order (the keys of PAPER_TABLE1).
_PAPER_ROWS = (
    (50, 500),
    (100, 500),
    (10, 10000),
    (50, 10000),
    (100, 10000),
    (10, 100000),
    (50, 100000),
    (100, 100000),
)

#: The paper's own Table 1 (typed from arXiv 2505.17907v2), keyed by its eight (d, m) rows in
#: its order; each value maps the four groups of TABLE1_GROUPS to the printed MAE.
PAPER_TABLE1 = {
    (d, m): dict(zip(TABLE1_GROUPS, vals, strict=True))
    for (d, m), vals in zip(
        _PAPER_ROWS,
        (
            (0.1344, 0.1782, 0.1739, 0.1748),
            (0.2033, 0.3874, 0.3471, 0.2486),
            (0.0159, 0.0189, 0.0140, 0.0159),
            (0.0276, 0.0506, 0.0368, 0.0679),
            (0.0481, 0.0986, 0.0452, 0.0613),
            (0.0058, 0.0056, 0.0045, 0.0043),
            (0.0112, 0.0168, 0.0151, 0.0169),
            (0.0152, 0.0198, 0.0173, 0.0202),
        ),
        strict=True,
    )
}


def member_mae(
    x: np.ndarray,
    W: np.ndarray,
    groups: tuple[str, ...] = TABLE1_GROUPS,
    *,
    dtype: str = "float64",
    squared: bool = False,
) -> dict[str, np.ndarray] | tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    r"""Per-member MAE :math:`\frac1N\sum_n |F(x_n) - X(x_n)^\top v|` for every member of
    each group.

    The mean absolute error of §4.2 (the cells of Table 1) between each basis function
    :math:`f_v(x) = X(x)^\top v` (:func:`companion.group_outputs`) and its limit :math:`F`
    of Theorems 3.1–3.5 (:func:`companion.limit`), over the :math:`N` rows of ``x``:

    .. math::

       \mathrm{MAE}_k = \frac1N \sum_{n=1}^N \bigl|F_k(x_n) - X(x_n)^\top v_k\bigr|,
       \qquad k = 1, \dots, K.

    ``dtype`` is the precision of the products in :func:`companion.group_outputs`. With
    ``squared=True`` the per-member mean squared error
    :math:`\frac1N\sum_n (F(x_n) - X(x_n)^\top v)^2` is returned too, from the same outputs.

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,)
        The inputs, finite, ``d >= 3`` (the paper: :math:`N = 100` draws of
        :math:`N(0, I_d)`).
    W : ndarray of shape (d, m)
        Hidden weights (float64, or float32 used as it is), finite, ``d >= 3``, no zero column.
    groups : sequence of str, default ``TABLE1_GROUPS``
        Distinct names among ``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``, ``"G3_tilde"``;
        by default Table 1's four columns.
    dtype : {"float64", "float32"}, default "float64"
        Precision of the chunk products :math:`X^\top v` (always summed in float64).
    squared : bool, default False
        Also return the per-member mean squared errors.

    Returns
    -------
    dict, or (dict, dict) with ``squared=True``
        ``out[group]`` has shape (K,), one error per member (see :func:`companion.group_outputs`
        for the order of the members); with ``squared=True``, ``(mae, mse)`` of that form.

    Raises
    ------
    TypeError
        If ``squared`` is not a bool, or ``x``, ``W`` or ``dtype`` is of the wrong kind.
    ValueError
        If ``x`` or ``W`` has the wrong shape or non-finite entries, ``W`` a zero column, a
        group is unknown or repeated, or ``dtype`` is neither float64 nor float32.
    """
    if not isinstance(squared, (bool, np.bool_)):
        raise TypeError(f"squared must be True or False, got {type(squared).__name__}")
    outputs = group_outputs(x, W, groups, dtype=dtype)
    errors = {g: limit(x, g) - outputs[g] for g in groups}
    mae = {g: np.abs(e).mean(axis=0) for g, e in errors.items()}
    if not squared:
        return mae
    return mae, {g: np.mean(e * e, axis=0) for g, e in errors.items()}


@dataclass
class Table1Row:
    r"""One row of Table 1 over several seeds.

    The errors of §4.2 (Table 1) at one :math:`(d, m)`, made by :func:`companion.table1_row`:
    for each group :math:`g` and draw :math:`s`, the per-member MAEs
    :math:`e_{s,k}` (:func:`companion.member_mae`), their mean
    :math:`\bar e = \frac{1}{SK}\sum_{s,k} e_{s,k}`, the spread across draws of the group mean
    :math:`\frac1K\sum_k e_{s,k}` and the pooled spread of single :math:`e_{s,k}`.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Width, ``m >= 1``.
    n_inputs : int
        Number :math:`N` of inputs per draw, ``>= 1``.
    seeds : int
        Number :math:`S` of draws of :math:`(W, x)`, ``>= 1``.
    per_member : dict of str to ndarray
        ``per_member[group]`` of shape (seeds, K).
    mean : dict of str to float
        Mean over members and seeds, per group.
    sd : dict of str to float
        Spread across seeds of the member-averaged MAE, per group.
    member_sd : dict of str to float
        Pooled spread of a single member's MAE, per group.
    paper : dict of str to float or None
        The paper's Table 1 row (``PAPER_TABLE1[(d, m)]``), or None.

    Attributes
    ----------
    d, m, n_inputs, seeds : int
        Input dimension, width, inputs per draw and number of draws.
    per_member : dict
        ``per_member[group]`` has shape (seeds, K): the MAE of every member in every draw.
    mean : dict
        Mean over members and seeds.
    sd : dict
        Standard deviation across seeds of the member-averaged MAE (the spread of a cell;
        ``ddof=1``, and 0 for a single seed).
    member_sd : dict
        Standard deviation of a single member's MAE, pooled over members and seeds
        (``ddof=1``; 0 when there is a single value).
    paper : dict or None
        The paper's own number for this (d, m), when it has one.
    """

    d: int
    m: int
    n_inputs: int
    seeds: int
    per_member: dict[str, np.ndarray] = field(repr=False)
    mean: dict[str, float]
    sd: dict[str, float]
    member_sd: dict[str, float]
    paper: dict[str, float] | None

    def as_dict(self) -> dict:
        """JSON-ready summary (the command line's ``table1 --json`` row).

        Returns
        -------
        dict
            ``{"d": d, "m": m, group: {"mean": ..., "sd": ..., "member_sd": ...}, ...,
            "paper": paper}`` with Python numbers (no ``per_member``).
        """
        row = {"d": self.d, "m": self.m}
        for g in self.mean:
            row[g] = {"mean": self.mean[g], "sd": self.sd[g], "member_sd": self.member_sd[g]}
        row["paper"] = self.paper
        return row


@dataclass
class Table1:
    r"""Table 1 rebuilt: one :class:`companion.simulations.Table1Row` per :math:`(d, m)` row.

    What :func:`companion.table1` returns: the paper's Table 1 (§4.2), every cell the MAE
    :math:`\frac1N\sum_n |F(x_n) - X(x_n)^\top v|` over every member of the group and several
    draws. It behaves as the list of its rows (``len``, iteration, ``table[i]``; a slice is
    again a ``Table1``) and adds the two views of chapter simulations: :meth:`frame` (the
    table beside the paper's numbers) and :meth:`readings` (each paper cell read against it).

    Parameters
    ----------
    rows : list of Table1Row
        The rows, in the order computed.

    Attributes
    ----------
    rows : list of Table1Row
        The rows, in the order computed.
    """

    rows: list[Table1Row]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Table1(self.rows[index])
        return self.rows[index]

    def frame(self, *, digits: int = 4):
        """Table 1 as a :class:`pandas.DataFrame`: each cell "mean ± sd" beside the paper's
        number.

        Columns are a two-level index (group, "this book" / "paper"); rows are indexed by
        (d, m). The layout of the paper's Table 1 (§4.2), with the rebuilt cells
        (:attr:`companion.simulations.Table1Row.mean` ±
        :attr:`companion.simulations.Table1Row.sd`) beside the printed ones.

        Parameters
        ----------
        digits : int, default 4
            Decimals shown, ``>= 0`` (the paper prints four).

        Returns
        -------
        pandas.DataFrame
            Strings: the column ``(group, "this book (mean ± sd)")`` holds ``"mean ± sd"``,
            ``(group, "paper")`` the paper's number (empty when the row is not one of the
            paper's, the keys of ``PAPER_TABLE1``).
        """
        import pandas as pd

        records = {}
        for r in self.rows:
            cells = {}
            for g in r.mean:
                cells[(g, "this book (mean ± sd)")] = (
                    f"{r.mean[g]:.{digits}f} ± {r.sd[g]:.{digits}f}"
                )
                cells[(g, "paper")] = "" if r.paper is None else f"{r.paper[g]:.{digits}f}"
            records[(r.d, r.m)] = cells
        frame = pd.DataFrame.from_dict(records, orient="index")
        frame.index = frame.index.set_names(["d", "m"])
        frame.columns = pd.MultiIndex.from_tuples(frame.columns)
        return frame

    def readings(self):
        r"""Two readings of each of the paper's Table 1 cells against the rebuilt table.

        For each row with a paper number and each group:

        * ``z_a`` — reading (a), *a group average from one draw*: the paper's number minus our
          mean, in units of ``sd`` (the spread of the group-averaged MAE across seeds);
        * ``z_b`` — reading (b), *one member from one draw*: the same difference in units of
          ``member_sd`` (the spread of a single member's MAE);
        * ``pct_b`` — the paper's number's percentile among all single-member, single-draw
          MAEs.

        That is, with :math:`p` the paper's number, :math:`z_a = (p - \bar e)/\mathrm{sd}`,
        :math:`z_b = (p - \bar e)/\mathrm{member\_sd}` (``inf`` when the spread is 0) and
        :math:`\mathrm{pct}_b = 100\,\#\{e_{s,k} \le p\}/(SK)`. The paper's Table 1 (§4.2)
        read against the rebuilt one; beyond the paper: chapter simulations. Rows that are
        not the paper's are skipped.

        Returns
        -------
        pandas.DataFrame
            Indexed by (d, m, group), columns ``paper``, ``mean``, ``z_a``, ``z_b``,
            ``pct_b``.

        Raises
        ------
        ValueError
            If no row is one of the paper's (the keys of ``PAPER_TABLE1``).
        """
        import pandas as pd

        records = []
        for r in self.rows:
            if r.paper is None:
                continue
            for g in r.mean:
                p = r.paper[g]
                records.append(
                    {
                        "d": r.d,
                        "m": r.m,
                        "group": g,
                        "paper": p,
                        "mean": r.mean[g],
                        "z_a": (p - r.mean[g]) / r.sd[g] if r.sd[g] > 0 else np.inf,
                        "z_b": (p - r.mean[g]) / r.member_sd[g] if r.member_sd[g] > 0 else np.inf,
                        "pct_b": 100 * float(np.mean(r.per_member[g] <= p)),
                    }
                )
        if not records:
            raise ValueError(
                "the table must contain at least one of the paper's (d, m) rows "
                "(the keys of companion.PAPER_TABLE1)"
            )
        return pd.DataFrame(records).set_index(["d", "m", "group"])


def table1_row(
    d: int,
    m: int,
    *,
    seeds: int = 5,
    n_inputs: int = 100,
    rng: int | np.random.Generator = 0,
    groups: tuple[str, ...] = TABLE1_GROUPS,
    dtype: str = "float32",
) -> Table1Row:
    r"""One row of Table 1: the MAE of every member of every group, for ``seeds`` draws of
    :math:`(W, x)`.

    Each draw takes :math:`W` (:math:`d \times m`, iid :math:`N(0, 1/m)`) and :math:`N` =
    ``n_inputs`` inputs :math:`x \sim N(0, I_d)` from its own generator, spawned from
    ``(seed, d, m)``.

    The products :math:`X^\top v` are computed in ``dtype`` (float32 by default) and summed in
    float64 (:func:`companion.group_outputs`): this changes every error by less than
    :math:`10^{-5}` of its value (at most a few :math:`10^{-6}` on the paper's rows; the tests
    check it), far below the fourth digit the paper prints and below the spread between draws,
    and it halves the time of the large rows. ``dtype="float64"`` gives the full-precision
    products.

    The set-up is the paper's §4.1 and the cells its Table 1 (§4.2); the several seeds and
    the per-member errors are beyond the paper (chapter simulations).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Width (number of hidden units), ``m >= 1``.
    seeds : int, default 5
        Number of independent draws of :math:`(W, x)`, ``>= 1``.
    n_inputs : int, default 100
        Number :math:`N` of inputs per draw, ``>= 1`` (the paper: 100).
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.
    groups : sequence of str, default ``TABLE1_GROUPS``
        Distinct names among ``companion.GROUPS``; by default Table 1's four columns.
    dtype : {"float32", "float64"}, default "float32"
        Precision of the products :math:`X^\top v` (see above).

    Returns
    -------
    Table1Row
        The per-member errors of every draw and their summaries; ``paper`` holds the paper's
        numbers when :math:`(d, m)` is one of its rows (a key of ``PAPER_TABLE1``).

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``seeds``, ``n_inputs`` or ``seed`` is not an integer, or ``dtype``
        not a dtype.
    ValueError
        If one of them is out of its range, ``dtype`` is neither float32 nor float64, or a
        group is unknown or repeated.
    """
    d = check_d(d)
    m = check_int(m, "m")
    seeds = check_int(seeds, "seeds")
    n_inputs = check_int(n_inputs, "n_inputs")
    check_dtype(dtype)
    seed = check_seed(rng)
    _check_memory([(d, m)], seeds, n_inputs, groups, dtype)
    with _compute.draws([(d, m, seeds)], seed, n_inputs, dtype) as draws:
        return _table1_row(d, m, seeds, n_inputs, groups, dtype, draws)


def _check_memory(rows, seeds: int, n_inputs: int, groups, dtype) -> None:
    """Refuse at once a table whose memory does not fit (``check_memory``), naming ``seeds`` or
    ``n_inputs``, whichever takes more. Kept for the whole table: every member's error for
    every seed (list and array, 16 bytes); for one row at a time: the outputs of every worker
    and the sum, the limits and the errors (8 bytes per member and input each), the inputs
    and the two blocks of ``W``."""
    workers = _compute.default_workers(_compute.MAX_WORKERS, float("inf"))
    sizes = [sum(group_size(d, g) for g in groups) for d, _ in rows]
    per_seed = sum(16 * K for K in sizes)
    per_input = max(
        (8 * K * (workers + 4) + 16 * d for K, (d, _) in zip(sizes, rows, strict=True)), default=0
    )
    fixed = max((2 * d * m * np.dtype(dtype).itemsize for d, m in rows), default=0)
    if seeds * per_seed >= n_inputs * per_input:
        check_memory(per_seed, "seeds", seeds, fixed=n_inputs * per_input + fixed)
    else:
        check_memory(per_input, "n_inputs", n_inputs, fixed=seeds * per_seed + fixed)


def _table1_row(d, m, seeds, n_inputs, groups, dtype, draws) -> Table1Row:
    """:func:`table1_row` on checked arguments, with the next ``seeds`` draws of ``draws``
    (``_compute.draws``)."""
    per = {g: [] for g in groups}
    for W, x in itertools.islice(draws, seeds):
        for g, e in member_mae(x, W, groups, dtype=dtype).items():
            per[g].append(e)
    per = {g: np.array(v) for g, v in per.items()}
    ddof = 1 if seeds > 1 else 0
    return Table1Row(
        d=d,
        m=m,
        n_inputs=n_inputs,
        seeds=seeds,
        per_member=per,
        mean={g: float(v.mean()) for g, v in per.items()},
        sd={g: float(v.mean(axis=1).std(ddof=ddof)) for g, v in per.items()},
        member_sd={g: float(v.std(ddof=1)) if v.size > 1 else 0.0 for g, v in per.items()},
        paper=PAPER_TABLE1.get((d, m)),
    )


def table1(
    rows: tuple[tuple[int, int], ...] | list[tuple[int, int]] = _PAPER_ROWS,
    *,
    seeds: int = 5,
    n_inputs: int = 100,
    rng: int | np.random.Generator = 0,
    dtype: str = "float32",
) -> Table1:
    r"""Table 1 for the given (d, m) rows (by default the paper's eight), see :func:`table1_row`
    (also for ``dtype``).

    The paper's Table 1 (§4.2): for each row, the MAE
    :math:`\frac1N\sum_n |F(x_n) - X(x_n)^\top v|` of Table 1's four groups
    (``TABLE1_GROUPS``), each row from its own draws (those :func:`table1_row` makes with the
    same ``seed``).

    Parameters
    ----------
    rows : sequence of (int, int), default the paper's eight rows
        The :math:`(d, m)` pairs, ``d >= 3``, ``m >= 1``; may be empty. By default those of
        the paper, in its order (the keys of ``PAPER_TABLE1``).
    seeds : int, default 5
        Draws of :math:`(W, x)` per row, ``>= 1``.
    n_inputs : int, default 100
        Inputs per draw, ``>= 1``.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.
    dtype : {"float32", "float64"}, default "float32"
        Precision of the products :math:`X^\top v`.

    Returns
    -------
    Table1
        The :class:`companion.simulations.Table1Row` of each row, in the order given (none
        for no rows); it behaves as the list of them and adds
        :meth:`~companion.simulations.Table1.frame` (the table beside the paper's) and
        :meth:`~companion.simulations.Table1.readings`.

    Raises
    ------
    TypeError
        If a row is not a pair of integers or another argument is of the wrong type.
    ValueError
        If a row is not a ``(d, m)`` pair, or a value is out of its range.
    """
    rows = [tuple(r) for r in rows]
    for r in rows:
        if len(r) != 2:
            raise ValueError(f"rows must be (d, m) pairs, got {r!r}")
    rows = [(check_d(d), check_int(m, "m")) for d, m in rows]
    seeds = check_int(seeds, "seeds")
    n_inputs = check_int(n_inputs, "n_inputs")
    check_dtype(dtype)
    if not rows:
        return Table1([])
    cells = [(d, m, seeds) for d, m in rows]  # each row's own draws
    seed = check_seed(rng)
    _check_memory(rows, seeds, n_inputs, TABLE1_GROUPS, dtype)
    with _compute.draws(cells, seed, n_inputs, dtype) as draws:
        return Table1(
            [_table1_row(d, m, seeds, n_inputs, TABLE1_GROUPS, dtype, draws) for d, m in rows]
        )


def figure1_data(
    d: int,
    m: int,
    *,
    n_inputs: int = 100,
    rng: int | np.random.Generator = 0,
    groups: tuple[str, ...] = TABLE1_GROUPS,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    r"""The data of Figure 1: for one member of each group, :math:`F(x_n)` and
    :math:`X(x_n)^\top v`.

    The member shown is the first of each group (:math:`l = 1`, :math:`\gamma = 1`,
    :math:`(\alpha, \beta) = (1, 2)`).

    The paper's Figure 1 (§4.2, at :math:`d = 10`, :math:`m = 100000`): the limits of
    Theorems 3.1–3.5 against the network's basis functions, from the first draw of
    :func:`table1_row` at the same ``(seed, d, m)``, with float64 products.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Width, ``m >= 1``.
    n_inputs : int, default 100
        Number of inputs :math:`x_n \sim N(0, I_d)`, ``>= 1``.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.
    groups : sequence of str, default ``TABLE1_GROUPS``
        Distinct names among ``companion.GROUPS``.

    Returns
    -------
    dict
        ``out[group] = (F, Xv)``, two arrays of shape (n_inputs,).

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``n_inputs`` or ``seed`` is not an integer.
    ValueError
        If one of them is out of its range, or a group is unknown or repeated.
    """
    d = check_d(d)
    m = check_int(m, "m")
    n_inputs = check_int(n_inputs, "n_inputs")
    seed = check_seed(rng)
    with _compute.draws([(d, m, 1)], seed, n_inputs) as draws:
        W, x = next(draws)
    outputs = group_outputs(x, W, groups)
    return {g: (limit(x, g)[:, 0], outputs[g][:, 0]) for g in groups}


def fit_slope(ms: np.ndarray, errors: np.ndarray) -> float:
    r"""Least-squares slope of :math:`\log(\text{error})` against :math:`\log m`
    (the theory: -1/2).

    The slope :math:`\hat p` of the ordinary least-squares line through the points
    :math:`(\log m_k, \log e_k)`, the exponent of :math:`e \propto m^{p}`. Beyond the paper
    (chapter simulations): the paper notes only that the MAE decreases with :math:`m`; the
    central limit theorem gives :math:`p = -1/2` (:func:`companion.clt_mae`).

    Parameters
    ----------
    ms : array_like of shape (n,)
        Widths, positive, ``n >= 2``.
    errors : array_like of shape (n,)
        Errors at those widths, positive.

    Returns
    -------
    float
        The fitted slope :math:`\hat p`.

    Raises
    ------
    TypeError
        If ``ms`` or ``errors`` is not an array of real numbers.
    ValueError
        If they are not finite 1-d arrays, have different lengths or fewer than two entries,
        or have a non-positive entry.
    """
    ms = check_array(ms, "ms", ndim=1)
    errors = check_array(errors, "errors", ndim=1)
    if ms.shape != errors.shape or ms.size < 2 or np.any(ms <= 0) or np.any(errors <= 0):
        raise ValueError("ms and errors must be positive arrays of the same length >= 2")
    if np.unique(ms).size < 2:
        raise ValueError(f"ms must hold at least two different widths to fit a slope, got {ms}")
    return float(np.polyfit(np.log(ms), np.log(errors), 1)[0])


def error_decay(
    d: int,
    ms: tuple[int, ...] | list[int],
    *,
    seeds: int = 3,
    n_inputs: int = 100,
    rng: int | np.random.Generator = 0,
    groups: tuple[str, ...] = TABLE1_GROUPS,
) -> dict:
    r"""Table 1's error for one :math:`d` and a range of widths, with the fitted log-log slope.

    For each width, :func:`table1_row` (float32 products); for each group, the slope
    :math:`\hat p` of :math:`\log \overline{\mathrm{MAE}}` against :math:`\log m`
    (:func:`fit_slope`). Beyond the paper: chapter simulations (the paper's Table 1 shows
    the decrease with :math:`m` at three widths).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    ms : sequence of int
        Widths, each ``>= 1``, at least two (for the slope).
    seeds : int, default 3
        Draws per width, ``>= 1``.
    n_inputs : int, default 100
        Inputs per draw, ``>= 1``.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.
    groups : sequence of str, default ``TABLE1_GROUPS``
        Distinct names among ``companion.GROUPS``.

    Returns
    -------
    dict
        ``"m"`` (the widths), and for each group a dict with ``"mean"`` and ``"sd"`` (arrays over
        ``m``, as in :func:`table1_row`) and ``"slope"`` (:func:`fit_slope` of the means; the
        theory's rate :math:`O(m^{-1/2})` gives -1/2).

    Raises
    ------
    TypeError
        If a width or another count is not an integer.
    ValueError
        If a value is out of its range, a group is unknown or repeated, or there are fewer
        than two widths.
    """
    seed = check_seed(rng)
    ms_arr = np.array([check_int(m, "m") for m in ms])
    rows = [
        table1_row(d, int(m), seeds=seeds, n_inputs=n_inputs, rng=seed, groups=groups)
        for m in ms_arr
    ]
    out: dict = {"m": ms_arr}
    for g in groups:
        mean = np.array([r.mean[g] for r in rows])
        out[g] = {
            "mean": mean,
            "sd": np.array([r.sd[g] for r in rows]),
            "slope": fit_slope(ms_arr, mean),
        }
    return out
