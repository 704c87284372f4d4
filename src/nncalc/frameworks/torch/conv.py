"""Convolutions: ``nn.Conv1d/2d/3d`` and ``nn.ConvTranspose1d/2d/3d`` (with ``F.conv_transpose1d/2d/3d``),
torch's signatures mapped onto the rules of :mod:`nncalc.layers.conv`.

``nn.Conv2d`` keeps the filters first, weight ``(out_channels, in_channels / groups, *kernel)``. A transposed
convolution's weight is ``(in_channels, out_channels / groups, *kernel)`` — the channel axes the other way
round — and the output grows: ``H_out = (H_in − 1) × s − 2 × p + d × (k − 1) + output_padding + 1``."""

from __future__ import annotations

from nncalc.diagnostics import recoverable
from nncalc.errors import ShapeError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.arguments import (
    check_spatial,
    int_tuple,
    layer_dtype,
    quick_windows,
    tensor_input,
    window_error,
)
from nncalc.frameworks.torch.dtypes import promote
from nncalc.frameworks.torch.errors import TorchValueError, bad_type, check_int, plural, shape_error
from nncalc.frameworks.torch.functional import Where, op, tensor_arg
from nncalc.frameworks.torch.rules import RuleModule, channels_first, channels_last, ranked, run_rule
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.conv import CONV, ConvSpec
from nncalc.records import replace

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _sizes_now(value, rank: int, name: str, layer, minimum: int = 1) -> tuple[int, ...]:
    """A size argument as torch's convolution takes it at call time: an int, one item (repeated) or ``rank``."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, (list, tuple)) and len(value) != rank:
        raise TorchValueError(f"{layer._describe()}: expected {name} to be a single integer value or a list of {rank} "
                              f"values to match the convolution dimensions, but got {name}={list(value)}")
    return int_tuple(value, rank, name, layer, minimum)


class _Convolution(RuleModule):
    """What plain and transposed convolutions share: their sizes, groups and bias, and the rule (``CONV``)."""

    _rule = CONV
    _rank = 0
    _shown: tuple[str, ...] = ("padding",)
    """The size arguments ``extra_repr`` prints when they are not all zero."""

    def _sizes(self, in_channels, out_channels, kernel_size, stride, dilation) -> None:
        rank = self._rank
        self.in_channels = check_int(in_channels, "in_channels", self)
        self.out_channels = check_int(out_channels, "out_channels", self)
        self.kernel_size = int_tuple(kernel_size, rank, "kernel_size", self, 1)
        self.stride = int_tuple(stride, rank, "stride", self, 1, single=True)
        self.dilation = int_tuple(dilation, rank, "dilation", self, 1, single=True)

    def _current_spec(self) -> ConvSpec:
        """The spec as the module is now: torch's forward reads the stride, padding and dilation from the module,
        which a file may change after building it (``model.conv1.stride = (1, 1)`` for small images)."""
        spec, rank = self._spec, self._rank
        stride, dilation = _sizes_now(self.stride, rank, "stride", self), _sizes_now(self.dilation, rank, "dilation", self)
        padding = self.padding if isinstance(self.padding, str) else tuple(
            (p, p) for p in _sizes_now(self.padding, rank, "padding", self, 0))
        if (stride, dilation, padding) == (spec.stride, spec.dilation, spec.padding):
            return spec
        return replace(spec, stride=stride, dilation=dilation, padding=padding)

    def _check_groups(self) -> None:
        if self.in_channels % self.groups:
            raise TorchValueError(f"{self._describe()}: in_channels must be divisible by groups")
        if self.out_channels % self.groups:
            raise TorchValueError(f"{self._describe()}: out_channels must be divisible by groups")

    def _output(self, spec: ConvSpec, x: Tensor, batched: bool) -> tuple:
        """The output's shape for ``x`` (MACs, formulas and window charged), or the window's error told from the
        layer's point of view."""
        try:
            out = self._run_rule(spec, channels_last(x._shape, batched))
        except ShapeError as error:
            raise window_error(error, self, x) from None
        return channels_first(out, batched)

    def _input(self, input) -> tuple[Tensor, bool, int]:
        """The tensor called on, its rank checked: ``(x, batched, channels)``."""
        x = tensor_input(input, self)
        check_spatial(x, self._rank, self)
        batched = len(x._shape) == self._rank + 2
        return x, batched, x._shape[1 if batched else 0]

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        for name in self._shown:
            if getattr(self, name) != (0,) * self._rank:
                text += f", {name}={getattr(self, name)}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


class _ConvNd(_Convolution):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        rank = self._rank
        self._sizes(in_channels, out_channels, kernel_size, stride, dilation)
        self.groups = check_int(groups, "groups", self, 1)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise TorchValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise TorchValueError(
                    f"{self._describe()}: padding='same' is not supported for strided convolutions",
                    hint="use an explicit padding such as padding=kernel_size // 2 with the stride",
                )
            self.padding = padding
            rule_padding = padding
        else:
            self.padding = int_tuple(padding, rank, "padding", self)
            rule_padding = tuple((p, p) for p in self.padding)
        self._check_groups()
        if padding_mode not in PADDING_MODES:
            raise TorchValueError(
                "padding_mode must be one of {" + ", ".join(repr(m) for m in PADDING_MODES) + "}, but got "
                f"padding_mode={padding_mode!r}"
            )
        self.padding_mode = padding_mode
        # the rule's kernel (k…, in_channels / groups, out_channels) is torch's (out_channels, in / groups, *kernel)
        self._make_weights(ConvSpec(rank, self.in_channels, self.out_channels, self.kernel_size,
                                    _sizes_now(self.stride, rank, "stride", self),
                                    rule_padding, _sizes_now(self.dilation, rank, "dilation", self), self.groups,
                                    bool(bias)), layer_dtype(dtype))

    def forward(self, input):
        x, batched, channels = self._input(input)
        rank = self._rank
        if channels != self.in_channels:
            fix = f"use {self._describe(in_channels=channels)}"
            if channels % self.groups:
                fix = f"its in_channels must equal the input's channels ({channels}) and be divisible by groups"
            recoverable(shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; {fix}",
                "channels",
                self,
                hint=f"the input has shape {list(x._shape)}; PyTorch puts channels first, (N, C, …)",
                got=channels,
                expected=self.in_channels,
                argument="in_channels",
            ))
        spec = self._current_spec()
        quick = None if recorder.active() else quick_windows(x._shape[-rank:], spec.kernel, spec.stride, spec.padding,
                                                              spec.dilation)
        if quick is not None:  # outside a trace (input inference tries many shapes): the sizes only
            head = (x._shape[0], self.out_channels) if batched else (self.out_channels,)
            return x._like(head + quick, factors=None)
        return x._like(self._output(spec, x, batched), factors=None)


Conv1d = ranked(_ConvNd, 1, "Conv1d", """``nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, \
dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)``.""")
Conv2d = ranked(_ConvNd, 2, "Conv2d", "``nn.Conv2d(...)`` with torch's signature and defaults; weight ``(out, in / "
                "groups, k_h, k_w)``.")
Conv3d = ranked(_ConvNd, 3, "Conv3d", "``nn.Conv3d(...)``; weight ``(out, in / groups, k_d, k_h, k_w)``.")


class _ConvTransposeNd(_Convolution):
    _shown = ("padding", "output_padding")

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        rank = self._rank
        self._sizes(in_channels, out_channels, kernel_size, stride, dilation)
        if isinstance(padding, str):
            raise bad_type(padding, "padding", self, f"an int or a tuple of {rank} ints (transposed convolutions "
                                                      "take no 'same' or 'valid')")
        self.padding = int_tuple(padding, rank, "padding", self)
        self.output_padding = int_tuple(output_padding, rank, "output_padding", self)
        self.groups = check_int(groups, "groups", self, 1)
        self._check_groups()
        if padding_mode != "zeros":
            raise TorchValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        self.padding_mode = padding_mode
        # the rule's kernel (k…, out_channels / groups, in_channels) is torch's (in_channels, out / groups, *kernel)
        self._make_weights(ConvSpec(rank, self.in_channels, self.out_channels, self.kernel_size,
                                    _sizes_now(self.stride, rank, "stride", self), tuple((p, p) for p in self.padding),
                                    _sizes_now(self.dilation, rank, "dilation", self), self.groups, bool(bias),
                                    transposed=True, output_padding=self.output_padding), layer_dtype(dtype))

    def forward(self, input, output_size=None):
        x, batched, channels = self._input(input)
        rank = self._rank
        if channels != self.in_channels:
            raise shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; use "
                f"{self._describe(in_channels=channels)}",
                "channels",
                self,
                hint=f"the input has shape {list(x._shape)}; PyTorch puts channels first, (N, C, …)",
                got=channels,
                expected=self.in_channels,
            )
        spatial = x._shape[-rank:]
        extra = self.output_padding if output_size is None else self._padding_for(spatial, output_size)
        for axis, (op, s, d) in enumerate(zip(extra, self.stride, self.dilation)):
            if op >= s and op >= d:
                raise shape_error(
                    f"{self._describe()}: output padding must be smaller than either stride or dilation, but got "
                    f"output_padding={extra[axis]} with stride={s} and dilation={d}",
                    "config",
                    self,
                    hint="use an output_padding below the stride (it only picks one of the stride's sizes)",
                )
        spec = self._current_spec()
        spec = spec if extra == spec.output_padding else replace(spec, output_padding=extra)
        return x._like(self._output(spec, x, batched), factors=None)

    def _padding_for(self, spatial: tuple, output_size) -> tuple[int, ...]:
        """The output padding that gives ``output_size`` (torch's ``forward(input, output_size)``)."""
        sizes = tuple(output_size)
        rank = self._rank
        if len(sizes) in (rank + 1, rank + 2):
            sizes = sizes[-rank:]
        if len(sizes) != rank:
            raise shape_error(
                f"{self._describe()}: output_size must have {rank} or {rank + 2} elements (got {len(sizes)})",
                "rank",
                self,
            )
        extra = []
        for i, wanted in enumerate(sizes):
            k, s, p, d = self.kernel_size[i], self.stride[i], self.padding[i], self.dilation[i]
            smallest = (spatial[i] - 1) * s - 2 * p + d * (k - 1) + 1
            if not smallest <= wanted <= smallest + s - 1:
                raise shape_error(
                    f"{self._describe()}: requested an output size of {list(sizes)}, but valid sizes range from "
                    f"{smallest} to {smallest + s - 1} (for an input of {list(spatial)})",
                    "window",
                    self,
                )
            extra.append(wanted - smallest)
        return tuple(extra)


ConvTranspose1d = ranked(_ConvTransposeNd, 1, "ConvTranspose1d", """``nn.ConvTranspose1d(in_channels, out_channels, \
kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', \
device=None, dtype=None)``.""")
ConvTranspose2d = ranked(_ConvTransposeNd, 2, "ConvTranspose2d", "``nn.ConvTranspose2d(...)``; weight ``(in, out / "
                         "groups, k_h, k_w)``; ``forward(input, output_size=None)``.")
ConvTranspose3d = ranked(_ConvTransposeNd, 3, "ConvTranspose3d", "``nn.ConvTranspose3d(...)``; weight ``(in, out / "
                         "groups, k_d, k_h, k_w)``.")


def _functional(rank: int):
    name = f"F.conv_transpose{rank}d"

    def conv_transpose(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
        """``F.conv_transpose{n}d``: the shape of ``nn.ConvTranspose{n}d`` with this weight ``(in, out / groups,
        *kernel)``; MACs charged to the calling module."""
        x, w = tensor_arg(input, name), tensor_arg(weight, name)
        where = Where(name, stride=stride, padding=padding, groups=groups)
        if len(w._shape) != rank + 2:
            raise shape_error(f"{name}: weight must be {rank + 2}-D (in, out / groups, *kernel), got {list(w._shape)}",
                              "rank")
        check_spatial(x, rank, where)
        in_channels, per_group, *kernel = w._shape
        batched = len(x._shape) == rank + 2
        channels = x._shape[1 if batched else 0]
        if channels != in_channels:
            raise shape_error(f"{name}: expected input to have {in_channels} channels (the weight's first "
                              f"dimension), but got {channels} channels instead", "channels")
        pads = int_tuple(padding, rank, "padding", where)
        spec = ConvSpec(rank, in_channels, per_group * groups, tuple(kernel), int_tuple(stride, rank, "stride", where, 1),
                        tuple((p, p) for p in pads), int_tuple(dilation, rank, "dilation", where, 1), groups,
                        bias is not None, transposed=True,
                        output_padding=int_tuple(output_padding, rank, "output_padding", where))
        try:
            out = run_rule(CONV, spec, channels_last(x._shape, batched), window=False)
        except ShapeError as error:
            raise window_error(error, where, x) from None
        return Tensor._make(channels_first(out, batched), promote(x._dtype, w._dtype), x._device)

    return conv_transpose


FUNCTIONAL = {f"conv_transpose{rank}d": op(f"F.conv_transpose{rank}d")(_functional(rank)) for rank in (1, 2, 3)}
"""``torch.nn.functional`` members (also ``torch`` functions)."""
