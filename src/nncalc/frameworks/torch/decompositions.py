"""torch's matrix decompositions and solvers outside ``torch.linalg`` (``torch.qr``, ``torch.svd``, ``torch.lu``,
``torch.cholesky``, ``triangular_solve``, ``geqrf``/``orgqr``/``ormqr``, ``lu_solve``/``lu_unpack``, ``lobpcg``,
the low-rank ``svd_lowrank``/``pca_lowrank``): the shapes of their results, batch dimensions leading, as
torch gives them. Each is a ``torch`` function and, where torch has one, a :class:`Tensor` method.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import DTYPES
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.linalg import _matrix, _real_kind, slogdet
from nncalc.frameworks.torch.shapes import broadcast
from nncalc.frameworks.torch.tensor import Tensor, named_pair

INT32 = DTYPES["int32"]
QR = named_pair("QR", "Q", "R")
Geqrf = named_pair("geqrf", "a", "tau")
Solution = named_pair("triangular_solve", "solution", "cloned_coefficient")
Lobpcg = named_pair("lobpcg", "E", "X")


class Triple(tuple):
    """A three-part result (``torch.svd``'s ``U, S, V``; ``lu_unpack``'s ``P, L, U``), by position."""


def _batched(rhs: Tensor, a: Tensor, name: str, rows: int) -> tuple:
    """The shape of a solution ``X`` of ``A X = B``: the batch dimensions broadcast, ``B``'s matrix kept."""
    if len(rhs._shape) < 2:
        raise shape_error(f"{name}: The input tensor B must have at least 2 dimensions.", "rank")
    if rhs._shape[-2] != rows:
        raise shape_error(f"{name}: Incompatible matrix sizes for {name}: each A matrix is {rows} by {rows} but each "
                          f"b matrix is {rhs._shape[-2]} by {rhs._shape[-1]}", "features")
    return broadcast(rhs._shape[:-2], a._shape[:-2])


def cholesky(self: Tensor, upper: bool = False) -> Tensor:
    return _matrix(self, "cholesky", square=True)._like()


def cholesky_inverse(self: Tensor, upper: bool = False) -> Tensor:
    return _matrix(self, "cholesky_inverse", square=True)._like()


def cholesky_solve(self: Tensor, input2, upper: bool = False) -> Tensor:
    factor = _matrix(input2, "cholesky_solve", square=True)
    batch = _batched(_matrix(self, "cholesky_solve"), factor, "cholesky_solve", factor._shape[-1])
    return self._like(batch + self._shape[-2:], factors=None)


def triangular_solve(self: Tensor, A, upper: bool = True, transpose: bool = False,  # noqa: N803 - torch's name
                     unitriangular: bool = False):
    a = _matrix(A, "triangular_solve", square=True)
    batch = _batched(_matrix(self, "triangular_solve"), a, "triangular_solve", a._shape[-1])
    return Solution(self._like(batch + self._shape[-2:], factors=None), a._like(batch + a._shape[-2:], factors=None))


def qr(self: Tensor, some: bool = True):
    x = _matrix(self, "qr")
    m, n = x._shape[-2:]
    k = min(m, n) if some else m
    return QR(x._like(x._shape[:-2] + (m, k), factors=None), x._like(x._shape[:-2] + (k, n), factors=None))


def svd(self: Tensor, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)``, ``V`` not transposed; reduced unless ``some=False`` (or ``compute_uv=False``, whose
    zero-filled ``U`` and ``V`` are square)."""
    x = _matrix(self, "svd")
    m, n = x._shape[-2:]
    k = min(m, n)
    full = not some or not compute_uv
    batch = x._shape[:-2]
    return Triple((x._like(batch + (m, m if full else k), factors=None),
                   x._like(batch + (k,), dtype_=_real_kind(x), factors=None),
                   x._like(batch + (n, n if full else k), factors=None)))


def lu(self: Tensor, pivot: bool = True, get_infos: bool = False):
    """``(LU, pivots)`` (and ``infos`` with ``get_infos=True``), the pivots int32."""
    x = _matrix(self, "lu_factor")
    batch = x._shape[:-2]
    pivots = x._like(batch + (min(x._shape[-2:]),), dtype_=INT32, factors=None)
    parts = (x._like(), pivots) + ((x._like(batch, dtype_=INT32, factors=None),) if get_infos else ())
    return parts


def lu_solve(self: Tensor, LU_data, LU_pivots) -> Tensor:  # noqa: N803 - torch's names
    factor = _matrix(LU_data, "lu_solve", square=True)
    batch = _batched(_matrix(self, "lu_solve"), factor, "lu_solve", factor._shape[-1])
    return self._like(batch + self._shape[-2:], factors=None)


def lu_unpack(LU_data, LU_pivots, unpack_data: bool = True, unpack_pivots: bool = True):  # noqa: N803
    """``(P, L, U)`` of an ``m × n`` factorisation: ``m × m``, ``m × k``, ``k × n`` with ``k = min(m, n)``."""
    x = _matrix(LU_data, "lu_unpack")
    m, n = x._shape[-2:]
    k = min(m, n)
    batch = x._shape[:-2]
    return Triple(tuple(x._like(batch + shape, factors=None) for shape in ((m, m), (m, k), (k, n))))


def geqrf(self: Tensor):
    x = _matrix(self, "geqrf")
    return Geqrf(x._like(), x._like(x._shape[:-2] + (min(x._shape[-2:]),), factors=None))


def orgqr(self: Tensor, input2) -> Tensor:
    x = _matrix(self, "householder_product")
    if x._shape[-2] < x._shape[-1]:
        raise shape_error("torch.linalg.householder_product: input.shape[-2] must be greater than or equal to "
                          "input.shape[-1]", "reshape")
    return x._like()


def ormqr(self: Tensor, input2, input3, left: bool = True, transpose: bool = False) -> Tensor:
    _matrix(self, "ormqr")
    return _matrix(input3, "ormqr")._like()


def lobpcg(A, k=None, B=None, X=None, n=None, iK=None, niter=None, tol=None, largest=None,  # noqa: N803
           method=None, tracker=None, ortho_iparams=None, ortho_fparams=None, ortho_bparams=None):
    """``(E, X)``: ``k`` eigenvalues (1 by default, or ``X``'s columns) and their ``m × k`` eigenvectors."""
    a = _matrix(A, "lobpcg", square=True)
    if k is None:
        k = X._shape[-1] if isinstance(X, Tensor) else 1
    columns = X._shape[-1] if isinstance(X, Tensor) else (k if n is None else n)
    m = a._shape[-1]
    if m < 3 * columns:
        raise TorchValueError(f"LPBPCG algorithm is not applicable when the number of A rows (={m}) is smaller "
                              f"than 3 x the number of requested eigenpairs (={columns})")
    batch = a._shape[:-2]
    return Lobpcg(a._like(batch + (k,), factors=None), a._like(batch + (m, k), factors=None))


def svd_lowrank(A, q=6, niter: int = 2, M=None):  # noqa: N803 - torch's name
    """``(U, S, V)`` of rank ``q`` (at most the smaller side)."""
    x = _matrix(A, "svd_lowrank")
    m, n = x._shape[-2:]
    rank = min(q if q is not None else 6, m, n)
    batch = x._shape[:-2]
    return Triple((x._like(batch + (m, rank), factors=None), x._like(batch + (rank,), factors=None),
                   x._like(batch + (n, rank), factors=None)))


def pca_lowrank(A, q=None, center: bool = True, niter: int = 2):  # noqa: N803
    x = _matrix(A, "pca_lowrank")
    if q is not None and not 0 <= q <= min(x._shape[-2:]):
        raise TorchValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)="
                              f"{min(x._shape[-2:])}")
    return svd_lowrank(x, q)


def _tensor_only(function, name: str):
    def checked(self, *args, **kwargs):
        if not isinstance(self, Tensor):
            raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(self).__name__}")
        return function(self, *args, **kwargs)

    return checked


METHODS = {
    "cholesky": cholesky, "cholesky_inverse": cholesky_inverse, "cholesky_solve": cholesky_solve,
    "triangular_solve": triangular_solve, "qr": qr, "svd": svd, "lu": lu, "lu_solve": lu_solve, "geqrf": geqrf,
    "orgqr": orgqr, "ormqr": ormqr, "slogdet": lambda self: slogdet(self),
}  # fmt: skip
"""Tensor methods, also ``torch`` functions."""
FUNCTIONS = {"lu_unpack": lu_unpack, "lobpcg": lobpcg, "svd_lowrank": svd_lowrank, "pca_lowrank": pca_lowrank}
"""``torch`` functions only."""


def install() -> dict:
    """Give :class:`Tensor` the methods; the ``torch`` functions, by name."""
    for name, method in METHODS.items():
        setattr(Tensor, name, method)
    return {**{name: _tensor_only(method, name) for name, method in METHODS.items()}, **FUNCTIONS}
