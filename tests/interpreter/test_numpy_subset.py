"""``import numpy as np`` in model files: nncalc's subset against real numpy. Each program runs under real ``exec``
with real numpy and under ``run_source``; the results must agree (numpy scalars compared by value), and
nncalc's must be plain Python numbers so they flow into layer constructors."""

from __future__ import annotations

import math
import textwrap

import numpy
import pytest

from nncalc.errors import InterpreterError, LimitExceeded
from nncalc.interpreter import Unknown, run_source

PROGRAMS = {
    "shape_products": """
        import numpy as np
        shape = (3, 32, 32)
        result = (int(np.prod(shape)), np.prod(shape), np.prod(shape[1:]), np.prod([2.0, 3]), np.prod([]),
                  np.prod((7, 7, 512)) * 4096 + 4096, np.prod([[1, 2], [3, 4]]), np.sum([1, 2, 3]), np.sum([]),
                  np.sum([0.5, 1]), np.sum(shape) // 2, np.mean([1, 2]), np.max([3, 9, 2]), np.min((4, 1.5)))
    """,
    "rounding_up_channels": """
        import numpy as np
        def round_up(x, multiple=8):
            return int(np.ceil(x / multiple) * multiple)
        result = ([round_up(c) for c in (3, 8, 17, 100, 1000)], np.ceil(3.2), np.ceil(-3.2), np.ceil(5),
                  np.floor(7.9), np.floor(-0.5), np.floor(6), np.trunc(-2.7), np.ceil(10 / 4) * 4)
    """,
    "elementwise_math": """
        import numpy as np
        result = (np.sqrt(16), np.sqrt(2), np.log2(1024), np.log2(6), np.log(np.e), np.log10(1000), np.exp(0),
                  np.exp(1.5), np.abs(-3), np.abs(-2.5), np.power(2, 10), np.maximum(3, 4.0), np.minimum(3, 4),
                  np.clip(5, 0, 3), np.clip(-1.5, 0, 3), int(np.log2(256)), np.sqrt(64) // 2)
    """,
    "numpy_round_rule": """
        import numpy as np
        values = [2.675, 0.285, 1.005, 0.125, 2.5, 3.5, -2.5, -0.5, 1234.5678, 0.045, 8.325, 123.456]
        result = ([np.round(v) for v in values], [np.round(v, 2) for v in values], [np.round(v, 1) for v in values],
                  [np.round(v, -1) for v in values], np.round(3), np.round(1250, -2), np.round(1350, -2),
                  np.round(-1250, -2), np.around(7.45, 1), round(float(np.round(0.5)), 3))
    """,
    "arrays_for_shape_arithmetic": """
        import numpy as np
        size = np.array([224, 224])
        out = size // 32
        strides = np.array([2, 2, 2, 2, 2])
        a = np.array([[1, 2, 3], [4, 5, 6]])
        f = np.array([1, 2.5])
        result = (out.tolist(), (size / 4).tolist(), (2 * size + 1).tolist(), (size - np.array([0, 32])).tolist(),
                  int(np.prod(strides)), size.shape, a.shape, a.ndim, a.size, a.sum(), a.sum(axis=0).tolist(),
                  a.sum(axis=1).tolist(), a.prod(axis=-1).tolist(), a.max(), a[1].tolist(), a[1, 2], a[-1][0],
                  len(a), [row.tolist() for row in a], f.tolist(), str(f.dtype), str(a.dtype), (a > 2).tolist(),
                  tuple(int(v) for v in size // 2), a.mean(), a[:1].tolist(), size.tolist() == [224, 224],
                  (size ** 2).tolist(), (-size).tolist(), np.array(5).item(), np.array([3]).item(),
                  (np.array([1, 2]) == np.array([1, 3])).tolist(), np.asarray((1, 2)).tolist())
    """,
    "axes_of_data_arrays": """
        import numpy as np
        x = np.zeros((100, 8, 128))
        result = (np.swapaxes(x, 1, 2).shape, x.swapaxes(0, -1).shape, np.transpose(x).shape,
                  np.transpose(x, (0, 2, 1)).shape, np.moveaxis(x, 1, -1).shape, np.moveaxis(x, [0, 1], [-1, -2]).shape,
                  np.moveaxis(x, -1, 0).shape)
    """,
    "ranges_and_cumulative": """
        import numpy as np
        result = (np.arange(5).tolist(), np.arange(1, 10, 3).tolist(), np.arange(10, 1, -3).tolist(),
                  np.arange(0, 1, 0.25).tolist(), np.linspace(0, 1, 5).tolist(), np.linspace(0, 1, 7).tolist(),
                  np.linspace(2, 3, 4, endpoint=False).tolist(), np.cumsum([3, 4, 6, 3]).tolist(),
                  np.cumprod([1, 2, 3]).tolist(), int(np.argmax([3, 9, 2])), int(np.argmin([3, 9, 2])),
                  [float(r) for r in np.linspace(0.0, 0.2, 12)][:3])
    """,
    "scalar_types_and_constants": """
        import numpy as np
        result = (np.int64(7.9), np.int32(3), float(np.float32(0.1)), float(np.float16(0.1)), np.float64(2) / 3,
                  float(np.float32(3e38)), np.pi, np.e, np.inf > 1e308, isinstance(np.int64(3), (int, np.integer)),
                  isinstance(np.float64(2.5), (float, np.floating)), np.array([1, 2], dtype=np.float32).tolist(),
                  np.array([0.1], dtype="float32").tolist(), np.array([1.7, 2.2]).astype(int).tolist(),
                  np.array([1, 2], dtype=float).tolist(), bool(np.bool_(1)))
    """,
    "placeholders_know_their_shape": """
        import numpy as np
        np.random.seed(0)
        x = np.zeros((1, 3, 224, 224))
        y = np.ones(10)
        z = np.random.rand(2, 3)
        w = np.random.normal(0, 1, (4, 5))
        v = np.random.randint(0, 10, size=(6,))
        u = np.zeros_like(np.array([[1, 2]]))
        result = (x.shape, x.ndim, x.size, y.shape, z.shape, w.shape, v.shape, u.shape, np.full((2, 2), 7).shape)
    """,
}


def _plain(value):
    """Real numpy's result with its scalars as Python numbers."""
    if isinstance(value, numpy.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def _only_python_values(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_only_python_values(v) for v in value)
    return type(value) in (int, float, bool, str, type(None))


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_numpy(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert _only_python_values(namespace["result"]), namespace["result"]
    assert _same(namespace["result"], _plain(expected["result"])), (namespace["result"], _plain(expected["result"]))


def test_placeholders_never_give_values():
    with pytest.raises(InterpreterError, match=r"np\.zeros\(\(1, 3\)\).*, an array nncalc does not compute") as info:
        run_source("import numpy as np\nx = np.zeros((1, 3))\nif x[0, 0] > 0:\n    pass\n", "m.py", modules={})
    assert info.value.location.line == 3 and "shapes, not array values" in info.value.message


def test_float32_overflow_is_infinite_like_numpy():
    ns = run_source("import numpy as np\nbig = float(np.float32(1e39))\nneg = np.float16(-1e6)\n", "m.py", modules={})
    with numpy.errstate(over="ignore"):
        assert (ns["big"], ns["neg"]) == (float(numpy.float32(1e39)), float(numpy.float16(-1e6)))


def test_names_outside_the_subset_are_unknown():
    ns = run_source("import numpy as np\nf = np.fft.fft([1, 2])\nfrom numpy import einsum\n", "m.py", modules={})
    assert isinstance(ns["f"], Unknown) and isinstance(ns["einsum"], Unknown)
    with pytest.raises(InterpreterError, match="numpy subset does not have"):
        run_source("import numpy as np\nif np.fft.size:\n    pass\n", "m.py", modules={})


def test_unknown_values_flow_through_reductions():
    source = "import numpy as np\nimport cfg\nn = np.prod((cfg.h, 7, 7))\nm = np.ceil(cfg.c)\n"
    ns = run_source(source, "m.py", modules={})
    assert isinstance(ns["n"], Unknown) and isinstance(ns["m"], Unknown)


def test_broadcasting_beyond_scalars_is_refused_like_numpy():
    with pytest.raises(InterpreterError, match=r"could not be broadcast together with shapes \(2,\) \(3,\)"):
        run_source("import numpy as np\nx = np.array([1, 2]) + np.array([1, 2, 3])\n", "m.py", modules={})


def test_results_flow_into_layer_constructors():
    made = []

    class Linear:
        def __init__(self, in_features, out_features):
            if type(in_features) is not int or type(out_features) is not int:
                raise TypeError("Linear takes ints")
            made.append((in_features, out_features))

    source = textwrap.dedent(
        """
        import numpy as np
        import torch.nn as nn
        shape = (64, 7, 7)
        fc = nn.Linear(int(np.prod(shape)), int(np.ceil(1000 / 8) * 8))
        fc2 = nn.Linear(np.prod(shape[1:]), np.array([10, 20]).max())
        """
    )
    run_source(source, "m.py", modules={"torch.nn": type("nn", (), {"Linear": Linear})})
    assert made == [(3136, 1000), (49, 20)]


@pytest.mark.parametrize(
    "source",
    [
        "x = np.array([3])\nfor i in range(40):\n    x = x * x\n",
        "z = np.zeros((10**9,) * 2000)\nn = z.size\n",
        "c = np.cumprod([2**9000, 2**9000])\n",
        "a = np.arange(10**12)\n",
        "s = repr(np.array([10**3000] * 5000))\n",
    ],
)
def test_the_subset_keeps_the_limits(source):
    with pytest.raises(LimitExceeded):
        run_source("import numpy as np\n" + source, "m.py", modules={})
