"""Command line of :mod:`companion`: ``python -m companion SUBCOMMAND ...``.

Subcommands
-----------
``table1``
    The paper's Table 1 (§4): the mean absolute error between every member of each
    eigen-group and its limit (Theorems 3.1-3.5), mean and spread over seeds, beside the
    paper's own number.
``spectrum``
    The eigenvalues of the exact Fisher matrix :math:`J` for one draw of :math:`W`, their
    three clusters against the predicted group eigenvalues (§2.2, eq. (5)) and the share of
    the trace left in the residual :math:`R` of decomposition (5).
``mercer``
    The eigenvalues :math:`\\lambda_k` of :math:`J` as :math:`m \\to \\infty`, one per
    spherical-harmonic degree, with their multiplicities :math:`N(d, k)`.
``model``
    The share of a random network :math:`v \\sim N(0, I_m)` kept by the
    :math:`d(d+3)/2`-function model of eq. (2) for one draw of :math:`W`, by group and for the
    top eigenvectors of :math:`J`, against its :math:`m \\to \\infty` limit.

With ``--json`` each subcommand prints exactly one JSON object on stdout and nothing
else; without it, an aligned table. A bad argument ends the program with exit status 2
and exactly one line on stderr, which names the argument.

Examples
--------
::

    python -m companion table1 --rows 10:10000 --seeds 3
    python -m companion spectrum --d 10 --m 1000 --json
    python -m companion mercer --d 5 --kmax 6
    python -m companion model --d 10 --m 2000 --json
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence

import numpy as np

from ._validate import MAX_DENSE_BYTES

__all__ = ["main", "build_parser"]

#: Exit status of a bad argument (that of argparse).
EXIT_USAGE = 2
#: A failure that is not the user's: an internal error, out of memory, output not written.
EXIT_FAILURE = 1

#: Dense m x m matrices that `spectrum` holds at once (J, and decomposition (5)'s J_hat, R and
#: the eigensolver's copy and workspace): m <= MAX_SPECTRUM_M.
_SPECTRUM_COPIES = 5
MAX_SPECTRUM_M = int((MAX_DENSE_BYTES / (8 * _SPECTRUM_COPIES)) ** 0.5)
#: Dense m x m matrices that `model` holds at once (J, the eigensolver's copy and workspace).
_MODEL_COPIES = 3
MAX_MODEL_M = int((MAX_DENSE_BYTES / (8 * _MODEL_COPIES)) ** 0.5)


class UsageError(Exception):
    """A bad argument, reported on one line of stderr."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and do not exit (``main`` reports them).

    argparse prints the usage and then the message (two lines or more) and calls
    ``sys.exit``; here the message alone is raised, and :func:`main` prints it as
    ``prog: error: message``. Subparsers inherit the class (``add_subparsers`` uses
    ``type(self)`` by default).
    """

    def error(self, message: str):  # noqa: D401 - argparse's signature
        raise UsageError(f"{self.prog}: error: {message}")


def _row(text: str) -> tuple[int, int]:
    """Parse ``--rows`` items ``D:M`` (e.g. ``10:10000``)."""
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        return int(parts[0]), int(parts[1])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"rows must be D:M with two integers (e.g. 10:10000), got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m companion``."""
    parser = _Parser(
        prog="python -m companion",
        description="Numerics of Ho, Takeishi & Takeuchi, arXiv 2505.17907v2 "
        "(Fisher information of simple ReLU networks).",
    )
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)

    p = sub.add_parser(
        "table1",
        help="Table 1 (§4): MAE of each eigen-group's basis functions against their limits",
        description="Table 1 (§4): for each (d, m), the mean absolute error between X^T v and its "
        "limit F over N inputs, for every member v of each group, mean and sd over seeds.",
    )
    p.add_argument(
        "--rows",
        type=_row,
        nargs="+",
        metavar="D:M",
        help="the (d, m) rows, e.g. 10:10000 50:500 (default: the paper's eight rows)",
    )
    p.add_argument(
        "--seeds", type=int, default=5, help="independent draws of (W, x) per row (default 5)"
    )
    p.add_argument(
        "--n-inputs",
        type=int,
        default=100,
        dest="n_inputs",
        help="inputs x ~ N(0, I_d) per draw (default 100, the paper's N)",
    )
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_table1)

    p = sub.add_parser(
        "spectrum",
        help="eigenvalues of the exact J for one W, against the group eigenvalues (§2.2)",
        description="Eigenvalues of the exact Fisher matrix J for W ~ N(0, 1/m) (d x m), the means "
        "of its three clusters against the predicted group eigenvalues, and the residual share "
        f"tr R / tr J of decomposition (5). J is dense (m x m): m <= {MAX_SPECTRUM_M}.",
    )
    p.add_argument("--d", type=int, required=True, help="input dimension (> 2)")
    p.add_argument(
        "--m", type=int, required=True, help=f"hidden units (>= d(d+3)/2, <= {MAX_SPECTRUM_M})"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of W (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_spectrum)

    p = sub.add_parser(
        "mercer",
        help="eigenvalues of J as m -> oo, one per spherical-harmonic degree",
        description="Mercer eigenvalues lambda_k (k = 0..kmax) of J as m -> oo with their "
        "multiplicities N(d, k), and the share of tr J carried by the degrees k <= 2.",
    )
    p.add_argument("--d", type=int, required=True, help="input dimension (> 2)")
    p.add_argument("--kmax", type=int, required=True, help="highest degree (>= 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_mercer)

    p = sub.add_parser(
        "model",
        help="share of a random network kept by the d(d+3)/2 functions of eq. (2)",
        description="For W ~ N(0, 1/m) (d x m), the expected share tr(J V (V^T J V)^-1 V^T J) / "
        "tr J of a random network v ~ N(0, I_m) in the span of the d(d+3)/2 approximate "
        "eigenvectors of eq. (2), by group, the same for the top d(d+3)/2 eigenvectors of J, and "
        f"the limit as m -> oo. J is dense (m x m): m <= {MAX_MODEL_M}.",
    )
    p.add_argument("--d", type=int, required=True, help="input dimension (> 2)")
    p.add_argument(
        "--m", type=int, required=True, help=f"hidden units (>= d(d+3)/2, <= {MAX_MODEL_M})"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of W (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_model)
    return parser


# --------------------------------------------------------------------------- #
# output helpers
# --------------------------------------------------------------------------- #
def _plain(obj):
    """Numpy scalars/arrays to Python numbers/lists; non-finite floats to None (valid JSON)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _plain(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        obj = float(obj)
        return obj if math.isfinite(obj) else None
    return obj


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """An aligned text table; ``align`` has one ``<`` or ``>`` per column (default: right)."""
    align = align or ">" * len(header)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths, strict=True))
    lines = [fmt.format(*header), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*map(str, r)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


# --------------------------------------------------------------------------- #
# subcommands: each returns (JSON-ready dict, readable text)
# --------------------------------------------------------------------------- #
def _table1(args) -> tuple[dict, str]:
    import companion as cp

    rows = list(cp.PAPER_TABLE1) if args.rows is None else args.rows  # default: the paper's rows
    result = cp.table1(rows, seeds=args.seeds, n_inputs=args.n_inputs, rng=args.seed)
    data = {
        "rows": [r.as_dict() for r in result],
        "seeds": args.seeds,
        "n_inputs": args.n_inputs,
        "seed": args.seed,
    }

    groups = cp.TABLE1_GROUPS
    header = ["d", "m"]
    for g in groups:
        header += [f"{g} mean ± sd", "paper"]
    body = []
    for r in result:
        line = [str(r.d), str(r.m)]
        for g in groups:
            line.append(f"{r.mean[g]:.4f} ± {r.sd[g]:.4f}")
            line.append("-" if r.paper is None else f"{r.paper[g]:.4f}")
        body.append(line)
    sd_kind = "sd across seeds of the member-averaged MAE" if args.seeds > 1 else "one seed: sd = 0"
    text = (
        f"Table 1: MAE of X^T v against its limit F, every member of each group, "
        f"N = {args.n_inputs} inputs, {args.seeds} seed(s) from seed {args.seed} ({sd_kind}).\n"
        + _table(header, body)
    )
    return data, text


def _spectrum(args) -> tuple[dict, str]:
    import companion as cp

    from ._validate import check_dense

    d, m = args.d, args.m
    predicted = {
        "paper": cp.group_eigenvalues(d),
        "exact": cp.group_eigenvalues(d, exact=True),
    }  # checks d
    need = 1 + d + cp.multiplicity(d, 2)
    if m < need:
        raise ValueError(
            f"m must be >= d(d+3)/2 = {need} for d = {d} "
            f"(the three clusters need 1 + d + d(d+1)/2 - 1 eigenvalues), got {m}"
        )
    check_dense(m, copies=_SPECTRUM_COPIES)  # before drawing W: a too-large m is refused at once
    W = cp.sample_weights(d, m, rng=args.seed)
    J = cp.fisher_exact(W)
    eig = cp.fisher_spectrum(J)
    clusters = cp.cluster_means(eig, d)
    dec = {}
    for kind in ("paper", "exact"):  # keep two numbers, not the three dense m x m matrices
        full = cp.decomposition(W, J=J, exact=(kind == "exact"))
        dec[kind] = argparse.Namespace(
            residual_share=full.residual_share, min_eigenvalue=full.min_eigenvalue
        )
        del full
    # the G3 prediction is shared by G3_gamma and G3_ab: report it once, as "G3"
    pred3 = {k: {"G1": v["G1"], "G2": v["G2"], "G3": v["G3_gamma"]} for k, v in predicted.items()}
    data = {
        "d": d,
        "m": m,
        "seed": args.seed,
        "trace": float(np.trace(J)),
        "eigenvalues": eig,
        "cluster_means": clusters,
        "multiplicities": {"G1": 1, "G2": d, "G3": need - 1 - d},
        "predicted": predicted,
        "residual_share": {k: v.residual_share for k, v in dec.items()},
        "residual_min_eigenvalue": {k: v.min_eigenvalue for k, v in dec.items()},
    }

    body = []
    for g, n in (("G1", 1), ("G2", d), ("G3", need - 1 - d)):
        body.append(
            [
                g,
                str(n),
                f"{clusters[g]:.6g}",
                f"{pred3['paper'][g]:.6g}",
                f"{pred3['exact'][g]:.6g}",
            ]
        )
    top = min(10, m)
    text = "\n".join(
        [
            f"Spectrum of the exact J: d = {d}, m = {m}, seed = {args.seed}, "
            f"tr J = {data['trace']:.6g}",
            _table(["cluster", "size", "mean eigenvalue", "paper", "exact (m->oo)"], body, "<>>>>"),
            f"share of tr J outside the three clusters: {clusters['tail_share']:.4g}",
            "residual share tr R / tr J of decomposition (5): "
            f"{dec['paper'].residual_share:.4g} (paper's eigenvalues), "
            f"{dec['exact'].residual_share:.4g} (exact eigenvalues)",
            "smallest eigenvalue of R: "
            f"{dec['paper'].min_eigenvalue:.3g} (paper's), "
            f"{dec['exact'].min_eigenvalue:.3g} (exact)",
            f"largest {top} eigenvalues: " + "  ".join(f"{e:.5g}" for e in eig[:top]),
        ]
    )
    return data, text


def _mercer(args) -> tuple[dict, str]:
    import companion as cp

    d, kmax = args.d, args.kmax
    lam = cp.mercer_eigenvalues(d, kmax)
    share = cp.trace_share(d)
    degrees = [
        {"k": k, "multiplicity": cp.multiplicity(d, k), "eigenvalue": float(lam[k])}
        for k in range(kmax + 1)
    ]
    data = {"d": d, "degrees": degrees, "share_degrees_le_2": share}
    body = [[str(r["k"]), str(r["multiplicity"]), f"{r['eigenvalue']:.10g}"] for r in degrees]
    text = "\n".join(
        [
            f"Mercer eigenvalues of J as m -> oo, d = {d} "
            "(eigenvalue lambda_k with multiplicity N(d, k))",
            _table(["k", "N(d, k)", "lambda_k"], body),
            f"share of tr J = d/2 carried by degrees k <= 2: {share:.6f}",
        ]
    )
    return data, text


def _model(args) -> tuple[dict, str]:
    import companion as cp

    from ._validate import check_d, check_dense

    d, m = check_d(args.d), args.m
    need = d * (d + 3) // 2
    if m < need:
        raise ValueError(
            f"m must be >= d(d+3)/2 = {need} for d = {d} (the functions of eq. (2)), got {m}"
        )
    check_dense(m, copies=_MODEL_COPIES)  # before drawing W: a too-large m is refused at once
    W = cp.sample_weights(d, m, rng=args.seed)
    es = cp.expected_share(W, top=True)
    data = {
        "d": d,
        "m": m,
        "seed": args.seed,
        "n_basis": es.n_basis,
        "trace": es.trace,
        "expected_share_groups": es.share,
        "expected_share_by_group": es.group_shares,
        "expected_share_own_group": es.own_shares,
        "expected_share_top": es.top,
        "share_limit": es.limit,
        "share_limit_large_d": es.limit_large_d,
    }
    body = [
        [g, str(cp.group_size(d, g)), f"{es.group_shares[g]:.6f}", f"{es.own_shares[g]:.6f}"]
        for g in es.group_shares
    ]
    text = "\n".join(
        [
            f"Share of a random network v ~ N(0, I_m) kept by the {es.n_basis} functions of "
            f"eq. (2): d = {d}, m = {m}, seed = {args.seed}, tr J = {es.trace:.6g}",
            "(ratios of expectations: E||f_proj||^2 / E||f_v||^2, exact through J)",
            _table(["group", "size", "share (in order)", "share (alone)"], body, "<>>>"),
            f"{'span of eq. (2):':<38}{es.share:.6f}",
            f"{f'span of the top {es.n_basis} eigenvectors of J:':<38}{es.top:.6f}",
            f"{'m -> oo (degrees <= 2 of tr J):':<38}{es.limit:.6f}",
            f"{'d -> oo, 1/2 + 3/(2 pi):':<38}{es.limit_large_d:.6f}",
        ]
    )
    return data, text


# --------------------------------------------------------------------------- #
# entry point
# --------------------------------------------------------------------------- #
def _one_line(text: str) -> str:
    return " ".join(str(text).split())


#: The command-line flag behind each parameter name in the package's messages.
_FLAGS = {
    "d": "--d",
    "m": "--m",
    "kmax": "--kmax",
    "seeds": "--seeds",
    "n_inputs": "--n-inputs",
    "seed": "--seed",
}


def _flag_of(command: str, message: str) -> str | None:
    """The flag a package message (``"m must be >= 1, got 0"``) is about, from the parameter
    name it starts with; None when it names none of the command's arguments (then the error is
    not the user's)."""
    name = re.match(r"[A-Za-z_]+", message)
    name = name.group(0) if name else ""
    if command == "table1" and name in ("d", "m", "rows"):
        return "--rows"
    return _FLAGS.get(name)


def _render(args, data: dict, text: str) -> str:
    if args.json:
        return json.dumps(_plain(data), allow_nan=False)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m companion`` with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Exit status 0 on success, 2 for a bad argument (one line on stderr, nothing on stdout),
    1 for a failure that is not the user's (out of memory, an internal error, the output not
    written: a closed pipe, a full disk; one line on stderr), 130 when interrupted.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(_one_line(exc), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    prefix = f"{parser.prog} {args.command}: error:"
    # multiplicities N(d, k) can have more digits than Python's default int-to-str limit (4300)
    max_digits = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    try:
        if max_digits is not None:
            sys.set_int_max_str_digits(0)
        data, text = args.func(args)
        out = _render(args, data, text)
    except (ValueError, TypeError, OverflowError) as exc:
        message = str(exc)
        flag = _flag_of(args.command, message)
        if flag is None:  # not about an argument: a bug of ours
            print(
                _one_line(f"{prefix} internal error: {type(exc).__name__}: {message}"),
                file=sys.stderr,
            )
            return EXIT_FAILURE
        # the package's messages name the parameter and its allowed range
        print(_one_line(f"{prefix} argument {flag}: {message}"), file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print(f"{prefix} out of memory (try a smaller m or d)", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"{parser.prog} {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(_one_line(f"{prefix} internal error: {type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_FAILURE
    finally:
        if max_digits is not None:
            sys.set_int_max_str_digits(max_digits)
    return _write(out, prefix)


def _write(out: str, prefix: str) -> int:
    """Print the result; a closed pipe (``| head``) or a full disk is one line on stderr."""
    try:
        try:
            sys.stdout.write(out + "\n")
        except UnicodeEncodeError:  # a terminal that cannot show "±"
            sys.stdout.write(
                out.replace("±", "+-").encode("ascii", "replace").decode("ascii") + "\n"
            )
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away: nothing more to say on stdout, and none of Python's own
        # complaints when it flushes stdout again at exit
        _silence_stdout()
        print(f"{prefix} output not written: the pipe was closed", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as exc:  # e.g. no space left on the device
        _silence_stdout()
        print(_one_line(f"{prefix} output not written: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_FAILURE
    return 0


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
