"""``torch.linalg``: norms (``vector_norm``, ``matrix_norm``, ``norm``), the decompositions' shapes (``qr``,
``svd``, ``eigh``), ``det``/``slogdet``, ``inv``/``pinv``/``solve``, ``cross``, ``vecdot``, ``matmul`` and
``multi_dot`` (whose multiply-accumulates are charged as ``torch.matmul``'s). Batch dimensions lead, as in torch.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import DTYPES, FLOAT32, promote
from nncalc.frameworks.torch.errors import TorchTypeError, shape_error
from nncalc.frameworks.torch.shapes import broadcast, dim_index, reduce_shape
from nncalc.frameworks.torch.tensor import Tensor, named_pair

REAL = {"complex64": "float32", "complex128": "float64"}

QR = named_pair("QR", "Q", "R")
SlogDet = named_pair("SlogDet", "sign", "logabsdet")
Eigh = named_pair("Eigh", "eigenvalues", "eigenvectors")


class SVD(tuple):
    """``(U, S, Vh)``, also as attributes."""

    U = property(lambda self: self[0])
    S = property(lambda self: self[1])
    Vh = property(lambda self: self[2])


def _tensor(value, name: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"linalg.{name}(): argument 'A' must be Tensor, not {type(value).__name__}")
    return value


def _real_kind(x: Tensor, dtype=None):
    if dtype is not None:
        return dtype
    if x._dtype.is_complex:
        return DTYPES[REAL[x._dtype.name]]
    return x._dtype if x._dtype.is_floating_point else FLOAT32


def _matrix(x, name: str, square: bool = False) -> Tensor:
    x = _tensor(x, name)
    if len(x._shape) < 2:
        raise shape_error(f"linalg.{name}: The input tensor A must have at least 2 dimensions.", "rank")
    if square and x._shape[-1] != x._shape[-2]:
        raise shape_error(f"linalg.{name}: A must be batches of square matrices, but they are {x._shape[-2]} by "
                          f"{x._shape[-1]} matrices", "reshape")
    return x


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None) -> Tensor:  # noqa: A002
    x = _tensor(x, "vector_norm")
    return x._like(reduce_shape(x._shape, dim, keepdim, "norm"), dtype_=_real_kind(x, dtype), factors=None)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None) -> Tensor:  # noqa: A002
    x = _matrix(A, "matrix_norm")
    return x._like(reduce_shape(x._shape, tuple(dim), keepdim, "norm"), dtype_=_real_kind(x, dtype), factors=None)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None) -> Tensor:  # noqa: A002
    x = _tensor(A, "norm")
    if ord is not None and dim is None and len(x._shape) not in (1, 2):
        raise shape_error(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                          f"{len(x._shape)}D.", "rank")
    return x._like(reduce_shape(x._shape, dim, keepdim, "norm"), dtype_=_real_kind(x, dtype), factors=None)


def det(A, *, out=None) -> Tensor:
    x = _matrix(A, "det", square=True)
    return x._like(x._shape[:-2], factors=None)


def slogdet(A, *, out=None):
    x = _matrix(A, "slogdet", square=True)
    return SlogDet(x._like(x._shape[:-2], factors=None), x._like(x._shape[:-2], dtype_=_real_kind(x), factors=None))


def inv(A, *, out=None) -> Tensor:
    x = _matrix(A, "inv", square=True)
    return x._like()


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None) -> Tensor:
    x = _matrix(A, "pinv")
    return x.transpose(-2, -1)


def solve(A, B, *, left=True, out=None) -> Tensor:
    a, b = _matrix(A, "solve", square=True), _tensor(B, "solve")
    vector = len(b._shape) == len(a._shape) - 1 and b._shape[-1] == a._shape[-1]
    rhs = b._shape + (1,) if vector else b._shape
    size = rhs[-2] if left else rhs[-1]
    if size != a._shape[-1]:
        raise shape_error(f"linalg.solve: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'}"
                          f" ({'x'.join(map(str, a._shape[-2:]))} and {'x'.join(map(str, rhs[-2:]))})", "features")
    shape = broadcast(a._shape[:-2], rhs[:-2]) + rhs[-2:]
    return Tensor._make(shape[:-1] if vector else shape, promote(a._dtype, b._dtype), a._device)


def cholesky(A, *, upper=False, out=None) -> Tensor:
    return _matrix(A, "cholesky", square=True)._like()


def qr(A, mode="reduced", *, out=None):
    x = _matrix(A, "qr")
    m, n = x._shape[-2:]
    k = min(m, n)
    batch = x._shape[:-2]
    q_cols = m if mode == "complete" else k
    r_rows = m if mode == "complete" else k
    q = x._like(batch + ((m, q_cols) if mode != "r" else (0,)), factors=None)
    return QR(q, x._like(batch + (r_rows, n), factors=None))


def svd(A, full_matrices=True, *, driver=None, out=None):
    x = _matrix(A, "svd")
    m, n = x._shape[-2:]
    k = min(m, n)
    batch = x._shape[:-2]
    u = x._like(batch + (m, m if full_matrices else k), factors=None)
    s = x._like(batch + (k,), dtype_=_real_kind(x), factors=None)
    vh = x._like(batch + (n if full_matrices else k, n), factors=None)
    return SVD((u, s, vh))


def svdvals(A, *, driver=None, out=None) -> Tensor:
    return svd(A, False)[1]


def eigh(A, UPLO="L", *, out=None):  # noqa: N803 - torch's name
    x = _matrix(A, "eigh", square=True)
    return Eigh(x._like(x._shape[:-1], dtype_=_real_kind(x), factors=None), x._like())


def eigvalsh(A, UPLO="L", *, out=None) -> Tensor:  # noqa: N803
    return eigh(A, UPLO)[0]


def cross(input, other, *, dim=-1, out=None) -> Tensor:
    return _tensor(input, "cross").cross(other, dim=dim)


def vecdot(x, y, *, dim=-1, out=None) -> Tensor:
    a, b = _tensor(x, "vecdot"), _tensor(y, "vecdot")
    shape = broadcast(a._shape, b._shape)
    axis = dim_index(dim, len(shape))
    return Tensor._make(shape[:axis] + shape[axis + 1:], promote(a._dtype, b._dtype), a._device)


def matmul(input, other, *, out=None) -> Tensor:
    return _tensor(input, "matmul") @ _tensor(other, "matmul")


def multi_dot(tensors, *, out=None) -> Tensor:
    items = list(tensors)
    if len(items) < 2:
        raise TorchTypeError("multi_dot(): expected at least 2 tensors but got " + str(len(items)))
    result = _tensor(items[0], "multi_dot")
    for item in items[1:]:
        result = result @ _tensor(item, "multi_dot")
    return result


def diagonal(A, *, offset=0, dim1=-2, dim2=-1) -> Tensor:
    return _tensor(A, "diagonal").diagonal(offset, dim1, dim2)


def matrix_power(A, n: int, *, out=None) -> Tensor:
    return _matrix(A, "matrix_power", square=True)._like()


def matrix_exp(A) -> Tensor:
    return _matrix(A, "matrix_exp", square=True)._like()


MEMBERS = {
    "vector_norm": vector_norm, "matrix_norm": matrix_norm, "norm": norm, "det": det, "slogdet": slogdet,
    "inv": inv, "pinv": pinv, "solve": solve, "cholesky": cholesky, "qr": qr, "svd": svd, "svdvals": svdvals,
    "eigh": eigh, "eigvalsh": eigvalsh, "cross": cross, "vecdot": vecdot, "matmul": matmul, "multi_dot": multi_dot,
    "diagonal": diagonal, "matrix_power": matrix_power, "matrix_exp": matrix_exp,
}  # fmt: skip
"""The members of ``torch.linalg`` nncalc implements."""
KNOWN = frozenset({
    "cholesky_ex", "cond", "eig", "eigvals", "householder_product", "inv_ex", "ldl_factor", "ldl_factor_ex",
    "ldl_solve", "lstsq", "lu", "lu_factor", "lu_factor_ex", "lu_solve", "matrix_rank", "solve_ex",
    "solve_triangular", "tensorinv", "tensorsolve", "vander",
})
"""Other names of ``torch.linalg``: an op without a rule."""
