"""``nn.Unfold``/``nn.Fold`` and ``F.unfold``/``F.fold``: image patches to columns and back (im2col, col2im),
on the rules of :mod:`nncalc.layers.reshape`. No weights, no multiply-accumulates."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.errors import shape_error
from nncalc.frameworks.torch.functional import Where, op, tensor_arg
from nncalc.frameworks.torch.arguments import int_tuple, tensor_input
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.reshape import fold_output, unfold_output


def _window(where, kernel_size, dilation, padding, stride) -> tuple:
    return (int_tuple(kernel_size, 2, "kernel_size", where, 1), int_tuple(dilation, 2, "dilation", where, 1),
            int_tuple(padding, 2, "padding", where), int_tuple(stride, 2, "stride", where, 1))


def unfold_shape(x: Tensor, kernel_size, dilation, padding, stride, where, record: bool) -> Tensor:
    """``(N, C, H, W)`` or ``(C, H, W)`` → ``(N, C × k_h × k_w, L)``, ``L`` the number of window positions."""
    if len(x._shape) not in (3, 4):
        raise shape_error(f"{where._describe()}: Expected 3D or 4D (batch mode) tensor with possibly 0 batch size "
                          f"and other non-zero dimensions for input, but got: {list(x._shape)}", "rank", where)
    kernel, dilation, padding, stride = _window(where, kernel_size, dilation, padding, stride)
    try:
        (rows, blocks), formulas = unfold_output(x._shape[-3], x._shape[-2:], kernel, stride, padding, dilation)
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "window", where, hint=error.hint) from None
    if record and blocks is not None:  # one length: the window positions along H times those along W
        recorder.note(0, [("L", formulas[0][1] * formulas[1][1])])
    return x._like(x._shape[:-3] + (rows, blocks), factors=None)


def fold_shape(x: Tensor, output_size, kernel_size, dilation, padding, stride, where) -> Tensor:
    """``(N, C × k_h × k_w, L)`` or ``(C × k_h × k_w, L)`` → ``(N, C, *output_size)``."""
    if len(x._shape) not in (2, 3):
        raise shape_error(f"{where._describe()}: Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                          f"batch size and non-zero dimensions for input, but got: {list(x._shape)}", "rank", where)
    size = int_tuple(output_size, 2, "output_size", where, 1)
    kernel, dilation, padding, stride = _window(where, kernel_size, dilation, padding, stride)
    try:
        out = fold_output(x._shape[-2], x._shape[-1], size, kernel, stride, padding, dilation)
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "reshape", where, hint=error.hint) from None
    return x._like(x._shape[:-2] + out, factors=None)


@builtin
class Unfold(Module):
    """``nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)``: sliding local blocks as columns."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride
        _window(self, kernel_size, dilation, padding, stride)

    def forward(self, input):
        x = tensor_input(input, self)
        return unfold_shape(x, self.kernel_size, self.dilation, self.padding, self.stride, self, True)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, stride={self.stride}"


@builtin
class Fold(Module):
    """``nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)``: columns summed back into an image."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size = output_size
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride
        int_tuple(output_size, 2, "output_size", self, 1)
        _window(self, kernel_size, dilation, padding, stride)

    def forward(self, input):
        x = tensor_input(input, self)
        return fold_shape(x, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride, self)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


@op("F.unfold")
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """``F.unfold(input, kernel_size, dilation=1, padding=0, stride=1)``."""
    where = Where("F.unfold", kernel_size=kernel_size, stride=stride, padding=padding)
    return unfold_shape(tensor_arg(input, "F.unfold"), kernel_size, dilation, padding, stride, where, False)


@op("F.fold")
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """``F.fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1)``."""
    where = Where("F.fold", output_size=output_size, kernel_size=kernel_size, stride=stride, padding=padding)
    return fold_shape(tensor_arg(input, "F.fold"), output_size, kernel_size, dilation, padding, stride, where)


FUNCTIONAL = {"unfold": unfold, "fold": fold}
"""``torch.nn.functional`` members."""
