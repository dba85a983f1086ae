"""companion: every computation of Ho, Takeishi & Takeuchi (arXiv 2505.17907v2).

"Approximating Simple ReLU Networks based on Spectral Decomposition of Fisher
Information". The model: ``x ~ N(0, I_d)``, fixed hidden weights ``W`` (``d x m``,
iid ``N(0, 1/m)``), features ``X = relu(x^T W)``, output ``f_v(x) = X^T v`` and
Fisher information ``J = E_x[X X^T]``.
"""

__version__ = "0.1.0"

from .checks import (
    CheckResult,
    check_eigenvectors,
    check_fisher,
    check_limit,
    check_mercer_eigenvalue,
    check_table1_row,
)

# Beyond the paper (issue 6): one line per module, `from .MODULE import *` (its __all__).
from .dynamics import *  # noqa: F401,F403
from .eigengroups import (
    GROUPS,
    Decomposition,
    basis,
    basis_labels,
    cluster_labels,
    cluster_means,
    decomposition,
    eigenvectors,
    gram_matrix,
    group_eigenvalues,
    group_outputs,
    group_size,
    group_vectors,
    rayleigh_leakage,
    rayleigh_quotients,
)
from .fisher import (
    features,
    fisher_empirical,
    fisher_exact,
    fisher_spectrum,
    sample_inputs,
    sample_weights,
)
from .harmonics import (
    closed_form_eigenvalues,
    default_n_nodes,
    legendre_d,
    mercer_eigenvalues,
    mercer_eigenvalues_closed_form,
    multiplicity,
    paper_comparison,
    paper_eigenvalues,
    paper_trace_share,
    trace_share,
    zonal_kernel,
)
from .inputs import *  # noqa: F401,F403
from .limits import F0, F_ab, F_gamma, F_l, F_tilde, beta_half, limit, limit_constants, pairs
from .plotting import *  # noqa: F401,F403  (plotting.__all__)
from .simulate import (
    FINITE_WIDTH_GROUPS,
    PAPER_ROWS,
    PAPER_TABLE1,
    SPECTRAL_MAX_M,
    TABLE1_GROUPS,
    FiniteWidthStudy,
    Table1Row,
    clt_crossing_width,
    clt_mae,
    clt_mse,
    clt_term_cumulants,
    crossing_width,
    crossing_widths,
    error_decay,
    figure1_data,
    finite_width_study,
    first_width,
    fit_exponent,
    fit_slope,
    limit_norm2,
    member_mae,
    spectral_resolution,
    table1,
    table1_frame,
    table1_readings,
    table1_row,
    width_exponents,
)

__all__ = [
    name
    for name in dir()
    if not name.startswith("_")
    and name
    not in {
        "fisher",
        "limits",
        "eigengroups",
        "harmonics",
        "simulate",
        "plotting",
        "checks",
        "widgets",
        "dynamics",
        "inputs",
        "cli",
    }
]
