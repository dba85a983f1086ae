"""companion: every computation of Ho, Takeishi & Takeuchi (arXiv 2505.17907v2).

"Approximating Simple ReLU Networks based on Spectral Decomposition of Fisher
Information". The model: ``x ~ N(0, I_d)``, fixed hidden weights ``W`` (``d x m``,
iid ``N(0, 1/m)``), features ``X = relu(x^T W)``, output ``f_v(x) = X^T v`` and
Fisher information ``J = E_x[X X^T]``.
"""

__version__ = "0.1.0"
