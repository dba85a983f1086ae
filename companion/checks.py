"""Auto-checks for exercises: say what is right and what is wrong in a student's answer.

Each ``check_*`` function compares a student's own result with the package's reference
and returns a :class:`CheckResult`: ``bool(result)`` is True when the answer is right; its
lines say which properties hold (shape, symmetry, scale, entries) and, when something is
wrong, what kind of mistake it looks like (a transposed ``W``, a missing :math:`1/(2\\pi)`,
a wrong normalisation, a specific entry) -- never the reference values themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import check_d, check_int, check_real, check_seed, check_W

#: The loosest tolerance a check accepts: looser ones would pass wrong answers (with
#: ``rtol=1e10`` an all-zero J would "match").
_MAX_RTOL = 0.1

__all__ = [
    "check_fisher",
    "check_eigenvectors",
    "check_limit",
    "check_mercer_eigenvalue",
    "check_table1_row",
]

#: Scale factors that betray a typical slip, and how to say it.
_FACTORS = {
    2 * np.pi: "a missing factor 1/(2π)",
    1 / (2 * np.pi): "an extra factor 1/(2π)",
    np.pi: "a missing factor 1/π",
    1 / np.pi: "an extra factor 1/π",
    2.0: "a missing factor 1/2",
    0.5: "an extra factor 1/2",
    -1.0: "the wrong sign",
}


@dataclass
class CheckResult:
    """The verdict of a check: ``ok`` and one line per property checked.

    Returned by every ``check_*`` function of this module; ``bool(result)`` is ``ok``,
    ``str(result)`` a heading ("correct" / "not yet correct") and the lines, and in Jupyter
    it shows as coloured HTML. Beyond the paper: the exercises of the chapters.

    Parameters
    ----------
    name : str
        What was checked (the heading).
    ok : bool, default True
        The verdict so far; :meth:`bad` sets it to False.
    lines : list of str, optional
        The lines so far (by default none).
    form_ok : bool, default True
        Whether the answer's form is right so far; :meth:`bad` with ``form=True`` clears it.

    Attributes
    ----------
    name : str
        What was checked.
    ok : bool
        True when every property checked holds.
    lines : list of str
        One line per property, starting with "✓" (holds) or "✗" (fails, with a diagnosis).
    form_ok : bool
        True when the answer has the right form (real numbers, the right shape or kind), even
        if its values are wrong: an autograder gives this part of the marks separately.
    """

    name: str
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    form_ok: bool = True

    def good(self, text: str) -> None:
        """Record a property that holds (a line starting with "✓").

        Parameters
        ----------
        text : str
            The property, in words.
        """
        self.lines.append(f"✓ {text}")

    def bad(self, text: str, *, form: bool = False) -> None:
        """Record a property that fails (a line starting with "✗") and set ``ok`` to False.

        Parameters
        ----------
        text : str
            What is wrong, and what kind of mistake it looks like.
        form : bool, default False
            True when the answer's form is wrong (not numbers, a wrong shape): also sets
            ``form_ok`` to False.
        """
        self.ok = False
        self.form_ok = self.form_ok and not form
        self.lines.append(f"✗ {text}")

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = f"{self.name}: {'correct' if self.ok else 'not yet correct'}"
        return "\n".join([head, *("  " + line for line in self.lines)])

    def _repr_html_(self) -> str:
        colour = "green" if self.ok else "#b00"
        body = "<br>".join(self.lines)
        return (
            f"<div><b style='color:{colour}'>{str(self).splitlines()[0]}</b>"
            f"<br><small>{body}</small></div>"
        )


def _rtol(rtol: object) -> float:
    return check_real(rtol, "rtol", lo=0, hi=_MAX_RTOL, lo_open=True)


def _as_array(value, result: CheckResult, what: str) -> np.ndarray | None:
    if np.iscomplexobj(np.asarray(value)):
        result.bad(f"{what} must be real numbers, not complex ones", form=True)
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        result.bad(f"{what} must be an array of numbers", form=True)
        return None
    if not np.all(np.isfinite(arr)):
        result.bad(f"{what} contains NaN or inf", form=True)
        return None
    return arr


def _shape_ok(
    result: CheckResult,
    A: np.ndarray,
    expected: tuple,
    name: str,
    need: str,
    *,
    wrong: tuple,
    hint: str,
) -> bool:
    """Record whether ``A`` has shape ``expected``; a shape equal to ``wrong`` (a usual slip) gets
    ``hint``."""
    if A.shape == wrong and wrong != expected:
        result.bad(f"{name} has shape {A.shape} but {need}: {hint}", form=True)
        return False
    if A.shape != expected:
        result.bad(f"{name} has shape {A.shape} but {need}", form=True)
        return False
    result.good(f"shape {expected}")
    return True


def _compare(
    result: CheckResult, got: np.ndarray, ref: np.ndarray, what: str, rtol: float, atol: float
) -> None:
    """Entry-wise comparison; on failure, diagnose a common scale factor or the worst entry."""
    close = np.isclose(got, ref, rtol=rtol, atol=atol)
    if close.all():
        result.good(f"{what}: every entry matches (rtol {rtol:g})")
        return
    mask = np.abs(ref) > 10 * atol
    if mask.any():
        ratio = got[mask] / ref[mask]
        r = float(np.median(ratio))
        if np.allclose(ratio, r, rtol=max(rtol, 1e-6) * 5):
            for factor, slip in _FACTORS.items():
                if np.isclose(r, factor, rtol=1e-3):
                    result.bad(f"{what}: off by a constant factor — looks like {slip}")
                    return
            result.bad(
                f"{what}: {'too large' if abs(r) > 1 else 'too small'} by one constant factor "
                "for all entries, not one of the usual slips (1/(2π), 1/π, 1/2, the sign): "
                "check the constant in front of your formula"
            )
            return
    bad = np.argwhere(~close)
    idx = tuple(int(i) for i in bad[0])
    result.bad(f"{what}: {len(bad)} of {got.size} entries differ, the first at index {idx}")


def check_fisher(J, W, *, rtol: float = 1e-6) -> CheckResult:
    r"""Check a student's Fisher matrix :math:`J` for the weights ``W`` (``d x m``).

    Accepts the exact closed form (to ``rtol``); for a Monte Carlo estimate pass a looser
    ``rtol`` (e.g. 0.05). Diagnoses a transposed ``W``, a missing :math:`1/(2\pi)` or
    :math:`1/2`, asymmetry and the first wrong entry.

    The reference is the Fisher information of model (1),
    :math:`J = \mathbb E_{x \sim N(0, I_d)}[X(x) X(x)^\top]` (§2.2), in the closed form of
    :func:`companion.fisher_exact`:

    .. math::

       J_{ij} = \frac{\|w_i\|\|w_j\|}{2\pi}\bigl(\sin\theta_{ij}
           + (\pi-\theta_{ij})\cos\theta_{ij}\bigr), \qquad
       \operatorname{tr} J = \tfrac12\|W\|_F^2.

    Parameters
    ----------
    J : array_like of shape (m, m)
        The student's matrix (anything else is reported in the result, not raised).
    W : ndarray of shape (d, m)
        The hidden weights it was computed for: finite, no zero column, ``m <= 16384``.
    rtol : float, default 1e-6
        Relative tolerance of the entry-wise comparison, in (0, 0.1].

    Returns
    -------
    CheckResult
        True when ``J`` has the right shape and every entry matches; its lines say which
        properties hold and diagnose the mistakes.

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers or ``rtol`` not a real number.
    ValueError
        If ``rtol`` is outside (0, 0.1], ``W`` is not a finite 2-d array without a zero column,
        or ``J`` has the right shape but ``m`` is too large for a dense reference.
    """
    from .fisher import fisher_exact

    rtol = _rtol(rtol)
    result = CheckResult("Fisher information J")
    W = check_W(W)
    d, m = W.shape
    J = _as_array(J, result, "J")
    if J is None:
        return result
    if not _shape_ok(
        result,
        J,
        (m, m),
        "J",
        f"must be m x m = ({m}, {m})",
        wrong=(d, d),
        hint="did you use W transposed (x W^T instead of x^T W)?",
    ):
        return result
    if np.allclose(J, J.T, rtol=1e-10, atol=1e-12):
        result.good("symmetric")
    else:
        result.bad("J is not symmetric: J_ij must equal J_ji")
    ref = fisher_exact(W)
    scale = float(np.abs(ref).max())
    if np.trace(J) > 0 and np.isclose(np.trace(J), np.sum(W**2) / 2, rtol=max(rtol, 1e-9)):
        result.good("trace equals ‖W‖_F²/2")
    _compare(result, J, ref, "entries", rtol, rtol * scale)
    return result


def check_eigenvectors(V, W, group: str, *, rtol: float = 1e-8) -> CheckResult:
    r"""Check a student's eigen-group vectors (columns of ``V``, shape ``(m, K)``) for ``W``.

    ``group`` as in :func:`companion.group_vectors`. Diagnoses members stored as rows
    instead of columns, a sign flip, a missing :math:`\sqrt{d+2}` or :math:`\sqrt 2`, and
    members in the wrong order.

    The reference is the approximate eigenvectors of §2.2: :math:`v^{(0)}_i = \|w_i\|/\sqrt d`,
    :math:`v^{(l)} = W_{l*}^\top`, :math:`v^{(\alpha,\beta)}_i = \sqrt{d+2}\,
    W_{\alpha i}W_{\beta i}/\|w_i\|`, :math:`\tilde v^{(\gamma)}` of eq. (4) and
    :math:`v^{(\gamma)}` of eq. (3).

    Parameters
    ----------
    V : array_like of shape (m, K)
        The student's vectors, one member per column, in the order of
        :func:`companion.group_vectors` (shape (m,) accepted when :math:`K = 1`).
    W : ndarray of shape (d, m)
        The hidden weights: finite, ``d >= 3``, no zero column.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group of the vectors.
    rtol : float, default 1e-8
        Relative tolerance of the entry-wise comparison, in (0, 0.1].

    Returns
    -------
    CheckResult
        True when every member matches; its lines diagnose the mistakes.

    Raises
    ------
    TypeError
        If ``W`` is not an array of real numbers or ``rtol`` not a real number.
    ValueError
        If ``rtol`` is outside (0, 0.1], ``W`` is not a finite 2-d array with ``d >= 3`` and no
        zero column, ``group`` is unknown, or the reference vectors would need more than 4 GiB.
    """
    from .eigengroups import group_size, group_vectors

    rtol = _rtol(rtol)
    result = CheckResult(f"eigenvectors of group {group}")
    W = check_W(W, min_d=3)
    d, m = W.shape
    V = _as_array(V, result, "V")
    if V is None:
        return result
    K = group_size(d, group)
    if V.ndim == 1 and K == 1:
        V = V[:, None]
    if not _shape_ok(
        result,
        V,
        (m, K),
        "V",
        f"group {group} has {K} members of length m = {m}: expected ({m}, {K})",
        wrong=(K, m),
        hint=f"store one member per COLUMN, shape ({m}, {K})",
    ):
        return result
    ref = group_vectors(W, group)
    norms = np.linalg.norm(V, axis=0)
    ref_norms = np.linalg.norm(ref, axis=0)
    ratio = norms / ref_norms
    for factor, slip in ((np.sqrt(d + 2), "√(d+2)"), (np.sqrt(2), "√2"), (np.sqrt(d), "√d")):
        if np.allclose(ratio, 1 / factor, rtol=1e-6):
            result.bad(f"the norms are too small by a factor {slip}: a missing {slip}?")
            return result
        if np.allclose(ratio, factor, rtol=1e-6):
            result.bad(f"the norms are too large by a factor {slip}: an extra {slip}?")
            return result
    cos = (V / norms).T @ (ref / ref_norms)
    if (
        K > 1
        and np.allclose(np.abs(cos).max(axis=1), 1, atol=1e-8)
        and not np.allclose(np.abs(np.diag(cos)), 1, atol=1e-8)
    ):
        result.bad(
            "the right vectors, but in the wrong order "
            "(see companion.pairs for the order of (α, β))"
        )
        return result
    _compare(result, V, ref, "entries", rtol, rtol * float(np.abs(ref).max()))
    return result


def check_limit(F, x, group: str, *, rtol: float = 1e-8) -> CheckResult:
    r"""Check a student's limit function values ``F`` (shape ``(N, K)``, or ``(N,)`` for G1) at
    inputs ``x``.

    Diagnoses a missing :math:`1/(2\pi)`, :math:`\sqrt d` or :math:`\sqrt 2`, a Beta function
    with the wrong arguments, :math:`\|x\|^2` in place of :math:`\|x\|`.

    The reference is :func:`companion.limit`: the limits of Theorems 3.1 (eq. (6)), 3.2
    (eq. (7)), 3.4 and 3.5 (eq. (9)) and Lemma 3.3 (eq. (8)), e.g.
    :math:`F_0(x) = \frac{\sqrt d}{2\pi}B(\frac d2, \frac12)\|x\|`.

    Parameters
    ----------
    F : array_like of shape (N, K)
        The student's values at the inputs, one column per member (any array with the
        right number of entries is reshaped; anything else is reported, not raised).
    x : ndarray of shape (N, d) or (d,)
        The inputs, finite, ``d >= 3``.
    group : {"G1", "G2", "G3_gamma", "G3_ab", "G3_tilde"}
        The group of the limit.
    rtol : float, default 1e-8
        Relative tolerance of the comparison, in (0, 0.1].

    Returns
    -------
    CheckResult
        True when every value matches; its lines diagnose the mistakes.

    Raises
    ------
    TypeError
        If ``x`` is not an array of real numbers or ``rtol`` not a real number.
    ValueError
        If ``rtol`` is outside (0, 0.1], ``x`` is not a finite 1-d or 2-d array with
        ``d >= 3``, or ``group`` is unknown.
    """
    from scipy.special import betaln

    from .limits import limit

    rtol = _rtol(rtol)
    result = CheckResult(f"limit function of group {group}")
    ref = limit(x, group)
    F = _as_array(F, result, "F")
    if F is None:
        return result
    if F.shape != ref.shape and F.size == ref.size:
        F = F.reshape(ref.shape)
    if F.shape != ref.shape:
        result.bad(
            f"F has shape {F.shape}; expected {ref.shape} "
            "(one row per input, one column per member)",
            form=True,
        )
        return result
    result.good(f"shape {ref.shape}")
    x = np.atleast_2d(np.asarray(x, dtype=float))
    d = x.shape[1]
    r = np.linalg.norm(x, axis=1)
    scale = float(np.abs(ref).max())
    if not np.isclose(F, ref, rtol=rtol, atol=rtol * scale).all():
        # known slips, tested as whole-array alternatives
        wrong_beta = np.exp(betaln((d - 1) / 2, 0.5) - betaln(d / 2, 0.5))
        slips = {
            "B((d-1)/2, 1/2) in place of B(d/2, 1/2)": ref * wrong_beta,
            "‖x‖² in place of ‖x‖": ref * r.reshape(-1, *([1] * (ref.ndim - 1))),
            "a missing √d": ref / np.sqrt(d),
            "a missing 1/√2": ref * np.sqrt(2),
            "an extra 1/√2": ref / np.sqrt(2),
        }
        for slip, alt in slips.items():
            if np.allclose(F, alt, rtol=1e-6, atol=1e-12 * scale):
                result.bad(f"the values look like {slip}")
                return result
    _compare(result, F, ref, "values", rtol, rtol * scale)
    return result


def check_mercer_eigenvalue(value: float, d: int, k: int, *, rtol: float = 1e-6) -> CheckResult:
    r"""Check a student's eigenvalue of :math:`J` (:math:`m \to \infty`) for spherical-harmonic
    degree ``k``.

    Diagnoses the Funk–Hecke eigenvalue :math:`\mu_k` given instead of :math:`\lambda_k = d\mu_k`,
    and the paper's approximation given instead of the exact value.

    The reference is :func:`companion.mercer_eigenvalues`; for :math:`k = 0, 1, 2` it is the
    exact form of the paper's eigenvalues (§2.2, eq. (5), recovered in §3):
    :math:`\lambda_0 = d^2B(\frac d2, \frac12)^2/(4\pi^2)`, :math:`\lambda_1 = \frac14`,
    :math:`\lambda_2 = \lambda_0/(d+1)^2`, and :math:`\lambda_k = 0` for odd :math:`k \ge 3`.
    Higher degrees are beyond the paper (chapter harmonics; the paper points to the Mercer
    decomposition in §1).

    Parameters
    ----------
    value : float
        The student's eigenvalue (one number; anything else is reported, not raised).
    d : int
        Input dimension, ``d >= 3``.
    k : int
        Spherical-harmonic degree, ``k >= 0`` (within the range of
        :func:`companion.mercer_eigenvalues`).
    rtol : float, default 1e-6
        Relative tolerance, in (0, 0.1].

    Returns
    -------
    CheckResult
        True when the value matches; its lines diagnose the mistakes.

    Raises
    ------
    TypeError
        If ``d`` or ``k`` is not an integer, or ``rtol`` not a real number.
    ValueError
        If ``rtol`` is outside (0, 0.1], ``d < 3``, ``k < 0`` or ``k`` is too large for the
        quadrature.
    """
    from .eigengroups import group_eigenvalues
    from .harmonics import mercer_eigenvalues

    rtol = _rtol(rtol)
    result = CheckResult(f"Mercer eigenvalue λ_{k} at d = {d}")
    d = check_d(d)
    k = check_int(k, "k", minimum=0)
    got = _as_array(value, result, "value")
    if got is None:
        return result
    if got.size != 1:
        result.bad(f"give one number, got an array of shape {got.shape}", form=True)
        return result
    got = float(got.reshape(()))
    ref = float(mercer_eigenvalues(d, k)[k])
    if k % 2 == 1 and k >= 3 and abs(got) >= 1e-10:
        result.bad(
            "not this value: for an odd degree look at the odd part of the kernel g(t), "
            "and at which degrees a polynomial of that degree has components"
        )
        return result
    if k % 2 == 1 and k >= 3:
        result.good("odd degree ≥ 3: matches")
        return result
    if np.isclose(got, ref, rtol=rtol):
        result.good(f"matches to rtol {rtol:g}")
        return result
    if np.isclose(got * d, ref, rtol=rtol):
        result.bad(
            "off by a factor d: this is μ_k on the sphere; the eigenvalue of J is d·μ_k (E‖z‖² = d)"
        )
        return result
    if k <= 2:
        paper = group_eigenvalues(d)[("G1", "G2", "G3_ab")[k]]
        if np.isclose(got, paper, rtol=1e-9):
            result.bad("this is the paper's approximation; the exact value keeps B(d/2, 1/2)")
            return result
    rel = abs(got / ref - 1)
    size = "by more than a factor 2" if rel > 1 or got < ref / 2 else "by less than a factor 2"
    result.bad(f"too {'large' if got > ref else 'small'} ({size}): check the constant")
    return result


def check_table1_row(
    row: dict,
    d: int,
    m: int,
    *,
    n_inputs: int = 100,
    seeds: int = 8,
    rng: int | np.random.Generator = 12345,
) -> CheckResult:
    r"""Check a student's Table 1 row ``{"G1": mae, "G2": ..., "G3_gamma": ..., "G3_ab": ...}``.

    The MAE is random (it depends on the draw of :math:`W` and :math:`x`), so each value is
    compared with the spread of the package's own row over ``seeds`` fresh draws: it must lie
    within 4 standard deviations of one group-averaged draw, or within the range of single
    members. A value 10 or more times too large usually means :math:`W` was drawn with variance
    1 instead of :math:`1/m`.

    The reference is :func:`companion.table1_row`, the MAE
    :math:`\frac1N\sum_n |F(x_n) - X(x_n)^\top v|` of the paper's Table 1 (§4.2). A value
    :math:`e` passes when :math:`|e - \bar e| \le 4\,\mathrm{sd}` or
    :math:`\min_{s,k} e_{s,k} \le e \le \max_{s,k} e_{s,k}`.

    Parameters
    ----------
    row : dict
        One number per group of ``TABLE1_GROUPS`` (an array is averaged: e.g. the
        per-member errors); anything else is reported in the result, not raised.
    d : int
        Input dimension, ``d >= 3``.
    m : int
        Width, ``m >= 1``.
    n_inputs : int, default 100
        Inputs per draw of the reference, ``>= 1``.
    seeds : int, default 8
        Draws of the reference, ``>= 1``.
    rng : int or numpy.random.Generator, default 12345
        Root seed of the reference ``>= 0``, or a Generator that one is drawn from.

    Returns
    -------
    CheckResult
        True when every group's value is plausible; its lines diagnose the implausible ones.

    Raises
    ------
    TypeError
        If ``d``, ``m``, ``n_inputs``, ``seeds`` or ``seed`` is not an integer.
    ValueError
        If one of them is out of its range.
    """
    seed = check_seed(rng)
    from .simulations import TABLE1_GROUPS, table1_row

    result = CheckResult(f"Table 1 row d = {d}, m = {m}")
    if not isinstance(row, dict):
        result.bad(
            "give the row as a dict {'G1': ..., 'G2': ..., 'G3_gamma': ..., 'G3_ab': ...}",
            form=True,
        )
        return result
    missing = [g for g in TABLE1_GROUPS if g not in row]
    if missing:
        result.bad(f"missing group(s): {', '.join(missing)}", form=True)
        return result
    ref = table1_row(d, m, seeds=seeds, n_inputs=n_inputs, rng=seed)
    for g in TABLE1_GROUPS:
        value = _as_array(row[g], result, g)
        if value is None:
            continue
        value = float(np.mean(value))
        per = ref.per_member[g]
        spread = max(ref.sd[g], 1e-15)
        if abs(value - ref.mean[g]) <= 4 * spread or per.min() <= value <= per.max():
            result.good(f"{g}: plausible for this (d, m)")
        elif value > 10 * ref.mean[g]:
            result.bad(
                f"{g}: far too large — is W drawn with variance 1/m "
                "(W = rng.standard_normal((d, m)) / sqrt(m))?"
            )
        else:
            result.bad(
                f"{g}: too {'large' if value > ref.mean[g] else 'small'} for this (d, m) "
                "— check the limit function's constant and the member vectors"
            )
    return result
