"""Keras pooling (1D, 2D, 3D; ``channels_last`` or ``channels_first``) over nncalc's pooling rules: windowed
(``MaxPooling*``, ``AveragePooling*``), global and adaptive; each family's rank variants are made by
:func:`ranked`."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import BuiltinLayer, SpatialLayer, ranked, resolve_data_format
from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.layers.base import as_tuple
from nncalc.layers.pooling import ADAPTIVE_POOL, GLOBAL_POOL, POOL, AdaptiveSpec, GlobalSpec, PoolSpec


class _Pooling(SpatialLayer):
    """Max and average pooling: a window of ``pool_size`` moving by ``strides`` (``pool_size`` by default)."""

    _mode = "max"
    _rule = POOL

    def _setup(self, pool_size, strides, padding, data_format, name, kwargs):
        BuiltinLayer.__init__(self, name=name, **kwargs)
        rank = self._rank
        self.pool_size = as_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else as_tuple(strides, rank, "strides")
        if padding not in ("valid", "same"):
            raise KerasValueError(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding!r}",
                                  hint="write it in lower case: 'valid' or 'same'")
        self.padding = padding
        self.data_format = resolve_data_format(data_format, self._state)
        if not all(v > 0 for v in self.pool_size + self.strides):
            raise KerasValueError(f"`pool_size` and `strides` must be positive. Received: pool_size={self.pool_size}, "
                                  f"strides={self.strides}")

    def _spec(self, shape: tuple) -> PoolSpec:
        return PoolSpec(self._rank, self.pool_size, self.strides, self.padding)


class _MaxPooling(_Pooling):
    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        self._setup(pool_size, strides, padding, data_format, name, kwargs)


class _AveragePooling(_Pooling):
    _mode = "average"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        self._setup(pool_size, strides, padding, data_format, name, kwargs)


MaxPooling1D = ranked(_MaxPooling, 1, "MaxPooling1D")
MaxPooling2D = ranked(_MaxPooling, 2, "MaxPooling2D")
MaxPooling3D = ranked(_MaxPooling, 3, "MaxPooling3D")
AveragePooling1D = ranked(_AveragePooling, 1, "AveragePooling1D")
AveragePooling2D = ranked(_AveragePooling, 2, "AveragePooling2D")
AveragePooling3D = ranked(_AveragePooling, 3, "AveragePooling3D")


class _GlobalPooling(SpatialLayer):
    """Global max/average pooling: every spatial axis reduced (to 1 with ``keepdims=True``)."""

    _rule = GLOBAL_POOL

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = resolve_data_format(data_format, self._state)
        self.keepdims = bool(keepdims)

    def _spec(self, shape: tuple) -> GlobalSpec:
        return GlobalSpec(self._rank, self.keepdims)


GlobalAveragePooling1D = ranked(_GlobalPooling, 1, "GlobalAveragePooling1D")
GlobalAveragePooling2D = ranked(_GlobalPooling, 2, "GlobalAveragePooling2D")
GlobalAveragePooling3D = ranked(_GlobalPooling, 3, "GlobalAveragePooling3D")
GlobalMaxPooling1D = ranked(_GlobalPooling, 1, "GlobalMaxPooling1D")
GlobalMaxPooling2D = ranked(_GlobalPooling, 2, "GlobalMaxPooling2D")
GlobalMaxPooling3D = ranked(_GlobalPooling, 3, "GlobalMaxPooling3D")


class _AdaptivePooling(SpatialLayer):
    """Adaptive max/average pooling: windows chosen so that the output has ``output_size`` per spatial axis."""

    _rule = ADAPTIVE_POOL

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        try:
            self.output_size = as_tuple(output_size, self._rank, "output_size")
        except ShapeError as error:
            raise KerasValueError(error.message, hint=error.hint) from None
        if not all(v > 0 for v in self.output_size):
            raise KerasValueError(f"`output_size` must be positive. Received: output_size={output_size!r}")
        self.data_format = resolve_data_format(data_format, self._state)

    def _spec(self, shape: tuple) -> AdaptiveSpec:
        return AdaptiveSpec(self.output_size)


AdaptiveAveragePooling1D = ranked(_AdaptivePooling, 1, "AdaptiveAveragePooling1D",
                                  "``keras.layers.AdaptiveAveragePooling1D(output_size)``.")
AdaptiveAveragePooling2D = ranked(_AdaptivePooling, 2, "AdaptiveAveragePooling2D",
                                  "``keras.layers.AdaptiveAveragePooling2D(output_size)``.")
AdaptiveAveragePooling3D = ranked(_AdaptivePooling, 3, "AdaptiveAveragePooling3D",
                                  "``keras.layers.AdaptiveAveragePooling3D(output_size)``.")
AdaptiveMaxPooling1D = ranked(_AdaptivePooling, 1, "AdaptiveMaxPooling1D",
                              "``keras.layers.AdaptiveMaxPooling1D(output_size)``.")
AdaptiveMaxPooling2D = ranked(_AdaptivePooling, 2, "AdaptiveMaxPooling2D",
                              "``keras.layers.AdaptiveMaxPooling2D(output_size)``.")
AdaptiveMaxPooling3D = ranked(_AdaptivePooling, 3, "AdaptiveMaxPooling3D",
                              "``keras.layers.AdaptiveMaxPooling3D(output_size)``.")


CLASSES = [
    MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D,
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D,
    GlobalMaxPooling3D, AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D,
]
