"""The lazy modules (``nn.LazyLinear``, ``nn.LazyConv1d/2d/3d``, ``nn.LazyConvTranspose1d/2d/3d``,
``nn.LazyBatchNorm1d/2d/3d``, ``nn.LazyInstanceNorm1d/2d/3d``): built without their input size, they take it
from the first input they are called on, as torch does, and then become the plain module (torch's
``cls_to_become``: a ``LazyLinear`` is a ``Linear`` from then on), with that module's weights and formula.

Until then they hold no parameters. Input-shape inference tries sizes on the model: :func:`kept_lazy` undoes
what a trial call materialised, so that only the call nncalc reports fixes the sizes.
"""

from __future__ import annotations

from contextlib import contextmanager

from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.arguments import tensor_input
from nncalc.frameworks.torch.conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from nncalc.frameworks.torch.errors import check_int, shape_error
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, builtin
from nncalc.frameworks.torch.normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)


class _LazyModule(Module):
    """A module whose first call fixes its input size; ``cls_to_become`` is the module it then is."""

    cls_to_become: type = Module
    _CONFIG = "_lazy_config"

    def _configure(self, **config) -> None:
        object.__setattr__(self, self._CONFIG, config)
        # arguments torch checks at construction are checked now, on a stand-in size
        self.cls_to_become(self._probe_size(), **config)

    def _probe_size(self) -> int:
        return 1

    def _input_size(self, x) -> int:
        raise NotImplementedError

    def has_uninitialized_params(self) -> bool:
        """True until the first call (torch's ``LazyModuleMixin``)."""
        return True

    def initialize_parameters(self, input) -> None:
        """Materialise the weights for ``input`` and become ``cls_to_become``."""
        fresh = self.cls_to_become(self._input_size(input), **self.__dict__[self._CONFIG])
        state = self.__dict__
        keep = {name: state[name] for name in ("_location", "training", "_first_call") if name in state}
        state.pop(self._CONFIG)
        state.update(fresh.__dict__)
        state.update(keep)
        object.__setattr__(self, "__class__", self.cls_to_become)
        _refresh_node(self)

    def forward(self, input, *args, **kwargs):
        self.initialize_parameters(tensor_input(input, self))
        return self.forward(input, *args, **kwargs)


def _refresh_node(module: Module) -> None:
    """During a trace the module's node was made before its weights existed: it gets them now."""
    active = recorder.active()
    node = active.nodes.get(id(module)) if active is not None else None
    if node is None:
        return
    from nncalc.frameworks.torch.trace import make_node

    fresh = make_node(module, node.name, {})
    node.type, node.weights, node.params_formula = fresh.type, fresh.weights, fresh.params_formula


def _rank_error(module: _LazyModule, x, rank: int):
    return shape_error(
        f"{module._describe()}: Expected {rank + 1}D (unbatched) or {rank + 2}D (batched) input to "
        f"{type(module).__name__}, but got input of size: {list(x._shape)}",
        "rank",
        module,
    )


@builtin
class LazyLinear(_LazyModule):
    """``nn.LazyLinear(out_features, bias=True, device=None, dtype=None)``: an ``nn.Linear`` whose
    ``in_features`` is the last dimension of its first input."""

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        check_int(out_features, "out_features", self)
        self._configure(out_features=out_features, bias=bias, device=device, dtype=dtype)

    def _input_size(self, x) -> int:
        if not x._shape:
            raise shape_error(f"{self._describe()} needs an input of at least 1 dimension, got a scalar", "rank", self)
        return x._shape[-1]


class _LazyConvNd(_LazyModule):
    _rank = 0

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        self._configure(out_channels=out_channels, kernel_size=kernel_size, stride=stride, padding=padding,
                        dilation=dilation, groups=groups, bias=bias, padding_mode=padding_mode, device=device,
                        dtype=dtype)

    def _probe_size(self) -> int:
        groups = self.__dict__[self._CONFIG]["groups"]
        return groups if isinstance(groups, int) and groups > 0 else 1

    def _input_size(self, x) -> int:
        rank = self._rank
        if len(x._shape) not in (rank + 1, rank + 2):
            raise _rank_error(self, x, rank)
        return x._shape[1] if len(x._shape) == rank + 2 else x._shape[0]


class _LazyConvTransposeNd(_LazyConvNd):
    def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True,
                 dilation=1, padding_mode="zeros", device=None, dtype=None):
        _LazyModule.__init__(self)
        self._configure(out_channels=out_channels, kernel_size=kernel_size, stride=stride, padding=padding,
                        output_padding=output_padding, groups=groups, bias=bias, dilation=dilation,
                        padding_mode=padding_mode, device=device, dtype=dtype)


class _LazyNorm(_LazyModule):
    def __init__(self, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *,
                 bias=True):
        super().__init__()
        self._configure(eps=eps, momentum=momentum, affine=affine, track_running_stats=track_running_stats,
                        device=device, dtype=dtype, bias=bias)

    def _input_size(self, x) -> int:
        if len(x._shape) < 2:
            raise shape_error(f"{self._describe()} needs an input with a channel dimension 1, got shape "
                              f"{list(x._shape)}", "rank", self)
        return x._shape[1]  # torch's choice, for unbatched instance-norm inputs too


def _lazy_class(name: str, base: type, target: type, rank: int) -> type:
    doc = f"``nn.{name}``: an ``nn.{target.__name__}`` whose input size comes from its first input."
    return builtin(type(name, (base,), {"cls_to_become": target, "_rank": rank, "__doc__": doc}))


LazyConv1d = _lazy_class("LazyConv1d", _LazyConvNd, Conv1d, 1)
LazyConv2d = _lazy_class("LazyConv2d", _LazyConvNd, Conv2d, 2)
LazyConv3d = _lazy_class("LazyConv3d", _LazyConvNd, Conv3d, 3)
LazyConvTranspose1d = _lazy_class("LazyConvTranspose1d", _LazyConvTransposeNd, ConvTranspose1d, 1)
LazyConvTranspose2d = _lazy_class("LazyConvTranspose2d", _LazyConvTransposeNd, ConvTranspose2d, 2)
LazyConvTranspose3d = _lazy_class("LazyConvTranspose3d", _LazyConvTransposeNd, ConvTranspose3d, 3)
LazyBatchNorm1d = _lazy_class("LazyBatchNorm1d", _LazyNorm, BatchNorm1d, 1)
LazyBatchNorm2d = _lazy_class("LazyBatchNorm2d", _LazyNorm, BatchNorm2d, 2)
LazyBatchNorm3d = _lazy_class("LazyBatchNorm3d", _LazyNorm, BatchNorm3d, 3)
LazyInstanceNorm1d = _lazy_class("LazyInstanceNorm1d", _LazyNorm, InstanceNorm1d, 1)
LazyInstanceNorm2d = _lazy_class("LazyInstanceNorm2d", _LazyNorm, InstanceNorm2d, 2)
LazyInstanceNorm3d = _lazy_class("LazyInstanceNorm3d", _LazyNorm, InstanceNorm3d, 3)


@contextmanager
def kept_lazy(model: Module):
    """Calls inside the block leave the model's lazy modules as they were (unmaterialised)."""
    saved = [(module, type(module), dict(module.__dict__)) for module in Module.modules(model)
             if isinstance(module, _LazyModule)]
    try:
        yield
    finally:
        for module, cls, state in saved:
            object.__setattr__(module, "__class__", cls)
            module.__dict__.clear()
            module.__dict__.update(state)
