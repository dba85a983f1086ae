r"""The model and its Fisher information matrix (paper §1, §2.2, §2.3).

Inputs :math:`x \sim N(0, I_d)`, fixed hidden weights :math:`W \in \mathbb{R}^{d\times m}`
with iid :math:`N(0, 1/m)` entries, hidden features :math:`X(x) = \sigma(x^\top W)`
(:math:`\sigma` the ReLU) and the regression model :math:`y = X^\top v + \epsilon`
(equation (1)). Its Fisher information for :math:`v` is

.. math::

   J = \mathbb{E}_{x \sim N(0, I_d)}\left[X(x) X(x)^\top\right],
   \qquad
   J_{ij} = \frac{\|w_i\|\,\|w_j\|}{2\pi}\bigl(\sin\theta_{ij}
       + (\pi - \theta_{ij})\cos\theta_{ij}\bigr),

with :math:`w_i` the :math:`i`-th column of :math:`W` and :math:`\theta_{ij}` the angle between
columns :math:`i` and :math:`j` (the order-1 arc-cosine kernel of Cho and Saul, halved).

Example
-------
>>> import companion as cp
>>> W = cp.sample_weights(d=10, m=500, rng=0)
>>> J = cp.fisher_exact(W)
>>> J.shape
(500, 500)
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse.linalg

from . import _compute
from ._validate import check_array, check_dense, check_int, check_rng, check_W, check_x

__all__ = [
    "sample_weights",
    "sample_inputs",
    "features",
    "fisher_exact",
    "fisher_empirical",
    "fisher_spectrum",
]

#: Rows of J computed at once by :func:`fisher_exact` (bounds the temporaries).
_ROW_BLOCK = 512


def sample_weights(
    d: int, m: int, rng: np.random.Generator | int, *, out: np.ndarray | None = None
) -> np.ndarray:
    r"""Draw the hidden weights :math:`W` with iid :math:`N(0, 1/m)` entries (paper §1).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.
    m : int
        Number of hidden units, ``m >= 1``.
    rng : numpy.random.Generator or int
        Source of randomness (or a seed): the same seed gives the same ``W``.
    out : ndarray of shape (d, m), float64 or float32, C-contiguous, optional
        Draw into this array instead of a new one: a caller drawing many large ``W`` in turn
        (Table 1) reuses one block of memory. The numbers are the same; a float32 ``out``
        receives them rounded to float32 (they are drawn in float64 a row at a time), half
        the memory, for products computed in float32 anyway
        (:func:`companion.group_outputs` with ``dtype="float32"``).

    Returns
    -------
    W : ndarray of shape (d, m)
        Column :math:`j` is the weight vector :math:`w_j = W_{*j}` of hidden unit :math:`j`
        (``out`` itself when given).
    """
    d = check_int(d, "d")
    m = check_int(m, "m")
    rng = check_rng(rng)
    if out is None:
        out = np.empty((d, m))
    elif not isinstance(out, np.ndarray):
        raise TypeError(
            f"out must be a NumPy array of shape (d, m) = ({d}, {m}), got {type(out).__name__}"
        )
    elif not (
        out.shape == (d, m)
        and out.dtype in (np.float64, np.float32)
        and out.flags.c_contiguous
        and out.flags.aligned
        and out.flags.writeable
    ):
        raise ValueError(
            "out must be a writable, C-contiguous float64 or float32 array of shape "
            f"(d, m) = ({d}, {m}), "
            f"got {out.dtype} of shape {out.shape}"
            + ("" if out.flags.writeable else ", read-only")
            + ("" if out.flags.c_contiguous else ", not C-contiguous")
        )
    if out.dtype == np.float64:
        rng.standard_normal(out=out)
        out /= np.sqrt(m)  # in place: no second d x m array
        return out
    row = np.empty(m)  # float64 draws, one row of W at a time: the same stream as above
    for r in out:
        rng.standard_normal(out=row)
        np.divide(row, np.sqrt(m), out=r, casting="same_kind")  # divided in float64, then rounded
    return out


def sample_inputs(d: int, n: int, rng: np.random.Generator | int) -> np.ndarray:
    r"""Draw ``n`` inputs :math:`x \sim N(0, I_d)` as the rows of an ``(n, d)`` array."""
    d = check_int(d, "d")
    n = check_int(n, "n")
    rng = check_rng(rng)
    return rng.standard_normal((n, d))


def features(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    r"""Hidden features :math:`X(x) = \sigma(x^\top W)` for a batch of inputs (equation (1)).

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,)
        Inputs, one per row.
    W : ndarray of shape (d, m)
        Hidden weights.

    Returns
    -------
    X : ndarray of shape (N, m) (or (m,) for a single input)
        :math:`X_{nj} = \max(0, x_n^\top w_j)`.
    """
    W = check_W(W)
    single = np.ndim(x) == 1
    x = check_x(x, W.shape[0])
    X = x @ W
    np.maximum(X, 0.0, out=X)
    return X[0] if single else X


def _arccos_block(G: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    """Kernel block from the Gram block ``G = A^T B`` and the column norms.

    ``|a||b| sin(theta) = sqrt(|a|^2 |b|^2 - (a.b)^2)`` and ``theta = arctan2(sin, cos)``:
    no division by the norms, and the angle stays accurate where ``arccos`` of a
    rounded cosine would not.
    """
    outer = np.multiply.outer(na, nb)
    S = outer * outer
    S -= G * G
    np.maximum(S, 0.0, out=S)
    np.sqrt(S, out=S)
    theta = np.arctan2(S, G)
    theta = np.subtract(np.pi, theta, out=theta)
    theta *= G
    S += theta
    S /= 2.0 * np.pi
    return S


def fisher_exact(W: np.ndarray) -> np.ndarray:
    r"""The exact Fisher information :math:`J` from its closed form (§2.2).

    .. math::

       J_{ij} = \frac{\|w_i\|\|w_j\|}{2\pi}\bigl(\sin\theta_{ij}
           + (\pi-\theta_{ij})\cos\theta_{ij}\bigr),
       \qquad J_{ii} = \frac{\|w_i\|^2}{2}.

    Computed in blocks of rows; the sine comes from
    :math:`\sqrt{\|w_i\|^2\|w_j\|^2 - (w_i^\top w_j)^2}` and the angle from ``arctan2``.

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights; the dense ``m x m`` result must fit in 2 GiB (``m <= 16384``).

    Returns
    -------
    J : ndarray of shape (m, m)
        Symmetric positive semi-definite; :math:`\operatorname{tr} J = \|W\|_F^2 / 2`.
    """
    W = check_W(W)
    m = W.shape[1]
    check_dense(m)
    norms = np.sqrt(np.einsum("ij,ij->j", W, W))
    J = np.empty((m, m))
    for start in range(0, m, _ROW_BLOCK):
        rows = slice(start, min(start + _ROW_BLOCK, m))
        J[rows] = _arccos_block(W[:, rows].T @ W, norms[rows], norms)
    J[np.diag_indices(m)] = norms**2 / 2.0
    return J


def fisher_empirical(
    W: np.ndarray, x: np.ndarray, *, return_se: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""The empirical Fisher information :math:`\hat J = \frac1N \sum_{n=1}^N X(x_n) X(x_n)^\top`.

    The paper's §6 uses it with :math:`N = 100` and :math:`N = 1000` Gaussian inputs. With
    ``return_se``, also the standard error of each entry as an estimate of :math:`J`,
    :math:`\sqrt{(\overline{X_i^2X_j^2} - \hat J_{ij}^2)/(N-1)}` (the bar an average over the
    inputs; the sample standard deviation of :math:`X_iX_j` over :math:`\sqrt N`; NaN for
    :math:`N = 1`). The features are made in chunks of inputs, so memory beyond the ``m x m``
    results stays bounded (32 MiB of features per chunk).

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights (the dense ``m x m`` result must fit in 2 GiB).
    x : ndarray of shape (N, d)
        The inputs (any distribution; :func:`sample_inputs` draws Gaussian ones).

    return_se : bool, default False
        Also return the standard errors.

    Returns
    -------
    J_hat : ndarray of shape (m, m)
    se : ndarray of shape (m, m)
        Only with ``return_se``.
    """
    W = check_W(W)
    m = W.shape[1]
    check_dense(m)
    x = check_x(x, W.shape[0])
    blocks = (features(x[a:b], W) for a, b in _compute.chunk_bounds(x.shape[0], m))
    J_hat, se, _ = _compute.second_moments(blocks, return_se=return_se)
    return (J_hat, se) if return_se else J_hat


def fisher_spectrum(
    J_or_W: np.ndarray, *, top: int | None = None, from_weights: bool | None = None
) -> np.ndarray:
    r"""Eigenvalues of :math:`J`, in descending order.

    Parameters
    ----------
    J_or_W : ndarray
        Either the ``m x m`` matrix :math:`J` itself (any symmetric matrix) or the weights ``W``
        (``d x m`` with ``d < m``), from which the exact :math:`J` is built with
        :func:`fisher_exact`.
    top : int, optional
        Return only the ``top`` largest eigenvalues (at most ``m``). When ``m > 4 top`` they come
        from Lanczos (:func:`scipy.sparse.linalg.eigsh`, started from the all-ones vector so that
        the result is deterministic), much faster than the dense solver when ``m`` is large;
        otherwise from the dense solver restricted to the top indices.
    from_weights : bool, optional
        Force the interpretation of ``J_or_W``; by default a square array is ``J``.

    Returns
    -------
    eigenvalues : ndarray of shape (m,) or (min(top, m),)
    """
    A = check_array(J_or_W, "J_or_W", ndim=2)
    if top is not None:
        top = check_int(top, "top", minimum=1)
    if from_weights is None:
        from_weights = A.shape[0] != A.shape[1]
    J = fisher_exact(A) if from_weights else A
    if not from_weights and not np.allclose(J, J.T, rtol=1e-10, atol=1e-12 * np.abs(J).max()):
        raise ValueError("J_or_W: a square argument must be the symmetric matrix J")
    m = J.shape[0]
    if top is None:
        return scipy.linalg.eigvalsh(J, driver="evd")[::-1]  # divide and conquer: the fastest here
    top = min(top, m)
    if m > 4 * top:
        eig = scipy.sparse.linalg.eigsh(
            J, k=top, which="LA", return_eigenvectors=False, v0=np.ones(m), tol=1e-12
        )
        return np.sort(eig)[::-1]
    return scipy.linalg.eigvalsh(J, subset_by_index=[m - top, m - 1])[::-1]
