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

__all__ = ["limit_constants", "limit", "pairs"]

#: The group names of ``companion.GROUPS``, in its order (not imported from
#: :mod:`companion.eigengroups`, which imports this module through :mod:`companion.harmonics`).
_GROUPS = ("G1", "G2", "G3_gamma", "G3_ab", "G3_tilde")


def limit_constants(d: int) -> dict[str, float]:
    r"""The constants of Theorems 3.1 to 3.5: :math:`c_0`, :math:`c_3` and :math:`B(d/2, 1/2)`.

    .. math::

       c_0 = \frac{\sqrt d}{2\pi}B\Bigl(\frac d2,\frac12\Bigr), \qquad
       c_3 = \frac{d\sqrt{d+2}}{2\pi(d+1)}B\Bigl(\frac d2,\frac12\Bigr), \qquad
       B\Bigl(\frac d2, \frac12\Bigr)
       = \frac{\Gamma(\frac d2)\Gamma(\frac12)}{\Gamma(\frac{d+1}{2})},

    so that :math:`F_0(x) = c_0\|x\|` (eq. (6)) and
    :math:`F_{\alpha\beta}(x) = c_3 x_\alpha x_\beta/\|x\|` (eq. (9)). The paper approximates
    the Beta function by :math:`\sqrt{\pi(2d+1)}/d` (§3) to recover the eigenvalues of (5).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 3`` (the theorems need :math:`d > 2`).

    Returns
    -------
    dict of str to float
        ``"c0"`` :math:`= \frac{\sqrt d}{2\pi}B(\frac d2,\frac12)` (eq. (6)),
        ``"c3"`` :math:`= \frac{d\sqrt{d+2}}{2\pi(d+1)}B(\frac d2,\frac12)` (eq. (9); eq. (8)
        and Theorem 3.4 use :math:`c_3/\sqrt 2`) and ``"B"`` :math:`= B(\frac d2,\frac12)`
        (about :math:`\sqrt{2\pi/d}` for large :math:`d`). Computed in log form, from
        ``scipy.special.betaln``: finite for every :math:`d`.

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
    return {"c0": float(c0), "c3": float(c3), "B": float(np.exp(lb))}


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


def limit(x: np.ndarray, group: str) -> np.ndarray:
    r"""The limit :math:`F(x)` of :math:`X(x)^\top v` for every member :math:`v` of ``group``.

    .. math::

       X(x)^\top v_k \xrightarrow{p} F_k(x) \quad (m \to \infty),

    :math:`v_k` the k-th column of :func:`companion.group_vectors` (paper §3): the functions
    to which Table 1 compares :func:`companion.group_outputs`. With :math:`c_0, c_3` of
    :func:`companion.limit_constants`, the limits of the five groups are

    - ``"G1"``, :math:`K = 1` (Theorem 3.1, eq. (6)):
      :math:`F_0(x) = c_0\|x\| = \frac{\sqrt d}{2\pi} B(\frac d2, \frac12)\|x\|`;
    - ``"G2"``, :math:`K = d` (Theorem 3.2, eq. (7)): :math:`F_l(x) = x_l/2`,
      :math:`l = 1..d`;
    - ``"G3_gamma"``, :math:`K = d - 1` (Theorem 3.4), :math:`\gamma = 1..d-1`:

      .. math::

         F_\gamma(x) = \frac{c_3}{\sqrt2}\Bigl(\frac{x_\gamma^2}{\|x\|}
         - \frac{1}{\sqrt d+1}\frac{x_d^2}{\|x\|} - \frac{\|x\|}{d+\sqrt d}\Bigr);

    - ``"G3_ab"``, :math:`K = d(d-1)/2` (Theorem 3.5, eq. (9)), :math:`\alpha < \beta` in the
      order of :func:`companion.pairs`:
      :math:`F_{\alpha\beta}(x) = c_3\, x_\alpha x_\beta / \|x\|`;
    - ``"G3_tilde"``, :math:`K = d` (Lemma 3.3, eq. (8)), :math:`\gamma = 1..d`:
      :math:`\tilde F_\gamma(x) = \frac{c_3}{\sqrt2}\bigl(\frac{x_\gamma^2}{\|x\|}
      - \frac{\|x\|}{d}\bigr)`, so that
      :math:`F_\gamma = \tilde F_\gamma - \tilde F_d/(\sqrt d + 1)`, mirroring eq. (3).

    At :math:`x = 0` every limit is 0, its value by continuity.

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
    check_choice(group, "group", _GROUPS)
    x, r, inv_r, single = _prepare(x)
    d = x.shape[1]
    if group == "G1":  # Theorem 3.1
        out = (limit_constants(d)["c0"] * r)[:, None]
    elif group == "G2":  # Theorem 3.2
        out = x / 2.0
    elif group == "G3_ab":  # Theorem 3.5
        a, b = pairs(d)
        out = limit_constants(d)["c3"] * (x[:, a] * x[:, b]) * inv_r[:, None]
    else:
        c = limit_constants(d)["c3"] / np.sqrt(2.0)
        q = x * x * inv_r[:, None]
        if group == "G3_tilde":  # Lemma 3.3
            out = c * (q - (r / d)[:, None])
        else:  # Theorem 3.4
            s = np.sqrt(d)
            out = c * (q[:, :-1] - (q[:, -1] / (s + 1.0))[:, None] - (r / (d + s))[:, None])
    return out[0] if single else out
