"""The NumPy-style ``keras.ops`` (elementwise, reductions, rearranging, creation, products, linear algebra, FFT)
against REAL Keras 3 (torch backend): each row is an op called in a custom layer's ``call`` on ``keras.Input``
tensors of the given shapes and dtypes, run by real Keras and read by nncalc; the outputs' shapes and dtypes must
agree. The products' MACs are checked against torch's own ``FlopCounterMode`` on the real layer's run."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nncalc.errors import NncalcError  # noqa: E402
from nncalc.frameworks.keras import new_session  # noqa: E402

F34, I34 = ((3, 4), "float32"), ((3, 4), "int32")
SQUARE = ((3, 3), "float32")

ROWS = [
    # elementwise, with Keras's dtype promotion
    ("arcsinh int", lambda o, x: o.arcsinh(x), [I34]),
    ("deg2rad", lambda o, x: o.deg2rad(x), [F34]),
    ("sinc bool", lambda o, x: o.sinc(x), [((3, 4), "bool")]),
    ("erfc", lambda o, x: o.erfc(x), [F34]),
    ("i0 int", lambda o, x: o.i0(x), [I34]),
    ("isposinf", lambda o, x: o.isposinf(x), [F34]),
    ("isreal int", lambda o, x: o.isreal(x), [I34]),
    ("bitwise_and int32 int64", lambda o, x, y: o.bitwise_and(x, y), [I34, ((1, 4), "int64")]),
    ("bitwise_or bool int32", lambda o, x, y: o.bitwise_or(x, y), [((3, 4), "bool"), ((1, 4), "int32")]),
    ("left_shift by 2", lambda o, x: o.left_shift(x, 2), [I34]),
    ("gcd", lambda o, x, y: o.gcd(x, y), [I34, ((1, 4), "int32")]),
    ("fmax int float", lambda o, x, y: o.fmax(x, y), [I34, ((1, 4), "float32")]),
    ("heaviside int", lambda o, x, y: o.heaviside(x, y), [I34, ((1, 4), "int32")]),
    ("logaddexp2 int", lambda o, x, y: o.logaddexp2(x, y), [I34, ((1, 4), "int32")]),
    ("ldexp int", lambda o, x, y: o.ldexp(x, y), [I34, ((1, 4), "int32")]),
    ("isclose", lambda o, x, y: o.isclose(x, y), [F34, ((1, 4), "float32")]),
    ("isin", lambda o, x, y: o.isin(x, y), [F34, ((5,), "float32")]),
    ("digitize", lambda o, x: o.digitize(x, [0.0, 1.0]), [F34]),
    ("searchsorted right", lambda o, x: o.searchsorted(x[0, 0], x, side="right"), [F34]),
    ("polar", lambda o, x, y: o.polar(x, y), [F34, ((1, 4), "float32")]),
    ("view_as_complex, imag, view_as_real",
     lambda o, x: [o.imag(o.view_as_complex(x)), o.view_as_real(o.view_as_complex(x)), o.angle(o.view_as_complex(x))],
     [((3, 2), "float32")]),
    # dtypes: a layer's float inputs autocast to float32; ops that cast to Keras's result_type lose int64
    ("arcsinh float16 (autocast)", lambda o, x: o.arcsinh(x), [((3, 4), "float16")]),
    ("deg2rad int64", lambda o, x: o.deg2rad(x), [((3, 4), "int64")]),
    ("fmax int64", lambda o, x, y: o.fmax(x, y), [((3, 4), "int64"), ((1, 4), "int64")]),
    ("bitwise_xor int64", lambda o, x, y: o.bitwise_xor(x, y), [((3, 4), "int64"), ((1, 4), "int32")]),
    ("heaviside bool", lambda o, x, y: o.heaviside(x, y), [((3, 4), "bool"), ((1, 4), "bool")]),
    ("trace int8", lambda o, x: o.trace(x), [((3, 4), "int8")]),
    ("dot int64", lambda o, x: o.dot(x, x[0, 0]), [((3, 4), "int64")]),
    ("corrcoef int64", lambda o, x: o.corrcoef(x[0]), [((3, 4), "int64")]),
    ("unravel_index uint8", lambda o, x: o.unravel_index(x, (3, 4)), [((3, 4), "uint8")]),
    # reductions
    ("nansum int keepdims", lambda o, x: o.nansum(x, axis=1, keepdims=True), [I34]),
    ("nanmean int", lambda o, x: o.nanmean(x, axis=2), [I34]),
    ("nanmax", lambda o, x: o.nanmax(x, axis=(1, 2)), [F34]),
    ("nanprod bool", lambda o, x: o.nanprod(x), [((3, 4), "bool")]),
    ("nanargmin keepdims", lambda o, x: o.nanargmin(x, axis=1, keepdims=True), [F34]),
    ("nancumsum int", lambda o, x: o.nancumsum(x, axis=1), [I34]),
    ("nancumprod flat", lambda o, x: o.nancumprod(x), [F34]),
    ("percentile of a list", lambda o, x: o.percentile(x, [25, 50], axis=1), [F34]),
    ("quantile keepdims int", lambda o, x: o.quantile(x, 0.5, axis=1, keepdims=True), [I34]),
    ("nanquantile", lambda o, x: o.nanquantile(x, 0.25, axis=2), [F34]),
    ("count_nonzero", lambda o, x: o.count_nonzero(x, axis=(1, 2)), [F34]),
    ("average int", lambda o, x: o.average(x, axis=1), [I34]),
    ("ptp keepdims", lambda o, x: o.ptp(x, axis=1, keepdims=True), [I34]),
    ("norm fro", lambda o, x: o.norm(x, ord="fro", axis=(1, 2), keepdims=True), [F34]),
    ("norm int", lambda o, x: o.norm(x), [I34]),
    ("trace offset", lambda o, x: o.trace(x, 1, 1, 2), [I34]),
    ("trace bool", lambda o, x: o.trace(x), [((3, 4), "bool")]),
    ("trapezoid", lambda o, x: o.trapezoid(x, dx=2.0, axis=1), [I34]),
    ("argsort flat", lambda o, x: o.argsort(x, axis=None), [F34]),
    ("argpartition", lambda o, x: o.argpartition(x, 1, axis=1), [F34]),
    # rearranging
    ("append flat", lambda o, x, y: o.append(x, y), [F34, ((1, 4), "int32")]),
    ("append axis", lambda o, x, y: o.append(x, y, axis=1), [I34, ((1, 4), "float32")]),
    ("array_split uneven", lambda o, x: o.array_split(x, 3, axis=2), [F34]),
    ("hsplit", lambda o, x: o.hsplit(x, 3), [F34]),
    ("vsplit", lambda o, x: o.vsplit(x[0], 3), [F34]),
    ("dsplit", lambda o, x: o.dsplit(x, [1]), [F34]),
    ("hstack", lambda o, x: o.hstack([x, x]), [F34]),
    ("hstack of vectors", lambda o, x: o.hstack([x[0, 0], x[0, 1]]), [F34]),
    ("vstack of vectors", lambda o, x: o.vstack([x[0, 0], x[0, 1]]), [I34]),
    ("dstack of matrices", lambda o, x: o.dstack([x[0], x[1]]), [F34]),
    ("dstack of vectors", lambda o, x: o.dstack([x[0, 0], x[0, 1]]), [F34]),
    ("diag of a vector", lambda o, x: o.diag(x[0, 0], k=1), [F34]),
    ("diag of a matrix", lambda o, x: o.diag(x[0], k=-2), [F34]),
    ("diagflat", lambda o, x: o.diagflat(x[0], k=1), [F34]),
    ("diagonal with the batch", lambda o, x: o.diagonal(x), [F34]),
    ("diagonal offset", lambda o, x: o.diagonal(x, -1, 1, 2), [I34]),
    ("diff twice", lambda o, x: o.diff(x, n=2, axis=1), [F34]),
    ("diff too often", lambda o, x: o.diff(x, n=5), [F34]),
    ("fliplr flipud", lambda o, x: [o.fliplr(x), o.flipud(x)], [I34]),
    ("moveaxis", lambda o, x: o.moveaxis(x, [0, 1], [2, 0]), [F34]),
    ("ravel", lambda o, x: [o.ravel(x), o.ravel(x[0])], [I34]),
    ("rot90", lambda o, x: [o.rot90(x), o.rot90(x, k=2), o.rot90(x, 3, axes=(1, 2))], [F34]),
    ("tril triu", lambda o, x: [o.tril(x, -1), o.triu(x, 1)], [F34]),
    ("unstack", lambda o, x: o.unstack(x, axis=2), [F34]),
    ("meshgrid xy", lambda o, x: o.meshgrid(x[0, 0], x[0, :, 0], x[0, :, 1]), [F34]),
    ("meshgrid ij", lambda o, x: o.meshgrid(x[0, 0], x[0, :, 0], indexing="ij"), [F34]),
    ("broadcast_to", lambda o, x: o.broadcast_to(x[0], (2, 3, 4)), [F34]),
    ("unravel_index", lambda o, x: o.unravel_index(x, (3, 4)), [I34]),
    ("histogram", lambda o, x: o.histogram(x[0, 0], bins=5), [F34]),
    ("corrcoef int", lambda o, x: o.corrcoef(x[0]), [I34]),
    ("vander", lambda o, x: [o.vander(x[0, 0]), o.vander(x[0, 0], 3)], [I34]),
    # created
    ("eye identity tri", lambda o, x: [x + o.eye(3, 4), o.identity(4, dtype="int32"), o.tri(4, 3, k=1)], [F34]),
    ("linspace", lambda o, x: [o.linspace(0, 1, 4), o.linspace(0, 1), o.linspace(0, 10, 4, dtype="int32")], [F34]),
    ("linspace between tensors", lambda o, x: o.linspace(x[0], x[1], 5), [F34]),
    ("logspace geomspace", lambda o, x: [o.logspace(0, 1, 4), o.geomspace(1, 10, 3, endpoint=False)], [F34]),
    ("windows", lambda o, x: [o.bartlett(4), o.blackman(5), o.hamming(6), o.hanning(7), o.kaiser(8, 0.5)], [F34]),
    ("array", lambda o, x: [o.array([[1.0, 2.0]]), o.array([[1, 2]]), o.array([1, 2], dtype="int64"),
                            o.array(x)], [F34]),
    # products
    ("dot matrix", lambda o, x: o.dot(x, o.ones((4, 5))), [F34]),
    ("dot vector", lambda o, x: [o.dot(x, x[0, 0]), o.dot(x[0, 0], x[0, 1]), o.dot(x, 2.0)], [I34]),
    ("inner", lambda o, x, y: o.inner(x, y), [F34, ((1, 4), "float32")]),
    ("outer", lambda o, x, y: o.outer(x, y), [F34, ((1, 4), "int32")]),
    ("kron", lambda o, x, y: o.kron(x, y), [I34, ((1, 4), "int32")]),
    ("tensordot pairs", lambda o, x: o.tensordot(x, o.ones((4, 3, 5)), axes=([1, 2], [1, 0])), [F34]),
    ("tensordot 0", lambda o, x: o.tensordot(x, o.ones((2, 5)), axes=0), [F34]),
    ("vdot", lambda o, x: o.vdot(x[0, 0], x[0, 1]), [F34]),
    ("cross", lambda o, x, y: o.cross(x, y), [((4, 3), "float32"), ((1, 3), "float32")]),
    ("correlate modes", lambda o, x: [o.correlate(x[0, 0], x[0, 1, :2]), o.correlate(x[0, 0], x[0, 1, :2], "same"),
                                      o.correlate(x[0, 0], x[0, 1, :3], mode="full"),
                                      o.correlate(x[0, 0], x[0, 1])], [F34]),
    # linear algebra
    ("det inv logdet slogdet", lambda o, x: [o.det(x), o.inv(x), o.logdet(x), o.slogdet(x)], [SQUARE]),
    ("cholesky", lambda o, x: [o.cholesky(x), o.cholesky(x, upper=True), o.cholesky_inverse(x)], [SQUARE]),
    ("eig eigh", lambda o, x: [o.eig(x), o.eigh(x)], [SQUARE]),
    ("lu_factor", lambda o, x: [o.lu_factor(x), o.lu_factor(o.transpose(x, (0, 2, 1)))], [F34]),
    ("matrix_rank pinv", lambda o, x: [o.matrix_rank(x), o.pinv(x)], [F34]),
    ("qr", lambda o, x: [o.qr(x), o.qr(x, mode="complete"), o.qr(o.transpose(x, (0, 2, 1)), "complete")], [F34]),
    ("svd", lambda o, x: [o.svd(x), o.svd(x, full_matrices=False), o.svd(x, compute_uv=False)], [F34]),
    ("solve", lambda o, x: [o.solve(x, x), o.solve(x, x[:, :, :2]), o.solve(x, x[:, :, 0]),
                            o.solve_triangular(x, x[:, :, 0], lower=True)], [SQUARE]),
    ("lstsq", lambda o, x: [o.lstsq(x[0], x[0]), o.lstsq(x[0], x[0, :, 0])], [F34]),
    # Fourier transforms
    ("fft", lambda o, x: [o.fft((x, x)), o.fft2((x, x)), o.ifft2((x, x))], [F34]),
    ("rfft", lambda o, x: [o.rfft(x), o.rfft(x, fft_length=6), o.rfft(x, 3)], [I34]),
    ("irfft", lambda o, x: [o.irfft((x, x)), o.irfft((x, x), fft_length=5)], [F34]),
    # data-dependent sizes: unknown, never guessed (real Keras sizes them from its all-ones trace tensors)
    ("unique", lambda o, x: [o.unique(x, size=5), o.unique(x, return_inverse=True, return_counts=True)], [F34]),
    # static facts in a layer
    ("ndim size dtype is_tensor",
     lambda o, x: [x * o.ndim(x), x * o.size(x), o.cast(x, o.dtype(x)) if o.is_tensor(x) else x], [F34]),
]
DATA_DEPENDENT = {"unique"}


def _run(k, fn, specs):
    class Op(k.layers.Layer):
        def call(self, inputs):
            return fn(k.ops, *inputs)

    inputs = [k.Input(shape, dtype=dtype) for shape, dtype in specs]
    return Op()(inputs)


def _describe(value) -> list:
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in _describe(part)]
    return [(tuple(value.shape), str(value.dtype))]


def _agrees(got: list, expected: list, data_dependent: bool) -> bool:
    if not data_dependent:
        return got == expected
    return len(got) == len(expected) and all(
        kind == real_kind and len(shape) == len(real) and all(s is None or s == r for s, r in zip(shape, real))
        for (shape, kind), (real, real_kind) in zip(got, expected))


@pytest.mark.parametrize(("name", "fn", "specs"), ROWS, ids=[row[0] for row in ROWS])
def test_numpy_op_matches_real_keras(name, fn, specs):
    keras.backend.clear_session()
    expected = _describe(_run(keras, fn, specs))
    session = new_session()
    got = _describe(_run(session.keras, fn, specs))
    assert _agrees(got, expected, name in DATA_DEPENDENT), (got, expected)


REFUSED = [
    ("dot of unequal sizes", lambda o, x: o.dot(x, x[0]), [F34], "inner sizes 4 and 3 differ"),
    ("inner of unequal sizes", lambda o, x: o.inner(x, x[0, :, :3]), [F34], "cannot be contracted"),
    ("vdot of matrices", lambda o, x: o.vdot(x, x), [F34], "needs 1-D tensors"),
    ("cross of pairs", lambda o, x: o.cross(x[:, :, :2], x[:, :, :2]), [((4, 3), "float32")], "3 components"),
    ("inv of a non-square matrix", lambda o, x: o.inv(x), [F34], "square matrices"),
    ("histogram of a matrix", lambda o, x: o.histogram(x[0]), [F34], "1-D tensor"),
    ("imag of a real tensor", lambda o, x: o.imag(x), [F34], "complex tensor"),
    ("fft of unequal parts", lambda o, x: o.fft((x, x[:, :, :1])), [F34], "same shape"),
    ("diag of a 3-D tensor", lambda o, x: o.diag(x), [F34], "rank 1 or 2"),
    ("array_split at indices", lambda o, x: o.array_split(x, [1, 3], axis=2), [F34], "must be of type `int`"),
]


@pytest.mark.parametrize(("name", "fn", "specs", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_what_real_keras_rejects_is_rejected(name, fn, specs, message):
    keras.backend.clear_session()
    with pytest.raises(Exception):  # noqa: B017 - Keras wraps the backend's error in its own
        _run(keras, fn, specs)
    with pytest.raises(NncalcError, match=message):
        _run(new_session().keras, fn, specs)


PRODUCTS = [
    ("dot", lambda o, x: o.dot(x, o.ones((4, 5))), 3 * 4 * 5),
    ("tensordot", lambda o, x: o.tensordot(x, o.ones((3, 4, 5)), axes=2), 3 * 4 * 5),
    ("inner", lambda o, x: o.inner(x, o.ones((6, 4))), 3 * 6 * 4),
]


@pytest.mark.parametrize(("name", "fn", "macs"), PRODUCTS, ids=[row[0] for row in PRODUCTS])
def test_product_macs_match_torch_flop_counter(name, fn, macs):
    from torch.utils.flop_counter import FlopCounterMode

    keras.backend.clear_session()
    inputs = keras.Input((3, 4), batch_size=1)
    model = keras.Model(inputs, _run_on(keras, fn, inputs))
    with FlopCounterMode(display=False) as counter:
        model(np.ones((1, 3, 4), "float32"))
    session = new_session()
    k = session.keras
    given = k.Input((3, 4))
    graph = session.trace(k.Model(given, _run_on(k, fn, given)), None, None, None)
    assert graph.calls[0].macs == counter.get_total_flops() // 2 == macs


def _run_on(k, fn, tensor):
    class Op(k.layers.Layer):
        def call(self, x):
            return fn(k.ops, x)

    return Op()(tensor)


def test_vdot_counts_one_multiply_add_per_element():
    """torch's ``FlopCounterMode`` does not count ``aten::dot``; a dot product is n multiply-adds."""
    session = new_session()
    k = session.keras
    given = k.Input((3, 4))
    graph = session.trace(k.Model(given, _run_on(k, lambda o, x: o.vdot(x[0, 0], x[0, 1]), given)), None, None, None)
    assert graph.calls[0].macs == 4
