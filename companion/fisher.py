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

    .. math::

       W_{ij} = Z_{ij} / \sqrt m, \qquad Z_{ij} \overset{\text{iid}}{\sim} N(0, 1),
       \qquad i = 1..d,\ j = 1..m,

    the assumption of §1 and §2.2 under which the eigenvalues of :math:`J` cluster (and of §3,
    §4.1 for the limits and Table 1).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.
    m : int
        Number of hidden units, ``m >= 1``.
    rng : numpy.random.Generator or int
        Source of randomness, or a seed ``>= 0``: the same seed gives the same ``W``.
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

    Raises
    ------
    TypeError
        If ``d`` or ``m`` is not an integer, ``rng`` is neither a generator nor an integer
        seed, or ``out`` is not a NumPy array.
    ValueError
        If ``d < 1``, ``m < 1``, the seed is negative, or ``out`` is not a writable,
        C-contiguous float64 or float32 array of shape ``(d, m)``.
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
    r"""Draw ``n`` inputs :math:`x \sim N(0, I_d)` as the rows of an ``(n, d)`` array.

    The input distribution of the model (1) (paper §1, §2.2); §4.1 draws :math:`N = 100` of
    them for Table 1 and §6 uses :math:`N = 100` and :math:`1000` for :func:`fisher_empirical`.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.
    n : int
        Number of inputs, ``n >= 1``.
    rng : numpy.random.Generator or int
        Source of randomness, or a seed ``>= 0``: the same seed gives the same inputs.

    Returns
    -------
    x : ndarray of shape (n, d)
        Row :math:`k` is the input :math:`x_k`, float64, entries iid :math:`N(0, 1)`.

    Raises
    ------
    TypeError
        If ``d`` or ``n`` is not an integer, or ``rng`` is neither a generator nor an
        integer seed.
    ValueError
        If ``d < 1``, ``n < 1`` or the seed is negative.
    """
    d = check_int(d, "d")
    n = check_int(n, "n")
    rng = check_rng(rng)
    return rng.standard_normal((n, d))


def features(x: np.ndarray, W: np.ndarray) -> np.ndarray:
    r"""Hidden features :math:`X(x) = \sigma(x^\top W)` for a batch of inputs (equation (1)).

    .. math::

       X_j(x) = \sigma(x^\top w_j) = \max(0, x^\top w_j), \qquad j = 1..m,

    the output of the hidden layer in the model :math:`y = X(x)^\top v + \epsilon` (paper §1,
    eq. (1)), so that :math:`f_v(x) = X(x)^\top v`.

    Parameters
    ----------
    x : ndarray of shape (N, d) or (d,)
        Inputs, one per row; finite real numbers, ``N >= 1``.
    W : ndarray of shape (d, m)
        Hidden weights; finite, no zero column.

    Returns
    -------
    X : ndarray of shape (N, m) (or (m,) for a single input)
        :math:`X_{nj} = \max(0, x_n^\top w_j)`, float64.

    Raises
    ------
    TypeError
        If ``x`` or ``W`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite or has a zero column, or ``x`` is not 1-D or
        2-D with ``d`` entries per input, is empty or not finite.
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

    This is the definition :math:`J = \mathbb E_{x \sim N(0, I_d)}[X(x) X(x)^\top]` of §2.2
    evaluated in closed form (the Gaussian integral of :math:`\sigma(x^\top w_i)
    \sigma(x^\top w_j)`, the order-1 arc-cosine kernel of Cho and Saul, halved).

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights; finite, no zero column; the dense ``m x m`` result must fit in 2 GiB
        (``m <= 16384``).

    Returns
    -------
    J : ndarray of shape (m, m)
        Symmetric positive semi-definite; :math:`\operatorname{tr} J = \|W\|_F^2 / 2`.

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite or has a zero column, or ``m > 16384``.
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

    The expectation in :math:`J = \mathbb E_x[X(x) X(x)^\top]` (§2.2) replaced by an average
    over given inputs. The paper's §6 uses it with :math:`N = 100` and :math:`N = 1000`
    Gaussian inputs. With ``return_se``, also the standard error of each entry as an estimate
    of :math:`J`, :math:`\sqrt{(\overline{X_i^2X_j^2} - \hat J_{ij}^2)/(N-1)}` (the bar an
    average over the inputs; the sample standard deviation of :math:`X_iX_j` over
    :math:`\sqrt N`; NaN for :math:`N = 1`). The features are made in chunks of inputs, so
    memory beyond the ``m x m`` results stays bounded (32 MiB of features per chunk).

    Parameters
    ----------
    W : ndarray of shape (d, m)
        Hidden weights (the dense ``m x m`` result must fit in 2 GiB).
    x : ndarray of shape (N, d) or (d,)
        The inputs, ``N >= 1``, finite (any distribution; :func:`companion.sample_inputs` draws
        Gaussian ones); a single input of shape ``(d,)`` counts as ``N = 1``.
    return_se : bool, default False
        Also return the standard errors.

    Returns
    -------
    J_hat : ndarray of shape (m, m)
        The empirical Fisher matrix :math:`\hat J`, symmetric positive semi-definite.
    se : ndarray of shape (m, m)
        Standard error of each entry of ``J_hat`` as an estimate of :math:`J` (NaN everywhere
        when ``N = 1``). Only with ``return_se``: the result is then the pair
        ``(J_hat, se)``.

    Raises
    ------
    TypeError
        If ``W`` or ``x`` is not an array of real numbers.
    ValueError
        If ``W`` is not 2-D, is empty, not finite or has a zero column, ``m > 16384``, or ``x``
        does not have ``d`` entries per input, is empty or not finite.
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

    The spectrum :math:`\lambda_1 \ge \lambda_2 \ge \dots \ge \lambda_m` of :math:`J`, whose
    clusters near :math:`\frac{2d+1}{4\pi}` (once), :math:`\frac14` (:math:`d` times) and
    :math:`\frac{1}{2\pi(d+2)}` (:math:`d(d+1)/2 - 1` times) are described in §1 and §2.2
    (decomposition (5)).

    Parameters
    ----------
    J_or_W : ndarray
        Either the ``m x m`` matrix :math:`J` itself (any finite symmetric matrix) or the
        weights ``W`` (``d x m`` with ``d < m``; finite, no zero column, ``m <= 16384``), from
        which the exact :math:`J` is built with :func:`companion.fisher_exact`.
    top : int, optional
        Return only the ``top`` largest eigenvalues, ``top >= 1`` (more than ``m`` is taken
        as ``m``). When ``m > 4 top`` they come
        from Lanczos (:func:`scipy.sparse.linalg.eigsh`, started from the all-ones vector so that
        the result is deterministic), much faster than the dense solver when ``m`` is large;
        otherwise from the dense solver restricted to the top indices.
    from_weights : bool, optional
        Force the interpretation of ``J_or_W`` (True: weights, False: :math:`J`); by default a
        square array is ``J`` and any other 2-D array is ``W``.

    Returns
    -------
    eigenvalues : ndarray of shape (m,) or (min(top, m),)
        The eigenvalues of :math:`J` (all of them, or the ``top`` largest), float64, largest
        first.

    Raises
    ------
    TypeError
        If ``J_or_W`` is not an array of real numbers or ``top`` is not an integer.
    ValueError
        If ``J_or_W`` is not 2-D, is empty or not finite, ``top < 1``, an argument taken as
        :math:`J` is not square and symmetric (to ``rtol=1e-10``), or one taken as ``W`` has a
        zero column or ``m > 16384``.
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
