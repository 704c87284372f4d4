"""``nn.Conv1d/2d/3d``, ``nn.BatchNorm1d/2d/3d`` and ``nn.PReLU``: torch's signatures mapped
onto the framework-neutral rules of :mod:`nncalc.layers`, with torch's weight names and layouts."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.diagnostics import recoverable
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.common.errors import reject_unknown
from nncalc.frameworks.torch.dtypes import FLOAT32, INT64, dtype
from nncalc.frameworks.torch.errors import (
    TorchTypeError,
    TorchValueError,
    bad_type,
    check_int,
    plural,
    shape_error,
)
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.tensor import Tensor, make_buffer, make_parameter
from nncalc.layers.base import Term, int_or_tuple
from nncalc.layers.base import window_output
from nncalc.layers.conv import ConvSpec, conv_macs, conv_output, conv_params_formula
from nncalc.layers.normalization import batch_norm_terms

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def tensor_input(value, layer) -> Tensor:
    """The tensor a layer is called on; anything else is torch's ``TypeError``."""
    if isinstance(value, Tensor):
        return value
    reject_unknown(value, f"calling {layer._describe()} on it")
    raise TorchTypeError(
        f"{layer._describe()} must be called on a tensor, got {type(value).__name__}",
        hint="pass the output of another layer or of torch.zeros(...)",
    )


def int_tuple(value, rank: int, name: str, layer, minimum: int = 0) -> tuple[int, ...]:
    """``3`` → ``(3, 3)``; a tuple or list of ``rank`` ints stays (torch's ``_pair``/``_triple``)."""
    sizes = int_or_tuple(value, rank, single=False)
    if sizes is None:
        raise bad_type(value, name, layer, f"an int or a tuple of {rank} ints")
    return tuple(check_int(v, name, layer, minimum) for v in sizes)


def layer_dtype(value) -> dtype:
    """The ``dtype=`` argument of a layer: the dtype its weights are created with."""
    if value is None:
        return FLOAT32
    if isinstance(value, dtype):
        return value
    raise TorchTypeError(f"dtype must be a torch.dtype, got {value!r}")


def check_rank(x: Tensor, ranks: tuple[int, ...], layer, layout: str) -> None:
    """The input has one of the ranks the layer accepts, or a ShapeError naming them."""
    if len(x._shape) not in ranks:
        wanted = " or ".join(f"{r}D" for r in ranks)
        raise shape_error(
            f"{layer._describe()} expects a {wanted} input ({layout}), but got a {len(x._shape)}D input of "
            f"shape {list(x._shape)}",
            "rank",
            layer,
        )


def quick_windows(spatial, kernel, stride, padding, dilation, ceil_mode=False) -> tuple | None:
    """Output sizes of a sliding window by numbers only (no formulas): the unrecorded runs of input inference.
    None when a window leaves no output, for the rule to raise its error."""
    sizes = []
    for i, size in enumerate(spatial):
        out = window_output(size, kernel[i], stride[i], padding if isinstance(padding, str) else padding[i],
                            dilation[i], ceil_mode)
        if out is not None and out < 1:
            return None
        sizes.append(out)
    return tuple(sizes)


def window_error(error: ShapeError, layer, x: Tensor) -> ShapeError:
    """A rule's "leaves no output" error, told from the layer's point of view."""
    return shape_error(
        f"{layer._describe()} receives an input of shape {list(x._shape)}: {error.message}",
        "window",
        layer,
        hint=error.hint,
    )


class _ConvNd(Module):
    _rank = 0

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        rank = self._rank
        self.in_channels = check_int(in_channels, "in_channels", self)
        self.out_channels = check_int(out_channels, "out_channels", self)
        self.kernel_size = int_tuple(kernel_size, rank, "kernel_size", self, 1)
        self.stride = int_tuple(stride, rank, "stride", self, 1)
        self.dilation = int_tuple(dilation, rank, "dilation", self, 1)
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
        if self.in_channels % self.groups:
            raise TorchValueError(f"{self._describe()}: in_channels must be divisible by groups")
        if self.out_channels % self.groups:
            raise TorchValueError(f"{self._describe()}: out_channels must be divisible by groups")
        if padding_mode not in PADDING_MODES:
            raise TorchValueError(
                "padding_mode must be one of {" + ", ".join(repr(m) for m in PADDING_MODES) + "}, but got "
                f"padding_mode={padding_mode!r}"
            )
        self.padding_mode = padding_mode
        kind = layer_dtype(dtype)
        self._spec = ConvSpec(rank, self.in_channels, self.out_channels, self.kernel_size, self.stride,
                              rule_padding, self.dilation, self.groups, bool(bias))
        # torch keeps the filters first: (out_channels, in_channels / groups, *kernel)
        self.weight = make_parameter((self.out_channels, self.in_channels // self.groups, *self.kernel_size), kind)
        if bias:
            self.bias = make_parameter((self.out_channels,), kind)
        else:
            self.register_parameter("bias", None)

    def _formula(self):
        return conv_params_formula(self._spec)

    def forward(self, input):
        x = tensor_input(input, self)
        rank = self._rank
        layout = {1: "C, L", 2: "C, H, W", 3: "C, D, H, W"}[rank] + ", optionally with a batch N first"
        check_rank(x, (rank + 1, rank + 2), self, layout)
        batched = len(x._shape) == rank + 2
        channels = x._shape[1 if batched else 0]
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
        spatial = x._shape[-rank:]
        spec = self._spec
        active = recorder.active()
        out_spatial = None if active else quick_windows(spatial, spec.kernel, spec.stride, spec.padding, spec.dilation)
        if out_spatial is None:
            try:
                out_spatial, formulas = conv_output(spec, spatial)
            except ShapeError as error:
                raise window_error(error, self, x) from None
            batch = x._shape[0] if batched else 1
            recorder.note(conv_macs(spec, batch, out_spatial), formulas, window=spec)
        head = (x._shape[0], self.out_channels) if batched else (self.out_channels,)
        return x._like(head + out_spatial, factors=None)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._rank:
            text += f", padding={self.padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + ("" if self.bias is not None else ", bias=False")


@builtin
class Conv1d(_ConvNd):
    """``nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
    padding_mode='zeros', device=None, dtype=None)``."""

    _rank = 1


@builtin
class Conv2d(_ConvNd):
    """``nn.Conv2d(...)`` with torch's signature and defaults; weight ``(out, in / groups, k_h, k_w)``."""

    _rank = 2


@builtin
class Conv3d(_ConvNd):
    """``nn.Conv3d(...)``; weight ``(out, in / groups, k_d, k_h, k_w)``."""

    _rank = 3


class _BatchNorm(Module):
    _ranks: tuple[int, ...] = ()
    _layout = ""

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features = check_int(num_features, "num_features", self)
        self.eps = eps
        self.momentum = momentum
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        kind = layer_dtype(dtype)
        terms = batch_norm_terms(self.num_features, scale=self.affine, center=self.affine and bool(bias),
                                 name="num_features")
        by_role = {term.role: term for term in terms}
        c = (self.num_features,)
        for name, role in (("weight", "gamma"), ("bias", "beta")):
            if role in by_role:
                setattr(self, name, make_parameter(c, kind, by_role[role]))
            else:
                self.register_parameter(name, None)
        if self.track_running_stats:
            self.register_buffer("running_mean", make_buffer(c, kind))
            self.register_buffer("running_var", make_buffer(c, kind))
            self.register_buffer("num_batches_tracked", make_buffer((), INT64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def forward(self, input):
        x = tensor_input(input, self)
        if self._ranks:
            check_rank(x, self._ranks, self, self._layout)
        elif len(x._shape) < 2:
            raise shape_error(f"{self._describe()}: expected at least 2D input (got {len(x._shape)}D input)", "rank",
                              self)
        channels = x._shape[1]
        if channels != self.num_features:
            word = "feature" if len(x._shape) == 2 else "channel"
            recoverable(shape_error(
                f"{self._describe()} receives {plural(channels, word)}; "
                f"use {self._describe(num_features=channels)}",
                "channels",
                self,
                hint=f"the input has shape {list(x._shape)}; batch norm normalises dimension 1",
                got=channels,
                expected=self.num_features,
                argument="num_features",
            ))
        return x._like()

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}"


@builtin
class BatchNorm1d(_BatchNorm):
    """``nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`` on
    ``(N, C)`` or ``(N, C, L)``."""

    _ranks = (2, 3)
    _layout = "N, C or N, C, L"


@builtin
class BatchNorm2d(_BatchNorm):
    """``nn.BatchNorm2d(num_features, …)`` on ``(N, C, H, W)``."""

    _ranks = (4,)
    _layout = "N, C, H, W"


@builtin
class BatchNorm3d(_BatchNorm):
    """``nn.BatchNorm3d(num_features, …)`` on ``(N, C, D, H, W)``."""

    _ranks = (5,)
    _layout = "N, C, D, H, W"


@builtin
class SyncBatchNorm(_BatchNorm):
    """``nn.SyncBatchNorm(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True,
    process_group=None, device=None, dtype=None)``: batch norm whose statistics are shared across processes;
    on ``(N, C, *)`` of any rank from 2."""

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True,
                 process_group=None, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.process_group = process_group

    @classmethod
    def convert_sync_batchnorm(cls, module, process_group=None):
        """``nn.SyncBatchNorm.convert_sync_batchnorm(model)``: the same counts, so the model as it is."""
        return module


@builtin
class PReLU(Module):
    """``nn.PReLU(num_parameters=1, init=0.25)``: one learned slope, or one per channel."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = check_int(num_parameters, "num_parameters", self, 1)
        self.init = init
        term = Term("weight", (("num_parameters", self.num_parameters),))
        self.weight = make_parameter((self.num_parameters,), layer_dtype(dtype), term)

    def forward(self, input):
        x = tensor_input(input, self)
        channels = x._shape[1] if len(x._shape) >= 2 else 1
        if self.num_parameters != 1 and channels != self.num_parameters:
            raise shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; "
                f"use {self._describe(num_parameters=channels)}, or nn.PReLU() for one shared slope",
                "channels",
                self,
                got=channels,
                expected=self.num_parameters,
            )
        return x._like()

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
