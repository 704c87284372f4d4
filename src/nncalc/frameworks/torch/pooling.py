"""Pooling modules (``nn.MaxPool{1,2,3}d``, ``nn.AvgPool{1,2,3}d``, ``nn.AdaptiveAvgPool{1,2,3}d``,
``nn.AdaptiveMaxPool{1,2,3}d``, ``nn.MaxUnpool{1,2,3}d``, ``nn.LPPool{1,2,3}d``, ``nn.FractionalMaxPool2d/3d``) and the
shape functions the functional ``F.*_pool*`` ops share with them.

Every one computes through a rule of :mod:`nncalc.layers.pooling` (``POOL``, ``ADAPTIVE_POOL``, ``MAX_UNPOOL``,
``FRACTIONAL_MAX_POOL``) in the canonical layout, channels last (an unbatched input as a batch of one); torch
checks most of their arguments when called, so those modules parse them into the rule's spec then (``_spec``).
Each family's rank variants are made by :func:`ranked`.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.arguments import check_spatial, int_tuple, quick_windows, tensor_input, window_error
from nncalc.frameworks.torch.dtypes import INT64
from nncalc.frameworks.torch.errors import TorchValueError, bad_type, check_int, shape_error
from nncalc.frameworks.torch.module import builtin
from nncalc.frameworks.torch.rules import RuleModule, channels_first, channels_last, ranked
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.pooling import (
    ADAPTIVE_POOL, FRACTIONAL_MAX_POOL, MAX_UNPOOL, POOL, AdaptiveSpec, FractionalSpec, PoolSpec, UnpoolSpec,
    unpool_output,
)
from nncalc.records import replace


def pool_spec(rank: int, kernel, stride, padding, dilation, ceil_mode, where) -> PoolSpec:
    """The :class:`PoolSpec` of a max, average or power-average pooling's arguments (``stride`` None: the
    kernel), checked as torch checks them; ``where`` names the layer or op in errors."""
    kernel = int_tuple(kernel, rank, "kernel_size", where, 1)
    stride = kernel if stride is None or stride == [] else int_tuple(stride, rank, "stride", where, 1)
    pads = int_tuple(padding, rank, "padding", where)
    dilation = int_tuple(dilation, rank, "dilation", where, 1)
    try:
        return PoolSpec(rank, kernel, stride, tuple((p, p) for p in pads), dilation, bool(ceil_mode))
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "config", where, hint=error.hint) from None


def adaptive_spec(rank: int, output_size, where) -> AdaptiveSpec:
    """The :class:`AdaptiveSpec` of ``output_size`` (an int, or per axis an int or None)."""
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        return AdaptiveSpec((check_int(output_size, "output_size", where),) * rank)
    if isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        return AdaptiveSpec(tuple(None if s is None else check_int(s, "output_size", where) for s in output_size))
    raise bad_type(output_size, "output_size", where, f"an int or a tuple of {rank} ints or None")


def quick_pool(spec: PoolSpec, spatial: tuple) -> tuple | None:
    """A windowed pooling's output sizes by numbers only (input inference), None to ask the rule."""
    return quick_windows(spatial, spec.kernel, spec.stride, spec.padding, spec.dilation, spec.ceil_mode)


def window_pool(x: Tensor, rank: int, kernel, stride, padding, dilation, ceil_mode, where) -> Tensor:
    """``F.max_pool*``, ``F.avg_pool*``, ``F.lp_pool*`` on ``x`` (the rule's output, nothing charged)."""
    check_spatial(x, rank, where)
    spec = pool_spec(rank, kernel, stride, padding, dilation, ceil_mode, where)
    sizes = quick_pool(spec, x._shape[-rank:])
    if sizes is None:
        try:
            POOL.output(spec, channels_last(x._shape, len(x._shape) == rank + 2))
        except ShapeError as error:
            raise window_error(error, where, x) from None
    return x._like(x._shape[:-rank] + sizes, factors=None)


def adaptive_pool(x: Tensor, rank: int, output_size, where) -> Tensor:
    """``F.adaptive_*_pool*`` of ``x`` to ``output_size`` (an int, or per axis an int or None)."""
    check_spatial(x, rank, where)
    batched = len(x._shape) == rank + 2
    out = ADAPTIVE_POOL.output(adaptive_spec(rank, output_size, where), channels_last(x._shape, batched))
    return x._like(channels_first(out, batched), factors=None)


def with_indices(out: Tensor, return_indices: bool):
    """``(output, indices)`` when indices were asked for."""
    return (out, out._like(dtype_=INT64)) if return_indices else out


class _Pooling(RuleModule):
    """What the pooling modules share: the rule's output through the canonical layout (an unbatched input as a
    batch of one), indices when asked for. ``_spec`` parses the module's arguments at each call."""

    _rank = 0
    return_indices = False

    def forward(self, input):
        x = tensor_input(input, self)
        check_spatial(x, self._rank, self)
        spec, rank = self._spec, self._rank
        sizes = None if recorder.active() else self._quick(spec, x._shape[-rank:])
        if sizes is not None:  # outside a trace (input inference tries many shapes): the sizes only
            return with_indices(x._like(x._shape[:-rank] + sizes, factors=None), self.return_indices)
        batched = len(x._shape) == rank + 2
        try:
            out = self._run_rule(spec, channels_last(x._shape, batched))
        except ShapeError as error:
            raise window_error(error, self, x) from None
        return with_indices(x._like(channels_first(out, batched), factors=None), self.return_indices)

    def _quick(self, spec, spatial: tuple) -> tuple | None:
        return quick_pool(spec, spatial)


class _MaxPoolNd(_Pooling):
    _rule = POOL

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    @property
    def _spec(self) -> PoolSpec:
        return pool_spec(self._rank, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, " \
               f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"


MaxPool1d = ranked(_MaxPoolNd, 1, "MaxPool1d", "``nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, "
                   "return_indices=False, ceil_mode=False)``.")
MaxPool2d = ranked(_MaxPoolNd, 2, "MaxPool2d", """``nn.MaxPool2d(kernel_size, stride=None → kernel_size, padding=0, \
dilation=1, return_indices=False, ceil_mode=False)``.""")
MaxPool3d = ranked(_MaxPoolNd, 3, "MaxPool3d", "``nn.MaxPool3d(...)``, as ``nn.MaxPool2d`` over three axes.")


class _AvgPoolNd(_Pooling):
    _rule = POOL

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None and stride != [] else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    @property
    def _spec(self) -> PoolSpec:
        return pool_spec(self._rank, self.kernel_size, self.stride, self.padding, 1, self.ceil_mode, self)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@builtin
class AvgPool1d(_AvgPoolNd):
    """``nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)``."""

    _rank = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)


AvgPool2d = ranked(_AvgPoolNd, 2, "AvgPool2d", """``nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, \
count_include_pad=True, divisor_override=None)``.""")
AvgPool3d = ranked(_AvgPoolNd, 3, "AvgPool3d", "``nn.AvgPool3d(...)``, as ``nn.AvgPool2d`` over three axes.")


class _AdaptivePoolNd(_Pooling):
    _rule = ADAPTIVE_POOL

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    @property
    def _spec(self) -> AdaptiveSpec:
        return adaptive_spec(self._rank, self.output_size, self)

    def _quick(self, spec, spatial: tuple) -> None:
        return None

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class _AdaptiveAvgPoolNd(_AdaptivePoolNd):
    def __init__(self, output_size):
        super().__init__(output_size)


AdaptiveAvgPool1d = ranked(_AdaptiveAvgPoolNd, 1, "AdaptiveAvgPool1d", "``nn.AdaptiveAvgPool1d(output_size)``.")
AdaptiveAvgPool2d = ranked(_AdaptiveAvgPoolNd, 2, "AdaptiveAvgPool2d", "``nn.AdaptiveAvgPool2d(output_size)``: ``1`` "
                           "or ``(1, 1)`` is global average pooling.")
AdaptiveAvgPool3d = ranked(_AdaptiveAvgPoolNd, 3, "AdaptiveAvgPool3d", "``nn.AdaptiveAvgPool3d(output_size)``.")
_ADAPTIVE_MAX = "``nn.{name}(output_size, return_indices=False)``."
AdaptiveMaxPool1d = ranked(_AdaptivePoolNd, 1, "AdaptiveMaxPool1d", _ADAPTIVE_MAX)
AdaptiveMaxPool2d = ranked(_AdaptivePoolNd, 2, "AdaptiveMaxPool2d", _ADAPTIVE_MAX)
AdaptiveMaxPool3d = ranked(_AdaptivePoolNd, 3, "AdaptiveMaxPool3d", _ADAPTIVE_MAX)


def unpool_spec(x: Tensor, indices, rank: int, kernel_size, stride, padding, output_size, where) -> UnpoolSpec:
    """The :class:`UnpoolSpec` of a max unpooling of ``x`` (``(N, C, *spatial)`` or ``(C, *spatial)``) with
    ``indices``; ``output_size`` (the spatial sizes, or the whole shape) within a stride of the default, as torch
    checks."""
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
    spec = UnpoolSpec(kernel, stride, int_tuple(padding, rank, "padding", where))
    if output_size is None:
        return spec
    sizes = unpool_output(x._shape[-rank:], spec.kernel, spec.stride, spec.padding)[0]
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
    return replace(spec, output_size=wanted)


def max_unpool(x: Tensor, indices, rank: int, kernel_size, stride, padding, output_size, where) -> Tensor:
    """``F.max_unpool*``: the inverse of a max pooling, ``(N, C, *spatial)`` → ``(N, C, (in − 1) × s − 2 × p + k
    …)`` or ``output_size`` (nothing charged)."""
    spec = unpool_spec(x, indices, rank, kernel_size, stride, padding, output_size, where)
    batched = len(x._shape) == rank + 2
    return x._like(channels_first(MAX_UNPOOL.output(spec, channels_last(x._shape, batched)), batched), factors=None)


class _MaxUnpoolNd(RuleModule):
    _rank = 0
    _rule = MAX_UNPOOL

    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = int_tuple(kernel_size, self._rank, "kernel_size", self, 1)
        self.stride = self.kernel_size if stride is None else int_tuple(stride, self._rank, "stride", self, 1)
        self.padding = int_tuple(padding, self._rank, "padding", self)
        self._spec = UnpoolSpec(self.kernel_size, self.stride, self.padding)

    def forward(self, input, indices, output_size=None):
        x = tensor_input(input, self)
        spec = unpool_spec(x, indices, self._rank, self.kernel_size, self.stride, self.padding, output_size, self)
        batched = len(x._shape) == self._rank + 2
        return x._like(channels_first(self._run_rule(spec, channels_last(x._shape, batched)), batched), factors=None)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


_UNPOOL = "``nn.{name}(kernel_size, stride=None, padding=0)``, called with ``(input, indices, output_size=None)``."
MaxUnpool1d = ranked(_MaxUnpoolNd, 1, "MaxUnpool1d", _UNPOOL)
MaxUnpool2d = ranked(_MaxUnpoolNd, 2, "MaxUnpool2d", _UNPOOL)
MaxUnpool3d = ranked(_MaxUnpoolNd, 3, "MaxUnpool3d", _UNPOOL)


class _LPPoolNd(_Pooling):
    _rule = POOL

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    @property
    def _spec(self) -> PoolSpec:
        return pool_spec(self._rank, self.kernel_size, self.stride, 0, 1, self.ceil_mode, self)

    def extra_repr(self) -> str:
        return f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}"


_LP_POOL = "``nn.{name}(norm_type, kernel_size, stride=None, ceil_mode=False)``: a power-average pooling."
LPPool1d = ranked(_LPPoolNd, 1, "LPPool1d", _LP_POOL)
LPPool2d = ranked(_LPPoolNd, 2, "LPPool2d", _LP_POOL)
LPPool3d = ranked(_LPPoolNd, 3, "LPPool3d", _LP_POOL)


def check_fractional(name: str, output_size, output_ratio) -> None:
    """Exactly one of ``output_size`` and ``output_ratio``, as torch checks at construction."""
    if output_size is None and output_ratio is None:
        raise TorchValueError(f"{name} requires specifying either an output size, or a pooling ratio")
    if output_size is not None and output_ratio is not None:
        raise TorchValueError("only one of output_size and output_ratio may be specified")


def fractional_spec(rank: int, kernel_size, output_size, output_ratio, where) -> FractionalSpec:
    """The :class:`FractionalSpec` of a fractional max pooling's arguments, checked as torch checks them."""
    kernel = int_tuple(kernel_size, rank, "kernel_size", where, 1)
    if output_size is not None:
        return FractionalSpec(kernel, int_tuple(output_size, rank, "output_size", where, 1))
    ratios = tuple(output_ratio) if isinstance(output_ratio, (tuple, list)) else (output_ratio,) * rank
    if len(ratios) != rank or not all(isinstance(r, (int, float)) and 0 < r < 1 for r in ratios):
        raise TorchValueError(f"{where._describe()}: output_ratio must be between 0 and 1 (got {output_ratio})")
    return FractionalSpec(kernel, output_ratio=ratios)


def fractional_pool(x: Tensor, rank: int, spec: FractionalSpec, where, module=None) -> Tensor:
    """Fractional max pooling (pseudo-random windows) of ``x``: the requested ``output_size``, or ``⌊in ×
    ratio⌋``; through ``module``'s rule when a module calls (charged to the trace), else the rule's output."""
    batched = len(x._shape) == rank + 2
    canonical = channels_last(x._shape, batched)
    try:
        out = FRACTIONAL_MAX_POOL.output(spec, canonical) if module is None else module._run_rule(spec, canonical)
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "window", where) from None
    return x._like(channels_first(out, batched), factors=None)


def fractional_max_pool(x: Tensor, rank: int, kernel_size, output_size, output_ratio, where) -> Tensor:
    """``F.fractional_max_pool*``: the requested ``output_size``, or ``⌊in × ratio⌋`` (nothing charged)."""
    check_spatial(x, rank, where)
    return fractional_pool(x, rank, fractional_spec(rank, kernel_size, output_size, output_ratio, where), where)


class _FractionalMaxPoolNd(RuleModule):
    _rank = 0
    _rule = FRACTIONAL_MAX_POOL

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        super().__init__()
        check_fractional(type(self).__name__, output_size, output_ratio)
        self.kernel_size = kernel_size
        self.output_size = output_size
        self.output_ratio = output_ratio
        self.return_indices = return_indices
        int_tuple(kernel_size, self._rank, "kernel_size", self, 1)

    @property
    def _spec(self) -> FractionalSpec:
        return fractional_spec(self._rank, self.kernel_size, self.output_size, self.output_ratio, self)

    def forward(self, input):
        x = tensor_input(input, self)
        check_spatial(x, self._rank, self)
        return with_indices(fractional_pool(x, self._rank, self._spec, self, self), self.return_indices)


_FRACTIONAL = "``nn.{name}(kernel_size, output_size=None, output_ratio=None, return_indices=False)``."
FractionalMaxPool2d = ranked(_FractionalMaxPoolNd, 2, "FractionalMaxPool2d", _FRACTIONAL)
FractionalMaxPool3d = ranked(_FractionalMaxPoolNd, 3, "FractionalMaxPool3d", _FRACTIONAL)
