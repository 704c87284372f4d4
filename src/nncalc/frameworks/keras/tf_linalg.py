"""``tf.linalg``'s ops (some also in ``tf``): matrices are the last two axes, the axes before them a batch;
decompositions give TensorFlow's tuples (``tf.linalg.svd``: ``s, u, v``; ``tf.linalg.qr``: ``q, r``; ``tf.linalg.eig``:
complex eigenvalues and eigenvectors)."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.tf_base import COMPLEX_REAL, broadcast, dtype_name, dtype_of, need_rank, shape_of, tensor


def _matrix(op: str, value) -> tuple:
    shape = shape_of(value, op)
    need_rank(op, shape, 2)
    return shape


def _complex(dtype: str) -> str:
    return "complex128" if dtype in ("float64", "complex128") else "complex64"


def same(op: str):
    def rule(input, *args, **kwargs):
        return tensor(_matrix(op, input), dtype_of([input]))

    return rule


def transposed(op: str):
    def rule(matrix, *args, **kwargs):
        shape = _matrix(op, matrix)
        return tensor((*shape[:-2], shape[-1], shape[-2]), dtype_of([matrix]))

    return rule


def batch_scalar(op: str):
    def rule(input, *args, **kwargs):
        dtype = dtype_of([input])
        return tensor(_matrix(op, input)[:-2], COMPLEX_REAL.get(dtype, dtype) if op == "logdet" else dtype)

    return rule


def like_rhs(op: str, position: int = 1):
    """A solve: the right-hand side's shape, the batch axes broadcast with the matrix's."""

    def rule(*args, **kwargs):
        matrix, rhs = args[0], args[position]
        left, right = _matrix(op, matrix), _matrix(op, rhs)
        compact = op in ("tridiagonal_solve", "tridiagonal_matmul")  # the diagonals, not a matrix
        batch = right[:-2] if compact else broadcast(op, [left[:-2], right[:-2]])
        return tensor((*batch, *right[-2:]), dtype_of([rhs]))

    return rule


def slogdet(input, name=None):
    batch = _matrix("slogdet", input)[:-2]
    dtype = dtype_of([input])
    return tensor(batch, dtype), tensor(batch, COMPLEX_REAL.get(dtype, dtype))


def cross(a, b, name=None):
    return tensor(broadcast("cross", [shape_of(a, "cross"), shape_of(b, "cross")]), dtype_of([a, b]))


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    shape = shape_of(diagonal, "diag")
    size = None if shape[-1] is None else shape[-1] + abs(k if isinstance(k, int) else 0)
    rows = size if num_rows == -1 else num_rows
    cols = size if num_cols == -1 else num_cols
    return tensor((*shape[:-1], rows, cols), dtype_of([diagonal]))


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    shape = _matrix("diag_part", input)
    rows, cols = shape[-2:]
    size = None if None in (rows, cols) else min(rows, cols)
    return tensor((*shape[:-2], size), dtype_of([input]))


def eig(tensor_, name=None):
    shape = _matrix("eig", tensor_)
    dtype = _complex(dtype_of([tensor_]))
    return tensor(shape[:-1], dtype), tensor(shape, dtype)


def eigvals(tensor_, name=None):
    return eig(tensor_)[0]


def eigh(tensor_, name=None):
    shape = _matrix("eigh", tensor_)
    dtype = dtype_of([tensor_])
    return tensor(shape[:-1], COMPLEX_REAL.get(dtype, dtype)), tensor(shape, dtype)


def eigvalsh(tensor_, name=None):
    return eigh(tensor_)[0]


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    left, right = _matrix("lstsq", matrix), _matrix("lstsq", rhs)
    return tensor((*broadcast("lstsq", [left[:-2], right[:-2]]), left[-1], right[-1]), dtype_of([matrix]))


def lu(input, output_idx_type="int32", name=None):
    shape = _matrix("lu", input)
    return tensor(shape, dtype_of([input])), tensor(shape[:-1], dtype_name(output_idx_type))


def matrix_rank(a, tol=None, validate_args=False, name=None):
    return tensor(_matrix("matrix_rank", a)[:-2], "int32")


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    matrix, vector = _matrix("matvec", a), shape_of(b, "matvec")
    rows, cols = (matrix[-1], matrix[-2]) if transpose_a or adjoint_a else matrix[-2:]
    if None not in (cols, vector[-1]) and cols != vector[-1]:
        raise KerasValueError(f"tf.linalg.matvec: {shape_text(matrix)} and {shape_text(vector)} do not match")
    return tensor((*broadcast("matvec", [matrix[:-2], vector[:-1]]), rows), dtype_of([a, b]))


def normalize(tensor_, ord="euclidean", axis=None, name=None):
    from nncalc.frameworks.keras.tf_arrays import norm

    shape = shape_of(tensor_, "normalize")
    return tensor(shape, dtype_of([tensor_])), norm(tensor_, ord, axis, keepdims=True)


def qr(input, full_matrices=False, name=None):
    shape = _matrix("qr", input)
    rows, cols = shape[-2:]
    k = rows if full_matrices else (None if None in (rows, cols) else min(rows, cols))
    dtype = dtype_of([input])
    return tensor((*shape[:-2], rows, k), dtype), tensor((*shape[:-2], k, cols), dtype)


def svd(tensor_, full_matrices=False, compute_uv=True, name=None):
    shape = _matrix("svd", tensor_)
    rows, cols = shape[-2:]
    k = None if None in (rows, cols) else min(rows, cols)
    dtype = dtype_of([tensor_])
    s = tensor((*shape[:-2], k), COMPLEX_REAL.get(dtype, dtype))
    if not compute_uv:
        return s
    u = tensor((*shape[:-2], rows, rows if full_matrices else k), dtype)
    v = tensor((*shape[:-2], cols, cols if full_matrices else k), dtype)
    return s, u, v


def tensor_diag(diagonal, name=None):
    shape = shape_of(diagonal, "tensor_diag")
    return tensor((*shape, *shape), dtype_of([diagonal]))


def tensor_diag_part(input, name=None):
    shape = shape_of(input, "tensor_diag_part")
    return tensor(shape[:len(shape) // 2], dtype_of([input]))


def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None):
    shape = shape_of(alpha, "eigh_tridiagonal")
    values = tensor(shape, dtype_of([alpha]))
    return values if eigvals_only else (values, tensor((*shape, *shape), dtype_of([alpha])))


def global_norm(t_list, name=None):
    return tensor((), dtype_of(list(t_list)))


def rules() -> dict:
    """Every op of this module by its TensorFlow name."""
    table = {name: same(name) for name in ("band_part", "cholesky", "expm", "logm", "sqrtm", "inv",
                                           "matrix_square_root", "lu_matrix_inverse", "lu_reconstruct", "set_diag")}
    table.update({name: transposed(name) for name in ("adjoint", "matrix_transpose", "pinv")})
    table.update({name: batch_scalar(name) for name in ("det", "logdet", "trace")})
    table.update({name: like_rhs(name) for name in ("banded_triangular_solve", "cholesky_solve", "triangular_solve",
                                                    "solve", "tridiagonal_solve", "tridiagonal_matmul")})
    table.update(lu_solve=like_rhs("lu_solve", 2), slogdet=slogdet, cross=cross, diag=diag, diag_part=diag_part,
                 eig=eig, eigvals=eigvals, eigh=eigh, eigvalsh=eigvalsh, lstsq=lstsq, lu=lu, matrix_rank=matrix_rank,
                 matvec=matvec, normalize=normalize, qr=qr, svd=svd, tensor_diag=tensor_diag,
                 tensor_diag_part=tensor_diag_part, global_norm=global_norm,
                 eigh_tridiagonal=eigh_tridiagonal)
    return table
