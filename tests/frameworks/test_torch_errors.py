"""Mistakes in model code: the symbolic torch raises what torch raises, with messages naming the layer as
written and the fix."""

from __future__ import annotations

import re

import pytest

from nncalc.errors import InterpreterError, Location, NncalcError, ShapeError, UnknownLayer
from nncalc.frameworks.torch import new_session
from nncalc.location import set_location

SESSION = new_session()
NN = SESSION.modules["torch.nn"]
TORCH = SESSION.modules["torch"]
F = SESSION.modules["torch.nn.functional"]


@pytest.fixture
def at_line():
    """Build layers as if the interpreter were evaluating a given line."""
    previous = []

    def set_line(line: int):
        previous.append(set_location(Location("model.py", line, 8)))

    yield set_line
    if previous:
        set_location(previous[0])


def real_error(build):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as info:
        build(torch.nn)
    return info.value


# ----- argument binding like torch ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda nn: nn.Conv2d(3, 8, 3, foo=1),
        lambda nn: nn.Conv2d(3, 8),
        lambda nn: nn.Linear(3, 8, True, None, None, 5),
        lambda nn: nn.Linear(in_features=3),
        lambda nn: nn.Flatten(1, 2, 3),
        lambda nn: nn.ReLU(inplace=True, slope=2),
        lambda nn: nn.Dropout(0.5, False, 3),
    ],
    ids=["unknown-kwarg", "missing-arg", "too-many", "missing-kw", "flatten-too-many", "relu-kwarg", "dropout"],
)
def test_binding_errors_are_torchs(build):
    real = real_error(build)
    with pytest.raises(TypeError) as ours:
        build(NN)
    assert isinstance(ours.value, InterpreterError)
    # the same words; nncalc names the class the user wrote where torch names a private base (_DropoutNd)
    name = type(build(_Recorder())).__name__
    assert ours.value.message == f"{name}.__init__(){str(real).split('__init__()', 1)[1]}"


class _Recorder:
    """Stands in for ``nn`` to learn which class a builder names."""

    def __getattr__(self, name):
        return type(name, (), {"__init__": lambda self, *a, **k: None})


def test_float_argument_is_a_clear_error():
    with pytest.raises(TypeError) as info:
        NN.Linear(14 * 14 * 16 / 2, 128)
    assert isinstance(info.value, NncalcError)
    assert info.value.message.startswith("`nn.Linear(1568.0, 128)`: in_features must be an int")
    assert "//" in info.value.hint


def test_float_kernel_is_a_clear_error():
    with pytest.raises(TypeError, match="kernel_size must be an int or a tuple of 2 ints"):
        NN.Conv2d(3, 8, 3.0)


@pytest.mark.parametrize(
    "build",
    [
        lambda nn: nn.Conv2d(3, 8, 3, stride=2, padding="same"),
        lambda nn: nn.Conv2d(3, 8, 3, padding="foo"),
        lambda nn: nn.Conv2d(3, 8, 3, padding_mode="foo"),
        lambda nn: nn.Conv2d(3, 8, 3, groups=2),
        lambda nn: nn.Conv2d(4, 6, 3, groups=4),
        lambda nn: nn.Dropout(1.5),
    ],
    ids=["same-strided", "bad-padding", "bad-padding-mode", "in-groups", "out-groups", "dropout-p"],
)
def test_construction_value_errors_like_torch(build):
    real = real_error(build)
    assert isinstance(real, ValueError)
    with pytest.raises(ValueError) as ours:
        build(NN)
    assert isinstance(ours.value, ShapeError)
    # torch's own words are kept (up to a set, printed in hash order); nncalc may prefix the layer
    assert str(real).split(" {")[0].split(", should")[0].split(", but")[0] in ours.value.message


# ----- shape checks ---------------------------------------------------------------------------------------
def test_conv_channels_names_layer_line_and_fix(at_line):
    at_line(7)
    conv = NN.Conv2d(3, 8, 3)
    with pytest.raises(ShapeError) as info:
        conv(TORCH.zeros(1, 1, 32, 32))
    assert info.value.message == "`nn.Conv2d(3, 8, 3)` (line 7) receives 1 channel; use `nn.Conv2d(1, 8, 3)`"


def test_layers_are_shown_in_short_form():
    """The seed writes every argument by keyword; messages show the required ones by position and only the
    others that differ from torch's defaults."""
    conv = NN.Conv2d(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=0)
    with pytest.raises(ShapeError) as info:
        conv(TORCH.zeros(1, 4, 32, 32))
    assert info.value.message == "`nn.Conv2d(3, 8, 3)` receives 4 channels; use `nn.Conv2d(4, 8, 3)`"
    strided = NN.Conv2d(3, 8, kernel_size=(3, 3), stride=2, padding=1, bias=False)
    assert strided._describe(in_channels=1) == "`nn.Conv2d(1, 8, (3, 3), stride=2, padding=1, bias=False)`"
    assert NN.BatchNorm2d(16, eps=1e-3, momentum=0.1)._describe() == "`nn.BatchNorm2d(16, eps=0.001)`"


def test_conv_rank():
    with pytest.raises(ShapeError, match=r"expects a 3D or 4D input .* got a 2D input of shape \[1, 32\]"):
        NN.Conv2d(3, 8, 3)(TORCH.zeros(1, 32))


def test_linear_features_say_where_they_come_from(at_line):
    at_line(14)
    fc1 = NN.Linear(3200, 128)
    x = TORCH.flatten(TORCH.zeros(1, 16, 14, 14), start_dim=1)
    with pytest.raises(ShapeError) as info:
        fc1(x)
    assert info.value.message == (
        "`nn.Linear(3200, 128)` (line 14) receives 3136 features (16 × 14 × 14); use `nn.Linear(3136, 128)`"
    )


@pytest.mark.parametrize(
    "reshape",
    [
        lambda x: x.view(x.size(0), -1),
        lambda x: x.reshape(x.shape[0], -1),
        lambda x: x.view(-1, 16 * 14 * 14),
        lambda x: NN.Flatten()(x),
        lambda x: x.flatten(1),
    ],
)
def test_features_are_traced_through_any_flatten(reshape):
    with pytest.raises(ShapeError, match=r"receives 3136 features \(16 × 14 × 14\)"):
        NN.Linear(3200, 128)(reshape(TORCH.zeros(1, 16, 14, 14).relu()))


def test_batch_norm_channels():
    with pytest.raises(ShapeError) as info:
        NN.BatchNorm2d(16)(TORCH.zeros(1, 32, 4, 4))
    assert info.value.message == "`nn.BatchNorm2d(16)` receives 32 channels; use `nn.BatchNorm2d(32)`"


@pytest.mark.parametrize("shape", [(1, 16, 4), (1, 16, 4, 4, 4)])
def test_batch_norm_rank(shape):
    with pytest.raises(ShapeError, match="expects a 4D input"):
        NN.BatchNorm2d(16)(TORCH.zeros(*shape))


def test_batch_norm_1d_rank():
    with pytest.raises(ShapeError, match="expects a 2D or 3D input"):
        NN.BatchNorm1d(16)(TORCH.zeros(1, 16, 4, 4))


def test_view_that_does_not_divide():
    with pytest.raises(ShapeError, match="invalid for input of size 15"):
        TORCH.zeros(1, 3, 5).view(2, -1)
    with pytest.raises(ShapeError, match="invalid for input of size 15"):
        TORCH.zeros(1, 3, 5).reshape(4, 4)


@pytest.mark.parametrize(
    "layer, shape",
    [(lambda: NN.MaxPool2d(3), (1, 3, 2, 2)), (lambda: NN.Conv2d(3, 8, 5), (1, 3, 4, 9)),
     (lambda: NN.AvgPool1d(4), (1, 3, 3))],
)
def test_pooling_or_conv_that_leaves_no_output(layer, shape):
    with pytest.raises(ShapeError, match="leaves no output"):
        layer()(TORCH.zeros(*shape))


def test_pool_padding_more_than_half_the_kernel():
    with pytest.raises(ShapeError, match="pad should be at most half"):
        NN.MaxPool2d(3, padding=2)(TORCH.zeros(1, 3, 8, 8))


def test_broadcasting_mismatch():
    with pytest.raises(ShapeError, match=r"size of tensor a \(2\) must match the size of tensor b \(4\)"):
        TORCH.zeros(2, 3) + TORCH.zeros(4, 3)


@pytest.mark.parametrize("a, b", [((8, 64, 1024), (65, 64)), ((2, 5, 3), (4, 1, 2))])
def test_broadcasting_mismatch_names_the_dimension_torch_names(a, b):
    """torch compares from the last dimension and names the first that differs there."""
    import torch

    with pytest.raises(RuntimeError) as real:
        torch.zeros(a) + torch.zeros(b)
    with pytest.raises(ShapeError) as ours:
        TORCH.zeros(*a) + TORCH.zeros(*b)
    assert ours.value.message.split(":")[0] == str(real.value)


@pytest.mark.parametrize("op, a, b, words", [
    ("mm", (1, 3, 4), (4, 5), "self must be a matrix"),
    ("mm", (3, 4), (1, 4, 5), "mat2 must be a matrix"),
    ("bmm", (3, 4), (1, 4, 5), "batch1 must be a 3D tensor"),
    ("bmm", (2, 3, 4), (4, 5), "batch2 must be a 3D tensor"),
    ("bmm", (2, 3, 4), (3, 4, 5), "first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4]"),
])
def test_mm_and_bmm_take_no_broadcast_like_torch(op, a, b, words):
    """``torch.mm`` refuses a batch (a graph layer's ``torch.mm(x, W)`` given a batched x), unlike ``matmul``."""
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=re.escape(words)):
        getattr(torch, op)(torch.zeros(a), torch.zeros(b))
    for call in (getattr(TORCH, op), lambda x, y: getattr(x, op)(y)):
        with pytest.raises(ShapeError, match=re.escape(words)):
            call(TORCH.zeros(*a), TORCH.zeros(*b))
    assert TORCH.mm(TORCH.zeros(3, 4), TORCH.zeros(4, 5)).shape == (3, 5)
    assert TORCH.bmm(TORCH.zeros(2, 3, 4), TORCH.zeros(2, 4, 5)).shape == (2, 3, 5)


def test_prelu_channels():
    with pytest.raises(ShapeError, match=r"receives 4 channels; use `nn.PReLU\(num_parameters=4\)`"):
        NN.PReLU(3)(TORCH.zeros(1, 4, 5, 5))


def test_dim_out_of_range_like_torch():
    with pytest.raises(ShapeError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 3\)"):
        NN.Softmax(dim=3)(TORCH.zeros(1, 3))


def test_functional_ops_are_named_in_errors():
    with pytest.raises(ShapeError, match=r"`F.max_pool2d\(kernel_size=2\)` receives an input of shape \[1, 3, 1, 1\]"):
        F.max_pool2d(TORCH.zeros(1, 3, 1, 1), 2)


def test_functional_binding():
    with pytest.raises(TypeError, match="relu\\(\\) got an unexpected keyword argument 'foo'"):
        F.relu(TORCH.zeros(2), foo=3)


# ----- names that torch has and nncalc lacks, and names torch does not have -------------------------------
def test_unknown_layer_is_never_a_silent_zero():
    from nncalc.frameworks.torch.namespaces import unknown_layer_class

    future = unknown_layer_class("nn.FutureLayer")  # every torch.nn module class has a rule: one torch may add
    with pytest.raises(UnknownLayer, match="nncalc has no rule for nn.FutureLayer yet"):
        future(output_size=(4, 5), kernel_size=2)
    assert not isinstance(NN.Linear(2, 2), future)  # isinstance checks in init code still work


def test_unknown_functional_raises_when_called():
    conv_tbc = F.conv_tbc
    with pytest.raises(UnknownLayer, match="F.conv_tbc"):
        conv_tbc(TORCH.zeros(1, 3, 4), TORCH.zeros(3, 4, 4), TORCH.zeros(4))
    with pytest.raises(UnknownLayer, match="torch.conv_tbc"):
        TORCH.conv_tbc(TORCH.zeros(1, 3, 4), TORCH.zeros(3, 4, 4), TORCH.zeros(4))
    with pytest.raises(UnknownLayer, match="torch.conv_tbc"):  # used as a value: the same message, not a TypeError
        TORCH.zeros(2, 2) * TORCH.conv_tbc


def test_typo_is_an_attribute_error_with_a_suggestion():
    with pytest.raises(AttributeError) as info:
        NN.Conv2D
    assert isinstance(info.value, InterpreterError)
    assert info.value.message == "module 'torch.nn' has no attribute 'Conv2D'; did you mean 'Conv2d'?"
    with pytest.raises(AttributeError, match="did you mean 'relu'"):
        F.reluu
    with pytest.raises(AttributeError, match="module 'torch' has no attribute 'flaten'; did you mean 'flatten'"):
        TORCH.flaten


def test_torch_machinery_is_an_opaque_unknown():
    from nncalc.frameworks.torch.errors import is_unknown

    assert is_unknown(TORCH.optim.Adam)
    assert is_unknown(TORCH.utils.data.DataLoader)


def test_sequential_of_a_function():
    with pytest.raises(TypeError, match="not a Module subclass") as info:
        NN.Sequential(NN.Linear(2, 2), F.relu)
    assert "nn.ReLU()" in info.value.hint


def test_assigning_a_module_before_init():
    class Net(NN.Module):
        def __init__(self):
            self.fc = NN.Linear(2, 2)

    with pytest.raises(AttributeError, match="cannot assign module before Module.__init__\\(\\) call"):
        Net()


def test_missing_attribute_of_a_module():
    with pytest.raises(AttributeError, match="'Conv2d' object has no attribute 'foo'"):
        NN.Conv2d(3, 8, 3).foo


def test_module_without_forward():
    class Net(NN.Module):
        def __init__(self):
            super().__init__()

    with pytest.raises(InterpreterError, match='missing the required "forward" function'):
        Net()(TORCH.zeros(1, 2))


def test_truth_of_a_tensor_is_unknown():
    with pytest.raises(InterpreterError, match="value of a tensor is not known"):
        bool(TORCH.zeros(1))
