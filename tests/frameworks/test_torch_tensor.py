"""Symbolic tensor methods and functional ops against the real torch: the same expression on both gives the
same shapes (and sizes, dims, dtypes)."""

from __future__ import annotations

import pytest

real_torch = pytest.importorskip("torch")

from nncalc.frameworks.torch import new_session  # noqa: E402
from nncalc.frameworks.torch.module import tensors_in  # noqa: E402

SESSION = new_session()
OURS = (SESSION.modules["torch"], SESSION.modules["torch.nn.functional"])
REAL = (real_torch, real_torch.nn.functional)

# (id, expression over (torch, F, *inputs), input shapes)
CASES = [
    ("view", lambda t, F, x: x.view(x.size(0), -1), [(2, 3, 4, 5)]),
    ("view-tuple", lambda t, F, x: x.view((6, 20)), [(2, 3, 4, 5)]),
    ("view-infer-middle", lambda t, F, x: x.view(2, -1, 5), [(2, 3, 4, 5)]),
    ("reshape", lambda t, F, x: x.reshape(x.shape[0], -1), [(2, 3, 4, 5)]),
    ("reshape-list", lambda t, F, x: x.reshape([4, 30]), [(2, 3, 4, 5)]),
    ("flatten-default-all", lambda t, F, x: x.flatten(), [(2, 3, 4)]),
    ("flatten-1", lambda t, F, x: x.flatten(1), [(2, 3, 4)]),
    ("torch.flatten-default", lambda t, F, x: t.flatten(x), [(2, 3, 4)]),
    ("torch.flatten-start", lambda t, F, x: t.flatten(x, start_dim=1), [(2, 3, 4)]),
    ("torch.flatten-range", lambda t, F, x: t.flatten(x, 1, 2), [(2, 3, 4, 5)]),
    ("size", lambda t, F, x: (tuple(x.size()), x.size(1), x.size(-1), tuple(x.shape), x.dim(), x.numel()), [(2, 3, 4)]),
    ("ndim", lambda t, F, x: (x.ndim, len(x), x.shape[1:]), [(2, 3, 4)]),
    ("squeeze", lambda t, F, x: (x.squeeze(), x.squeeze(1), x.squeeze(0)), [(2, 1, 4, 1)]),
    ("unsqueeze", lambda t, F, x: (x.unsqueeze(0), x.unsqueeze(-1), x.unsqueeze(2)), [(2, 3)]),
    ("permute", lambda t, F, x: (x.permute(0, 2, 3, 1), x.permute((3, 2, 1, 0))), [(2, 3, 4, 5)]),
    ("transpose", lambda t, F, x: (x.transpose(1, 2), x.transpose(-1, -3), x.mT, t.transpose(x, 0, 1)), [(2, 3, 4)]),
    ("t", lambda t, F, x: (x.t(), x.T, t.t(x)), [(2, 3)]),
    ("contiguous-to", lambda t, F, x: (x.contiguous(), x.to(t.float16), x.float(), x.long(), x.half()), [(2, 3)]),
    ("relu-sigmoid-softmax", lambda t, F, x: (x.relu(), x.sigmoid(), x.softmax(1), x.log_softmax(dim=-1)), [(2, 3)]),
    ("mean", lambda t, F, x: (x.mean(), x.mean(1), x.mean((2, 3)), x.mean(dim=-1, keepdim=True)), [(2, 3, 4, 5)]),
    ("sum-max", lambda t, F, x: (x.sum(0), x.max(), x.max(dim=1)[0], x.argmax(1), x.amax(dim=(1, 2))), [(2, 3, 4)]),
    ("arith-scalar", lambda t, F, x: (x * 0.5, 2 + x, x - 1, 1 / x, x ** 2, -x, x / 3), [(2, 3)]),
    ("broadcast", lambda t, F, x, y: (x + y, x * y, y - x, x > y), [(2, 1, 4), (3, 1)]),
    ("matmul", lambda t, F, x, y: (x @ y, t.matmul(x, y), x.matmul(y)), [(2, 3, 4), (4, 5)]),
    ("matmul-batched", lambda t, F, x, y: x @ y, [(7, 1, 3, 4), (2, 4, 6)]),
    ("matmul-vector", lambda t, F, x, y: (x @ y, y @ x.T), [(3, 4), (4,)]),
    ("getitem", lambda t, F, x: (x[0], x[:, 0], x[..., 1:3], x[:, None], x[1, :, ::2], x[-1]), [(2, 3, 4)]),
    ("getitem-advanced", lambda t, F, x: (  # index tensors broadcast together; CLIP's x[arange(N), text.argmax(-1)]
        x[t.arange(2), x.sum(-1).argmax(dim=-1)], x[t.arange(2)], x[:, t.tensor([0, 2, 1])],
        x[t.tensor([0, 1, 1]), t.tensor([1, 2, 0])], x[t.tensor([0, 1]), :, t.tensor([3, 0])],
        x[:, t.tensor([0, 1]), t.tensor([3, 0])], x[t.tensor([[0], [1]]), t.tensor([0, 2])], x[0, :, t.tensor([1, 3])],
        x[t.tensor([1, 0]), 2], x[t.tensor([1, 0]), 1:3, 0], x[..., t.tensor([0, 2]), 0],
        x[None, t.tensor([0, 1]), :, t.tensor([3, 0])], x[[0, 1], [1, 2]], x[t.tensor([0, 1]), None, t.tensor([1, 1])],
    ), [(2, 3, 4)]),
    ("cat-stack", lambda t, F, x, y: (t.cat([x, y], dim=1), t.cat((x, y), 1), t.stack([x, x], dim=0)), [(2, 3), (2, 5)]),
    ("split-chunk", lambda t, F, x: (x.chunk(3, dim=1), x.split(2, dim=1), x.split([1, 4], 1)), [(2, 5)]),
    ("expand-repeat", lambda t, F, x: (x.expand(4, -1, 3), x.repeat(2, 1, 3)), [(1, 2, 3)]),
    ("factories", lambda t, F: (t.zeros(1, 3, 32, 32), t.ones((2, 3)), t.randn(4), t.rand([2, 2]), t.empty(3, 1)), []),
    ("factories-dtype", lambda t, F: (t.zeros(2, dtype=t.long).dtype, t.arange(10), t.arange(0, 10, 3), t.full((2, 2), 1.5)), []),
    ("like", lambda t, F, x: (t.zeros_like(x), t.ones_like(x, dtype=t.float64), t.randn_like(x)), [(2, 3)]),
    ("tensor-literal", lambda t, F: (t.tensor([[1, 2, 3], [4, 5, 6]]), t.tensor([1.0, 2.0]).dtype), []),
    ("activations", lambda t, F, x: (F.relu(x), F.relu6(x), F.leaky_relu(x, 0.2), F.gelu(x), F.silu(x), F.elu(x),
                                     F.sigmoid(x), F.tanh(x), F.hardswish(x), F.mish(x), F.softplus(x)), [(2, 3)]),
    ("torch-activations", lambda t, F, x: (t.relu(x), t.sigmoid(x), t.tanh(x), t.softmax(x, 1)), [(2, 3)]),
    ("softmax", lambda t, F, x: (F.softmax(x, dim=1), F.log_softmax(x, dim=-1)), [(2, 3)]),
    ("dropout", lambda t, F, x: (F.dropout(x, p=0.2, training=False), F.dropout(x, 0.5)), [(2, 3)]),
    ("max_pool", lambda t, F, x: (F.max_pool2d(x, 2), F.max_pool2d(x, kernel_size=3, stride=2, padding=1),
                                  F.max_pool2d(x, 2, ceil_mode=True)), [(1, 3, 9, 9)]),
    ("max_pool1d", lambda t, F, x: F.max_pool1d(x, 3, stride=2), [(1, 3, 10)]),
    ("avg_pool", lambda t, F, x: (F.avg_pool2d(x, 2), F.avg_pool1d(x.flatten(2), 4)), [(1, 3, 9, 9)]),
    ("adaptive_pool", lambda t, F, x: (F.adaptive_avg_pool2d(x, 1), F.adaptive_avg_pool2d(x, (2, 3)),
                                       F.adaptive_max_pool2d(x, 2)), [(1, 3, 9, 9)]),
    ("pad", lambda t, F, x: (F.pad(x, (1, 1)), F.pad(x, [1, 2, 3, 4])), [(1, 3, 5, 5)]),
    ("where", lambda t, F, x, y: t.where(x > 0, x, y), [(2, 3), (3,)]),
    ("add-mul", lambda t, F, x, y: (t.add(x, y), t.mul(x, 2), x.add(y), x.mul(y)), [(2, 3), (2, 3)]),
]


def _shapes(value):
    if isinstance(value, (tuple, list)):
        return [_shapes(v) for v in value]
    if hasattr(value, "_shape"):
        return ("tensor", value._shape, value.dtype.name)
    if isinstance(value, real_torch.Tensor):
        return ("tensor", tuple(value.shape), str(value.dtype).removeprefix("torch."))
    if isinstance(value, real_torch.dtype):
        return ("dtype", str(value).removeprefix("torch."))
    if hasattr(value, "is_floating_point") and hasattr(value, "itemsize"):
        return ("dtype", value.name)
    return value


@pytest.mark.parametrize("expression, shapes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_same_shapes_as_torch(expression, shapes):
    real = expression(*REAL, *[real_torch.randn(s) for s in shapes])
    ours = expression(*OURS, *[OURS[0].randn(*s) for s in shapes])
    assert _shapes(ours) == _shapes(real)


def test_size_is_a_torch_size():
    x = OURS[0].zeros(1, 3, 32, 32)
    assert repr(x.size()) == repr(real_torch.zeros(1, 3, 32, 32).size()) == "torch.Size([1, 3, 32, 32])"
    assert x.size().numel() == 3072 and isinstance(x.shape[1:], tuple)
    assert x.dtype is OURS[0].float32 and str(x.device) == "cpu"


def test_iteration_and_unpacking():
    x = OURS[0].zeros(3, 4)
    rows = list(x)
    assert len(rows) == 3 and rows[0].shape == (4,)
    batch, features = x.shape
    assert (batch, features) == (3, 4)
    assert len(tensors_in(x.max(dim=1))) == 2


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
                                  "uint8"])
def test_finfo_and_iinfo_are_torchs(name):
    ours, real = getattr(OURS[0], name), getattr(real_torch, name)
    if real.is_floating_point:
        keys = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution")
        pair = OURS[0].finfo(ours), real_torch.finfo(real)
    else:
        keys = ("bits", "min", "max")
        pair = OURS[0].iinfo(ours), real_torch.iinfo(real)
    assert {k: getattr(pair[0], k) for k in keys} == {k: getattr(pair[1], k) for k in keys}
    assert pair[0].dtype == pair[1].dtype
