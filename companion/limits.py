r"""The limits of :math:`f_v(x) = X^\top v` as :math:`m \to \infty` (paper §3, Theorems 3.1–3.5).

For each approximate eigenvector group the basis function converges in probability:

.. math::

   X^\top v^{(0)} &\to F_0(x) = \frac{\sqrt d}{2\pi} B\!\left(\tfrac d2, \tfrac12\right)\|x\|
       && \text{(Theorem 3.1, eq. (6))}\\
   X^\top v^{(l)} &\to F_l(x) = \frac{x_l}{2}
       && \text{(Theorem 3.2, eq. (7))}\\
   X^\top \tilde v^{(\gamma)} &\to \tilde F_\gamma(x) = c_3 \frac{1}{\sqrt2}
       \left(\frac{x_\gamma^2}{\|x\|} - \frac{\|x\|}{d}\right)
       && \text{(Lemma 3.3, eq. (8))}\\
   X^\top v^{(\gamma)} &\to F_\gamma(x) = c_3 \frac{1}{\sqrt2}\left(\frac{x_\gamma^2}{\|x\|}
       - \frac{1}{\sqrt d + 1}\frac{x_d^2}{\|x\|} - \frac{\|x\|}{d + \sqrt d}\right)
       && \text{(Theorem 3.4)}\\
   X^\top v^{(\alpha,\beta)} &\to F_{\alpha\beta}(x) = c_3 \frac{x_\alpha x_\beta}{\|x\|}
       && \text{(Theorem 3.5, eq. (9))}

with :math:`c_3 = \frac{d\sqrt{d+2}}{2\pi(d+1)} B(\tfrac d2, \tfrac12)`, all for :math:`d > 2`.
At :math:`x = 0` every limit is extended by continuity
(:math:`|x_\alpha x_\beta| / \|x\| \le \|x\|`), so it is 0. The Beta function is evaluated in
log form (``scipy.special.betaln``), finite and accurate for any :math:`d` (checked up to
:math:`10^4`).

Columns follow :mod:`companion.eigengroups`: :math:`l = 1..d`, :math:`\gamma = 1..d-1` (or
:math:`1..d` for :math:`\tilde F`), and the pairs :math:`\alpha < \beta` in the order of
:func:`companion.pairs`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln

from ._validate import check_array, check_choice, check_d

__all__ = [
    "beta_half",
    "limit_constants",
    "F0",
    "F_l",
    "F_tilde",
    "F_gamma",
    "F_ab",
    "limit",
    "pairs",
    "LIMITS",
]


def beta_half(d: int) -> float:
    r""":math:`B(d/2, 1/2)`, from ``exp(betaln(d/2, 1/2))`` (finite for every :math:`d`).

    .. math::

       B\Bigl(\frac d2, \frac12\Bigr)
       = \frac{\Gamma(\frac d2)\Gamma(\frac12)}{\Gamma(\frac{d+1}{2})},

    the Beta function in the constants of Theorems 3.1 to 3.5 (eqs. (6)-(9)); the paper
    approximates it by :math:`\sqrt{\pi(2d+1)}/d` (§3) to recover the eigenvalues of (5).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.

    Returns
    -------
    float
        :math:`B(d/2, 1/2)`, positive (:math:`\pi` at :math:`d = 1`, about
        :math:`\sqrt{2\pi/d}` for large :math:`d`).

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 1``.
    """
    d = check_d(d, minimum=1)
    return float(np.exp(betaln(d / 2.0, 0.5)))


def limit_constants(d: int) -> dict[str, float]:
    r"""The constants of Theorems 3.1 and 3.5.

    .. math::

       c_0 = \frac{\sqrt d}{2\pi}B\Bigl(\frac d2,\frac12\Bigr), \qquad
       c_3 = \frac{d\sqrt{d+2}}{2\pi(d+1)}B\Bigl(\frac d2,\frac12\Bigr),

    so that :math:`F_0(x) = c_0\|x\|` (eq. (6)) and
    :math:`F_{\alpha\beta}(x) = c_3 x_\alpha x_\beta/\|x\|` (eq. (9)).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3`` (the theorems need :math:`d > 2`).

    Returns
    -------
    dict of str to float
        ``"c0"`` :math:`= \frac{\sqrt d}{2\pi}B(\frac d2,\frac12)` (eq. (6)) and
        ``"c3"`` :math:`= \frac{d\sqrt{d+2}}{2\pi(d+1)}B(\frac d2,\frac12)` (eq. (9));
        eq. (8) and Theorem 3.4 use :math:`c_3/\sqrt 2`. Computed in log form.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 3``.
    """
    d = check_d(d)
    lb = betaln(d / 2.0, 0.5)
    log2pi = np.log(2.0 * np.pi)
    c0 = np.exp(0.5 * np.log(d) + lb - log2pi)
    c3 = np.exp(np.log(d) + 0.5 * np.log(d + 2.0) + lb - log2pi - np.log(d + 1.0))
    return {"c0": float(c0), "c3": float(c3)}


def pairs(d: int) -> tuple[np.ndarray, np.ndarray]:
    r"""The pairs :math:`1 \le \alpha < \beta \le d` as 0-based index arrays, row by row.

    The order is :math:`(1,2), (1,3), \dots, (1,d), (2,3), \dots, (d-1,d)` (that of
    :func:`numpy.triu_indices` with offset 1); there are :math:`d(d-1)/2` pairs. They index
    the vectors :math:`v^{(\alpha,\beta)}` (§2.2) and the limits
    :math:`F_{\alpha\beta}` (Theorem 3.5), the order of the bijection :math:`k(\alpha,\beta)`
    of eq. (2).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1`` (no pairs at :math:`d = 1`).

    Returns
    -------
    alpha : ndarray of int, shape (d(d-1)/2,)
        The 0-based first index :math:`\alpha - 1` of each pair.
    beta : ndarray of int, shape (d(d-1)/2,)
        The 0-based second index :math:`\beta - 1`, with ``alpha < beta``.

    Raises
    ------
    TypeError
        If ``d`` is not an integer.
    ValueError
        If ``d < 1``.
    """
    return np.triu_indices(check_d(d, minimum=1), k=1)


def _prepare(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Inputs as (N, d), their norms, 1/norm with 0 at x = 0, and whether x was 1-D."""
    x = check_array(x, "x", ndim=(1, 2))
    single = x.ndim == 1
    if x.shape[-1] < 3:
        raise ValueError(
            f"x must have d >= 3 entries per input (the theorems need d > 2), got shape {x.shape}"
        )
    x = x.reshape(-1, x.shape[-1])
    r = np.linalg.norm(x, axis=1)
    inv_r = np.divide(1.0, r, out=np.zeros_like(r), where=r > 0)
    return x, r, inv_r, single


def _out(a: np.ndarray, single: bool) -> np.ndarray:
    return a[0] if single else a


def F0(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.1, eq. (6): :math:`F_0(x) = \frac{\sqrt d}{2\pi}B(\frac d2,\frac12)\|x\|`.

    The limit in probability of :math:`X^\top v^{(0)}` as :math:`m \to \infty` (group G1).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).

    Returns
    -------
    ndarray of shape (N,)
        :math:`F_0(x_n)` for each input, float64 (a NumPy float64 scalar for a single input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    x, r, _, single = _prepare(x)
    return _out(limit_constants(x.shape[1])["c0"] * r, single)


def F_l(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.2, eq. (7): :math:`F_l(x) = x_l / 2` for :math:`l = 1..d`; shape (N, d).

    The limits in probability of :math:`X^\top v^{(l)}` as :math:`m \to \infty` (group G2).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).

    Returns
    -------
    ndarray of shape (N, d)
        Column :math:`l` holds :math:`F_l(x_n) = x_{nl}/2`, float64 (shape ``(d,)`` for a single
        input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    x, _, _, single = _prepare(x)
    return _out(x / 2.0, single)


def F_tilde(x: np.ndarray) -> np.ndarray:
    r"""Lemma 3.3, eq. (8): the limits :math:`\tilde F_\gamma` of :math:`X^\top\tilde v^{(\gamma)}`.

    .. math::

       \tilde F_\gamma(x) = \frac{c_3}{\sqrt2}\bigl(\frac{x_\gamma^2}{\|x\|}
       - \frac{\|x\|}{d}\bigr).

    Returns an array of shape (N, d), one column per :math:`\gamma = 1..d` (group
    ``"G3_tilde"``; :math:`c_3` from :func:`companion.limit_constants`, 0 at :math:`x = 0`).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).

    Returns
    -------
    ndarray of shape (N, d)
        Column :math:`\gamma` holds :math:`\tilde F_\gamma(x_n)`, float64 (shape ``(d,)`` for
        a single input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    x, r, inv_r, single = _prepare(x)
    d = x.shape[1]
    c = limit_constants(d)["c3"] / np.sqrt(2.0)
    out = x * x * inv_r[:, None] - (r / d)[:, None]
    return _out(c * out, single)


def F_gamma(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.4: the limits :math:`F_\gamma` of :math:`X^\top v^{(\gamma)}`, :math:`\gamma < d`.

    .. math::

       F_\gamma = \frac{c_3}{\sqrt2}\bigl(\frac{x_\gamma^2}{\|x\|}
       - \frac{1}{\sqrt d+1}\frac{x_d^2}{\|x\|} - \frac{\|x\|}{d+\sqrt d}\bigr).

    Equals :math:`\tilde F_\gamma - \tilde F_d/(\sqrt d + 1)`, mirroring eq. (3). Shape (N, d-1)
    (group ``"G3_gamma"``; 0 at :math:`x = 0`).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).

    Returns
    -------
    ndarray of shape (N, d - 1)
        Column :math:`\gamma` holds :math:`F_\gamma(x_n)`, :math:`\gamma = 1..d-1`, float64
        (shape ``(d - 1,)`` for a single input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    x, r, inv_r, single = _prepare(x)
    d = x.shape[1]
    c = limit_constants(d)["c3"] / np.sqrt(2.0)
    s = np.sqrt(d)
    q = x * x * inv_r[:, None]
    out = q[:, :-1] - (q[:, -1] / (s + 1.0))[:, None] - (r / (d + s))[:, None]
    return _out(c * out, single)


def F_ab(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.5, eq. (9): :math:`F_{\alpha\beta}(x) = c_3\, x_\alpha x_\beta / \|x\|` for
    :math:`\alpha<\beta`.

    The limits in probability of :math:`X^\top v^{(\alpha,\beta)}` (group ``"G3_ab"``), with
    :math:`c_3` from :func:`companion.limit_constants` (0 at :math:`x = 0`). Shape
    (N, d(d-1)/2), columns in the order of :func:`companion.pairs`.

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).

    Returns
    -------
    ndarray of shape (N, d(d-1)/2)
        Column :math:`k` holds :math:`F_{\alpha\beta}(x_n)` for the :math:`k`-th pair of
        :func:`companion.pairs`, float64 (shape ``(d(d-1)/2,)`` for a single input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``x`` is not 1-D or 2-D, is empty or not finite, or has fewer than 3 entries per
        input.
    """
    x, _, inv_r, single = _prepare(x)
    a, b = pairs(x.shape[1])
    c = limit_constants(x.shape[1])["c3"]
    return _out(c * (x[:, a] * x[:, b]) * inv_r[:, None], single)


#: The limit function of each group, keyed like ``companion.GROUPS``.
LIMITS = {"G1": F0, "G2": F_l, "G3_gamma": F_gamma, "G3_ab": F_ab, "G3_tilde": F_tilde}


def limit(x: np.ndarray, group: str) -> np.ndarray:
    r"""The limit :math:`F(x)` of every member of ``group``, shape (N, K).

    .. math::

       X(x)^\top v_k \xrightarrow{p} F_k(x) \quad (m \to \infty),

    :math:`v_k` the k-th column of :func:`companion.group_vectors` (Theorems 3.1, 3.2, 3.4,
    3.5 and Lemma 3.3, eqs. (6)-(9)): the functions to which Table 1 compares
    :func:`companion.group_outputs`.

    ``group`` is one of ``"G1"`` (:math:`F_0`, K = 1), ``"G2"`` (:math:`F_l`, K = d),
    ``"G3_gamma"`` (:math:`F_\gamma`, K = d-1), ``"G3_ab"`` (:math:`F_{\alpha\beta}`,
    K = d(d-1)/2) or ``"G3_tilde"`` (:math:`\tilde F_\gamma`, K = d).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2
        Inputs, one per row; finite real numbers (:math:`x = 0` allowed).
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group (see ``companion.GROUPS``).

    Returns
    -------
    ndarray of shape (N, K)
        Column :math:`k` holds the limit :math:`F_k(x_n)` of member :math:`k`, float64, in the
        order of :func:`companion.group_vectors` (shape ``(K,)`` for a single input).

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers.
    ValueError
        If ``group`` is not one of ``companion.GROUPS``, or ``x`` is not 1-D or 2-D, is empty
        or not finite, or has fewer than 3 entries per input.
    """
    check_choice(group, "group", LIMITS)
    out = LIMITS[group](x)
    if group == "G1":
        out = out[..., None]
    return out
