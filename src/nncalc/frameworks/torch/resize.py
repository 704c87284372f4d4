"""Modules and ops that change spatial sizes without weights: ``nn.Upsample`` (and ``F.interpolate``), the
padding modules (``nn.ZeroPad2d``, ``nn.ConstantPad*d``, ``nn.ReflectionPad*d``, ``nn.ReplicationPad*d``,
``nn.CircularPad*d``, and ``F.pad``), ``nn.PixelShuffle``/``nn.PixelUnshuffle``. The sizes come from
:mod:`nncalc.layers.resize`."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, bad_type, check_int, shape_error
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.resize import check_reflection_padding, pad_output, upsample_output

MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
_MODE_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def interpolate_shape(x: Tensor, size, scale_factor, mode: str, align_corners, where, record: bool) -> Tensor:
    """The tensor ``F.interpolate`` (and ``nn.Upsample``) gives: ``(N, C, *resized)``."""
    if mode not in MODES:
        raise TorchValueError(f"{where._describe()}: unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if align_corners is not None and mode in ("nearest", "area", "nearest-exact"):
        raise TorchValueError(
            "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | "
            "trilinear",
            hint=f"drop align_corners, or use mode='bilinear' ({where._describe()})",
        )
    rank = len(x._shape)
    if rank not in (3, 4, 5):
        raise shape_error(
            f"{where._describe()}: only 3D, 4D and 5D input tensors (N, C, …) are supported, got a {rank}D input "
            f"of shape {list(x._shape)}",
            "rank",
            where if isinstance(where, Module) else None,
            hint="add a batch dimension with x.unsqueeze(0)",
        )
    if mode in _MODE_RANK and _MODE_RANK[mode] != rank:
        raise shape_error(
            f"{where._describe()}: got a {rank}D input, but {mode} mode needs a {_MODE_RANK[mode]}D input",
            "rank",
            where if isinstance(where, Module) else None,
            hint={3: "use mode='linear'", 4: "use mode='bilinear'", 5: "use mode='trilinear'"}[rank],
        )
    dims = rank - 2
    wanted = _per_axis(size, dims, "size", where, int) if size is not None else None
    factors = _per_axis(scale_factor, dims, "scale_factor", where, (int, float)) if scale_factor is not None else None
    if (wanted is None) == (factors is None):
        raise TorchValueError(
            f"{where._describe()}: "
            + ("only one of size or scale_factor should be defined" if wanted else
               "either size or scale_factor should be defined")
        )
    try:
        sizes, formulas = upsample_output(x._shape[2:], wanted, factors)
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "window", None, hint=error.hint) from None
    if record:
        recorder.note(0, formulas)
    return x._like(x._shape[:2] + sizes, factors=None)


def _per_axis(value, dims: int, name: str, where, kinds) -> tuple:
    def ok(v) -> bool:
        return isinstance(v, kinds) and not isinstance(v, bool)

    if ok(value):
        return (value,) * dims
    if isinstance(value, (tuple, list)) and all(ok(v) for v in value):
        if len(value) != dims:
            raise shape_error(
                f"{where._describe()}: the input has {dims} spatial dimensions but {name} has {len(value)} values",
                "rank",
            )
        return tuple(value)
    raise bad_type(value, name, where, f"a number or a tuple of {dims} numbers")


@builtin
class Upsample(Module):
    """``nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None,
    recompute_scale_factor=None)``: ``H_out = ⌊H_in × scale_factor⌋`` or ``size``."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None):
        super().__init__()
        self.size = size
        self.scale_factor = float(scale_factor) if isinstance(scale_factor, int) and not isinstance(
            scale_factor, bool) else scale_factor
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        x = tensor_input(input, self)
        return interpolate_shape(x, self.size, self.scale_factor, self.mode, self.align_corners, self, True)

    def extra_repr(self) -> str:
        what = f"scale_factor={self.scale_factor}" if self.scale_factor is not None else f"size={self.size}"
        return f"{what}, mode='{self.mode}'"


@builtin
class UpsamplingNearest2d(Upsample):
    """``nn.UpsamplingNearest2d(size=None, scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, "nearest")


@builtin
class UpsamplingBilinear2d(Upsample):
    """``nn.UpsamplingBilinear2d(size=None, scale_factor=None)`` (``align_corners=True``)."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, "bilinear", True)


def torch_pad_pairs(pad, rank: int, where) -> tuple[tuple[int, int], ...]:
    """torch's padding order — (left, right) of the last dim, then (top, bottom) of the one before… — as one
    (before, after) pair per padded axis, FIRST axis first. An int pads every side of ``rank`` axes."""
    if isinstance(pad, int) and not isinstance(pad, bool):
        return ((pad, pad),) * rank
    if not isinstance(pad, (tuple, list)) or not all(isinstance(p, int) and not isinstance(p, bool) for p in pad):
        raise bad_type(pad, "padding", where, f"an int or a tuple of {2 * rank} ints")
    if len(pad) % 2:
        raise TorchValueError(f"{where._describe()}: padding length must be divisible by 2, got {len(pad)}")
    pairs = [(pad[i], pad[i + 1]) for i in range(0, len(pad), 2)]
    return tuple(reversed(pairs))


def padded(x: Tensor, pairs: tuple[tuple[int, int], ...], mode: str, where, record: bool) -> Tensor:
    """``x`` with its last ``len(pairs)`` axes padded; reflect/replicate/circular check the input's sizes."""
    count = len(pairs)
    if count > len(x._shape):
        raise shape_error(
            f"{where._describe()}: padding length too large: {count} axes to pad in a {len(x._shape)}D input",
            "rank",
        )
    spatial = x._shape[len(x._shape) - count:]
    try:
        if mode == "reflect":
            check_reflection_padding(spatial, pairs)
        elif mode == "circular":
            _check_circular(spatial, pairs)
        sizes, formulas = pad_output(spatial, pairs)
    except ShapeError as error:
        raise shape_error(f"{where._describe()}: {error.message}", "window", None, hint=error.hint) from None
    if record:
        recorder.note(0, formulas)
    return x._like(x._shape[: len(x._shape) - count] + sizes, factors=None)


def _check_circular(spatial: tuple, pairs: tuple) -> None:
    for n, (before, after) in zip(spatial, pairs):
        if n is not None and max(before, after) > n:
            raise ShapeError(
                f"circular padding ({before}, {after}) cannot wrap around an axis of size {n}: padding value must "
                "not exceed the input size",
                hint="pad less, or use zero padding",
            )


class _PadNd(Module):
    _rank = 0
    _mode = "constant"

    def _setup(self, padding, value=0.0):
        self.padding = padding
        self.value = value
        self._pairs = torch_pad_pairs(padding, self._rank, self)
        if self._mode != "constant" and any(p < 0 for pair in self._pairs for p in pair):
            raise TorchValueError(f"{self._describe()}: negative padding is only supported for constant padding")

    def forward(self, input):
        x = tensor_input(input, self)
        if len(x._shape) not in (self._rank + 1, self._rank + 2):
            raise shape_error(
                f"{self._describe()} expects a {self._rank + 1}D or {self._rank + 2}D input, but got a "
                f"{len(x._shape)}D input of shape {list(x._shape)}",
                "rank",
                self,
            )
        return padded(x, self._pairs, self._mode, self, True)

    def extra_repr(self) -> str:
        return f"{self.padding}"


def _pad_class(name: str, rank: int, mode: str, with_value: bool) -> type:
    if with_value:
        def __init__(self, padding, value):  # noqa: N807 - the class's constructor
            Module.__init__(self)
            self._setup(padding, value)
        signature = "padding, value"
    else:
        def __init__(self, padding):  # noqa: N807
            Module.__init__(self)
            self._setup(padding)
        signature = "padding"
    __init__.__qualname__ = f"{name}.__init__"
    doc = f"``nn.{name}({signature})``: pads the last {rank} dims ({mode})."
    return builtin(type(name, (_PadNd,), {"__init__": __init__, "__doc__": doc, "_rank": rank, "_mode": mode,
                                          "__module__": __name__}))


PAD_CLASSES: dict[str, type] = {}
for _rank in (1, 2, 3):
    for _kind, _mode, _value in (("Zero", "constant", False), ("Constant", "constant", True),
                                 ("Reflection", "reflect", False), ("Replication", "replicate", False),
                                 ("Circular", "circular", False)):
        _name = f"{_kind}Pad{_rank}d"
        PAD_CLASSES[_name] = _pad_class(_name, _rank, _mode, _value)


def pixel_shuffle_shape(x: Tensor, r: int, where) -> Tensor:
    """``(*, C × r², H, W)`` → ``(*, C, H × r, W × r)``."""
    if len(x._shape) < 3 or x._shape[-3] % (r * r):
        raise shape_error(
            f"{where._describe()}: pixel_shuffle expects its input's channel dimension to be divisible by the "
            f"square of upscale_factor ({r * r}), but the input has shape {list(x._shape)}",
            "channels",
            where if isinstance(where, Module) else None,
        )
    c, h, w = x._shape[-3:]
    return x._like(x._shape[:-3] + (c // (r * r), h * r, w * r), factors=None)


def pixel_unshuffle_shape(x: Tensor, r: int, where) -> Tensor:
    """``(*, C, H × r, W × r)`` → ``(*, C × r², H, W)``."""
    if len(x._shape) < 3 or x._shape[-1] % r or x._shape[-2] % r:
        raise shape_error(
            f"{where._describe()}: pixel_unshuffle expects height and width divisible by downscale_factor ({r}), "
            f"but the input has shape {list(x._shape)}",
            "window",
            where if isinstance(where, Module) else None,
        )
    c, h, w = x._shape[-3:]
    return x._like(x._shape[:-3] + (c * r * r, h // r, w // r), factors=None)


@builtin
class PixelShuffle(Module):
    """``nn.PixelShuffle(upscale_factor)``: ``(C × r², H, W)`` → ``(C, H × r, W × r)``."""

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = check_int(upscale_factor, "upscale_factor", self, 1)

    def forward(self, input):
        return pixel_shuffle_shape(tensor_input(input, self), self.upscale_factor, self)


@builtin
class PixelUnshuffle(Module):
    """``nn.PixelUnshuffle(downscale_factor)``: ``(C, H × r, W × r)`` → ``(C × r², H, W)``."""

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = check_int(downscale_factor, "downscale_factor", self, 1)

    def forward(self, input):
        return pixel_unshuffle_shape(tensor_input(input, self), self.downscale_factor, self)


def channel_shuffle_shape(x: Tensor, groups: int, where) -> Tensor:
    """``(N, C, *)`` with its channels regrouped: the shape stays; ``C`` must divide into ``groups``."""
    if len(x._shape) <= 2:
        raise shape_error(f"{where._describe()}: channel_shuffle expects input with > 2 dims, but got input with "
                          f"sizes {list(x._shape)}", "rank", where if isinstance(where, Module) else None)
    if x._shape[1] % groups:
        raise shape_error(f"{where._describe()}: Number of channels must be divisible by groups. Got {x._shape[1]} "
                          f"channels and {groups} groups.", "channels", where if isinstance(where, Module) else None)
    return x._like()


@builtin
class ChannelShuffle(Module):
    """``nn.ChannelShuffle(groups)`` (ShuffleNet): the channels of ``(N, C, *)`` interleaved across groups."""

    def __init__(self, groups):
        super().__init__()
        self.groups = check_int(groups, "groups", self, 1)

    def forward(self, input):
        return channel_shuffle_shape(tensor_input(input, self), self.groups, self)


def check_pad_mode(mode, where) -> str:
    """``F.pad``'s modes."""
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise TorchTypeError(
            f"{where._describe()}: unrecognised padding mode {mode!r}; use 'constant', 'reflect', 'replicate' "
            "or 'circular'"
        )
    return mode
