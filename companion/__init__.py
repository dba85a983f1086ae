"""companion: every computation of Ho, Takeishi & Takeuchi (arXiv 2505.17907v2).

"Approximating Simple ReLU Networks based on Spectral Decomposition of Fisher
Information". The model: ``x ~ N(0, I_d)``, fixed hidden weights ``W`` (``d x m``,
iid ``N(0, 1/m)``), features ``X = relu(x^T W)``, output ``f_v(x) = X^T v`` and
Fisher information ``J = E_x[X X^T]``.

One module per chapter of the book, in its order; each module's ``__all__`` lists its public
names, and every one of them is also here, at the top level (``companion.fisher_exact``):

- :mod:`companion.fisher` (the Fisher information matrix), :mod:`companion.eigengroups`,
  :mod:`companion.limits`, :mod:`companion.harmonics`, :mod:`companion.model` (the network
  as the small linear model of eq. (2)), :mod:`companion.simulations` (Table 1, Figure 1):
  the paper;
- :mod:`companion.finite_width`, :mod:`companion.dynamics`, :mod:`companion.distributions`:
  beyond the paper;
- :mod:`companion.plotting`, :mod:`companion.widgets`, :mod:`companion.checks` (a student's
  answer checked) and :mod:`companion.cli` (the command line).
"""

__version__ = "0.1.0"

from . import (
    checks,
    distributions,
    dynamics,
    eigengroups,
    finite_width,
    fisher,
    harmonics,
    limits,
    model,
    plotting,
    simulations,
)
from .checks import *
from .distributions import *
from .dynamics import *
from .eigengroups import *
from .finite_width import *
from .fisher import *
from .harmonics import *
from .limits import *
from .model import *
from .plotting import *
from .simulations import *

__all__ = [
    *fisher.__all__,
    *eigengroups.__all__,
    *limits.__all__,
    *harmonics.__all__,
    *model.__all__,
    *simulations.__all__,
    *finite_width.__all__,
    *dynamics.__all__,
    *distributions.__all__,
    *plotting.__all__,
    *checks.__all__,
]
