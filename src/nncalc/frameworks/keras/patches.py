"""``keras.ops.image.extract_patches`` and ``tf.image.extract_patches``: every window of an image as one vector
(a ViT's patches), ``(batch, rows, columns, window height × window width × channels)``. Windows move and pad
as a convolution's do; no multiply-accumulates.
"""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.tensor import KerasTensor


def _pair(value, name: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in pair):
        raise KerasValueError(f"extract_patches: {name} must be a positive int or two of them for an image, got "
                              f"{value!r}")
    return pair


def _windows(length: int | None, size: int, stride: int, dilation: int, padding: str) -> int | None:
    if length is None:
        return None
    if padding == "same":
        return -(-length // stride)
    span = dilation * (size - 1) + 1
    if length < span:
        raise KerasValueError(f"extract_patches: a window of {span} does not fit in a size of {length}")
    return (length - span) // stride + 1


def patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None) -> KerasTensor:
    """The patches of a ``(batch, height, width, channels)`` image (``channels_first``: channels second, and
    the patch vectors too), as Keras computes them."""
    from nncalc.frameworks.keras.ops import _shapes

    (shape,) = _shapes("image.extract_patches", (images,))
    if len(shape) not in (3, 4):
        raise KerasValueError(f"extract_patches: expected an image batch of rank 4 (or one image of rank 3), got "
                              f"shape {shape}")
    first = data_format == "channels_first"
    *lead, height, width, channels = (*shape[:-3], *shape[-2:], shape[-3]) if first else shape
    size = _pair(size, "size")
    strides = size if strides is None else _pair(strides, "strides")
    dilation = _pair(dilation_rate, "dilation_rate")
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise KerasValueError(f"extract_patches: padding must be 'valid' or 'same', got {padding!r}")
    rows, columns = (_windows(n, k, s, d, padding) for n, k, s, d in zip((height, width), size, strides, dilation))
    depth = None if channels is None else size[0] * size[1] * channels
    out = (*lead, depth, rows, columns) if first else (*lead, rows, columns, depth)
    return KerasTensor(out, images.dtype)
