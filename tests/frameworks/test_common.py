"""What the symbolic torch and Keras share (:mod:`nncalc.frameworks.common`, and the shape arithmetic in
:mod:`nncalc.layers`): one namespace class, one set of error classes, one typo suggester, one broadcasting
rule, one matmul rule and one int-or-tuple reading, each framework adding only its wording."""

from __future__ import annotations

import pytest

from nncalc.errors import ShapeError
from nncalc.frameworks.common.errors import (
    FrameworkAttributeError,
    FrameworkTypeError,
    FrameworkValueError,
    suggest,
    unknown_layer,
)
from nncalc.frameworks.common.namespaces import Namespace
from nncalc.frameworks.keras import errors as keras_errors
from nncalc.frameworks.keras import namespaces as keras_namespaces
from nncalc.frameworks.keras.ops import matmul_shape as keras_matmul
from nncalc.frameworks.torch import errors as torch_errors
from nncalc.frameworks.torch import namespaces as torch_namespaces
from nncalc.frameworks.torch.shapes import broadcast as torch_broadcast
from nncalc.frameworks.torch.shapes import matmul_shape as torch_matmul
from nncalc.layers.base import as_tuple, int_or_tuple
from nncalc.layers.merge import broadcast_pair, broadcast_shapes


def test_both_frameworks_use_the_one_namespace_and_error_classes():
    assert issubclass(torch_namespaces.Namespace, Namespace) and issubclass(keras_namespaces.Namespace, Namespace)
    for prefix, module in (("Torch", torch_errors), ("Keras", keras_errors)):
        assert issubclass(getattr(module, f"{prefix}TypeError"), FrameworkTypeError)
        assert issubclass(getattr(module, f"{prefix}AttributeError"), FrameworkAttributeError)
        assert issubclass(getattr(module, f"{prefix}ValueError"), FrameworkValueError)
    assert torch_errors.unknown_layer is keras_errors.unknown_layer is unknown_layer


@pytest.mark.parametrize("name, expected", [
    ("conv2d", "Conv2d"),  # another case
    ("Cnov2d", "Conv2d"),  # the same letters in another order
    ("Conv2", "Conv2d"),  # close
    ("Transformer", None),  # nothing close
])
def test_suggest(name, expected):
    assert suggest(name, {"Conv2d", "Linear", "BatchNorm2d"}) == expected


def test_a_namespace_is_read_only_and_builds_its_fallbacks_once():
    made = []
    ns = Namespace("host", {"a": 1}, known={"b"}, fallback=lambda qualified, attr: made.append(qualified) or attr)
    assert ns.a == 1 and ns.b == "b" and ns.b == "b" and made == ["host.b"]
    assert dir(ns) == ["a", "b"]
    with pytest.raises(FrameworkAttributeError, match="host has no attribute 'c'"):
        ns.c  # noqa: B018
    with pytest.raises(FrameworkAttributeError, match="read-only"):
        ns.a = 2


@pytest.mark.parametrize("a, b, expected", [
    ((2, 1, 4), (3, 1), (2, 3, 4)), ((5,), (2, 5), (2, 5)), ((None, 4), (1, 4), (None, 4)), ((), (3,), (3,)),
])
def test_one_broadcasting_rule(a, b, expected):
    assert broadcast_pair(a, b, pytest.fail) == expected
    assert broadcast_shapes([a, b]) == expected
    if None not in a:
        assert torch_broadcast(a, b) == expected


def test_a_broadcast_mismatch_is_the_callers_error():
    seen = []
    assert broadcast_pair((5, 3), (2, 5, 2), lambda *args: seen.append(args)) == (2, 5, 3)
    assert seen == [(3, 2, 2)]  # a's size, b's size, the axis in the longer shape
    with pytest.raises(ShapeError, match=r"tensor a \(3\) must match the size of tensor b \(2\)"):
        torch_broadcast((5, 3), (2, 5, 2))
    with pytest.raises(ShapeError, match="sizes 2 and 3 along axis 2 differ"):
        broadcast_shapes([(5, 3), (2, 5, 2)])


@pytest.mark.parametrize("a, b, shape, macs", [
    ((2, 3), (3, 4), (2, 4), 24), ((3,), (3, 4), (4,), 12), ((2, 3), (3,), (2,), 6), ((5, 2, 3), (3, 4), (5, 2, 4), 120),
])
def test_one_matmul_rule(a, b, shape, macs):
    assert torch_matmul(a, b) == keras_matmul(a, b) == (shape, macs)


def test_matmul_errors_stay_in_each_frameworks_words():
    with pytest.raises(ShapeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        torch_matmul((2, 3), (4, 5))
    with pytest.raises(ShapeError, match="the inner sizes 3 and 4 differ"):
        keras_matmul((2, 3), (4, 5))


def test_one_int_or_tuple_reading():
    assert int_or_tuple(3, 2) == (3, 3) and int_or_tuple([3, 4], 2) == (3, 4) and int_or_tuple((3,), 2) == (3, 3)
    assert int_or_tuple((3,), 2, single=False) is None and int_or_tuple(True, 2) is None
    assert as_tuple([5], 3, "strides") == (5, 5, 5)
    with pytest.raises(ShapeError, match="`strides` must be an int or a tuple of 2 ints"):
        as_tuple((1, 2, 3), 2, "strides")
