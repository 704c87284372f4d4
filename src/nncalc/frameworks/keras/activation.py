"""Keras element-wise layers without a shape change: activations (``Activation``, ``ReLU``, ``LeakyReLU``,
``Softmax``, ``ELU``, ``PReLU`` with its learned slopes), dropout (``Dropout``, ``SpatialDropout1D/2D/3D``) and
``Rescaling``."""

from __future__ import annotations

from nncalc.formula import product, sym
from nncalc.frameworks.keras.builtin import BuiltinLayer, SpatialLayer, ranked, resolve_data_format
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.layers.activation import check_activation, check_rate
from nncalc.layers.base import Term, axis_names


class Activation(BuiltinLayer):
    """``keras.layers.Activation``: an activation by name (``'relu'``) or function."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = check_activation(activation)


class ReLU(BuiltinLayer):
    """``keras.layers.ReLU``."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("max_value", max_value), ("negative_slope", negative_slope), ("threshold", threshold)):
            if (value is None and name != "max_value") or (value is not None and value < 0):
                raise KerasValueError(f"{name} of a ReLU layer cannot be None or a negative value. "
                                      f"Received: {name}={value!r}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold


class LeakyReLU(BuiltinLayer):
    """``keras.layers.LeakyReLU`` (``alpha=`` is the deprecated name of ``negative_slope``)."""

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise KerasValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                                  f"Expected a float. Received: negative_slope={negative_slope!r}")
        self.negative_slope = negative_slope


class Softmax(BuiltinLayer):
    """``keras.layers.Softmax``."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis


class ELU(BuiltinLayer):
    """``keras.layers.ELU``."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha


class PReLU(BuiltinLayer):
    """``keras.layers.PReLU``: one learned slope per input element, shared along ``shared_axes``."""

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, int):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def _weights_for(self, shape):
        rank = len(shape)
        names = ("features",) if rank == 2 else axis_names(rank - 2) + ("C",)
        shared = set(self.shared_axes or ())
        if any(not 1 <= a < rank for a in shared):
            raise KerasValueError(f"shared_axes {sorted(shared)} are out of range for an input of rank {rank}")
        dims, kept = [], []
        for axis in range(1, rank):
            if axis in shared:
                dims.append(("1", 1))
                continue
            if shape[axis] is None:
                raise KerasValueError(
                    f"PReLU needs every non-shared axis known; axis {axis} of {shape_text(shape)} is None",
                    hint=f"share it: PReLU(shared_axes=[{axis}])",
                )
            dims.append((names[axis - 1], shape[axis]))
            kept.append(sym(names[axis - 1], shape[axis]))
        axes = {a: shape[a] for a in range(1, rank) if a not in shared}
        return [Term("alpha", tuple(dims))], product(kept), axes


class Dropout(BuiltinLayer):
    """``keras.layers.Dropout``: no weights; the output is the input."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate(rate)
        self.noise_shape, self.seed = noise_shape, seed


class _SpatialDropout(SpatialLayer):
    """Drops whole feature maps; needs a ``rank + 2``-D input."""

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        self._setup(rate, data_format, seed, name, dtype)

    def _setup(self, rate, data_format_value, seed, name, dtype):
        BuiltinLayer.__init__(self, name=name, dtype=dtype)
        self.rate = check_rate(rate)
        self.seed = seed
        self.data_format = resolve_data_format(data_format_value, self._state)


class SpatialDropout1D(_SpatialDropout):
    """``keras.layers.SpatialDropout1D``."""

    _rank, _ndim = 1, 3

    def __init__(self, rate, seed=None, name=None, dtype=None):
        self._setup(rate, "channels_last", seed, name, dtype)


SpatialDropout2D = ranked(_SpatialDropout, 2, "SpatialDropout2D")
SpatialDropout3D = ranked(_SpatialDropout, 3, "SpatialDropout3D")


class Rescaling(BuiltinLayer):
    """``keras.layers.Rescaling(scale, offset=0.0)``: ``x × scale + offset``, no weights."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset


CLASSES = [
    Activation, ReLU, LeakyReLU, Softmax, ELU, PReLU, Dropout, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
    Rescaling,
]
