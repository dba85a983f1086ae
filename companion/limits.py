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
    r""":math:`B(d/2, 1/2)`, from ``exp(betaln(d/2, 1/2))`` (finite for every :math:`d`)."""
    d = check_d(d, minimum=1)
    return float(np.exp(betaln(d / 2.0, 0.5)))


def limit_constants(d: int) -> dict[str, float]:
    r"""The constants of Theorems 3.1 and 3.5.

    Returns
    -------
    dict
        ``"c0"`` :math:`= \frac{\sqrt d}{2\pi}B(\frac d2,\frac12)` (eq. (6)) and
        ``"c3"`` :math:`= \frac{d\sqrt{d+2}}{2\pi(d+1)}B(\frac d2,\frac12)` (eq. (9));
        eq. (8) and Theorem 3.4 use :math:`c_3/\sqrt 2`. Computed in log form.
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
    :func:`numpy.triu_indices` with offset 1); there are :math:`d(d-1)/2` pairs.
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

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,), with d > 2

    Returns
    -------
    ndarray of shape (N,) (a 0-d array for a single input)
    """
    x, r, _, single = _prepare(x)
    return _out(limit_constants(x.shape[1])["c0"] * r, single)


def F_l(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.2, eq. (7): :math:`F_l(x) = x_l / 2` for :math:`l = 1..d`; shape (N, d)."""
    x, _, _, single = _prepare(x)
    return _out(x / 2.0, single)


def F_tilde(x: np.ndarray) -> np.ndarray:
    r"""Lemma 3.3, eq. (8):

    .. math::

       \tilde F_\gamma(x) = \frac{c_3}{\sqrt2}\bigl(\frac{x_\gamma^2}{\|x\|}
       - \frac{\|x\|}{d}\bigr).

    Returns an array of shape (N, d), one column per :math:`\gamma = 1..d`.
    """
    x, r, inv_r, single = _prepare(x)
    d = x.shape[1]
    c = limit_constants(d)["c3"] / np.sqrt(2.0)
    out = x * x * inv_r[:, None] - (r / d)[:, None]
    return _out(c * out, single)


def F_gamma(x: np.ndarray) -> np.ndarray:
    r"""Theorem 3.4:

    .. math::

       F_\gamma = \frac{c_3}{\sqrt2}\bigl(\frac{x_\gamma^2}{\|x\|}
       - \frac{1}{\sqrt d+1}\frac{x_d^2}{\|x\|} - \frac{\|x\|}{d+\sqrt d}\bigr).

    Equals :math:`\tilde F_\gamma - \tilde F_d/(\sqrt d + 1)`, mirroring eq. (3). Shape (N, d-1).
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

    Shape (N, d(d-1)/2), columns in the order of :func:`pairs`.
    """
    x, _, inv_r, single = _prepare(x)
    a, b = pairs(x.shape[1])
    c = limit_constants(x.shape[1])["c3"]
    return _out(c * (x[:, a] * x[:, b]) * inv_r[:, None], single)


#: The limit function of each group, keyed like ``companion.GROUPS``.
LIMITS = {"G1": F0, "G2": F_l, "G3_gamma": F_gamma, "G3_ab": F_ab, "G3_tilde": F_tilde}


def limit(x: np.ndarray, group: str) -> np.ndarray:
    r"""The limit :math:`F(x)` of every member of ``group``, shape (N, K).

    ``group`` is one of ``"G1"`` (:math:`F_0`, K = 1), ``"G2"`` (:math:`F_l`, K = d),
    ``"G3_gamma"`` (:math:`F_\gamma`, K = d-1), ``"G3_ab"`` (:math:`F_{\alpha\beta}`,
    K = d(d-1)/2) or ``"G3_tilde"`` (:math:`\tilde F_\gamma`, K = d).
    """
    check_choice(group, "group", LIMITS)
    out = LIMITS[group](x)
    if group == "G1":
        out = out[..., None]
    return out
