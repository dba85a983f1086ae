r"""Finite width: how far a network of width :math:`m` is from the limits, and from which
:math:`m` the asymptotic picture is useful (a chapter beyond the paper).

The error of a basis function against its limit is a mean of :math:`m` independent terms, so
by the central limit theorem its mean square is exactly :math:`C_g/m` and its MAE close to
:math:`\sqrt{2C_g/(\pi m)}` (:func:`clt_mae`). The study (:func:`finite_width_study`) measures
both over a grid of widths with the same draws as Table 1; its result fits the exponent of
:math:`m` (:meth:`FiniteWidthStudy.width_exponents`) and finds the width where the relative
error crosses a threshold (:meth:`FiniteWidthStudy.crossing_widths`). :func:`spectral_resolution`
follows the spectrum's clusters as :math:`m` grows, and :func:`first_width` reads off the width
from which a measured criterion holds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from . import _compute
from ._validate import (
    check_array,
    check_choice,
    check_choices,
    check_d,
    check_int,
    check_real,
    check_seed,
)
from .eigengroups import (
    GROUPS,
    cluster_labels,
    cluster_means,
    group_eigenvalues,
    group_vectors,
    rayleigh_quotients,
)
from .fisher import fisher_exact, fisher_spectrum, sample_weights
from .simulations import fit_slope, member_mae

__all__ = [
    "limit_norm2",
    "clt_mae",
    "clt_crossing_width",
    "clt_term_cumulants",
    "finite_width_study",
    "spectral_resolution",
    "first_width",
]

#: Largest width :func:`spectral_resolution` diagonalises (a dense m x m eigenproblem).
_SPECTRAL_MAX_M = 8000


def _check_widths(m, name: str = "m") -> np.ndarray:
    """One width or a 1-d sequence of widths, each an integer >= 1, as an int array."""
    if np.ndim(m) == 0:
        return np.array(check_int(m.item() if isinstance(m, np.generic) else m, name))
    if np.ndim(m) != 1 or len(m) == 0:
        raise ValueError(f"{name} must be a positive integer or a non-empty 1-d sequence of them")
    return np.array([check_int(v.item() if isinstance(v, np.generic) else v, name) for v in m])


def _check_threshold(threshold: float, name: str = "threshold") -> float:
    """A relative error in (0, 10] (:func:`companion._validate.check_real`)."""
    return check_real(threshold, name, lo=0, hi=10, lo_open=True)


def _vector_norm2(d: int, group: str) -> float:
    """Expected squared norm E[g(z)^2] of a member: 1, except 1 - 1/d for G3_tilde."""
    return 1.0 - 1.0 / d if group == "G3_tilde" else 1.0


def limit_norm2(d: int, group: str) -> float:
    r"""The squared norm :math:`\mathbb E_x[F(x)^2]` of one member's limit
    (exact, :math:`m \to \infty`).

    :math:`\lambda_0`, :math:`\tfrac14`, :math:`\lambda_2`, :math:`\lambda_2` for G1, G2,
    G3 :math:`v^{(\gamma)}`, G3 :math:`v^{(\alpha,\beta)}` (the exact group eigenvalues of
    :func:`companion.group_eigenvalues`), and :math:`(1 - 1/d)\,\lambda_2` for Lemma 3.3's
    :math:`\tilde F_\gamma`, whose vectors :math:`\tilde v^{(\gamma)}` have squared norm
    :math:`1 - 1/d` instead of 1 (:math:`\operatorname{Var}(u_\gamma^2) = 2(d-1)/(d^2(d+2))`
    for :math:`u` uniform on the sphere).

    These are the squared norms the paper computes after Theorem 3.5 (§3) to recover the
    eigenvalues of (5), here exact (no approximation of :math:`B(d/2, 1/2)`); the value for
    :math:`\tilde F_\gamma` is beyond the paper (chapter finite_width).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group of the member (every member of a group has the same value).

    Returns
    -------
    float
        :math:`\mathbb E_{x \sim N(0, I_d)}[F(x)^2] = n_g\lambda_g`, with :math:`n_g = 1`,
        or :math:`1 - 1/d` for ``"G3_tilde"``.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3`` or ``group`` is unknown.
    """
    d = check_d(d)
    lam = group_eigenvalues(d, exact=True)[check_choice(group, "group", GROUPS)]
    return float(_vector_norm2(d, group) * lam)


def clt_mae(d: int, m, group: str = "G2", *, kind: str = "mae"):
    r"""The error of one member at width :math:`m` by the central limit theorem: its MAE
    (approximate), or with ``kind="mse"`` its mean squared error (exact).

    **The mean squared error.** Every entry of a group vector is :math:`v_i = h(w_i)` with
    :math:`h` positively homogeneous of degree one, so with :math:`w_i = z_i/\sqrt m`,
    :math:`z_i \sim N(0, I_d)`, :math:`X(x)^\top v = \frac1m\sum_{i=1}^m \sigma(x^\top z_i)\,h(z_i)`
    is a mean of :math:`m` iid terms whose expectation is the limit :math:`F(x)` (the law of
    large numbers identifies the limits of Theorems 3.1–3.5 with it). Hence, with
    :math:`\mathbb E[h(z)^2] = n_g` (1, or :math:`1 - 1/d` for :math:`\tilde v^{(\gamma)}`),
    :math:`\mathbb E_x\sigma(x^\top z)^2 = \|z\|^2/2` and
    :math:`\mathbb E[\|z\|^2 h(z)^2] = (d+2)\,n_g`,

    .. math::

       \mathbb E_{W,x}\bigl[(X(x)^\top v - F(x))^2\bigr]
       = \frac{C_g(d)}{m}, \qquad C_g(d) = n_g\Bigl(\frac{d+2}{2} - \lambda_g\Bigr),

    for **every** :math:`m \ge 1`, not only asymptotically (:math:`\lambda_g` the exact group
    eigenvalue, :func:`companion.group_eigenvalues` with ``exact=True``).

    **The MAE** (the book's eq. ``simulations-eq-clt``). The error at one input is a mean of
    :math:`m` iid terms, hence close to :math:`N(0, s_x^2)`, and
    :math:`\mathbb E|N(0, s^2)| = s\sqrt{2/\pi}`; replacing :math:`\mathbb E_x s_x` by
    :math:`(\mathbb E_x s_x^2)^{1/2}` gives

    .. math::

       \mathrm{MAE} \approx \sqrt{\frac2\pi}\,\sqrt{\frac{C_g(d)}{m}}.

    Two approximations remain: the Gaussian shape (corrections of order :math:`1/m`, the factor
    :math:`1 - (\kappa_4 - \kappa_3^2)/(24m)` of an Edgeworth expansion, with :math:`\kappa_3`,
    :math:`\kappa_4` the skewness and excess kurtosis of one term,
    :func:`companion.clt_term_cumulants`) and Jensen's step over the inputs (an overestimate, of
    relative size about :math:`1/(4d)` when :math:`s_x \propto \|x\|`).

    The paper proves the convergence in probability (Theorems 3.1–3.5, Lemma 3.3); this is its
    exact rate in mean square, and a prediction of the paper's Table 1 (§4.2): beyond the paper
    (chapters simulations and finite_width).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    m : int or sequence of int
        Width(s), each ``>= 1`` (a non-empty 1-d sequence).
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group of the member (every member of a group has the same value).
    kind : {"mae", "mse"}, default "mae"
        The predicted MAE, or the exact mean squared error.

    Returns
    -------
    float or ndarray
        :math:`\sqrt{2C_g(d)/(\pi m)}` (``"mae"``) or :math:`C_g(d)/m` (``"mse"``), shaped
        like ``m``.

    Raises
    ------
    TypeError
        If ``d`` or a width is not an integer.
    ValueError
        If ``d < 3``, a width is below 1 or ``m`` is an empty or nested sequence, or
        ``group`` or ``kind`` is unknown.
    """
    d = check_d(d)
    group = check_choice(group, "group", GROUPS)
    kind = check_choice(kind, "kind", ("mae", "mse"))
    ms = _check_widths(m)
    lam = group_eigenvalues(d, exact=True)[group]
    out = _vector_norm2(d, group) * ((d + 2) / 2 - lam) / ms
    if kind == "mae":
        out = np.sqrt(2 / np.pi * out)
    return float(out) if out.ndim == 0 else out


def clt_crossing_width(d: int, group: str, threshold: float = 0.1) -> float:
    r"""Predicted width at which the relative error MAE / RMS(F) falls to ``threshold``.

    With :func:`clt_mae` and :math:`\mathrm{RMS}(F) = (\mathbb E F^2)^{1/2}` (:func:`limit_norm2`),
    the relative error is :math:`\sqrt{2 C_g/(\pi m\, n_g\lambda_g)}`, so it crosses
    :math:`\varepsilon` at

    .. math::

       m^*(d) = \frac{2}{\pi\varepsilon^2}\,\frac{(d+2)/2 - \lambda_g}{\lambda_g},

    about :math:`\tfrac{2}{\pi\varepsilon^2}\bigl(\pi - 1\bigr)` for G1 at large :math:`d` (the
    limit of :math:`(d+2)/(2\lambda_0) - 1` with :math:`\lambda_0 \approx (2d+1)/(4\pi)`; at
    small :math:`d` the exact value is larger, e.g. about 190 against 136 at :math:`d = 5`,
    :math:`\varepsilon = 0.1`), :math:`\tfrac{4}{\pi\varepsilon^2}(d + \tfrac32)` for G2 and
    :math:`\tfrac{2}{\varepsilon^2}(d+2)^2` for the third group.

    Beyond the paper: chapter finite_width.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group of the member (every member of a group has the same value).
    threshold : float, default 0.1
        The relative error :math:`\varepsilon`, in (0, 10].

    Returns
    -------
    float
        The predicted width :math:`m^*(d)` (a real number, not rounded; below 1 when the
        error is below :math:`\varepsilon` at every width).

    Raises
    ------
    TypeError
        If ``d`` is not an integer or ``threshold`` not a real number.
    ValueError
        If ``d < 3``, ``group`` is unknown or ``threshold`` is outside (0, 10].
    """
    d = check_d(d)
    group = check_choice(group, "group", GROUPS)
    eps = _check_threshold(threshold)
    return float(2 / (np.pi * eps**2) * clt_mae(d, 1, group, kind="mse") / limit_norm2(d, group))


def clt_term_cumulants(group: str) -> dict[str, float]:
    r"""Skewness and excess kurtosis of one term of :math:`X(x)^\top v - F(x)`, at large :math:`d`.

    Given :math:`x`, the error is the mean of :math:`m` iid terms
    :math:`t = \sigma(x^\top z)\,g(z) - F(x)` (:func:`clt_mae`). For :math:`\lVert x\rVert`
    scaled to 1 and large :math:`d`, :math:`u = x^\top z` and the coordinates of :math:`z` in
    :math:`g` are nearly independent standard normals, and the term becomes

    * G1: :math:`\sigma(u) - \mathbb E\sigma(u)` (:math:`g(z) = \lVert z\rVert/\sqrt d \approx 1`);
    * G2: :math:`\sigma(u)\,z_l` (mean :math:`\approx 0`);
    * G3_ab: :math:`\sigma(u)\,z_\alpha z_\beta` (mean :math:`\approx 0`),

    whose cumulants follow from the ReLU moments :math:`\mathbb E\sigma(u)^k =
    2^{k/2}\Gamma(\tfrac{k+1}2)/(2\sqrt\pi)` and :math:`\mathbb E z^4 = 3`. The factor of an
    Edgeworth expansion of :math:`\mathbb E|{\rm mean}|` relative to the Gaussian
    :math:`\sqrt{2/\pi}\,s` is :math:`1 - (\kappa_4 - \kappa_3^2)/(24m) + O(m^{-2})`, with
    :math:`\kappa_3` the skewness and :math:`\kappa_4` the excess kurtosis returned here.
    At finite :math:`d` the fluctuation of :math:`g` adds tail weight: for G1 a Monte Carlo of the
    exact term (with :math:`\lVert x\rVert = \sqrt d`) gives :math:`\kappa_3 \approx 1.7`,
    :math:`\kappa_4 \approx 2.9` at :math:`d = 100` and :math:`\kappa_3 \approx 2.7`,
    :math:`\kappa_4 \approx 10.3` at :math:`d = 5`, so :math:`\kappa_4 - \kappa_3^2` stays a few
    units at most (a correction of order :math:`10^{-3}` at :math:`m = 100`).

    Beyond the paper: chapter finite_width (the accuracy of :func:`companion.clt_mae`).

    Parameters
    ----------
    group : {"G1", "G2", "G3_ab"}
        The group of the term (only these three are covered).

    Returns
    -------
    dict
        ``"skewness"`` (:math:`\kappa_3`), ``"excess_kurtosis"`` (:math:`\kappa_4`) and
        ``"edgeworth"`` (:math:`\kappa_4 - \kappa_3^2`, the coefficient of :math:`-1/(24m)`).

    Raises
    ------
    ValueError
        If ``group`` is not one of the three above.
    """
    from scipy.special import gamma

    check_choice(group, "group", ("G1", "G2", "G3_ab"))
    mom = {k: 2 ** (k / 2) * gamma((k + 1) / 2) / (2 * np.sqrt(np.pi)) for k in (1, 2, 3, 4)}
    if group == "G1":
        m1 = mom[1]
        var = mom[2] - m1**2
        mu3 = mom[3] - 3 * m1 * mom[2] + 2 * m1**3
        mu4 = mom[4] - 4 * m1 * mom[3] + 6 * m1**2 * mom[2] - 3 * m1**4
        k3, k4 = mu3 / var**1.5, mu4 / var**2 - 3
    else:  # sigma(u) times a symmetric product of standard normals: no skewness
        z4 = 3.0 if group == "G2" else 9.0
        k3, k4 = 0.0, mom[4] * z4 / mom[2] ** 2 - 3
    return {"skewness": float(k3), "excess_kurtosis": float(k4), "edgeworth": float(k4 - k3**2)}


def first_width(values, ms, tol: float, *, above: bool = False, interpolate: bool = False) -> float:
    r"""The first width of a grid at which a measured quantity meets the level ``tol``.

    Two readings of a quantity measured on a grid of increasing widths :math:`m_1 < \dots < m_n`
    (beyond the paper: chapters finite_width and dynamics):

    * by default, the first grid width from which the criterion ``|values| <= tol`` (or
      ``values >= tol`` with ``above=True``) holds at every larger width of the grid: for a
      column of :func:`spectral_resolution`, or a rate's relative error in
      :func:`companion.rates_vs_samples`;
    * with ``interpolate=True``, the width :math:`m^*` at which a positive, decreasing error
      curve :math:`e_k` first falls to :math:`\varepsilon` = ``tol``, between the grid points:
      :math:`\log e` is interpolated linearly in :math:`\log m` between the last grid point
      above the level and the next one (exact for a power law between the two). With
      :math:`k` the first grid point where :math:`e_k \le \varepsilon`,

      .. math::

         \log m^* = \log m_{k-1} + (\log\varepsilon - \log e_{k-1})
         \frac{\log m_k - \log m_{k-1}}{\log e_k - \log e_{k-1}}

      (the measured crossings of
      :meth:`companion.finite_width.FiniteWidthStudy.crossing_widths`).

    Parameters
    ----------
    values : array_like of shape (n,)
        The measured quantity at each width, finite (positive with ``interpolate``).
    ms : array_like of shape (n,)
        The widths, increasing (positive, and ``n >= 2``, with ``interpolate``).
    tol : float
        The level of the criterion, in (0, 10].
    above : bool, default False
        Require ``values >= tol`` instead of ``|values| <= tol`` (not with ``interpolate``).
    interpolate : bool, default False
        Return the interpolated crossing :math:`m^*` of a decreasing error instead of a grid
        width.

    Returns
    -------
    float
        The width: a grid width, ``nan`` when the criterion fails at the largest width; with
        ``interpolate``, :math:`m^*`, ``nan`` when the curve is at or below ``tol`` already at
        ``ms[0]`` or never reaches it on the grid (no extrapolation).

    Raises
    ------
    TypeError
        If ``values`` or ``ms`` is not an array of real numbers, or ``tol`` not a real number.
    ValueError
        If ``values`` or ``ms`` is not a finite 1-d array, their lengths differ, or ``tol``
        is outside (0, 10]; with ``interpolate``, also if ``above`` is True, there are fewer
        than two widths, ``ms`` is not positive and increasing, or a value is not positive.
    """
    values = check_array(values, "values", ndim=1)
    ms = check_array(ms, "ms", ndim=1)
    tol = _check_threshold(tol, "tol")
    if values.shape != ms.shape:
        raise ValueError("values and ms must have the same length")
    if not interpolate:
        ok = values >= tol if above else np.abs(values) <= tol
        if not ok[-1]:
            return float("nan")
        bad = np.flatnonzero(~ok)
        return float(ms[0] if bad.size == 0 else ms[bad[-1] + 1])
    if above:
        raise ValueError("interpolate=True reads a decreasing error: above must be False")
    if ms.size < 2:
        raise ValueError("interpolate=True needs at least two widths")
    if np.any(ms <= 0) or np.any(np.diff(ms) <= 0):
        raise ValueError("ms must be positive and increasing")
    if np.any(values <= 0):
        raise ValueError("values must be positive with interpolate=True")
    below = np.flatnonzero(values <= tol)
    if below.size == 0 or below[0] == 0:
        return float("nan")
    k = below[0]
    u0, u1 = np.log(ms[k - 1]), np.log(ms[k])
    y0, y1 = np.log(values[k - 1]), np.log(values[k])
    return float(np.exp(u0 + (np.log(tol) - y0) * (u1 - u0) / (y1 - y0)))


def _fit_exponent(ms, errors, log_se) -> tuple[float, float]:
    r"""Fitted exponent of :math:`\text{error} \propto m^{p}` with its standard error.

    Ordinary least squares of :math:`y_k = \log(\text{error}_k)` on :math:`u_k = \log m_k`
    (the slope of :func:`companion.fit_slope`); the independent errors of the :math:`y_k`, with
    standard deviations ``log_se`` (for a mean over :math:`S` draws,
    :math:`\mathrm{sd}/(\mathrm{mean}\sqrt S)` by the delta method), propagate to

    .. math::

       \operatorname{se}(\hat p) = \frac{\bigl(\sum_k (u_k - \bar u)^2\,\sigma_k^2\bigr)^{1/2}}
       {\sum_k (u_k - \bar u)^2}.

    Parameters
    ----------
    ms, errors : array_like of shape (n,)
        Positive widths (at least two different ones, ``n >= 2``) and the errors at them.
    log_se : array_like of shape (n,)
        Standard errors :math:`\sigma_k` of :math:`\log(\text{error}_k)`, non-negative.

    Returns
    -------
    slope, se : float
        The fitted exponent :math:`\hat p` and its standard error.

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If the arrays are not finite, 1-d and of the same length ``>= 2``, ``ms`` or
        ``errors`` has a non-positive entry, ``log_se`` a negative one, or all the widths
        are equal.
    """
    ms = check_array(ms, "ms", ndim=1)
    errors = check_array(errors, "errors", ndim=1)
    log_se = check_array(log_se, "log_se", ndim=1)
    if not (ms.shape == errors.shape == log_se.shape) or ms.size < 2:
        raise ValueError("ms, errors and log_se must have the same length >= 2")
    if np.any(ms <= 0) or np.any(errors <= 0) or np.any(log_se < 0):
        raise ValueError("ms and errors must be positive and log_se non-negative")
    du = np.log(ms) - np.log(ms).mean()
    sxx = float(du @ du)
    if sxx == 0:
        raise ValueError("ms must contain at least two different widths")
    se = float(np.sqrt(np.sum(du**2 * log_se**2)) / sxx)
    return fit_slope(ms, errors), se


@dataclass
class FiniteWidthStudy:
    r"""Errors of every group on a grid of input dimensions and widths
    (:func:`companion.finite_width_study`).

    For each group :math:`g`, input dimension :math:`d_i`, width :math:`m_j` and draw
    :math:`s`, the MAE and the mean squared error of §4.2 averaged over the :math:`K` members,
    :math:`\frac1K\sum_k \frac1N\sum_n |F_k(x_n) - X(x_n)^\top v_k|` and the same with the
    square. Beyond the paper: chapter finite_width.

    Parameters
    ----------
    ds : ndarray of int
        Input dimensions, each ``>= 3``.
    ms : ndarray of int
        Increasing widths, each ``>= 1``.
    seeds : ndarray of int
        Draws at each width, each ``>= 1``, shape like ``ms``.
    n_inputs : int
        Inputs per draw, ``>= 1``.
    groups : tuple of str
        The groups measured, among ``companion.GROUPS``.
    mae : dict of str to ndarray
        Per group, shape (len(ds), len(ms), max(seeds)).
    mse : dict of str to ndarray
        Per group, the same shape.
    seconds : ndarray
        Shape (len(ds), len(ms)).

    Attributes
    ----------
    ds, ms : ndarray of int
        The input dimensions and the (increasing) widths.
    seeds : ndarray of int
        Number of draws at each width (shape like ``ms``).
    n_inputs : int
        Inputs per draw.
    groups : tuple of str
        The groups measured.
    mae, mse : dict
        ``mae[group]`` has shape (len(ds), len(ms), max(seeds)): the member-averaged MAE of each
        draw (``nan`` beyond ``seeds[j]`` draws); ``mse`` the member-averaged mean squared error.
    seconds : ndarray
        Computing time of each (d, m) cell, shape (len(ds), len(ms)) (its draws are made in the
        background during the previous cell, so mostly the products).
    """

    ds: np.ndarray
    ms: np.ndarray
    seeds: np.ndarray
    n_inputs: int
    groups: tuple[str, ...]
    mae: dict[str, np.ndarray] = field(repr=False)
    mse: dict[str, np.ndarray] = field(repr=False)
    seconds: np.ndarray = field(repr=False)

    def _data(self, group: str, kind: str) -> np.ndarray:
        check_choice(group, "group", self.groups)
        check_choice(kind, "kind", ("mae", "mse"))
        return self.mae[group] if kind == "mae" else self.mse[group]

    def mean(self, group: str, kind: str = "mae") -> np.ndarray:
        """Mean over the draws, shape (len(ds), len(ms)).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.
        kind : {"mae", "mse"}, default "mae"
            The MAE or the mean squared error.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            The mean over the draws of each cell (``nan`` draws beyond ``seeds`` left out).

        Raises
        ------
        ValueError
            If ``group`` is not in the study or ``kind`` is unknown.
        """
        return np.nanmean(self._data(group, kind), axis=2)

    def sd(self, group: str, kind: str = "mae") -> np.ndarray:
        """Standard deviation across the draws (ddof = 1; 0 for a single draw).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.
        kind : {"mae", "mse"}, default "mae"
            The MAE or the mean squared error.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            The spread of each cell's draws; 0 at widths with a single draw.

        Raises
        ------
        ValueError
            If ``group`` is not in the study or ``kind`` is unknown.
        """
        a = self._data(group, kind)
        if a.shape[2] < 2:
            return np.zeros(a.shape[:2])
        import warnings

        with warnings.catch_warnings():  # cells with a single draw: sd 0 below
            warnings.simplefilter("ignore", RuntimeWarning)
            sd = np.nanstd(a, axis=2, ddof=1)
        return np.where(self.seeds[None, :] > 1, sd, 0.0)

    def log_se(self, group: str, kind: str = "mae") -> np.ndarray:
        r"""Standard error of the log of ``mean`` (delta method), sd / (mean sqrt(seeds)).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.
        kind : {"mae", "mse"}, default "mae"
            The MAE or the mean squared error.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            :math:`\mathrm{sd}/(\mathrm{mean}\sqrt{S_j})`, the standard errors of the fit of
            :meth:`width_exponents`.

        Raises
        ------
        ValueError
            If ``group`` is not in the study or ``kind`` is unknown.
        """
        return self.sd(group, kind) / (self.mean(group, kind) * np.sqrt(self.seeds)[None, :])

    def clt_ratio(self, group: str) -> np.ndarray:
        """Measured mean MAE divided by :func:`companion.clt_mae` at each (d, m).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            Near 1 where the central-limit prediction holds.

        Raises
        ------
        ValueError
            If ``group`` is not in the study.
        """
        pred = np.array([clt_mae(int(d), self.ms, group) for d in self.ds])
        return self.mean(group) / pred

    def mse_ratio(self, group: str) -> np.ndarray:
        """Measured mean squared error divided by the exact one (:func:`companion.clt_mae` with
        ``kind="mse"``; 1 up to noise).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            The ratio at each (d, m).

        Raises
        ------
        ValueError
            If ``group`` is not in the study.
        """
        pred = np.array([clt_mae(int(d), self.ms, group, kind="mse") for d in self.ds])
        return self.mean(group, "mse") / pred

    def relative(self, group: str) -> np.ndarray:
        r"""The relative error: mean MAE divided by :math:`\mathrm{RMS}(F)`
        (:func:`companion.limit_norm2`).

        Parameters
        ----------
        group : str
            One of the study's ``groups``.

        Returns
        -------
        ndarray of shape (len(ds), len(ms))
            :math:`\overline{\mathrm{MAE}} / (\mathbb E F^2)^{1/2}` at each (d, m).

        Raises
        ------
        ValueError
            If ``group`` is not in the study.
        """
        norms = np.array([np.sqrt(limit_norm2(int(d), group)) for d in self.ds])
        return self.mean(group) / norms[:, None]

    def width_exponents(self, *, kind: str = "mae", m_min: int = 1, m_max: int | None = None):
        r"""Fitted exponent of each group's error against :math:`m`, per :math:`d`, with its
        standard error.

        Ordinary least squares of the log of the mean error (:meth:`mean`) on :math:`\log m`
        over the widths in ``[m_min, m_max]`` (the slope of :func:`companion.fit_slope`); the
        independent errors of the logs, with standard deviations :math:`\sigma_k` (:meth:`log_se`),
        propagate to

        .. math::

           \operatorname{se}(\hat p) = \frac{\bigl(\sum_k (u_k - \bar u)^2\,\sigma_k^2\bigr)^{1/2}}
           {\sum_k (u_k - \bar u)^2}, \qquad u_k = \log m_k.

        For ``kind="mse"`` the exponent of the root mean squared error (half that of the mean
        squared error), whose exact value is :math:`-1/2` at every width
        (:func:`companion.clt_mae`). Beyond the paper: chapter finite_width.

        Parameters
        ----------
        kind : {"mae", "mse"}, default "mae"
            Fit the MAE, or the root of the mean squared error.
        m_min : int, default 1
            Smallest width in the fit, ``>= 1``.
        m_max : int, optional
            Largest width in the fit, ``>= 1``; by default the study's largest.

        Returns
        -------
        pandas.DataFrame
            Indexed by (d, group), columns ``slope``, ``se`` and ``z`` (= (slope + 1/2)/se, the
            distance from the theory's :math:`-1/2` in standard errors), ``n_widths``.

        Raises
        ------
        TypeError
            If ``m_min`` or ``m_max`` is not an integer.
        ValueError
            If ``kind`` is unknown, ``m_min`` or ``m_max`` is below 1, fewer than two of the
            study's widths lie in ``[m_min, m_max]``, or one of them has a single draw (every
            width in the fit needs ``seeds >= 2``).
        """
        import pandas as pd

        if kind not in ("mae", "mse"):
            raise ValueError(f"kind must be 'mae' or 'mse', got {kind!r}")
        m_min = check_int(m_min, "m_min")
        m_max = int(self.ms.max()) if m_max is None else check_int(m_max, "m_max")
        sel = (self.ms >= m_min) & (self.ms <= m_max)
        if sel.sum() < 2:
            raise ValueError(
                f"[m_min, m_max] = [{m_min}, {m_max}] must contain at least two of the study's "
                "widths"
            )
        if np.any(self.seeds[sel] < 2):
            raise ValueError(
                "every width in the fit needs at least two draws (seeds >= 2) for a standard error"
            )
        power = 0.5 if kind == "mse" else 1.0
        records = []
        for g in self.groups:
            mean, lse = self.mean(g, kind), self.log_se(g, kind)
            for i, d in enumerate(self.ds):
                slope, se = _fit_exponent(self.ms[sel], mean[i, sel] ** power, power * lse[i, sel])
                records.append(
                    {
                        "d": int(d),
                        "group": g,
                        "slope": slope,
                        "se": se,
                        "z": (slope + 0.5) / se if se > 0 else np.inf,
                        "n_widths": int(sel.sum()),
                    }
                )
        frame = pd.DataFrame(records).set_index(["d", "group"])
        return frame.sort_index(level=0, sort_remaining=False)

    def crossing_widths(self, threshold: float = 0.1):
        r"""Measured and predicted widths at which the relative error MAE / RMS(F) reaches
        ``threshold``.

        ``measured`` is :func:`companion.first_width` with ``interpolate=True`` of
        :meth:`relative` on the study's grid (``nan`` outside it), ``predicted``
        :func:`companion.clt_crossing_width`. Beyond the paper: chapter finite_width.

        Parameters
        ----------
        threshold : float, default 0.1
            The relative error :math:`\varepsilon`, in (0, 10].

        Returns
        -------
        pandas.DataFrame
            Indexed by (d, group), columns ``measured``, ``predicted``, ``ratio``
            (measured/predicted).

        Raises
        ------
        TypeError
            If ``threshold`` is not a real number.
        ValueError
            If ``threshold`` is outside (0, 10].
        """
        import pandas as pd

        eps = _check_threshold(threshold)
        records = []
        for g in self.groups:
            rel = self.relative(g)
            for i, d in enumerate(self.ds):
                meas = first_width(rel[i], self.ms, eps, interpolate=True)
                pred = clt_crossing_width(int(d), g, eps)
                records.append(
                    {
                        "d": int(d),
                        "group": g,
                        "measured": meas,
                        "predicted": pred,
                        "ratio": meas / pred,
                    }
                )
        frame = pd.DataFrame(records).set_index(["d", "group"])
        return frame.sort_index(level=0, sort_remaining=False)


def finite_width_study(
    ds,
    ms,
    *,
    seeds=4,
    n_inputs: int = 100,
    rng: int | np.random.Generator = 0,
    groups: tuple[str, ...] = GROUPS,
) -> FiniteWidthStudy:
    r"""Table 1's error (and mean squared error) of every group on a grid of :math:`(d, m)`.

    At each :math:`(d, m)` the draws are those of :func:`table1_row` with the same ``seed``
    (one generator per draw, spawned from ``(seed, d, m)``): :math:`W` with iid
    :math:`N(0, 1/m)` entries and ``n_inputs`` inputs :math:`x \sim N(0, I_d)`; for each draw
    and group the MAE and the squared error are averaged over the inputs and the members.
    The MAE of the paper's Table 1 (§4.2) on a finer grid; beyond the paper: chapter
    finite_width.

    Parameters
    ----------
    ds : sequence of int
        Input dimensions, each ``>= 3`` (non-empty).
    ms : sequence of int
        Increasing widths, each ``>= 1`` (non-empty).
    seeds : int or sequence of int, default 4
        Draws per cell, or one number per width (fewer at the largest widths keeps a
        full-scale grid cheap: the cost of a draw grows like :math:`m\,d^2 N`).
    n_inputs : int, default 100
        Inputs per draw, ``>= 1`` (the paper: 100).
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.
    groups : tuple of str, default ``GROUPS``
        Distinct groups among :data:`companion.eigengroups.GROUPS` (by default all of them:
        Table 1's four columns and Lemma 3.3's vectors).

    Returns
    -------
    FiniteWidthStudy
        The member-averaged MAE and mean squared error of every draw, and the time of each
        cell; its methods read the study (:class:`companion.finite_width.FiniteWidthStudy`).

    Raises
    ------
    TypeError
        If a dimension, width, number of draws, ``n_inputs`` or ``seed`` is not an integer.
    ValueError
        If ``ds`` or ``ms`` is empty or not 1-d, a value is out of its range, ``ms`` is not
        increasing, ``seeds`` has not one entry per width, or a group is unknown or repeated.
    """
    import time

    if np.ndim(ds) != 1 or len(ds) == 0:
        raise ValueError("ds must be a non-empty sequence of input dimensions")
    ds_arr = np.array([check_d(d.item() if isinstance(d, np.generic) else d) for d in ds])
    ms_arr = _check_widths(ms, "ms")
    if ms_arr.ndim != 1 or np.any(np.diff(ms_arr) <= 0):
        raise ValueError("ms must be a sequence of increasing widths")
    if np.ndim(seeds) == 0:
        seeds_arr = np.full(ms_arr.size, check_int(seeds, "seeds"))
    else:
        seeds_arr = _check_widths(seeds, "seeds")
        if seeds_arr.shape != ms_arr.shape:
            raise ValueError(
                f"seeds must be one integer or one per width ({ms_arr.size}), got {len(seeds)}"
            )
    n_inputs = check_int(n_inputs, "n_inputs")
    seed = check_seed(rng)
    groups = check_choices(groups, "groups", GROUPS)
    shape = (ds_arr.size, ms_arr.size, int(seeds_arr.max()))
    mae = {g: np.full(shape, np.nan) for g in groups}
    mse = {g: np.full(shape, np.nan) for g in groups}
    seconds = np.zeros(shape[:2])
    cells = [(d, m, s) for d in ds_arr for m, s in zip(ms_arr, seeds_arr, strict=True)]
    with _compute.draws(cells, seed, n_inputs) as draws:
        for i in range(ds_arr.size):
            for j, s in enumerate(seeds_arr):
                start = time.perf_counter()
                for k, (W, x) in enumerate(itertools.islice(draws, int(s))):
                    a, b = member_mae(x, W, groups, squared=True)  # per member; averaged below
                    for g in groups:
                        mae[g][i, j, k], mse[g][i, j, k] = a[g].mean(), b[g].mean()
                seconds[i, j] = time.perf_counter() - start
    return FiniteWidthStudy(
        ds=ds_arr,
        ms=ms_arr,
        seeds=seeds_arr,
        n_inputs=n_inputs,
        groups=groups,
        mae=mae,
        mse=mse,
        seconds=seconds,
    )


def spectral_resolution(d: int, ms, *, rng: int | np.random.Generator = 0):
    r"""How well the exact spectrum of :math:`J` shows the three groups at each width.

    For one draw of :math:`W` per width (the first generator of :func:`table1_row`'s
    ``(seed, d, m)``), the exact :math:`J` (:func:`companion.fisher_exact`) is built, its
    :math:`d(d+3)/2 + 1` largest eigenvalues computed (:func:`companion.fisher_spectrum`, Lanczos)
    and cut into the clusters G1 (the top one), G2 (the next :math:`d`)
    and G3 (the next :math:`d(d+1)/2 - 1`). For each cluster :math:`c` with exact limit
    :math:`\lambda_c` (:func:`companion.group_eigenvalues`, ``exact=True``):

    * ``dev_c`` — :math:`\max_i |\mu_i/\lambda_c - 1|` over its eigenvalues :math:`\mu_i`;
    * ``mean_c`` — the cluster mean over :math:`\lambda_c`, minus 1;
    * ``gap_c`` — the smallest eigenvalue of the cluster over the largest of the next one
      (for G3: the largest of the rest of the spectrum); above 1 means a visible step;
    * ``rq_c`` — the mean Rayleigh quotient :math:`v^\top J v / v^\top v` of the group's vectors
      (G3: :math:`v^{(\gamma)}` and :math:`v^{(\alpha,\beta)}` together) over :math:`\lambda_c`,
      minus 1, and ``rq_pred_c`` — :math:`C_c/(m\lambda_c)` (:func:`clt_mae`,
      ``kind="mse"``), the exact mean excess
      :math:`(\mathbb E_W[v^\top J v] - \lambda_c)/\lambda_c` of the numerator (the squared
      relative RMS error of the functions). It is not the exact mean of ``rq_c``:
      dividing by :math:`v^\top v` (mean 1, fluctuations of order :math:`m^{-1/2}` correlated
      with :math:`v^\top J v`) adds a relative term of order :math:`1/m` of its own, with a
      constant that does not grow with :math:`d`. It is small against :math:`C_c/(m\lambda_c)`,
      which grows like :math:`d` (G2) or :math:`d^2` (G3), only at large :math:`d`; at small
      :math:`d` (and for G1, whose :math:`C/\lambda_0` stays bounded) the two are comparable.

    The three clusters are those of the approximate spectral decomposition the paper recalls
    in §2.2 (eigenvalues :math:`(2d+1)/(4\pi)`, :math:`1/4` with multiplicity :math:`d`,
    :math:`1/(2\pi(d+2))` with multiplicity :math:`d(d+1)/2 - 1`); how they emerge with
    :math:`m` is beyond the paper (chapter finite_width).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3``.
    ms : int or sequence of int
        Widths, each at least :math:`d(d+3)/2 + 1` (all three clusters and one more eigenvalue)
        and at most 8000.
    rng : int or numpy.random.Generator, default 0
        Root seed ``>= 0``, or a ``numpy.random.Generator`` that one is drawn from.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``m``; for each cluster ``c`` in ``G1``, ``G2``, ``G3`` the columns
        ``dev_c``, ``mean_c``, ``gap_c``, ``rq_c`` and ``rq_pred_c`` described above.

    Raises
    ------
    TypeError
        If ``d``, a width or ``seed`` is not an integer.
    ValueError
        If ``d < 3``, ``ms`` is empty or nested, a width is outside
        :math:`[d(d+3)/2 + 1, 8000]`, or ``seed < 0``.
    """
    import pandas as pd

    d = check_d(d)
    ms_arr = _check_widths(ms, "ms")
    if ms_arr.ndim != 1:
        ms_arr = ms_arr.reshape(1)
    labels = cluster_labels(d)  # G1 once, G2 d times, G3 d(d+1)/2 - 1 times
    n = labels.size
    need = n + 1
    for m in ms_arr:
        check_int(int(m), "m", minimum=need, maximum=_SPECTRAL_MAX_M)
    seed = check_seed(rng)
    lam = group_eigenvalues(d, exact=True)
    lam_c = {"G1": lam["G1"], "G2": lam["G2"], "G3": lam["G3_ab"]}
    nxt = {"G1": "G2", "G2": "G3"}  # the cluster below each; below G3: the rest of the spectrum
    records = {}
    for m in ms_arr:
        m = int(m)
        rng = _compute.row_rngs(seed, d, m, 1)[0]
        W = sample_weights(d, m, rng)
        J = fisher_exact(W)
        eig = fisher_spectrum(J, top=need)  # Lanczos: only the clusters and one more
        means = cluster_means(eig, d)
        row = {}
        for c in ("G1", "G2", "G3"):
            mu = eig[:n][labels == c]
            below = eig[:n][labels == nxt[c]] if c in nxt else eig[n:]
            row[f"dev_{c}"] = float(np.max(np.abs(mu / lam_c[c] - 1)))
            row[f"mean_{c}"] = float(means[c] / lam_c[c] - 1)
            row[f"gap_{c}"] = float(mu.min() / below.max())
            members = ("G1",) if c == "G1" else ("G2",) if c == "G2" else ("G3_gamma", "G3_ab")
            rq = np.concatenate([rayleigh_quotients(J, group_vectors(W, g)) for g in members])
            row[f"rq_{c}"] = float(rq.mean() / lam_c[c] - 1)
            row[f"rq_pred_{c}"] = clt_mae(d, m, members[0], kind="mse") / lam_c[c]
        records[m] = row
    frame = pd.DataFrame.from_dict(records, orient="index")
    frame.index.name = "m"
    return frame
