"""Keras layers that change spatial sizes without weights: ``UpSampling1D/2D/3D``, ``ZeroPadding1D/2D/3D``,
``Cropping1D/2D/3D`` and ``Resizing``, over :mod:`nncalc.layers.resize`.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import (
    BuiltinLayer, SpatialLayer, join_channels, resolve_data_format, split_channels,
)
from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.layers.base import as_tuple
from nncalc.layers.resize import as_pairs, crop_output, pad_output, upsample_output
from nncalc.receptive import padding_window

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")


class _Resize(SpatialLayer):
    """A layer whose output keeps the channels and maps the spatial sizes through ``_sizes``."""

    _keeps_dtype = True

    def _sizes(self, spatial: tuple):
        """(output spatial sizes, formulas)."""
        raise NotImplementedError

    def _forward(self, shape):
        spatial, channels = split_channels(shape, self.data_format)
        out_spatial, formulas = self._sizes(spatial)
        return join_channels(shape[0], out_spatial, channels, self.data_format), formulas, 0


def _keras_value_error(error: ShapeError) -> KerasValueError:
    return KerasValueError(error.message, hint=error.hint)


class _UpSampling(_Resize):
    """Repeats every element ``size`` times along each spatial axis."""

    def _setup(self, size, data_format, kwargs):
        BuiltinLayer.__init__(self, **kwargs)
        try:
            self.size = as_tuple(size, self._rank, "size")
        except ShapeError as error:
            raise _keras_value_error(error) from None
        if not all(s > 0 for s in self.size):
            raise KerasValueError(f"The `size` argument must be positive. Received: size={size!r}")
        self.data_format = resolve_data_format(data_format, self._state)

    def _sizes(self, spatial):
        return upsample_output(spatial, scale=self.size)


class UpSampling1D(_UpSampling):
    """``keras.layers.UpSampling1D(size=2)``: (batch, steps × size, features)."""

    _rank, _ndim = 1, 3

    def __init__(self, size=2, **kwargs):
        self._setup(size, "channels_last", kwargs)


class UpSampling2D(_UpSampling):
    """``keras.layers.UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest')``."""

    _rank, _ndim = 2, 4

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        self._setup(size, data_format, kwargs)
        mode = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if mode not in INTERPOLATIONS:
            raise KerasValueError(f"`interpolation` must be one of {INTERPOLATIONS}. "
                                  f"Received: interpolation={interpolation!r}")
        self.interpolation = mode


class UpSampling3D(_UpSampling):
    """``keras.layers.UpSampling3D(size=(2, 2, 2), data_format=None)``."""

    _rank, _ndim = 3, 5

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        self._setup(size, data_format, kwargs)


class _ZeroPadding(_Resize):
    """Adds zeros before and after each spatial axis."""

    def _setup(self, padding, data_format, kwargs):
        BuiltinLayer.__init__(self, **kwargs)
        try:
            self.padding = as_pairs(padding, self._rank, "padding")
        except ShapeError as error:
            raise _keras_value_error(error) from None
        if any(v < 0 for pair in self.padding for v in pair):
            raise KerasValueError(f"The `padding` argument must be non-negative. Received: padding={padding!r}")
        self.data_format = resolve_data_format(data_format, self._state)

    def _sizes(self, spatial):
        return pad_output(spatial, self.padding)

    def _receptive_window(self, shape):
        return padding_window(self.padding)


class ZeroPadding1D(_ZeroPadding):
    """``keras.layers.ZeroPadding1D(padding=1)``: an int, or (left, right)."""

    _rank, _ndim = 1, 3

    def __init__(self, padding=1, data_format=None, **kwargs):
        pairs = (tuple(padding),) if isinstance(padding, (tuple, list)) and len(padding) == 2 else padding
        self._setup(pairs, data_format, kwargs)


class ZeroPadding2D(_ZeroPadding):
    """``keras.layers.ZeroPadding2D(padding=(1, 1))``: an int, (h, w), or ((top, bottom), (left, right))."""

    _rank, _ndim = 2, 4

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        self._setup(padding, data_format, kwargs)


class ZeroPadding3D(_ZeroPadding):
    """``keras.layers.ZeroPadding3D``: an int, (d, h, w), or three (before, after) pairs."""

    _rank, _ndim = 3, 5

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        self._setup(padding, data_format, kwargs)


class _Cropping(_Resize):
    """Removes elements before and after each spatial axis."""

    def _setup(self, cropping, data_format, kwargs):
        BuiltinLayer.__init__(self, **kwargs)
        try:
            self.cropping = as_pairs(cropping, self._rank, "cropping")
        except ShapeError as error:
            raise _keras_value_error(error) from None
        if any(v < 0 for pair in self.cropping for v in pair):
            raise KerasValueError(f"The `cropping` argument must be non-negative. Received: cropping={cropping!r}")
        self.data_format = resolve_data_format(data_format, self._state)

    def _sizes(self, spatial):
        return crop_output(spatial, self.cropping)

    def _receptive_window(self, shape):
        return padding_window([(-before, -after) for before, after in self.cropping])


class Cropping1D(_Cropping):
    """``keras.layers.Cropping1D(cropping=(1, 1))``: (start, end) of the steps axis, or an int for both."""

    _rank, _ndim = 1, 3

    def __init__(self, cropping=(1, 1), **kwargs):
        pairs = (tuple(cropping),) if isinstance(cropping, (tuple, list)) and len(cropping) == 2 else cropping
        self._setup(pairs, "channels_last", kwargs)


class Cropping2D(_Cropping):
    """``keras.layers.Cropping2D(cropping=((0, 0), (0, 0)))``: an int, (h, w), or ((top, bottom), (left, right))."""

    _rank, _ndim = 2, 4

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        self._setup(cropping, data_format, kwargs)


class Cropping3D(_Cropping):
    """``keras.layers.Cropping3D``: an int, (d, h, w), or three (before, after) pairs."""

    _rank, _ndim = 3, 5

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        self._setup(cropping, data_format, kwargs)


class Resizing(_Resize):
    """``keras.layers.Resizing(height, width, …)``: images (batch, H, W, C) resized to (height, width)."""

    _rank, _ndim = 2, 4
    _keeps_dtype = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                 fill_mode="constant", fill_value=0.0, antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("height", height), ("width", width)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise KerasValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise KerasValueError("Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True.")
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.data_format = resolve_data_format(data_format, self._state)

    def _sizes(self, spatial):
        return upsample_output(spatial, size=(self.height, self.width))


CLASSES = [
    UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, Cropping1D, Cropping2D,
    Cropping3D, Resizing,
]
