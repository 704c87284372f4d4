"""``keras.ops``'s core, indexing and signal ops: slices and scatters, segment reductions, ``top_k``,
``take_along_axis``, ``view`` as another dtype, ``rearrange`` and the short-time Fourier transforms.

The shapes and dtypes are those Keras 3 computes on the torch backend (``top_k``'s indices are int64 there,
though Keras's symbolic spec in functional code says int32; ``nonzero`` is one ``(rank, count)`` int32 tensor). A size that depends on the tensor's values (``nonzero``'s
count) is unknown (``None``); a segment reduction without ``num_segments`` is refused, since its length is the
largest segment id.
"""

from __future__ import annotations

import re
from math import prod

from nncalc.errors import UnknownLayer
from nncalc.frameworks.keras.errors import KerasValueError, shape_text, unknown_layer
from nncalc.frameworks.keras.op_support import floating, promote
from nncalc.frameworks.keras.ops import _axis_list, _checked, _shapes, _tensor_dtype, functional
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.merge import broadcast_shapes

ITEM_SIZES = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2, "bfloat16": 2, "int32": 4,
              "uint32": 4, "float32": 4, "int64": 8, "uint64": 8, "float64": 8, "complex64": 8, "complex128": 16}
SEGMENT_OPS = ("segment_sum", "segment_max", "segment_min", "segment_prod")


def _dtype_name(dtype, default: str) -> str:
    return dtype if isinstance(dtype, str) else getattr(dtype, "name", None) or default


def _broadcast(op: str, shapes: list) -> tuple:
    return _checked(op, lambda: broadcast_shapes(shapes, show=shape_text, known_wins=True))


def _static_sizes(op: str, value, what: str) -> tuple:
    sizes = (value,) if isinstance(value, int) else tuple(value) if isinstance(value, (tuple, list)) else None
    if sizes is None or not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise KerasValueError(f"keras.ops.{op} needs {what} as a tuple of ints; received {value!r}")
    return sizes


def rearrange_shape(shape: tuple, pattern: str, lengths: dict) -> tuple:
    """einops's ``rearrange`` as Keras 3 reads it: ``'b (h1 h) w c -> (b h1) h w c'``; an unknown size makes
    every group holding it unknown."""
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise KerasValueError(f"keras.ops.rearrange needs a pattern 'input axes -> output axes'; received {pattern!r}")
    left, right = (re.findall(r"\w+|\(.*?\)", side) for side in pattern.split("->"))
    if len(left) != len(shape):
        raise KerasValueError(f"keras.ops.rearrange: the pattern {pattern!r} names {len(left)} axes but the tensor "
                              f"has shape {shape_text(shape)}")
    sizes = dict(lengths)
    for axis, size in zip(left, shape):
        inner = re.findall(r"\w+", axis)
        if not axis.startswith("("):
            sizes[axis] = size
            continue
        missing = [a for a in inner if a not in lengths]
        if len(missing) > 1:
            raise KerasValueError(f"keras.ops.rearrange: give the lengths of all but one of the axes in {axis}")
        known = prod(lengths[a] for a in inner if a in lengths)
        if missing:
            sizes[missing[0]] = None if size is None else size // known
    out = []
    for axis in right:
        inner = re.findall(r"\w+", axis)
        unknown = [a for a in inner if a not in sizes]
        if unknown:
            raise KerasValueError(f"keras.ops.rearrange: the output axis {unknown[0]!r} of {pattern!r} is not on the "
                                  "input side")
        group = [sizes[a] for a in inner]
        out.append(None if None in group else prod(group))
    return tuple(out)


def stft_frames(samples, sequence_length: int, sequence_stride: int, fft_length: int, center: bool):
    """The number of frames of ``stft`` (torch's, with a window of ``fft_length`` samples, centred by padding
    ``fft_length // 2`` on both sides)."""
    if samples is None:
        return None
    padded = samples + 2 * (fft_length // 2) if center else samples
    if padded < fft_length:
        raise KerasValueError(f"keras.ops.stft: {samples} samples are fewer than fft_length={fft_length}")
    return 1 + (padded - fft_length) // sequence_stride


def istft_samples(frames, sequence_length: int, sequence_stride: int, fft_length: int, length, center: bool,
                  window) -> int | None:
    """The number of samples ``istft`` gives back: the overlap-added frames, less the centring, cut to ``length``
    (torch's ``istft`` pads to ``length``; Keras's own overlap-add only cuts)."""
    if frames is None:
        return length
    total = fft_length + sequence_stride * (frames - 1)
    start = fft_length // 2 if center else 0
    if sequence_length == fft_length and center and window is not None:
        return length if length is not None else total - 2 * start
    if length is not None:
        return max(0, min(length, total - start))
    return total - 2 * start if center else total


def build_core_ops(state) -> dict:
    """The ``keras.ops`` members of this module, each a functional-graph operation outside a layer's call."""

    def top_k(x, k, sorted=True):
        (shape,) = _shapes("top_k", (x,))
        if not shape:
            raise KerasValueError("keras.ops.top_k needs a tensor of rank ≥ 1")
        if shape[-1] is not None and k > shape[-1]:
            raise KerasValueError(f"keras.ops.top_k: k={k} is more than the last axis of {shape_text(shape)}")
        out = (*shape[:-1], k)
        return KerasTensor(out, _tensor_dtype((x,))), KerasTensor(out, "int64")

    def in_top_k(targets, predictions, k):
        target, prediction = _shapes("in_top_k", (targets, predictions))
        if len(target) != 1 or len(prediction) != 2:
            raise KerasValueError(f"keras.ops.in_top_k needs targets (batch,) and predictions (batch, classes); "
                                  f"received {shape_text(target)} and {shape_text(prediction)}")
        return KerasTensor(target, "bool")

    def segment(op):
        def run(data, segment_ids, num_segments=None, sorted=False):
            shape, ids = _shapes(op, (data, segment_ids))
            if num_segments is None:
                raise UnknownLayer(f"keras.ops.{op} without num_segments: the number of segments depends on the "
                                   "values of segment_ids, which nncalc never reads",
                                   hint=f"pass num_segments= (the largest segment id + 1) to keras.ops.{op}")
            if len(ids) != 1 or not shape or None not in (ids[0], shape[0]) and ids[0] != shape[0]:
                raise KerasValueError(f"keras.ops.{op}: segment_ids must be a vector as long as the data's first "
                                      f"axis; received data {shape_text(shape)} and segment_ids {shape_text(ids)}")
            return KerasTensor((num_segments, *shape[1:]), _tensor_dtype((data,)))

        return run

    def scatter(indices, values, shape):
        index, value = _shapes("scatter", (indices, values))
        sizes = _static_sizes("scatter", shape, "shape")
        if index and index[-1] is not None and index[-1] > len(sizes):
            raise KerasValueError(f"keras.ops.scatter: indices of depth {index[-1]} for a shape of rank {len(sizes)}")
        return KerasTensor(sizes, _tensor_dtype((values,)))

    def scatter_update(inputs, indices, updates, reduction=None):
        shape, _, _ = _shapes("scatter_update", (inputs, indices, updates))
        return KerasTensor(shape, _tensor_dtype((inputs,)))

    def slice_(inputs, start_indices, shape):
        (found,) = _shapes("slice", (inputs,))
        sizes = _static_sizes("slice", shape, "shape")
        if len(sizes) != len(found) or any(s > f for s, f in zip(sizes, found) if f is not None):
            raise KerasValueError(f"keras.ops.slice: a slice of shape {shape_text(sizes)} does not fit in "
                                  f"{shape_text(found)}")
        return KerasTensor(sizes, _tensor_dtype((inputs,)))

    def slice_update(inputs, start_indices, updates):
        shape, update = _shapes("slice_update", (inputs, updates))
        if len(update) != len(shape):
            raise KerasValueError(f"keras.ops.slice_update: updates {shape_text(update)} must have the rank of the "
                                  f"inputs {shape_text(shape)}")
        return KerasTensor(shape, _tensor_dtype((inputs,)))

    def take_along_axis(x, indices, axis=None):
        """NumPy's rule: the axes other than ``axis`` broadcast; along ``axis`` the indices' length."""
        shape, index = _shapes("take_along_axis", (x, indices))
        if axis is None:
            if len(index) != 1:
                raise KerasValueError("keras.ops.take_along_axis without an axis needs 1D indices; received "
                                      f"{shape_text(index)}")
            return KerasTensor(index, _tensor_dtype((x,)))
        if len(index) != len(shape):
            raise KerasValueError(f"keras.ops.take_along_axis: indices {shape_text(index)} must have the rank of x "
                                  f"{shape_text(shape)}")
        (position,) = _axis_list(axis, len(shape), "take_along_axis")
        rest = _broadcast("take_along_axis", [tuple(1 if i == position else s for i, s in enumerate(t))
                                              for t in (shape, index)])
        return KerasTensor((*rest[:position], index[position], *rest[position + 1:]), _tensor_dtype((x,)))

    def nonzero(x):
        (shape,) = _shapes("nonzero", (x,))
        return KerasTensor((len(shape), None), "int32")

    def select(condlist, choicelist, default=0):
        conditions, choices = list(condlist), list(choicelist)
        if len(conditions) != len(choices) or not conditions:
            raise KerasValueError("keras.ops.select: condlist and choicelist must be non-empty lists of the same "
                                  f"length; received {len(conditions)} and {len(choices)}")
        shapes = _shapes("select", conditions + choices + [default])
        return KerasTensor(_broadcast("select", shapes), _tensor_dtype(choices))

    def view(x, dtype=None):
        """The same bytes read as ``dtype``: the last axis scales by the ratio of the item sizes."""
        (shape,) = _shapes("view", (x,))
        old = _tensor_dtype((x,))
        new = _dtype_name(dtype, old)
        if new == old:
            return KerasTensor(shape, old)
        if old not in ITEM_SIZES or new not in ITEM_SIZES:
            raise unknown_layer(f"keras.ops.view from {old} to {new}")
        before, after = ITEM_SIZES[old], ITEM_SIZES[new]
        last = shape[-1] if shape else 1
        if last is not None and (last * before) % after:
            raise KerasValueError(f"keras.ops.view: the last axis of {shape_text(shape)} ({old}) does not fill a "
                                  f"whole number of {new} items")
        if not shape:
            raise KerasValueError("keras.ops.view to a dtype of another size needs a tensor of rank ≥ 1")
        return KerasTensor((*shape[:-1], None if last is None else last * before // after), new)

    def rearrange(tensor, pattern, **axes_lengths):
        (shape,) = _shapes("rearrange", (tensor,))
        return KerasTensor(rearrange_shape(shape, pattern, axes_lengths), _tensor_dtype((tensor,)))

    def extract_sequences(x, sequence_length, sequence_stride):
        (shape,) = _shapes("extract_sequences", (x,))
        if not shape:
            raise KerasValueError("keras.ops.extract_sequences needs a tensor of rank ≥ 1")
        size = shape[-1]
        if size is not None and size < sequence_length:
            raise KerasValueError(f"keras.ops.extract_sequences: sequence_length={sequence_length} is longer than "
                                  f"the last axis of {shape_text(shape)}")
        count = None if size is None else 1 + (size - sequence_length) // sequence_stride
        return KerasTensor((*shape[:-1], count, sequence_length), _tensor_dtype((x,)))

    def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
        (shape,) = _shapes("stft", (x,))
        if not shape:
            raise KerasValueError("keras.ops.stft needs a tensor of rank ≥ 1")
        if sequence_length > fft_length:
            raise KerasValueError(f"`sequence_length` must be smaller or equal to `fft_length`. Received: "
                                  f"sequence_length={sequence_length}, fft_length={fft_length}")
        frames = stft_frames(shape[-1], sequence_length, sequence_stride, fft_length, center)
        out = (*shape[:-1], frames, fft_length // 2 + 1)
        dtype = _tensor_dtype((x,))
        return KerasTensor(out, dtype), KerasTensor(out, dtype)

    def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
        if not isinstance(x, (tuple, list)) or len(x) != 2:
            raise KerasValueError("keras.ops.istft needs x as a tuple (real, imag)")
        real, imag = _shapes("istft", list(x))
        if len(real) < 2:
            raise KerasValueError(f"keras.ops.istft needs (…, frames, bins) tensors; received {shape_text(real)}")
        shape = _broadcast("istft", [real, imag])
        samples = istft_samples(shape[-2], sequence_length, sequence_stride, fft_length, length, center, window)
        return KerasTensor((*shape[:-2], samples), _tensor_dtype(list(x)))

    members = {op: segment(op) for op in SEGMENT_OPS}
    def cdist(x, y):
        """Euclidean distances between the rows of ``x (…, m, d)`` and ``y (…, n, d)``: ``(…, m, n)``."""
        a, b = _shapes("cdist", (x, y))
        if len(a) < 2 or len(b) < 2:
            raise KerasValueError(f"Inputs to `cdist` must have rank >= 2. Received shapes: x.shape={shape_text(a)}, "
                                  f"y.shape={shape_text(b)}")
        if a[-1] is not None and b[-1] is not None and a[-1] != b[-1]:
            raise KerasValueError(f"The last dimension of inputs to `cdist` must match. Received shapes: "
                                  f"x.shape={shape_text(a)}, y.shape={shape_text(b)}")
        batch = _broadcast("cdist", [a[:-2], b[:-2]])
        return KerasTensor((*batch, a[-2], b[-2]), floating(promote(x, y)))

    members.update(
        top_k=top_k, in_top_k=in_top_k, scatter=scatter, scatter_update=scatter_update, slice=slice_,
        slice_update=slice_update, take_along_axis=take_along_axis, nonzero=nonzero, select=select, view=view,
        rearrange=rearrange, extract_sequences=extract_sequences, stft=stft, istft=istft, cdist=cdist,
    )
    return {name: functional(name, op) for name, op in members.items()}
