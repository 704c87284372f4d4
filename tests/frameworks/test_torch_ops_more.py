"""The rest of the ``torch`` namespace against the real torch (issue 17): in-place functions, decompositions,
signal processing, numerical functions, the bitwise operators and boolean-mask assignment. Each expression
runs on both; the shapes and dtypes must agree, and where torch refuses, nncalc refuses with its words."""

from __future__ import annotations

import warnings

import pytest

real_torch = pytest.importorskip("torch")

from nncalc.errors import NncalcError, UnknownLayer  # noqa: E402
from nncalc.frameworks.torch import new_session  # noqa: E402

SESSION = new_session()
OURS = (SESSION.modules["torch"], SESSION.modules["torch.nn.functional"])
REAL = (real_torch, real_torch.nn.functional)


def _spd(t, n):
    a = t.randn(n, n)
    return a @ a.T + n * t.eye(n)


# (id, expression over (torch, F, *inputs), input shapes)
CASES = [
    ("inplace-unary", lambda t, F, x: (t.abs_(x), t.sigmoid_(x), t.clamp_(x, -1, 1), t.zero_(x)), [(2, 3)]),
    ("inplace-int-keeps", lambda t, F, x: (t.neg_(x.long()), t.gcd_(x.long(), x.long())), [(2, 3)]),
    ("inplace-binary", lambda t, F, x, y: t.xlogy_(x, y), [(2, 3), (3,)]),
    ("inplace-dropout", lambda t, F, x: (t.dropout_(x, 0.5, True), t.feature_alpha_dropout_(x, 0.5, False)),
     [(2, 3, 4)]),
    ("pools-1d", lambda t, F, x: (t.max_pool1d(x, 3, 2, 1), t.avg_pool1d(x, 2), t.adaptive_avg_pool1d(x, 3),
                                  t.adaptive_max_pool1d(x, 3), t.max_pool1d_with_indices(x, 2)), [(2, 3, 9)]),
    ("windows", lambda t, F: (t.hann_window(8), t.hamming_window(5, periodic=False), t.blackman_window(4),
                              t.bartlett_window(3, dtype=t.float64), t.kaiser_window(6, True, 8.0)), []),
    ("stft", lambda t, F, x: (t.stft(x, 8, hop_length=2, return_complex=True),
                              t.stft(x, 8, center=False, return_complex=False), x.stft(4, onesided=False,
                                                                                        return_complex=True)),
     [(2, 32)]),
    ("istft", lambda t, F, x: (t.istft(t.stft(x, 8, window=t.hann_window(8), return_complex=True), 8,
                                       window=t.hann_window(8)),
                               t.istft(t.stft(x, 8, window=t.hann_window(8), return_complex=True), 8,
                                       window=t.hann_window(8), length=30)), [(32,)]),
    ("qr-svd", lambda t, F, x: (t.qr(x), t.qr(x, some=False), t.svd(x), t.svd(x, some=False), x.svd(compute_uv=False)),
     [(2, 5, 3)]),
    ("lu", lambda t, F, x: (t.lu(x), t.lu(x, get_infos=True), t.lu_unpack(*t.lu(x))), [(2, 4, 3)]),
    ("lu-solve", lambda t, F, x, b: t.lu_solve(b, *t.lu(x)), [(2, 3, 3), (3, 2)]),
    ("cholesky", lambda t, F, b: (t.cholesky(_spd(t, 3)), t.cholesky_inverse(_spd(t, 3)),
                                  t.cholesky_solve(b, _spd(t, 3)), t.triangular_solve(b, _spd(t, 3))), [(2, 3, 4)]),
    ("householder", lambda t, F, x, c: (t.geqrf(x), t.orgqr(*t.geqrf(x)), t.ormqr(*t.geqrf(x), c)),
     [(5, 3), (5, 2)]),
    ("lowrank", lambda t, F, x: (t.svd_lowrank(x, q=2), t.pca_lowrank(x), t.pca_lowrank(x, q=3, center=False)),
     [(2, 6, 4)]),
    ("lobpcg", lambda t, F: t.lobpcg(_spd(t, 12), k=3), []),
    ("slogdet", lambda t, F, x: (t.slogdet(x), x.slogdet()), [(2, 3, 3)]),
    ("special", lambda t, F, x: (t.frexp(x), t.igamma(x.abs(), x.abs()), t.polygamma(2, x), x.polygamma(1),
                                 t.mvlgamma(x.abs() + 2, 3), t.polygamma(1, x.long())), [(2, 3)]),
    ("diff", lambda t, F, x: (t.diff(x), t.diff(x, n=2, dim=1), t.diff(x, dim=0, prepend=x[:1], append=x),
                              t.diff(x.long()), t.diff(x > 0)), [(3, 4, 5)]),
    ("integrals", lambda t, F, x: (t.gradient(x), t.gradient(x, dim=1), t.trapezoid(x), t.trapz(x.long(), dim=0),
                                   t.cumulative_trapezoid(x, dim=1), t.trapezoid(x, x)), [(3, 4)]),
    ("histogram", lambda t, F, x: (t.histogram(x), t.histogram(x, 5), t.histogramdd(x, 3),
                                   t.histogramdd(x, [2, 3, 4, 5])), [(6, 4)]),
    ("counting", lambda t, F, x: (t.isin(x, x[0]), t.isin(x, 2.0), t.vander(x[0]), t.vander(x[0].long(), N=2),
                                  t.unravel_index(t.tensor([4, 1]), (2, 3)), t.nonzero_static(x, size=3)),
     [(3, 4)]),
    ("samplers", lambda t, F, p: (t.binomial(t.full((2, 3), 5.0), p.abs() / 10), t.poisson(p.abs())), [(2, 3)]),
    ("shapes", lambda t, F, x, y: (t.block_diag(x, y, t.tensor(2.0)), t.rsub(x, 2), t.rsub(x.long(), 2.5),
                                   t.chain_matmul(x, x.T, x), t.fill(x, 2), t.unflatten(x, 1, (1, 3)),
                                   t.broadcast_shapes((2, 1), 3, (4, 1, 1))), [(2, 3), (4,)]),
    ("creation", lambda t, F: (t.range(0, 1, 0.25), t.range(1, 4, dtype=t.int64), t.asarray([[1, 2]]),
                               t.asarray(t.zeros(2), dtype=t.float64)), []),
    ("resize", lambda t, F, x: (x.resize(6, 4), x.resize_as(t.zeros(24)), x.clone().resize_(2, 2),
                                t.resize_as_(x.clone(), t.zeros(5))), [(2, 3, 4)]),
    ("predicates", lambda t, F, x: (t.get_device(x), t.is_conj(x), t.is_signed(x.bool()), t.is_inference(x),
                                    t.is_neg(x), t.is_same_size(x, x), t.isreal(x), x.layout), [(2, 3)]),
    ("complex", lambda t, F, x: (t.imag(t.complex(x, x)), t.real(t.complex(x, x)), x.chalf(), x.half().chalf(),
                                 t.complex(x, x) + x.double(), x.chalf() + x), [(2, 3)]),
    ("bitwise", lambda t, F, x: (x.long() << 2, 2 >> x.long(), 3 & x.int(), x.bool() | 1, 5 ^ (x > 0),
                                 (x > 0) & (x < 1), 7 % x.long().abs().add(1), 2.5 % x), [(2, 3)]),
    ("mixed-promotion", lambda t, F, x: ((x > 0) + 2, x.to(t.int8) + x.to(t.uint8), x.half() + x.bfloat16()),
     [(2, 3)]),
]


def _described(value):
    if isinstance(value, (tuple, list)):
        return [_described(v) for v in value]
    if hasattr(value, "_shape"):
        return ("tensor", tuple(value._shape), value.dtype.name)
    if isinstance(value, real_torch.Tensor):
        return ("tensor", tuple(value.shape), str(value.dtype).removeprefix("torch."))
    if type(value).__name__ == "layout":
        return ("layout", str(value))
    return value


@pytest.mark.parametrize("expression, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_same_as_torch(expression, shapes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        real = expression(*REAL, *[real_torch.randn(s) for s in shapes])
    ours = expression(*OURS, *[OURS[0].randn(*s) for s in shapes])
    assert _described(ours) == _described(real)


# (id, expression, input shapes, the words both say)
REFUSED = [
    ("inplace-float-into-int", lambda t, F, x: t.sqrt_(x.long()), [(2, 3)],
     "result type Float can't be cast to the desired output type Long"),
    ("inplace-grows", lambda t, F, x, y: t.xlogy_(y, x), [(2, 3), (3,)],
     "output with shape [3] doesn't match the broadcast shape [2, 3]"),
    ("shift-float", lambda t, F, x: x << 1, [(2, 3)], "\"lshift_cpu\" not implemented for 'Float'"),
    ("resize-count", lambda t, F, x: x.resize(4, 6), [(2, 3)], "requested resize to 4x6 (24 elements in total)"),
    ("frexp-int", lambda t, F, x: t.frexp(x.long()), [(2, 3)], "torch.frexp() only supports floating-point dtypes"),
    ("stft-return-complex", lambda t, F, x: t.stft(x, 4), [(16,)], "stft requires the return_complex parameter"),
    ("range-sign", lambda t, F: t.range(5, 1), [], "upper bound and lower bound inconsistent with step sign"),
    ("block-diag-rank", lambda t, F, x: t.block_diag(x), [(2, 2, 2)], "Input tensors must have 2 or fewer"),
    ("mask-shape", lambda t, F, x: x.__setitem__(x[0] > 0, 0.0), [(2, 3)], "The shape of the mask [3] at index 0"),
]


@pytest.mark.parametrize("expression, shapes, words", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused_as_torch_refuses(expression, shapes, words):
    with pytest.raises(Exception) as real, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expression(*REAL, *[real_torch.randn(s) for s in shapes])
    with pytest.raises(NncalcError) as ours:
        expression(*OURS, *[OURS[0].randn(*s) for s in shapes])
    assert words in str(real.value) and words in ours.value.message


def test_boolean_mask_assignment_keeps_the_shape():
    x = OURS[0].randn(2, 3, 4)
    x[x > 0] = 0.0
    x[x[..., 0] > 0] = OURS[0].ones(4)
    assert x.shape == (2, 3, 4)
    with pytest.raises(UnknownLayer, match="depends on the mask's values"):
        x[x > 0] = OURS[0].ones(5)


@pytest.mark.parametrize("name", ["nonzero", "argwhere", "masked_select", "unique_consecutive", "bincount"])
def test_sizes_that_depend_on_values_are_refused(name):
    x = OURS[0].randn(2, 3)
    args = (x > 0,) if name == "masked_select" else ()
    with pytest.raises(UnknownLayer, match="depends on the tensor's values"):
        getattr(OURS[0], name)(x, *args)
    with pytest.raises(UnknownLayer, match="depends on the tensor's values"):
        getattr(x, name)(*args)


def test_tensor_inplace_methods_check_as_torch():
    x = OURS[0].randn(2, 3)
    assert x.add_(OURS[0].randn(3), alpha=2) is x and x.mul_(0.5) is x
    with pytest.raises(NncalcError, match="result type Float can't be cast to the desired output type Long"):
        x.long().sqrt_()
    with pytest.raises(NncalcError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        OURS[0].randn(3).mul_(x)


def test_inplace_updates_known_values():
    t = OURS[0]
    rates = t.linspace(0, 1, 3)
    rates.mul_(2)
    assert rates.tolist() == [0.0, 1.0, 2.0]
    steps = t.arange(3)
    steps.zero_()
    assert type(steps.tolist()).__name__ != "list"  # its values are no longer known
