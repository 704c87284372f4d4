"""Pooling modules (``nn.MaxPool{1,2,3}d``, ``nn.AvgPool{1,2,3}d``, ``nn.AdaptiveAvgPool{1,2,3}d``,
``nn.AdaptiveMaxPool{1,2,3}d``, ``nn.MaxUnpool{1,2,3}d``, ``nn.LPPool{1,2,3}d``, ``nn.FractionalMaxPool2d/3d``) and the shape functions the functional ``F.*_pool*`` ops share with them."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.dtypes import INT64
from nncalc.frameworks.torch.errors import TorchValueError, bad_type, check_int, shape_error
from nncalc.frameworks.torch.arguments import check_spatial, int_tuple, quick_windows, tensor_input, window_error
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.pooling import PoolSpec, adaptive_output, pool_output, unpool_output
from nncalc.receptive import adaptive_window



def window_pool(x: Tensor, rank: int, kernel, stride, padding, dilation, ceil_mode, where, record=False) -> Tensor:
    """A max or average pooling of ``x``; ``where`` names the layer or op in errors; ``record`` charges the
    shape formulas to the module call in progress."""
    check_spatial(x, rank, where)
    kernel = int_tuple(kernel, rank, "kernel_size", where, 1)
    stride = kernel if stride is None or stride == [] else int_tuple(stride, rank, "stride", where, 1)
    pads = int_tuple(padding, rank, "padding", where)
    dilation = int_tuple(dilation, rank, "dilation", where, 1)
    try:
        spec = PoolSpec(rank, kernel, stride, tuple((p, p) for p in pads), dilation, bool(ceil_mode))
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "config", where, hint=error.hint) from None
    spatial = x._shape[-rank:]
    sizes = None if record and recorder.active() else quick_windows(
        spatial, kernel, stride, spec.padding, dilation, spec.ceil_mode
    )
    if sizes is None:
        try:
            sizes, formulas = pool_output(spec, spatial)
        except ShapeError as error:
            raise window_error(error, where, x) from None
        if record:
            recorder.note(0, formulas, window=spec)
    return x._like(x._shape[:-rank] + sizes, factors=None)


def adaptive_pool(x: Tensor, rank: int, output_size, where, record=False) -> Tensor:
    """An adaptive pooling of ``x`` to ``output_size`` (an int, or per axis an int or None)."""
    check_spatial(x, rank, where)
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        wanted = (check_int(output_size, "output_size", where),) * rank
    elif isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        wanted = tuple(None if s is None else check_int(s, "output_size", where) for s in output_size)
    else:
        raise bad_type(output_size, "output_size", where, f"an int or a tuple of {rank} ints or None")
    sizes, formulas = adaptive_output(wanted, x._shape[-rank:])
    if record:
        recorder.note(0, formulas, window=adaptive_window(x._shape[-rank:], sizes))
    return x._like(x._shape[:-rank] + sizes, factors=None)


def with_indices(out: Tensor, return_indices: bool):
    """``(output, indices)`` when indices were asked for."""
    return (out, out._like(dtype_=INT64)) if return_indices else out


class _MaxPoolNd(Module):
    _rank = 0

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    def forward(self, input):
        x = tensor_input(input, self)
        out = window_pool(x, self._rank, self.kernel_size, self.stride, self.padding, self.dilation,
                          self.ceil_mode, self, True)
        return with_indices(out, self.return_indices)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, " \
               f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"


@builtin
class MaxPool1d(_MaxPoolNd):
    """``nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)``."""

    _rank = 1


@builtin
class MaxPool2d(_MaxPoolNd):
    """``nn.MaxPool2d(kernel_size, stride=None → kernel_size, padding=0, dilation=1, return_indices=False,
    ceil_mode=False)``."""

    _rank = 2


@builtin
class MaxPool3d(_MaxPoolNd):
    """``nn.MaxPool3d(...)``, as ``nn.MaxPool2d`` over three axes."""

    _rank = 3


class _AvgPoolNd(Module):
    _rank = 0

    def _setup(self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override=None):
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None and stride != [] else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    def forward(self, input):
        x = tensor_input(input, self)
        return window_pool(x, self._rank, self.kernel_size, self.stride, self.padding, 1, self.ceil_mode, self, True)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@builtin
class AvgPool1d(_AvgPoolNd):
    """``nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)``."""

    _rank = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self._setup(kernel_size, stride, padding, ceil_mode, count_include_pad)


@builtin
class AvgPool2d(_AvgPoolNd):
    """``nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
    divisor_override=None)``."""

    _rank = 2

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self._setup(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


@builtin
class AvgPool3d(_AvgPoolNd):
    """``nn.AvgPool3d(...)``, as ``nn.AvgPool2d`` over three axes."""

    _rank = 3

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self._setup(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


class _AdaptiveAvgPoolNd(Module):
    _rank = 0

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return adaptive_pool(tensor_input(input, self), self._rank, self.output_size, self, True)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


@builtin
class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """``nn.AdaptiveAvgPool1d(output_size)``."""

    _rank = 1


@builtin
class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """``nn.AdaptiveAvgPool2d(output_size)``: ``1`` or ``(1, 1)`` is global average pooling."""

    _rank = 2


@builtin
class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """``nn.AdaptiveAvgPool3d(output_size)``."""

    _rank = 3


class _AdaptiveMaxPoolNd(Module):
    _rank = 0

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def forward(self, input):
        out = adaptive_pool(tensor_input(input, self), self._rank, self.output_size, self, True)
        return with_indices(out, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


@builtin
class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """``nn.AdaptiveMaxPool1d(output_size, return_indices=False)``."""

    _rank = 1


@builtin
class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """``nn.AdaptiveMaxPool2d(output_size, return_indices=False)``."""

    _rank = 2


@builtin
class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """``nn.AdaptiveMaxPool3d(output_size, return_indices=False)``."""

    _rank = 3


def max_unpool(x: Tensor, indices, rank: int, kernel_size, stride, padding, output_size, where, record=False) -> Tensor:
    """The inverse of a max pooling: ``(N, C, *spatial)`` → ``(N, C, (in − 1) × s − 2 × p + k …)``, or
    ``output_size`` (the spatial sizes, or the whole shape) within a stride of that, as torch checks."""
    if len(x._shape) not in (rank + 1, rank + 2):
        raise shape_error(f"{where._describe()}: Input to max_unpooling{rank}d should be a {rank + 1}d or "
                          f"{rank + 2}d Tensor, but got a tensor with {len(x._shape)} dimensions.", "rank", where)
    if not isinstance(indices, Tensor):
        raise bad_type(indices, "indices", where, "a tensor (the indices a max pooling returned)")
    if indices._shape != x._shape:
        raise shape_error(f"{where._describe()}: Expected shape of indices to be same as that of the input tensor "
                          f"({list(x._shape)}) but got indices tensor with shape: {list(indices._shape)}",
                          "reshape", where)
    if indices._dtype != INT64:
        raise shape_error(f"{where._describe()}: elements in indices should be type int64 but got: "
                          f"{indices._dtype.name}", "dtype", where)
    kernel = int_tuple(kernel_size, rank, "kernel_size", where, 1)
    stride = kernel if stride is None else int_tuple(stride, rank, "stride", where, 1)
    pads = int_tuple(padding, rank, "padding", where)
    sizes, formulas = unpool_output(x._shape[-rank:], kernel, stride, pads)
    if output_size is not None:
        wanted = tuple(output_size)
        if len(wanted) == rank + 2:
            wanted = wanted[2:]
        if len(wanted) != rank:
            raise TorchValueError(f"{where._describe()}: output_size should be a sequence containing {rank} or "
                                  f"{rank + 2} elements, but it has a length of '{len(wanted)}'")
        for d, (size, default) in enumerate(zip(wanted, sizes)):
            if default is not None and not default - stride[d] < size < default + stride[d]:
                raise TorchValueError(f"{where._describe()}: invalid output_size \"{tuple(output_size)}\" (dim {d} "
                                      f"must be between {default - stride[d]} and {default + stride[d]})")
        sizes, formulas = wanted, []
    if record:
        recorder.note(0, formulas)
    return x._like(x._shape[:-rank] + tuple(sizes), factors=None)


class _MaxUnpoolNd(Module):
    _rank = 0

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = int_tuple(kernel_size, self._rank, "kernel_size", self, 1)
        self.stride = self.kernel_size if stride is None else int_tuple(stride, self._rank, "stride", self, 1)
        self.padding = int_tuple(padding, self._rank, "padding", self)

    def forward(self, input, indices, output_size=None):
        x = tensor_input(input, self)
        return max_unpool(x, indices, self._rank, self.kernel_size, self.stride, self.padding, output_size, self, True)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@builtin
class MaxUnpool1d(_MaxUnpoolNd):
    """``nn.MaxUnpool1d(kernel_size, stride=None, padding=0)``, called with ``(input, indices, output_size=None)``."""

    _rank = 1


@builtin
class MaxUnpool2d(_MaxUnpoolNd):
    """``nn.MaxUnpool2d(kernel_size, stride=None, padding=0)``, called with ``(input, indices, output_size=None)``."""

    _rank = 2


@builtin
class MaxUnpool3d(_MaxUnpoolNd):
    """``nn.MaxUnpool3d(kernel_size, stride=None, padding=0)``, called with ``(input, indices, output_size=None)``."""

    _rank = 3


class _LPPoolNd(Module):
    _rank = 0

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    def forward(self, input):
        x = tensor_input(input, self)
        return window_pool(x, self._rank, self.kernel_size, self.stride, 0, 1, self.ceil_mode, self, True)

    def extra_repr(self) -> str:
        return f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}"


@builtin
class LPPool1d(_LPPoolNd):
    """``nn.LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False)``: a power-average pooling."""

    _rank = 1


@builtin
class LPPool2d(_LPPoolNd):
    """``nn.LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False)``."""

    _rank = 2


@builtin
class LPPool3d(_LPPoolNd):
    """``nn.LPPool3d(norm_type, kernel_size, stride=None, ceil_mode=False)``."""

    _rank = 3


def check_fractional(name: str, output_size, output_ratio) -> None:
    """Exactly one of ``output_size`` and ``output_ratio``, as torch checks at construction."""
    if output_size is None and output_ratio is None:
        raise TorchValueError(f"{name} requires specifying either an output size, or a pooling ratio")
    if output_size is not None and output_ratio is not None:
        raise TorchValueError("only one of output_size and output_ratio may be specified")


def fractional_max_pool(x: Tensor, rank: int, kernel_size, output_size, output_ratio, where) -> Tensor:
    """Fractional max pooling (pseudo-random windows): the requested ``output_size``, or ``⌊in × ratio⌋``."""
    check_spatial(x, rank, where)
    kernel = int_tuple(kernel_size, rank, "kernel_size", where, 1)
    spatial = x._shape[-rank:]
    if output_size is not None:
        sizes = int_tuple(output_size, rank, "output_size", where, 1)
    else:
        ratios = tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * rank
        if len(ratios) != rank or not all(isinstance(r, (int, float)) and 0 < r < 1 for r in ratios):
            raise TorchValueError(f"{where._describe()}: output_ratio must be between 0 and 1 (got {output_ratio})")
        sizes = tuple(int(size * ratio) for size, ratio in zip(spatial, ratios))
    for axis, size, k, out in zip(("D", "H", "W")[-rank:] if rank > 1 else ("L",), spatial, kernel, sizes):
        if out + k - 1 > size:
            raise shape_error(f"{where._describe()}: pool size {k} along {axis} too large relative to input size "
                              f"{size} for an output of {out}", "window", where)
    return x._like(x._shape[:-rank] + tuple(sizes), factors=None)


class _FractionalMaxPoolNd(Module):
    _rank = 0

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        check_fractional(type(self).__name__, output_size, output_ratio)
        self.kernel_size = kernel_size
        self.output_size = output_size
        self.output_ratio = output_ratio
        self.return_indices = return_indices
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    def forward(self, input):
        x = tensor_input(input, self)
        out = fractional_max_pool(x, self._rank, self.kernel_size, self.output_size, self.output_ratio, self)
        return with_indices(out, self.return_indices)


@builtin
class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """``nn.FractionalMaxPool2d(kernel_size, output_size=None, output_ratio=None, return_indices=False)``."""

    _rank = 2


@builtin
class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """``nn.FractionalMaxPool3d(kernel_size, output_size=None, output_ratio=None, return_indices=False)``."""

    _rank = 3
