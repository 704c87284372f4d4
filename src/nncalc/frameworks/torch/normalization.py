"""Normalisation: ``nn.BatchNorm1d/2d/3d``, ``nn.SyncBatchNorm``, ``nn.GroupNorm``, ``nn.InstanceNorm1d/2d/3d``,
``nn.LayerNorm``, ``nn.RMSNorm`` and ``nn.LocalResponseNorm``: torch's signatures mapped onto the normalisation
rules of :mod:`nncalc.layers.normalization` (``BATCH_NORM``, ``GROUP_NORM``, ``INSTANCE_NORM``, ``LAYER_NORM``,
``RMS_NORM``). The rule's ``gamma``/``beta`` are torch's ``weight``/``bias`` parameters, its statistics torch's
``running_mean``/``running_var`` buffers (:class:`~nncalc.frameworks.torch.rules.RuleModule`); the
``num_batches_tracked`` buffer beside them is torch's own."""

from __future__ import annotations

from nncalc.diagnostics import recoverable
from nncalc.errors import ShapeError
from nncalc.frameworks.torch.arguments import check_rank, check_spatial, layer_dtype, tensor_input
from nncalc.frameworks.torch.dtypes import INT64
from nncalc.frameworks.torch.errors import TorchValueError, bad_type, check_int, plural, shape_error
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.rules import RuleModule
from nncalc.frameworks.torch.tensor import make_buffer
from nncalc.layers.normalization import (
    BATCH_NORM,
    GROUP_NORM,
    INSTANCE_NORM,
    LAYER_NORM,
    RMS_NORM,
    BatchNormSpec,
    GroupNormSpec,
    InstanceNormSpec,
    LayerNormSpec,
)

_STATISTICS = ("running_mean", "running_var")


class _BatchNorm(RuleModule):
    _rule = BATCH_NORM
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
        spec = BatchNormSpec(self.num_features, self.affine, self.affine and bool(bias), self.track_running_stats,
                             "num_features")
        self._make_weights(spec, layer_dtype(dtype), ("weight", "bias"), optional_buffers=_STATISTICS)
        register_batches_tracked(self, self.track_running_stats)

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
        self._charge(x._shape)
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


def register_batches_tracked(module: Module, statistics: bool) -> None:
    """torch's ``num_batches_tracked`` buffer, beside the running statistics (None without them)."""
    module.register_buffer("num_batches_tracked", make_buffer((), INT64) if statistics else None)


@builtin
class GroupNorm(RuleModule):
    """``nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None)``: weight and
    bias per channel."""

    _rule = GROUP_NORM

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None):
        super().__init__()
        self.num_groups = check_int(num_groups, "num_groups", self, 1)
        self.num_channels = check_int(num_channels, "num_channels", self, 1)
        self.eps = eps
        self.affine = bool(affine)
        spec = GroupNormSpec(self.num_channels, self.num_groups, self.affine, self.affine, "num_channels")
        try:
            self._make_weights(spec, layer_dtype(dtype), ("weight", "bias"))
        except ShapeError as error:
            raise TorchValueError(f"{self._describe()}: {error.message}", hint=error.hint) from None

    def forward(self, input):
        x = tensor_input(input, self)
        if len(x._shape) < 2:
            raise shape_error(f"{self._describe()} expects an input (N, C, *), got shape {list(x._shape)}", "rank", self)
        channels = x._shape[1]
        if channels != self.num_channels:
            raise shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; "
                f"use {self._describe(num_channels=channels)}",
                "channels",
                self,
                hint=f"the input has shape {list(x._shape)}; group norm normalises dimension 1",
                got=channels,
                expected=self.num_channels,
            )
        self._charge(x._shape)
        return x._like()

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class _InstanceNorm(RuleModule):
    _rule = INSTANCE_NORM
    _rank = 0

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False,
                 device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features = check_int(num_features, "num_features", self, 1)
        self.eps = eps
        self.momentum = momentum
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        spec = InstanceNormSpec(self.num_features, self.affine, self.track_running_stats, bool(bias), "num_features")
        self._make_weights(spec, layer_dtype(dtype), ("weight", "bias"), optional_buffers=_STATISTICS)
        register_batches_tracked(self, self.track_running_stats)

    def forward(self, input):
        x = tensor_input(input, self)
        rank = self._rank
        check_spatial(x, rank, self)
        channels = x._shape[-rank - 1]
        # torch only warns about a mismatch when there are no per-channel weights or statistics to apply
        if channels != self.num_features and (self.affine or self.track_running_stats):
            raise shape_error(
                f"{self._describe()} receives {plural(channels, 'channel')}; "
                f"use {self._describe(num_features=channels)}",
                "channels",
                self,
                hint=f"the input has shape {list(x._shape)}; instance norm normalises each channel",
                got=channels,
                expected=self.num_features,
            )
        self._charge(x._shape)
        return x._like()

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


@builtin
class InstanceNorm1d(_InstanceNorm):
    """``nn.InstanceNorm1d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)`` on
    ``(N, C, L)`` or ``(C, L)``."""

    _rank = 1


@builtin
class InstanceNorm2d(_InstanceNorm):
    """``nn.InstanceNorm2d(num_features, …)`` on ``(N, C, H, W)`` or ``(C, H, W)``; no weights by default."""

    _rank = 2


@builtin
class InstanceNorm3d(_InstanceNorm):
    """``nn.InstanceNorm3d(num_features, …)`` on ``(N, C, D, H, W)`` or ``(C, D, H, W)``."""

    _rank = 3


def normalized_shape_arg(value, layer) -> tuple[int, ...]:
    """``64`` → ``(64,)``; a list, tuple or ``torch.Size`` of ints stays."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (check_int(value, "normalized_shape", layer, 1),)
    if isinstance(value, (tuple, list)) and value:
        return tuple(check_int(v, "normalized_shape", layer, 1) for v in value)
    raise bad_type(value, "normalized_shape", layer, "an int or a tuple of ints")


def check_trailing(layer, x, shape: tuple[int, ...]) -> None:
    """The input ends in ``shape``, or torch's error with the fix."""
    if tuple(x._shape[-len(shape):]) != shape or len(x._shape) < len(shape):
        have = x._shape[-len(shape):] if len(x._shape) >= len(shape) else x._shape
        fix = have[0] if len(have) == 1 else list(have)
        raise shape_error(
            f"{layer._describe()}: given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(str(s) for s in shape)}], but got input of size {list(x._shape)}; use "
            f"{layer._describe(normalized_shape=fix)}",
            "features",
            layer,
            hint="normalized_shape names the LAST dimensions of the input",
            got=x._shape[-1] if x._shape else 0,
            expected=shape[-1],
        )


@builtin
class LayerNorm(RuleModule):
    """``nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None,
    dtype=None)``: weight and bias of ``normalized_shape``."""

    _rule = LAYER_NORM

    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = normalized_shape_arg(normalized_shape, self)
        self.eps = eps
        self.elementwise_affine = bool(elementwise_affine)
        spec = LayerNormSpec(self.normalized_shape, self.elementwise_affine,
                             self.elementwise_affine and bool(bias))
        self._make_weights(spec, layer_dtype(dtype), ("weight", "bias"))

    def forward(self, input):
        x = tensor_input(input, self)
        check_trailing(self, x, self.normalized_shape)
        self._charge(x._shape)
        return x._like()

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


@builtin
class RMSNorm(RuleModule):
    """``nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None)``: a weight
    of ``normalized_shape``, no bias."""

    _rule = RMS_NORM

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = normalized_shape_arg(normalized_shape, self)
        self.eps = eps
        self.elementwise_affine = bool(elementwise_affine)
        self._make_weights(LayerNormSpec(self.normalized_shape, self.elementwise_affine, False), layer_dtype(dtype),
                           ("weight",))

    def forward(self, input):
        x = tensor_input(input, self)
        check_trailing(self, x, self.normalized_shape)
        self._charge(x._shape)
        return x._like()


@builtin
class CrossMapLRN2d(Module):
    """``nn.CrossMapLRN2d(size, alpha=0.0001, beta=0.75, k=1)``: local response normalisation across channels of
    a 4-D input; no weights, the shape stays."""

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input):
        x = tensor_input(input, self)
        if len(x._shape) != 4:
            raise shape_error(f"{self._describe()}: CrossMapLRN2d: Expected input to be 4D, got {len(x._shape)}D "
                              "instead.", "rank", self)
        return x._like()


@builtin
class LocalResponseNorm(Module):
    """``nn.LocalResponseNorm(size, alpha=0.0001, beta=0.75, k=1.0)``: no weights, the shape stays."""

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1.0):
        super().__init__()
        self.size = check_int(size, "size", self, 1)
        self.alpha, self.beta, self.k = alpha, beta, k

    def forward(self, input):
        x = tensor_input(input, self)
        if len(x._shape) < 3:
            raise shape_error(
                f"{self._describe()} expects 3D or higher dimensionality input (got {len(x._shape)} dimensions)",
                "rank",
                self,
            )
        return x._like()
