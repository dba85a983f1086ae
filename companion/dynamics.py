r"""Learning dynamics: gradient descent on the output weights :math:`v` (paper §1, §2.3).

The paper's §1 argues that gradient descent learns the functions of the three eigen-groups at
rates set by their eigenvalues, :math:`\frac{2d+1}{4\pi} : \frac14 : \frac{1}{2\pi(d+2)}`,
*if* the Hessian of the training loss is close to the Fisher information :math:`J` ("when the
number of data is large enough compared to the number of parameters", a condition that "may be
relaxed" because the spectrum is concentrated). This module runs the experiment.

**The loss.** For a target function :math:`y(x)` and :math:`N` training inputs :math:`x_n`,

.. math::

   L_N(v) = \frac{1}{2N}\sum_{n=1}^N \bigl(X(x_n)^\top v - y(x_n)\bigr)^2
          = \tfrac12 v^\top \hat J_N v - b_N^\top v + \tfrac12\overline{y^2},
   \qquad \hat J_N = \frac1N\sum_n X(x_n)X(x_n)^\top,\quad b_N = \frac1N\sum_n y(x_n)X(x_n),

a quadratic whose Hessian is the empirical Fisher :math:`\hat J_N`. The population loss
(:math:`N \to \infty`) has Hessian exactly :math:`J` and linear term
:math:`b = \mathbb E_x[y(x)X(x)]`.

**The targets** are built from the limit functions of §3,
:math:`y = \sum_g \sum_{k\in g} c_k F_k` with :math:`F_k \in \{F_0, F_l, F_{\alpha\beta}\}`
(:func:`random_target`, a :class:`Target`). For them the population term is exact at every
finite :math:`m`: :math:`\mathbb E_x[X(x)F_k(x)] = \lambda_g v^{(k)}` (:meth:`Target.moment`),
with :math:`\lambda_g` the exact group eigenvalue.

**Gradient descent** :math:`v_{t+1} = v_t - \eta(Hv_t - b)` (:func:`gradient_descent`) with
:math:`H = \hat J_N` or :math:`J`; its closed form is :func:`gd_closed_form`.

**Components along the groups.** The residual :math:`r_t = y - f_{v_t}` is measured in the
inner product of the loss (the empirical :math:`\langle f, g\rangle_N = \frac1N\sum_n f(x_n)g(x_n)`,
or that of :math:`L^2(N(0, I_d))` for the population loss, §2.3), in which
:math:`\langle f_u, y - f_v\rangle = u^\top(b - Hv)`. The spans of the group functions
:math:`f_{v^{(k)}}` are orthogonalised *in the order of the hierarchy*
(``_group_subspaces``): :math:`S_{G1} = \mathrm{span}\{f_{v^{(0)}}\}`, :math:`S_{G2}` the part
of :math:`\mathrm{span}\{f_{v^{(0)}}, f_{v^{(l)}}\}` orthogonal to :math:`S_{G1}`, and so on, and
the component of group :math:`g` is the norm :math:`A_g(t) = \|\Pi_{S_g} r_t\|` of the orthogonal
projection. If :math:`S_g` is an eigenspace of :math:`H` with eigenvalue :math:`\lambda`,
:math:`A_g(t) = (1-\eta\lambda)^t A_g(0)` exactly; :func:`fit_rate` turns a measured curve into
the effective eigenvalue :math:`\hat\lambda = (1-\hat\rho)/\eta` from its fitted decay
factor :math:`\hat\rho` per step.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse.linalg

from ._validate import (
    check_array,
    check_choices,
    check_d,
    check_dense,
    check_int,
    check_real,
    check_rng,
    check_seed,
    check_W,
    check_x,
)
from .eigengroups import group_eigenvalues, group_size, group_vectors
from .fisher import features, fisher_exact, fisher_spectrum, sample_inputs, sample_weights
from .limits import limit

__all__ = [
    "DYNAMICS_GROUPS",
    "random_target",
    "training_problem",
    "gradient_descent",
    "gd_closed_form",
    "fit_rate",
    "learning_curves",
    "rates_vs_samples",
]

#: The groups whose functions :math:`F_0, F_l, F_{\alpha\beta}` build the targets, in the
#: order of the hierarchy (largest eigenvalue first).
DYNAMICS_GROUPS = ("G1", "G2", "G3_ab")

#: Inputs per block when the empirical Hessian is accumulated (bounds the feature matrix).
_N_BLOCK = 4096

#: Largest number of iterates :func:`gradient_descent` stores (bytes) when ``record`` is None.
_MAX_TRAJECTORY_BYTES = 512 * 1024**2


# --------------------------------------------------------------------------- validation


#: Groups whose spans :func:`_group_subspaces` can build (those with a vector per member).
_SPAN_GROUPS = ("G1", "G2", "G3_gamma", "G3_ab")


def _check_target(target: object) -> tuple[str, ...]:
    """``"mixed"`` or a group / sequence of groups among ``DYNAMICS_GROUPS`` (the measured ones)."""
    if isinstance(target, str) and target == "mixed":
        return DYNAMICS_GROUPS
    allowed = ["mixed", *DYNAMICS_GROUPS]
    if not isinstance(target, (str, Sequence)):
        raise TypeError(
            f"target must be a string or a sequence of group names among {allowed}, "
            f"got {type(target).__name__}"
        )
    groups = (target,) if isinstance(target, str) else tuple(target)
    if (
        not groups
        or any(g not in DYNAMICS_GROUPS for g in groups)
        or len(set(groups)) != len(groups)
    ):
        hint = (
            (
                " (G3_gamma targets are not supported: learning_curves measures only the spans of "
                "G1, G2 and G3_ab, and a G3_gamma target would leak into them)"
            )
            if "G3_gamma" in groups
            else ""
        )
        raise ValueError(
            f"target must be 'mixed' or one or several distinct groups among "
            f"{list(DYNAMICS_GROUPS)} (allowed: {allowed}), got {target!r}{hint}"
        )
    return groups


def _check_H(H: object, name: str = "H") -> np.ndarray:
    H = check_array(H, name, ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"{name} must be a square m x m matrix, got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12 * max(np.abs(H).max(), 1e-300)):
        raise ValueError(f"{name} must be symmetric (a Hessian)")
    return H


def _check_b(b: object, m: int, name: str = "b") -> np.ndarray:
    b = check_array(b, name, ndim=(1, 2))
    if b.shape[0] != m:
        raise ValueError(
            f"{name} must have m = {m} rows (one per hidden unit), got shape {b.shape}"
        )
    return b


def _check_eta(eta: object, lam_max: float | None = None) -> float:
    """Learning rate: a finite float in (0, inf), and below 2 / lam_max when that is given."""
    eta = check_real(eta, "eta (learning rate)", lo=0.0, lo_open=True, hi_open=True)
    if lam_max is not None and eta * lam_max >= 2.0:
        raise ValueError(
            f"eta (learning rate) must be < 2 / lambda_max(H) = {2.0 / lam_max:.6g} for gradient "
            f"descent to converge, got {eta}"
        )
    return eta


def _check_coefficients(coefficients: object, d: int) -> dict[str, np.ndarray]:
    if not isinstance(coefficients, dict) or not coefficients:
        raise TypeError("coefficients must be a non-empty dict {group: array of coefficients}")
    groups = check_choices(tuple(coefficients), "coefficients (keys)", DYNAMICS_GROUPS)
    out = {}
    for g in groups:
        c = check_array(coefficients[g], f"coefficients[{g!r}]", ndim=1)
        if c.size != group_size(d, g):
            raise ValueError(
                f"coefficients[{g!r}] must have {group_size(d, g)} entries at d = {d}, got {c.size}"
            )
        out[g] = c
    return out


# --------------------------------------------------------------------------- targets


@dataclass(eq=False)
class Target:
    r"""A target :math:`y(x) = \sum_g \sum_{k \in g} c_k F_k(x)` built from the limit functions
    (:func:`companion.random_target`).

    :math:`F_k` are the limits of Theorems 3.1–3.5 (:func:`companion.limit`): :math:`F_0`
    (eq. (6)), :math:`F_l` (eq. (7)) and :math:`F_{\alpha\beta}` (eq. (9)). Calling the target
    evaluates it at inputs; :meth:`moment` is its exact population term. The targets are beyond
    the paper: chapter dynamics.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    coefficients : dict
        ``{group: c}`` with keys among :data:`companion.dynamics.DYNAMICS_GROUPS` and ``c`` a
        finite 1-D array of ``group_size(d, group)`` entries.

    Attributes
    ----------
    d : int
        Input dimension.
    coefficients : dict
        ``{group: c}``, the coefficients :math:`c_k` of each group (checked copies).

    Raises
    ------
    TypeError
        If ``d`` is not an integer or ``coefficients`` not a non-empty dict of arrays of real
        numbers.
    ValueError
        If ``d < 3``, or ``coefficients`` has an unknown or repeated group or an array of the
        wrong size.
    """

    d: int
    coefficients: dict[str, np.ndarray]

    def __post_init__(self):
        self.d = check_d(self.d)
        self.coefficients = _check_coefficients(self.coefficients, self.d)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        r"""The target :math:`y(x_n) = \sum_g \sum_{k \in g} c_k F_k(x_n)` at the inputs ``x``.

        Parameters
        ----------
        x : ndarray of shape (N, d)
            Inputs, one per row, finite.

        Returns
        -------
        y : ndarray of shape (N,)
            :math:`y(x_n)` for each input.

        Raises
        ------
        TypeError
            If ``x`` is not an array of real numbers.
        ValueError
            If ``x`` is not 2-D with ``d`` columns, empty or not finite.
        """
        x = check_array(x, "x", ndim=2)
        if x.shape[1] != self.d:
            raise ValueError(f"x must have d = {self.d} columns, got shape {x.shape}")
        return sum(limit(x, g) @ c for g, c in self.coefficients.items())

    def moment(self, W: np.ndarray) -> np.ndarray:
        r"""The population linear term :math:`b = \mathbb E_x[X(x)\,y(x)]`, exactly:
        :math:`\sum_g \lambda_g V_g c_g`.

        For every finite :math:`m` and every :math:`W`,

        .. math::

           \mathbb E_{x\sim N(0,I_d)}\bigl[X(x)F_0(x)\bigr] = \lambda_0 v^{(0)},\quad
           \mathbb E\bigl[X(x)F_l(x)\bigr] = \tfrac14 v^{(l)},\quad
           \mathbb E\bigl[X(x)F_{\alpha\beta}(x)\bigr] = \lambda_2 v^{(\alpha,\beta)}

        (and hence :math:`\lambda_2 v^{(\gamma)}` for :math:`F_\gamma`), with the exact
        eigenvalues :math:`\lambda_0 = d c_0^2`, :math:`\lambda_2 = c_3^2/(d+2)`: entry :math:`i`
        is an expectation :math:`\mathbb E[\sigma(x^\top w_i)F_k(x)]` that the computations of
        Appendices A–C evaluate with the roles of :math:`x` and :math:`Z` exchanged. So the
        population loss of the target :math:`y` is
        :math:`\frac12 v^\top Jv - b^\top v + \frac12\mathbb E[y^2]` with no Monte Carlo. Here
        :math:`V_g` is the :math:`m \times |g|` matrix of the group's vectors :math:`v^{(k)}`
        (:func:`companion.group_vectors`) and :math:`c_g` its coefficients. Beyond the paper:
        chapter dynamics (the proposition "The population term of a target built from the
        limits").

        Parameters
        ----------
        W : ndarray of shape (d, m)
            Hidden weights, finite, with the target's ``d`` rows and no zero column.

        Returns
        -------
        b : ndarray of shape (m,)
            :math:`\mathbb E_x[X(x)\,y(x)] = \sum_g \lambda_g V_g c_g`.

        Raises
        ------
        TypeError
            If ``W`` is not an array of real numbers.
        ValueError
            If ``W`` is not a finite 2-D array with ``d`` rows and no zero column.
        """
        W = check_W(W, min_d=3)
        if W.shape[0] != self.d:
            raise ValueError(f"W must have d = {self.d} rows, got shape {W.shape}")
        lam = group_eigenvalues(W.shape[0], exact=True)
        return sum(lam[g] * (group_vectors(W, g) @ c) for g, c in self.coefficients.items())


def random_target(
    d: int, target: str | Sequence[str] = "mixed", *, rng: np.random.Generator | int = 0
) -> Target:
    r"""A target :math:`y = \sum_g\sum_{k\in g} c_k F_k` with random coefficients, one unit of
    norm per group.

    For each chosen group the coefficient vector is a uniformly random direction scaled so that
    the group's part of the target has :math:`L^2(N(0,I_d))` norm one:
    :math:`\|\sum_{k\in g} c_k F_k\|^2 = \lambda_g \|c\|^2 = 1`, since the :math:`F_k` of one
    group are orthogonal with squared norm the exact eigenvalue :math:`\lambda_g`
    (:func:`companion.group_eigenvalues` with ``exact=True``). Parts of different groups are
    orthogonal too, so ``"mixed"`` has :math:`\mathbb E[y^2] = 3`. The :math:`F_k` are the limits
    of Theorems 3.1, 3.2 and 3.5 (eqs. (6), (7), (9)); the targets themselves are beyond the
    paper: chapter dynamics.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    target : {"mixed", "G1", "G2", "G3_ab"} or sequence of str, default "mixed"
        ``"mixed"`` is ``("G1", "G2", "G3_ab")``: :math:`F_0`, the :math:`F_l` and the
        :math:`F_{\alpha\beta}` together. A sequence names distinct groups. Only the groups of
        :data:`companion.dynamics.DYNAMICS_GROUPS` are allowed (they are the ones
        :func:`companion.learning_curves` measures; ``"G3_gamma"`` is refused).
    rng : numpy.random.Generator or int, default 0
        Source of randomness, or a seed ``>= 0``: the same seed gives the same coefficients.

    Returns
    -------
    Target
        The target (:class:`companion.dynamics.Target`): called on inputs ``x`` it gives
        :math:`y(x)`, its method ``moment(W)`` the exact :math:`\mathbb E_x[X(x)\,y(x)]`, and
        its ``coefficients`` are ``{group: c}`` for each chosen group, in the order of
        ``target``, with ``c`` of shape ``(group_size(d, group),)`` (1, :math:`d` or
        :math:`d(d-1)/2` entries) and :math:`\lambda_g\|c\|^2 = 1`.

    Raises
    ------
    TypeError
        If ``d`` is not an integer, ``target`` not a string or a sequence of strings, or ``rng``
        neither a generator nor an integer.
    ValueError
        If ``d < 3``, ``target`` names an unknown, unsupported or repeated group, or the seed is
        negative.
    """
    d = check_d(d)
    groups = _check_target(target)
    rng = check_rng(rng)
    lam = group_eigenvalues(d, exact=True)
    out = {}
    for g in groups:
        c = rng.standard_normal(group_size(d, g))
        out[g] = c / (np.linalg.norm(c) * np.sqrt(lam[g]))
    return Target(d, out)


def training_problem(
    W: np.ndarray, x: np.ndarray, y: np.ndarray, *, sizes: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray] | list[tuple[np.ndarray, np.ndarray]]:
    r"""Hessian and linear term of the training loss: :math:`\hat J_N = X^\top X/N`,
    :math:`b_N = X^\top y/N`.

    With :math:`X` the :math:`N \times m` feature matrix (row :math:`n` is
    :math:`X(x_n)^\top`, :func:`companion.features`), the training loss is
    :math:`L_N(v) = \frac{1}{2N}\sum_n (X(x_n)^\top v - y_n)^2
    = \frac12 v^\top \hat J_N v - b_N^\top v + \frac{1}{2N}\sum_n y_n^2`; its Hessian is the
    empirical Fisher information :math:`\hat J_N` at every :math:`v`, the matrix the paper's §1
    compares with :math:`J` ("when the number of data is large enough"). Beyond the paper: chapter
    dynamics. The features are built :math:`4096` inputs at a time (memory
    :math:`O(m^2 + 4096\,m)`).

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights, finite, no zero column, ``m <= 16384`` (an ``m x m`` float64 matrix of at
        most 2 GiB).
    x : ndarray of shape (N, d)
        Training inputs, one per row (a single input of shape ``(d,)`` is one row).
    y : ndarray of shape (N,)
        The targets, one per input.
    sizes : sequence of int, optional
        Return the problems of the first ``N'`` inputs for every ``N'`` in ``sizes``
        (strictly increasing, each in ``[1, N]``), at the cost of the largest one only.

    Returns
    -------
    tuple of ndarray, or list of tuple
        ``(J_hat, b)``: ``J_hat`` of shape (m, m), the symmetric :math:`\hat J_N`, and ``b`` of
        shape (m,), :math:`b_N`. With ``sizes``, a list of these pairs, one per entry of
        ``sizes``.

    Raises
    ------
    TypeError
        If an array is not made of real numbers or an entry of ``sizes`` is not an integer.
    ValueError
        If the shapes do not match (``x`` with ``d`` columns, ``y`` with one entry per input), an
        array is empty or not finite, ``W`` has a zero column, ``m`` is too large, or ``sizes``
        is empty, not increasing or outside ``[1, N]``.
    """
    W = check_W(W)
    check_dense(W.shape[1])
    x = check_x(x, W.shape[0])
    y = check_array(y, "y", ndim=1)
    if y.shape[0] != x.shape[0]:
        raise ValueError(
            f"y must have one target per input (N = {x.shape[0]}), got shape {y.shape}"
        )
    n = x.shape[0]
    if sizes is None:
        stops = [n]
    else:
        stops = [check_int(s, "sizes", minimum=1, maximum=n) for s in sizes]
        if not stops or any(b <= a for a, b in zip(stops, stops[1:], strict=False)):
            raise ValueError(
                f"sizes must be a non-empty increasing sequence of sample sizes <= {n}, "
                f"got {list(sizes)}"
            )
    m = W.shape[1]
    H = np.zeros((m, m))
    b = np.zeros(m)
    out, start = [], 0
    for stop in stops:
        for lo in range(start, stop, _N_BLOCK):
            hi = min(lo + _N_BLOCK, stop)
            X = features(x[lo:hi], W)
            H += X.T @ X
            b += X.T @ y[lo:hi]
        start = stop
        out.append(((H + H.T) / (2.0 * stop), b / stop))
    return out[0] if sizes is None else out


def _lambda_max(H: np.ndarray) -> float:
    r""":math:`\lambda_{\max}(H)` of a checked symmetric ``H`` (:func:`companion.fisher_spectrum`,
    Lanczos): the stability limit :math:`\eta < 2/\lambda_{\max}` of gradient descent."""
    return float(fisher_spectrum(H, top=1, from_weights=False)[0])


# --------------------------------------------------------------------------- gradient descent


@dataclass
class Descent:  # numpydoc ignore=PR01
    r"""The result of :func:`companion.gradient_descent`.

    The iterates of :math:`v_{t+1} = v_t - \eta(Hv_t - b)` and the loss
    :math:`L(v) = \frac12 v^\top Hv - b^\top v` along them (paper §1: the rates of gradient descent
    are set by the eigenvalues of the Hessian). Beyond the paper: chapter dynamics.

    Attributes
    ----------
    trajectory : ndarray of shape (steps + 1, ...)
        The iterates :math:`v_0, \dots, v_T` (``record`` None: shape ``(steps + 1, m)``, or
        ``(steps + 1, m, k)`` for ``k`` right-hand sides), or ``record @ v_t`` (shape
        ``(steps + 1, K)`` or ``(steps + 1, K, k)``).
    loss : ndarray of shape (steps + 1,) (or (steps + 1, k) for k right-hand sides)
        :math:`\tfrac12 v_t^\top H v_t - b^\top v_t`, the loss up to its constant.
    final : ndarray
        The last iterate :math:`v_T`, shaped like ``b``.
    eta : float
        The learning rate :math:`\eta` that was used.
    """

    trajectory: np.ndarray
    loss: np.ndarray
    final: np.ndarray
    eta: float


def gradient_descent(
    H: np.ndarray,
    b: np.ndarray,
    eta: float,
    steps: int,
    *,
    v0: np.ndarray | None = None,
    record: np.ndarray | None = None,
    check_stable: bool = True,
) -> Descent:
    r"""Gradient descent on :math:`L(v) = \frac12 v^\top H v - b^\top v`:
    :math:`v_{t+1} = v_t - \eta(Hv_t - b)`.

    One matrix product per step (``b`` may hold several right-hand sides as columns, run
    together with one BLAS-3 product). The paper's §1 argues that the rate along each
    eigenvector of the Hessian :math:`H` is set by its eigenvalue (each coordinate of the error is
    multiplied by :math:`1-\eta\mu_i` per step, :func:`companion.gd_closed_form`). Beyond the
    paper: chapter dynamics (the proposition "Gradient descent on a quadratic loss").

    Parameters
    ----------
    H : ndarray of shape (m, m)
        The Hessian (:math:`\hat J_N` or :math:`J`), symmetric positive semi-definite.
    b : ndarray of shape (m,) or (m, k)
        The linear term (:math:`b_N` or :math:`\mathbb E_x[y(x)X(x)]`), or ``k`` of them as
        columns.
    eta : float
        Learning rate, :math:`0 < \eta < 2/\lambda_{\max}(H)` (the upper bound is checked unless
        ``check_stable`` is False).
    steps : int
        Number of steps :math:`T \ge 0`.
    v0 : ndarray like ``b``, optional
        Starting point (default 0).
    record : ndarray of shape (K, m), optional
        Store ``record @ v_t`` instead of :math:`v_t` (e.g. ``(H S)^T`` for residual components).
        Without it every iterate is stored, at most 512 MiB.
    check_stable : bool, default True
        Compute :math:`\lambda_{\max}(H)` (:func:`companion.fisher_spectrum` with ``top=1``)
        and refuse :math:`\eta \ge 2/\lambda_{\max}(H)`; False skips this (one Lanczos run)
        when the caller knows ``eta`` is stable.

    Returns
    -------
    Descent
        The stored iterates (or their products with ``record``), the loss at each step, the last
        iterate and ``eta``.

    Raises
    ------
    TypeError
        If an array is not made of real numbers, ``steps`` is not an integer or ``eta`` not a
        real number.
    ValueError
        If ``H`` is not a finite symmetric square matrix, ``b`` or ``v0`` does not have ``m``
        rows (``v0`` not the shape of ``b``), ``record`` does not have ``m`` columns,
        ``steps < 0``, ``eta`` is not in :math:`(0, \infty)` (or, with ``check_stable``,
        :math:`\eta\lambda_{\max}(H) \ge 2`), or the full trajectory would exceed 512 MiB.
    """
    H = _check_H(H)
    m = H.shape[0]
    b = _check_b(b, m)
    steps = check_int(steps, "steps", minimum=0)
    eta = _check_eta(eta, _lambda_max(H) if check_stable else None)
    v = np.zeros_like(b) if v0 is None else _check_b(v0, m, "v0").copy()
    if v.shape != b.shape:
        raise ValueError(f"v0 must have the shape of b {b.shape}, got {v.shape}")
    if record is None:
        need = 8 * (steps + 1) * v.size
        if need > _MAX_TRAJECTORY_BYTES:
            raise ValueError(
                f"steps = {steps}: storing every iterate needs {need / 1024**2:.0f} MiB; "
                "pass record (a K x m matrix) to store record @ v_t only"
            )
        traj = np.empty((steps + 1, *v.shape))
    else:
        record = check_array(record, "record", ndim=2)
        if record.shape[1] != m:
            raise ValueError(f"record must have m = {m} columns, got shape {record.shape}")
        traj = np.empty((steps + 1, record.shape[0], *v.shape[1:]))
    loss = np.empty((steps + 1, *v.shape[1:]))
    for t in range(steps + 1):
        Hv = H @ v
        traj[t] = v if record is None else record @ v
        loss[t] = 0.5 * np.einsum("i...,i...->...", v, Hv) - np.einsum("i...,i...->...", b, v)
        if t < steps:
            Hv -= b
            v -= eta * Hv
    return Descent(trajectory=traj, loss=loss, final=v, eta=eta)


def gd_closed_form(
    H: np.ndarray,
    b: np.ndarray,
    eta: float,
    t: int | Sequence[int],
    *,
    v0: np.ndarray | None = None,
) -> np.ndarray:
    r"""The iterate :math:`v_t` of :func:`companion.gradient_descent` in closed form, from
    :math:`H = U\,\mathrm{diag}(\mu)\,U^\top`.

    .. math::

       v_t = U\Bigl[(1-\eta\mu)^t \odot U^\top v_0
             + \frac{1-(1-\eta\mu)^t}{\mu}\odot U^\top b\Bigr],

    where :math:`\frac{1-(1-\eta\mu)^t}{\mu}` is read as :math:`\eta t` at :math:`\mu = 0`
    (the proposition of the book's chapter "Learning dynamics"; beyond the paper: chapter
    dynamics). The formula holds for every :math:`\eta` and every :math:`b` (also outside the
    range of :math:`H`). Numerically, a rank-deficient :math:`H` has eigenvalues that are zero
    only up to rounding (:math:`|\mu| \sim 10^{-17}`, of either sign); the fraction is therefore
    evaluated as :math:`-\mathrm{expm1}\bigl(t\,\mathrm{log1p}(-\eta\mu)\bigr)/\mu` when
    :math:`|\eta\mu| < \frac12`, which is accurate for small :math:`\mu` and tends to
    :math:`\eta t` continuously as :math:`\mu \to 0`, so those directions grow like
    :math:`\eta t\,u^\top b` exactly as the iteration does.

    Parameters
    ----------
    H : ndarray of shape (m, m)
        The Hessian, a finite symmetric matrix.
    b : ndarray of shape (m,)
        The linear term (a single right-hand side).
    eta : float
        Learning rate, finite and :math:`> 0` (no stability bound: the formula holds for any).
    t : int or sequence of int
        Step number(s), each :math:`\ge 0`.
    v0 : ndarray of shape (m,), optional
        Starting point (default 0).

    Returns
    -------
    ndarray of shape (m,) or (len(t), m)
        :math:`v_t` for an integer ``t``, or one row :math:`v_t` per entry of ``t``.

    Raises
    ------
    TypeError
        If an array is not made of real numbers, ``eta`` is not a real number or an entry of
        ``t`` not an integer.
    ValueError
        If ``H`` is not a finite symmetric square matrix, ``b`` is not a vector of ``m`` entries,
        ``v0`` does not have ``m`` rows, ``eta <= 0`` or not finite, or a step is negative.
    """
    H = _check_H(H)
    m = H.shape[0]
    b = _check_b(b, m)
    if b.ndim != 1:
        raise ValueError(f"b must be a vector of shape ({m},), got shape {b.shape}")
    eta = _check_eta(eta)
    single = np.ndim(t) == 0
    ts = np.array([check_int(s, "t", minimum=0) for s in np.atleast_1d(t).tolist()])
    v0 = np.zeros(m) if v0 is None else _check_b(v0, m, "v0")
    mu, U = np.linalg.eigh(H)
    rho = 1.0 - eta * mu
    T = ts[:, None].astype(float)
    P = rho[None, :] ** T
    x = eta * mu
    near = np.abs(x) < 0.5  # near zero: the expm1/log1p form, continuous at mu = 0
    zero = np.abs(mu) < np.finfo(float).tiny
    with np.errstate(divide="ignore", invalid="ignore"):
        G_near = -np.expm1(T * np.log1p(-np.where(near, x, 0.0))) / np.where(zero, 1.0, mu)
        G_far = (1.0 - P) / np.where(near, 1.0, mu)
    G = np.where(zero, eta * T, np.where(near, G_near, G_far))
    out = (P * (U.T @ v0) + G * (U.T @ b)) @ U.T
    return out[0] if single else out


# --------------------------------------------------------------------------- components and rates


def _group_subspaces(
    H: np.ndarray, W: np.ndarray, groups: Sequence[str] = DYNAMICS_GROUPS, *, rtol: float = 1e-9
) -> dict[str, np.ndarray]:
    r"""Nested :math:`H`-orthonormal bases of the group function spaces, in the order of ``groups``.

    :math:`S_{g_1} = \mathrm{span}\{v^{(k)}: k \in g_1\}`; :math:`S_{g_j}` is the part of
    :math:`\mathrm{span}\{v^{(k)}: k \in g_1\cup\dots\cup g_j\}` orthogonal to
    :math:`S_{g_1}\oplus\dots\oplus S_{g_{j-1}}` in :math:`\langle u, w\rangle_H = u^\top H w`,
    which is the inner product :math:`\langle f_u, f_w\rangle` of the functions in the loss's
    metric (§2.3). A basis :math:`S` returned satisfies :math:`S^\top H S = I`. When :math:`H` is
    rank-deficient (few data) a span may lose dimensions: directions with
    :math:`\langle f, f\rangle_H` below ``rtol`` times the largest are dropped. The vectors
    :math:`v^{(k)}` are those of §2.2 (:func:`companion.group_vectors`); the nested spans are
    beyond the paper: chapter dynamics.

    Parameters
    ----------
    H : ndarray of shape (m, m)
        The Hessian (:math:`\hat J_N` or :math:`J`), finite, symmetric positive semi-definite.
    W : ndarray of shape (d, m)
        The hidden weights that define the group vectors; ``d >= 3``, the ``m`` of ``H``.
    groups : sequence of str, default ``DYNAMICS_GROUPS``
        Distinct groups among ``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``, in the order of
        the hierarchy (a single string is one group).
    rtol : float, default 1e-9
        Relative threshold in :math:`[0, 1)` below which an eigenvalue of the Gram matrix
        :math:`V^\top H V` counts as zero (not checked).

    Returns
    -------
    dict
        ``{group: S}`` with ``S`` of shape ``(m, r)``, ``r`` at most the group's size,
        :math:`S^\top H S = I_r` and :math:`S_g^\top H S_h = 0` for two different groups.

    Raises
    ------
    TypeError
        If ``H`` or ``W`` is not an array of real numbers.
    ValueError
        If ``H`` is not a finite symmetric square matrix, ``W`` has fewer than 3 rows, a zero
        column or not ``m`` columns, or ``groups`` is empty or names an unknown or repeated
        group.
    """
    H = _check_H(H)
    W = check_W(W, min_d=3)
    if W.shape[1] != H.shape[0]:
        raise ValueError(f"W must have m = {H.shape[0]} columns to match H, got shape {W.shape}")
    groups = check_choices(groups, "groups", _SPAN_GROUPS)
    rtol = check_real(rtol, "rtol", lo=0.0, hi=1.0, hi_open=True)
    V = np.hstack([group_vectors(W, g) for g in groups])
    edges = np.cumsum([0] + [group_size(W.shape[0], g) for g in groups])
    HV = H @ V
    gram = V.T @ HV
    out: dict[str, np.ndarray] = {}
    prev = np.zeros((V.shape[0], 0))  # H-orthonormal basis of the spans so far
    top = None
    for g, stop in zip(groups, edges[1:], strict=True):
        w, U = np.linalg.eigh(gram[:stop, :stop])
        top = w[-1] if top is None else max(top, w[-1])
        keep = w > rtol * top
        B = V[:, :stop] @ (
            U[:, keep] / np.sqrt(w[keep])
        )  # H-orthonormal basis of span(V[:, :stop])
        if prev.shape[1]:
            C = B.T @ (H @ prev)  # coordinates of the previous spans in B
            N = (
                scipy.linalg.null_space(C.T, rcond=1e-8)
                if C.shape[0] > C.shape[1]
                else np.zeros((B.shape[1], 0))
            )
            S = B @ N
        else:
            S = B
        out[g] = S
        prev = np.hstack([prev, S])
    return out


def _ritz_values(H: np.ndarray, S: np.ndarray) -> np.ndarray:
    r"""Ritz values of the loss's function-space operator on the span of an
    :math:`H`-orthonormal ``S``.

    Gradient descent multiplies the residual by :math:`I - \eta K` with
    :math:`K f_v = f_{Hv}`; on :math:`\mathrm{span}\{f_s\}` its Rayleigh quotients are
    :math:`\langle f_s, K f_s\rangle = s^\top H^2 s`, so this returns the eigenvalues of
    :math:`S^\top H^2 S` (ascending). They equal :math:`\lambda` for every column if the span is an
    eigenspace of :math:`H` with eigenvalue :math:`\lambda`. With :math:`H = J` they are the
    "Fisher prediction" of a group's rate (paper §1's argument, in the metric of §2.3); beyond the
    paper: chapter dynamics.

    Parameters
    ----------
    H : ndarray of shape (m, m)
        The Hessian, a finite symmetric matrix.
    S : ndarray of shape (m, r)
        A basis with :math:`S^\top H S = I_r` (e.g. a value of
        :func:`_group_subspaces`); ``r = 0`` (an empty array) is allowed.

    Returns
    -------
    ndarray of shape (r,)
        The eigenvalues of :math:`S^\top H^2 S`, ascending.

    Raises
    ------
    TypeError
        If ``H`` or ``S`` is not an array of real numbers.
    ValueError
        If ``H`` is not a finite symmetric square matrix, or ``S`` (when not empty) is not a
        finite 2-D array with ``m`` rows.
    """
    H = _check_H(H)
    S = check_array(S, "S", ndim=2) if np.size(S) else np.zeros((H.shape[0], 0))
    if S.shape[0] != H.shape[0]:
        raise ValueError(f"S must have m = {H.shape[0]} rows, got shape {S.shape}")
    HS = H @ S
    return np.linalg.eigvalsh(HS.T @ HS)


def _norm2(E) -> float:
    """Spectral norm of a symmetric matrix or linear operator (dense for small ones, Lanczos
    otherwise)."""
    if E.shape[0] == 0:
        return 0.0
    if E.shape[0] <= 200 and isinstance(E, np.ndarray):
        return float(np.abs(np.linalg.eigvalsh(E)).max())
    top = scipy.sparse.linalg.eigsh(
        E, k=1, which="LM", return_eigenvectors=False, tol=1e-8, v0=np.ones(E.shape[0])
    )
    return float(np.abs(top[0]))


def _hessian_error(
    H: np.ndarray,
    J: np.ndarray,
    W: np.ndarray,
    groups: Sequence[str] = DYNAMICS_GROUPS,
    *,
    subspaces: dict | None = None,
) -> dict[str, float]:
    r"""How far a Hessian :math:`H` is from :math:`J`: in norm, off :math:`v^{(0)}`, and compressed
    onto each group's span.

    With :math:`E = H - J`, returns the spectral norms

    * ``"total"``: :math:`\|E\|_2`;
    * ``"orthogonal_to_G1"``: :math:`\|PEP\|_2` with :math:`P = I - uu^\top`,
      :math:`u = v^{(0)}/\|v^{(0)}\|` (the error with the top direction removed);
    * one entry per group :math:`g`: :math:`\|Q_g^\top E\,Q_g\|_2`, with :math:`Q_g` a
      (Euclidean) orthonormal basis of the nested span :math:`S_g` of :math:`J`
      (:func:`_group_subspaces` with :math:`H = J`).

    The last is what a group's rate sees to first order: the Ritz values of :math:`H` and
    :math:`J` on :math:`S_g` (eigenvalues of :math:`Q_g^\top H Q_g` and :math:`Q_g^\top J Q_g`)
    differ by at most :math:`\|Q_g^\top E\,Q_g\|_2` (Weyl), however large :math:`\|E\|_2` is.
    It measures the paper's condition (§1) that the Hessian be close to the Fisher information;
    beyond the paper: chapter dynamics.

    Parameters
    ----------
    H, J : ndarray of shape (m, m)
        Symmetric (e.g. :math:`\hat J_N` and :func:`companion.fisher_exact`).
    W : ndarray of shape (d, m)
        The hidden weights of :math:`J` (they define :math:`v^{(0)}` and the group spans);
        ``d >= 3``.
    groups : sequence of str, default ``DYNAMICS_GROUPS``
        Distinct groups among ``"G1"``, ``"G2"``, ``"G3_gamma"``, ``"G3_ab"``, in the order of
        the hierarchy.
    subspaces : dict, optional
        ``group_subspaces(J, W, groups)`` if already computed (it must hold every group of
        ``groups``).

    Returns
    -------
    dict
        ``{"total": ..., "orthogonal_to_G1": ..., group: ...}``, Python floats.

    Raises
    ------
    TypeError
        If ``H``, ``J`` or ``W`` is not an array of real numbers.
    ValueError
        If ``H`` or ``J`` is not a finite symmetric square matrix, their shapes differ, ``W`` has
        fewer than 3 rows, a zero column or not ``m`` columns, or ``groups`` is empty or names
        an unknown or repeated group.
    """
    H = _check_H(H)
    J = _check_H(J, "J")
    if J.shape != H.shape:
        raise ValueError(f"J must have the shape of H {H.shape}, got {J.shape}")
    W = check_W(W, min_d=3)
    if W.shape[1] != H.shape[0]:
        raise ValueError(f"W must have m = {H.shape[0]} columns to match H, got shape {W.shape}")
    groups = check_choices(groups, "groups", _SPAN_GROUPS)
    S = _group_subspaces(J, W, groups) if subspaces is None else subspaces
    E = H - J
    u = group_vectors(W, "G1")[:, 0]
    u = u / np.linalg.norm(u)

    def pep(z):  # P E P z with P = I - u u^T, without forming P E P
        z = z - np.outer(u, u @ z)
        z = E @ z
        return z - np.outer(u, u @ z)

    m = E.shape[0]
    PEP = scipy.sparse.linalg.LinearOperator(
        (m, m), matvec=lambda z: pep(z.reshape(m, -1)).ravel(), matmat=pep, dtype=float
    )
    out = {"total": _norm2(E), "orthogonal_to_G1": _norm2(PEP if m > 200 else pep(np.eye(m)))}
    for g in groups:
        Q = np.linalg.qr(S[g])[0] if S[g].shape[1] else S[g]  # S_g has full column rank
        out[g] = _norm2(Q.T @ (E @ Q))
    return out


def _minimum_loss(H: np.ndarray, b: np.ndarray) -> float:
    r"""The infimum of :math:`\frac12 v^\top Hv - b^\top v` over :math:`v`:
    :math:`-\frac12 b^\top H^+ b`.

    The value gradient descent tends to (for :math:`0 < \eta < 2/\lambda_{\max}`). For the
    training loss add :math:`\frac{1}{2N}\sum_n y_n^2`: the result is the least-squares training
    loss, the smallest any :math:`v` reaches. :math:`H^+` is the pseudo-inverse from
    :func:`numpy.linalg.eigh`, eigenvalues below :math:`10^{-12}\lambda_{\max}` treated as zero;
    ``b`` must lie in the range of :math:`H` (as :math:`b_N = X^\top y/N` does), else the
    loss is unbounded below. Beyond the paper: chapter dynamics.

    Parameters
    ----------
    H : ndarray of shape (m, m)
        A finite symmetric positive semi-definite matrix with a positive eigenvalue.
    b : ndarray of shape (m,)
        The linear term, in the range of ``H`` (to a relative tolerance of :math:`10^{-8}`).

    Returns
    -------
    float
        :math:`-\frac12 b^\top H^+ b \le 0`.

    Raises
    ------
    TypeError
        If ``H`` or ``b`` is not an array of real numbers.
    ValueError
        If ``H`` is not a finite symmetric square matrix, ``b`` is not a vector of ``m`` entries,
        or ``b`` is not in the range of ``H`` (also when ``H`` has no positive eigenvalue).
    """
    H = _check_H(H)
    b = _check_b(b, H.shape[0])
    if b.ndim != 1:
        raise ValueError(f"b must be a vector of shape ({H.shape[0]},), got shape {b.shape}")
    mu, U = np.linalg.eigh(H)
    beta = U.T @ b
    keep = mu > 1e-12 * max(mu[-1], 0.0)
    if mu[-1] <= 0 or np.linalg.norm(beta[~keep]) > 1e-8 * max(np.linalg.norm(b), 1e-300):
        raise ValueError("b must lie in the range of H (else the loss is unbounded below)")
    return float(-0.5 * np.sum(beta[keep] ** 2 / mu[keep]))


def fit_rate(amplitude: np.ndarray, eta: float, *, lo: float = 0.1) -> float:
    r"""Effective eigenvalue :math:`\hat\lambda = (1 - \hat\rho)/\eta` of a decaying component
    :math:`A(t)`.

    :math:`\log\hat\rho` is the least-squares slope of :math:`\log A(t)` against :math:`t` over the
    first steps, while :math:`A(t)/A(0) \ge` ``lo`` (at least the first two), with the line
    through :math:`\log A(0)`: :math:`\log\hat\rho = \sum_t t\log(A(t)/A(0))/\sum_t t^2`. For
    :math:`A(t) = (1-\eta\lambda)^t A(0)` (with :math:`\eta\lambda < 1`, a positive factor per
    step) it returns :math:`\lambda` exactly. It turns the paper's §1 statement that the rates
    follow the eigenvalues into a measurement; beyond the paper: chapter dynamics.

    Parameters
    ----------
    amplitude : ndarray of shape (T + 1,)
        :math:`A(0), \dots, A(T)`, finite, :math:`T \ge 1`, positive at the start.
    eta : float
        The learning rate that produced it, finite and :math:`> 0`.
    lo : float in (0, 1), default 0.1
        End of the fitting window, as a fraction of :math:`A(0)`.

    Returns
    -------
    float
        The effective eigenvalue :math:`\hat\lambda = (1 - \hat\rho)/\eta`.

    Raises
    ------
    TypeError
        If ``amplitude`` is not an array of real numbers or ``eta``, ``lo`` not real numbers.
    ValueError
        If ``amplitude`` is not a finite 1-D array of at least 2 values with ``A(0) > 0`` and
        ``A(1) > 0``, ``eta <= 0`` or not finite, or ``lo`` is not in (0, 1).
    """
    A = check_array(amplitude, "amplitude", ndim=1)
    eta = _check_eta(eta)
    lo = check_real(lo, "lo", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    if A.size < 2 or A[0] <= 0:
        raise ValueError("amplitude must have at least 2 values and a positive start")
    r = A / A[0]
    below = np.nonzero(r < lo)[0]
    stop = max(2, int(below[0]) if below.size else A.size)
    r = r[:stop]
    if np.any(r <= 0):
        stop = max(2, int(np.nonzero(r <= 0)[0][0]))
        r = r[:stop]
        if np.any(r <= 0):
            raise ValueError("amplitude must stay positive over the first two steps")
    t = np.arange(r.size)
    slope = np.sum(t * np.log(r)) / np.sum(t * t)  # through the origin: log r(0) = 0
    return float((1.0 - np.exp(slope)) / eta)


# --------------------------------------------------------------------------- experiments


@dataclass
class LearningCurves:  # numpydoc ignore=PR01
    r"""One gradient-descent run and its measured rates (:func:`companion.learning_curves`).

    The residual components :math:`A_g(t)` and the effective eigenvalues :math:`\hat\lambda_g`
    beside the predictions: the Ritz values of the Hessian and of :math:`J`, and the group
    eigenvalues (exact, and the paper's eq. (5)). The Ritz values of a matrix :math:`H` on a
    group's span are the eigenvalues of :math:`S^\top H^2 S`, for :math:`S` a basis of the span
    with :math:`S^\top H S = I`: the Rayleigh quotients of the loss's operator
    :math:`K f_v = f_{Hv}` there (all equal to :math:`\lambda` if the span is an eigenspace of
    :math:`H` with eigenvalue :math:`\lambda`). The experiment behind the paper's §1 claim that
    gradient descent learns the groups at rates :math:`\frac{2d+1}{4\pi} : \frac14 :
    \frac{1}{2\pi(d+2)}`; beyond the paper: chapter dynamics.

    Attributes
    ----------
    d, m : int
        Input dimension and number of hidden units.
    n_train : int or None
        Number of training inputs (None: the population loss, Hessian :math:`J`).
    eta : float
        The learning rate, :math:`\eta = 1/(2\lambda_{\max}(H))` unless given.
    lambda_max : float
        :math:`\lambda_{\max}(H)`.
    steps : ndarray of shape (T + 1,)
        The step numbers :math:`0, 1, \dots, T`.
    components : dict
        ``{group: A_g(t)}``, the norm of the residual's projection on the group's (nested) span,
        an ndarray of shape (T + 1,).
    loss : ndarray of shape (T + 1,)
        The loss :math:`L(v_t)` (training loss, or population loss for ``n_train`` None).
    measured : dict
        ``{group: effective eigenvalue}`` from :func:`companion.fit_rate` (NaN when the group's
        component starts at zero, below :math:`10^{-8}` of the largest).
    hessian : dict
        ``{group: mean Ritz value of H}``: the rate the *actual* Hessian predicts.
    fisher : dict
        ``{group: mean Ritz value of J}``: the Fisher prediction at this :math:`W` (§1's argument).
    hessian_range : dict
        ``{group: (smallest, largest) Ritz value of H}``.
    weighted : dict
        ``{group: mean Ritz value of H weighted by the starting residual}``:
        :math:`\sum_i z_i^2\mu_i / \sum_i z_i^2`, with :math:`\mu_i` the Ritz values of
        :math:`H` on the group's span and :math:`z_i` the coordinates of the residual at
        :math:`t = 0` (the target's part in that span, as :math:`v_0 = 0`) along the Ritz
        vectors. If the span is invariant under :math:`H`,
        :math:`A_g(t)^2 = \sum_i z_i^2(1-\eta\mu_i)^{2t}`, so this is the decay rate at the
        start of the run; it can lie on either side of the plain mean (``hessian``).
    exact, paper : dict
        The group eigenvalues as :math:`m\to\infty`: exact and the paper's (eq. (5)).
    dims : dict
        ``{group: dimension of the span}`` (smaller than the group's size when data are few).
    loss_min : float
        The smallest value of the loss over all :math:`v`, :math:`c - \frac12 b^\top H^+ b`
        (:math:`H^+` the pseudo-inverse), where gradient descent ends after infinitely many
        steps. Computed on first access (one eigendecomposition of :math:`H`).
    problem : tuple
        ``(H, b, c)``: the loss that was minimised, :math:`\frac12 v^\top Hv - b^\top v + c`.
    coefficients : dict
        The target's coefficients ``{group: c}`` (as in :func:`companion.random_target`).
    """

    d: int
    m: int
    n_train: int | None
    eta: float
    lambda_max: float
    steps: np.ndarray
    components: dict
    loss: np.ndarray
    measured: dict
    hessian: dict
    fisher: dict
    hessian_range: dict
    weighted: dict
    exact: dict
    paper: dict
    dims: dict
    problem: tuple = field(repr=False, compare=False)
    coefficients: dict = field(repr=False)

    @functools.cached_property
    def loss_min(self) -> float:
        H, b, c = self.problem
        return c + _minimum_loss(H, b)

    def ratios(self, which: str = "measured") -> dict[str, float]:
        r"""The rates of ``which`` divided by that of G2.

        Parameters
        ----------
        which : {"measured", "hessian", "fisher", "weighted", "exact", "paper"}, default "measured"
            The attribute whose rates are compared.

        Returns
        -------
        dict
            ``{group: rate / rate of "G2"}`` for every measured group (G2 gives 1).
        """
        vals = getattr(self, which)
        return {g: vals[g] / vals["G2"] for g in self.measured}


def _fisher_prediction(J, S_J, groups):
    """``{group: mean Ritz value of J on its span}``: the Fisher prediction (§1's argument)."""
    return {g: float(_ritz_values(J, S_J[g]).mean()) for g in groups}


def _run(H, b, W, J, groups, eta, steps, c_half_y2, lo, fisher=None):
    lam_max = _lambda_max(H)
    eta = 1.0 / (2.0 * lam_max) if eta is None else _check_eta(eta, lam_max)
    S = _group_subspaces(H, W, groups)
    if fisher is None:  # the same for every H: callers with several H pass it in
        fisher = _fisher_prediction(J, S if J is H else _group_subspaces(J, W, groups), groups)
    HS = {g: H @ S[g] for g in groups}
    record = np.vstack([HS[g].T for g in groups])
    run = gradient_descent(H, b, eta, steps, record=record, check_stable=False)
    comps, z0, start = {}, {}, 0
    for g in groups:
        k = S[g].shape[1]
        coords = (S[g].T @ b)[None, :] - run.trajectory[:, start : start + k]
        comps[g] = np.linalg.norm(coords, axis=1)
        z0[g] = coords[0]
        start += k
    measured, hess, rng_, weighted = {}, {}, {}, {}
    for g in groups:
        rz, U = np.linalg.eigh(HS[g].T @ HS[g])  # the Ritz values (_ritz_values) and vectors
        hess[g] = float(rz.mean()) if rz.size else float("nan")
        zz = (U.T @ z0[g]) ** 2
        weighted[g] = float(zz @ rz / zz.sum()) if rz.size and zz.sum() > 0 else float("nan")
        rng_[g] = (float(rz.min()), float(rz.max())) if rz.size else (float("nan"),) * 2
        A = comps[g]
        measured[g] = (
            fit_rate(A, eta, lo=lo)
            if A[0] > 1e-8 * max(a[0] for a in comps.values())
            else float("nan")
        )
    return dict(
        eta=eta,
        lambda_max=lam_max,
        components=comps,
        loss=run.loss + c_half_y2,
        measured=measured,
        hessian=hess,
        fisher=dict(fisher),
        hessian_range=rng_,
        weighted=weighted,
        dims={g: S[g].shape[1] for g in groups},
    )


@dataclass
class _Setup:
    r"""The problem :func:`learning_curves` and :func:`rates_vs_samples` share (built by
    :func:`_setup`).

    ``W``, the target ``y`` (a :class:`Target`), the exact group eigenvalues ``lam``, the Fisher
    matrix ``J`` (the population Hessian), ``half_pop`` :math:`= \frac12\mathbb E[y^2] =
    \frac12\sum_g \lambda_g\|c_g\|^2` (the population loss's constant; the groups' parts are
    orthogonal), the label ``noise`` and the generator ``rng`` of the training data.
    """

    d: int
    m: int
    W: np.ndarray
    y: Target
    lam: dict
    J: np.ndarray
    half_pop: float
    noise: float
    rng: np.random.Generator

    def sample(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        r"""``n`` Gaussian inputs and their targets
        :math:`y_n = y(x_n) + \text{noise}\cdot\epsilon_n`."""
        x = sample_inputs(self.d, n, self.rng)
        return x, self.y(x) + self.noise * self.rng.standard_normal(n)


def _setup(d, m, target, seed, coefficients, noise=0.0) -> _Setup:
    """Check the shared parameters, then draw ``W`` and the target from ``seed`` and build ``J``."""
    d = check_d(d)
    _check_target(target)
    m = check_int(m, "m", minimum=2)
    check_dense(m)
    seed = check_int(seed, "seed", minimum=0)
    noise = check_real(noise, "noise", lo=0.0, hi_open=True)
    y = None if coefficients is None else Target(d, coefficients)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, d, m]).spawn(3)]
    W = sample_weights(d, m, rngs[0])
    if y is None:
        y = random_target(d, target, rng=rngs[1])
    lam = group_eigenvalues(d, exact=True)
    half_pop = 0.5 * sum(lam[g] * float(c @ c) for g, c in y.coefficients.items())
    return _Setup(
        d=d,
        m=m,
        W=W,
        y=y,
        lam=lam,
        J=fisher_exact(W),
        half_pop=half_pop,
        noise=noise,
        rng=rngs[2],
    )


def learning_curves(
    d: int,
    m: int,
    *,
    n_train: int | None = None,
    target: str | Sequence[str] = "mixed",
    coefficients: dict | None = None,
    eta: float | None = None,
    steps: int = 800,
    noise: float = 0.0,
    rng: int | np.random.Generator = 0,
    lo: float = 0.1,
) -> LearningCurves:
    r"""Train :math:`v` by gradient descent on a target built from
    :math:`F_0, F_l, F_{\alpha\beta}` and measure the rates.

    Draws :math:`W` (``d x m``) and the target's coefficients from ``seed``; builds the population
    loss (``n_train`` None: Hessian :math:`J`, :func:`companion.fisher_exact`, linear term
    :meth:`companion.dynamics.Target.moment`) or the training loss on ``n_train`` Gaussian
    inputs with targets :math:`y_n = y(x_n) + \text{noise}\cdot\epsilon_n`
    (:func:`companion.training_problem`);
    runs :func:`companion.gradient_descent` from :math:`v_0 = 0` with
    :math:`\eta = 1/(2\lambda_{\max}(H))` (or the given ``eta``); and measures each group's
    residual component :math:`A_g(t) = \|\Pi_{S_g} r_t\|` in the loss's own inner product
    :math:`\langle f_u, f_w\rangle = u^\top H w` (:math:`S_g` the span of the group's functions
    :math:`f_{v^{(k)}}` with the spans of the groups before it projected out, in the order of
    the hierarchy G1, G2, G3) and its effective eigenvalue :math:`\hat\lambda_g`
    (:func:`companion.fit_rate`). Groups absent from the target are still measured when their
    component is not zero (with few data, other groups' residual leaks into them). This is the
    experiment behind the paper's §1 claim (rates in the ratio
    :math:`\frac{2d+1}{4\pi} : \frac14 : \frac{1}{2\pi(d+2)}`); beyond the paper: chapter dynamics.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Number of hidden units, ``2 <= m <= 16384`` (one dense ``m x m`` matrix).
    n_train : int, optional
        Number of training inputs, ``>= 1``; None for the population loss.
    target : {"mixed", "G1", "G2", "G3_ab"} or sequence of str, default "mixed"
        See :func:`companion.random_target` (not used, but still checked, if
        ``coefficients`` is given).
    coefficients : dict, optional
        Explicit target coefficients ``{group: c}`` (keys among
        :data:`companion.dynamics.DYNAMICS_GROUPS`, ``c`` of ``group_size(d, group)`` entries).
    eta : float, optional
        Learning rate, ``0 < eta < 2 / lambda_max(H)``; default ``1 / (2 lambda_max(H))``.
    steps : int, default 800
        Number of gradient steps, ``>= 2``.
    noise : float, default 0.0
        Standard deviation of Gaussian label noise, finite and ``>= 0`` (training loss only).
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0`` (or a Generator that one is drawn from) of :math:`W`, of the
        target's coefficients and of the training data (one generator each, spawned from
        ``(seed, d, m)``).
    lo : float in (0, 1), default 0.1
        Window of :func:`companion.fit_rate`.

    Returns
    -------
    LearningCurves
        The curves :math:`A_g(t)`, the loss, the measured rates and the predictions.

    Raises
    ------
    TypeError
        If an integer parameter is not an integer, a real one not a real number, ``target`` not
        a string or sequence of strings, or ``coefficients`` not a non-empty dict.
    ValueError
        If a parameter is outside its range above, ``target`` or ``coefficients`` names an
        unknown, unsupported or repeated group, an array of ``coefficients`` has the wrong size,
        or ``eta`` is not below :math:`2/\lambda_{\max}(H)`.
    """
    seed = check_seed(rng)
    steps = check_int(steps, "steps", minimum=2)
    if n_train is not None:
        n_train = check_int(n_train, "n_train", minimum=1)
    p = _setup(d, m, target, seed, coefficients, noise)
    if n_train is None:
        H, b, half_y2 = p.J, p.y.moment(p.W), p.half_pop
    else:
        x, y = p.sample(n_train)
        H, b = training_problem(p.W, x, y)
        half_y2 = 0.5 * float(y @ y) / n_train
    res = _run(H, b, p.W, p.J, DYNAMICS_GROUPS, eta, steps, half_y2, lo)
    return LearningCurves(
        d=p.d,
        m=p.m,
        n_train=n_train,
        steps=np.arange(steps + 1),
        exact=p.lam,
        paper=group_eigenvalues(p.d),
        coefficients=p.y.coefficients,
        problem=(H, b, half_y2),
        **res,
    )


def rates_vs_samples(
    d: int,
    m: int,
    sizes: Sequence[int],
    *,
    target: str | Sequence[str] = "mixed",
    steps: int = 800,
    noise: float = 0.0,
    rng: int | np.random.Generator = 0,
    lo: float = 0.1,
):
    r"""Measured rates against the number of training inputs :math:`N`, and the population run.

    One :math:`W`, one target and one sample of ``max(sizes)`` inputs (seeded); the training
    problem of the first :math:`N` inputs for each :math:`N` in ``sizes`` (nested samples,
    :func:`companion.training_problem`), each trained as in :func:`companion.learning_curves`
    (with its own :math:`\eta = 1/(2\lambda_{\max}(\hat J_N))`), plus the population loss
    (:math:`N = \infty`). The Fisher prediction is the mean Ritz value of :math:`J` on each group
    (the same for every row; the spans of :math:`J` are computed once). It tests the paper's §1
    condition that the Hessian be close to :math:`J` ("the number of data is large enough compared
    to the number of parameters"); beyond the paper: chapter dynamics.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Number of hidden units, ``2 <= m <= 16384`` (one dense ``m x m`` matrix).
    sizes : sequence of int
        Distinct sample sizes :math:`N \ge 1`, in any order (the rows are sorted).
    target : {"mixed", "G1", "G2", "G3_ab"} or sequence of str, default "mixed"
        See :func:`companion.random_target`.
    steps : int, default 800
        Number of gradient steps of each run, ``>= 2``.
    noise : float, default 0.0
        Standard deviation of Gaussian label noise, finite and ``>= 0`` (training losses only).
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0`` (or a Generator that one is drawn from) of :math:`W`, of the
        target and of the inputs.
    lo : float in (0, 1), default 0.1
        Window of :func:`companion.fit_rate`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(N, group)`` (``N = inf`` for the population row, last), with columns
        ``measured`` (effective eigenvalue), ``hessian`` and ``hessian_lo``/``hessian_hi`` (mean,
        smallest and largest Ritz value of :math:`\hat J_N` on the group), ``fisher``, ``exact``,
        ``dim`` (dimension of the group's span), ``vs_fisher`` (``measured / fisher - 1``),
        ``hessian_gap`` (:math:`\|\hat J_N - J\|_2 / \|J\|_2`), ``gap_off_G1`` (the same
        with the direction :math:`v^{(0)}` projected out, :math:`\|P(\hat J_N - J)P\|_2/\|J\|_2`),
        ``span_gap`` (the error compressed onto the group's span of :math:`J`,
        :math:`\|Q_g^\top(\hat J_N - J)Q_g\|_2` with :math:`Q_g` an orthonormal basis of that
        span, divided by the group's exact eigenvalue) and ``vs_population`` (``measured`` over
        the population row's ``measured``, minus 1). ``attrs`` holds ``d``, ``m``, ``steps`` and
        ``lambda_max`` (:math:`\|J\|_2`).

    Raises
    ------
    TypeError
        If an integer parameter (or an entry of ``sizes``) is not an integer, ``noise`` or ``lo``
        not a real number, or ``target`` not a string or sequence of strings.
    ValueError
        If a parameter is outside its range above, ``sizes`` is empty or repeats a size, or
        ``target`` names an unknown, unsupported or repeated group.
    """
    seed = check_seed(rng)
    import pandas as pd

    steps = check_int(steps, "steps", minimum=2)
    ns = sorted(check_int(n, "sizes", minimum=1) for n in sizes)
    if not ns or len(set(ns)) != len(ns):
        raise ValueError(f"sizes must list distinct sample sizes >= 1, got {list(sizes)}")
    p = _setup(d, m, target, seed, None, noise)
    d, m, W, J, lam = p.d, p.m, p.W, p.J, p.lam
    groups = DYNAMICS_GROUPS
    problems = training_problem(W, *p.sample(ns[-1]), sizes=ns)
    normJ = _lambda_max(J)
    S_J = _group_subspaces(J, W, groups)  # once: the same for every N
    fisher = _fisher_prediction(J, S_J, groups)
    records = []
    for n, (H, b) in [*zip(ns, problems, strict=True), (np.inf, (J, p.y.moment(W)))]:
        # the loss's constant is not reported here: the population one serves every row
        res = _run(H, b, W, J, groups, None, steps, p.half_pop, lo, fisher=fisher)
        err = dict.fromkeys(["total", "orthogonal_to_G1", *groups], 0.0)
        if H is not J:
            err = _hessian_error(H, J, W, groups, subspaces=S_J)
        for g in groups:
            records.append(
                dict(
                    N=n,
                    group=g,
                    measured=res["measured"][g],
                    hessian=res["hessian"][g],
                    hessian_lo=res["hessian_range"][g][0],
                    hessian_hi=res["hessian_range"][g][1],
                    fisher=res["fisher"][g],
                    exact=lam[g],
                    dim=res["dims"][g],
                    vs_fisher=res["measured"][g] / res["fisher"][g] - 1.0,
                    hessian_gap=err["total"] / normJ,
                    gap_off_G1=err["orthogonal_to_G1"] / normJ,
                    span_gap=err[g] / lam[g],
                )
            )
    frame = pd.DataFrame.from_records(records).set_index(["N", "group"])
    population = frame.xs(np.inf, level="N")["measured"]
    per_row = population.reindex(frame.index.get_level_values("group")).to_numpy()
    frame["vs_population"] = frame["measured"] / per_row - 1.0
    frame.attrs.update(d=d, m=m, steps=steps, lambda_max=normJ)
    return frame
