"""``tf.math``'s ops (most also in ``tf``, some in ``tf.nn``): element-wise functions, comparisons, reductions,
cumulative and segment ops, as TensorFlow computes their shapes and dtypes (no type promotion: the result has
the tensor operand's dtype; comparisons give ``bool``, ``argmax`` ``int64``, the real part of a complex tensor its
float dtype)."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.tf_base import (
    COMPLEX_REAL, axes, broadcast, dtype_name, dtype_of, need_rank, one_axis, shape_of, tensor,
)

UNARY = """
    abs acos acosh asin asinh atan atanh bessel_i0 bessel_i0e bessel_i1 bessel_i1e ceil conj cos cosh digamma erf
    erfc erfcinv erfinv exp expm1 floor lgamma log log1p ndtri negative reciprocal reciprocal_no_nan rint round
    rsqrt sigmoid sign sin sinh sqrt square tan tanh softplus softsign log_sigmoid relu relu6 elu selu gelu silu
    swish leaky_relu softmax log_softmax l2_normalize identity stop_gradient ensure_shape guarantee_const
    zeros_like ones_like cumsum cumprod cumulative_logsumexp invert_permutation
""".split()
"""Same shape, same dtype (a complex ``abs`` excepted: its float dtype)."""
BINARY = """
    add subtract multiply divide maximum minimum pow truediv floordiv floormod mod squared_difference atan2
    divide_no_nan multiply_no_nan realdiv truncatediv truncatemod xdivy xlog1py xlogy igamma igammac zeta polygamma
    nextafter
""".split()
"""Broadcast shapes, the tensor operand's dtype."""
COMPARISONS = "equal not_equal greater greater_equal less less_equal logical_and logical_or logical_xor".split()
PREDICATES = "is_finite is_inf is_nan logical_not".split()
REDUCTIONS = """
    reduce_mean reduce_sum reduce_max reduce_min reduce_prod reduce_std reduce_variance reduce_logsumexp
    reduce_euclidean_norm reduce_all reduce_any count_nonzero
""".split()
COMPLEX_PARTS = "real imag angle".split()
UNSORTED_SEGMENTS = """
    unsorted_segment_max unsorted_segment_mean unsorted_segment_min unsorted_segment_prod unsorted_segment_sqrt_n
    unsorted_segment_sum
""".split()


def unary(op: str):
    def rule(x, *args, name=None, **kwargs):
        dtype = dtype_of([x])
        if op == "abs":
            dtype = COMPLEX_REAL.get(dtype, dtype)
        if op in ("cumsum", "cumprod", "cumulative_logsumexp", "softmax", "log_softmax", "l2_normalize"):
            axis = kwargs.get("axis", args[0] if args else -1 if "soft" in op else 0)
            one_axis(axis if axis is not None else -1, len(shape_of(x, op)), op)
        return tensor(shape_of(x, op), dtype)

    return rule


def binary(op: str):
    def rule(x, y, name=None):
        return tensor(broadcast(op, [shape_of(x, op), shape_of(y, op)]), dtype_of([x, y]))

    return rule


def comparison(op: str):
    def rule(x, y, name=None):
        return tensor(broadcast(op, [shape_of(x, op), shape_of(y, op)]), "bool")

    return rule


def predicate(op: str):
    def rule(x, name=None):
        return tensor(shape_of(x, op), "bool")

    return rule


def complex_part(op: str):
    def rule(input, name=None):
        dtype = dtype_of([input])
        return tensor(shape_of(input, op), COMPLEX_REAL.get(dtype, dtype))

    return rule


def reduced(op: str, x, axis, keepdims: bool, dtype: str) -> object:
    shape = shape_of(x, op)
    chosen = axes(axis, len(shape), op)
    if keepdims:
        return tensor([1 if i in chosen else s for i, s in enumerate(shape)], dtype)
    return tensor([s for i, s in enumerate(shape) if i not in chosen], dtype)


def reduction(op: str):
    def rule(input_tensor, axis=None, keepdims=False, dtype=None, name=None):
        if op in ("reduce_all", "reduce_any"):
            result = "bool"
        elif op == "count_nonzero":
            result = dtype_name(dtype, "int64")
        else:
            result = dtype_of([input_tensor])
        return reduced(op, input_tensor, axis, keepdims, result)

    return rule


def arg_reduction(op: str):
    def rule(input, axis=None, output_type="int64", name=None):
        return reduced(op, input, 0 if axis is None else axis, False, dtype_name(output_type))

    return rule


def unsorted_segment(op: str):
    def rule(data, segment_ids, num_segments, name=None):
        shape, ids = shape_of(data, op), shape_of(segment_ids, op)
        if tuple(shape[:len(ids)]) != tuple(ids) and None not in shape[:len(ids)] + ids:
            raise KerasValueError(f"tf.math.{op}: segment_ids of shape {ids} must be a prefix of data's {shape}")
        if not isinstance(num_segments, int):
            num_segments = None
        return tensor((num_segments, *shape[len(ids):]), dtype_of([data]))

    return rule


def segment(op: str):
    """A sorted segment reduction: as many rows as the largest id + 1, which depends on the data (unknown)."""

    def rule(data, segment_ids, name=None):
        shape, ids = shape_of(data, op), shape_of(segment_ids, op)
        return tensor((None, *shape[len(ids):]), dtype_of([data]))

    return rule


def top_k(input, k=1, sorted=True, index_type="int32", name=None):
    shape = shape_of(input, "top_k")
    need_rank("top_k", shape, 1)
    out = (*shape[:-1], k)
    return tensor(out, dtype_of([input])), tensor(out, dtype_name(index_type))


def approx_top_k(operand, k, reduction_dimension=-1, **kwargs):
    shape = list(shape_of(operand, "approx_top_k"))
    shape[one_axis(reduction_dimension, len(shape), "approx_top_k")] = k
    return tensor(shape, dtype_of([operand])), tensor(shape, "int32")


def approx_k(operand, k, reduction_dimension=-1, **kwargs):
    return approx_top_k(operand, k, reduction_dimension)


def add_n(inputs, name=None):
    return tensor(broadcast("add_n", [shape_of(x, "add_n") for x in inputs]), dtype_of(list(inputs)))


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    return add_n(inputs)


def scalar_mul(scalar, x, name=None):
    return tensor(shape_of(x, "scalar_mul"), dtype_of([x]))


def betainc(a, b, x, name=None):
    return tensor(broadcast("betainc", [shape_of(v, "betainc") for v in (a, b, x)]), dtype_of([a, b, x]))


def complex(real, imag, name=None):
    dtype = "complex128" if dtype_of([real, imag]) == "float64" else "complex64"
    return tensor(broadcast("complex", [shape_of(real, "complex"), shape_of(imag, "complex")]), dtype)


def lbeta(x, name=None):
    shape = shape_of(x, "lbeta")
    return tensor(shape[:-1], dtype_of([x]))


def polyval(coeffs, x, name=None):
    return tensor(broadcast("polyval", [shape_of(x, "polyval")] + [shape_of(c, "polyval") for c in coeffs]),
                  dtype_of([x, *coeffs]))


def zero_fraction(value, name=None):
    return tensor((), "float32")


def is_monotonic(op: str):
    def rule(x, name=None):
        return tensor((), "bool")

    return rule


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return tensor(broadcast("clip_by_value", [shape_of(v, "clip_by_value") for v in (t, clip_value_min,
                                                                                      clip_value_max)]),
                  dtype_of([t]))


def clip_by_norm(t, clip_norm, axes=None, name=None):
    return tensor(shape_of(t, "clip_by_norm"), dtype_of([t]))


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype="int32", name=None, axis=None,
             binary_output=False):
    size = maxlength if isinstance(maxlength, int) and minlength == maxlength else None
    shape = shape_of(arr, "bincount")
    out_dtype = dtype_of([weights]) if weights is not None else dtype_name(dtype)
    return tensor((shape[0], size) if axis == -1 else (size,), out_dtype)


def histogram_fixed_width(values, value_range, nbins=100, dtype="int32", name=None):
    return tensor((nbins,), dtype_name(dtype))


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype="int32", name=None):
    return tensor(shape_of(values, "histogram_fixed_width_bins"), dtype_name(dtype))


def rules() -> dict:
    """Every op of this module by its TensorFlow name."""
    families = [(unary, UNARY), (binary, BINARY), (comparison, COMPARISONS), (predicate, PREDICATES),
                (complex_part, COMPLEX_PARTS), (reduction, REDUCTIONS), (arg_reduction, ("argmax", "argmin")),
                (unsorted_segment, UNSORTED_SEGMENTS), (is_monotonic, ("is_non_decreasing", "is_strictly_increasing")),
                (segment, [f"segment_{kind}" for kind in ("max", "mean", "min", "prod", "sum")])]
    table = {name: factory(name) for factory, names in families for name in names}
    table.update(top_k=top_k, approx_top_k=approx_top_k, approx_max_k=approx_k, approx_min_k=approx_k, add_n=add_n,
                 accumulate_n=accumulate_n, scalar_mul=scalar_mul, betainc=betainc, complex=complex, lbeta=lbeta,
                 polyval=polyval, zero_fraction=zero_fraction, clip_by_value=clip_by_value,
                 clip_by_norm=clip_by_norm, bincount=bincount, histogram_fixed_width=histogram_fixed_width,
                 histogram_fixed_width_bins=histogram_fixed_width_bins)
    return table
