"""Receptive field, jump and start of every layer of a convolution/pooling chain, per spatial axis.

Along one axis, a layer with kernel ``k``, stride ``s``, dilation ``d`` and padding ``p`` before the data maps
the field of its input (size ``r``, jump ``j`` between neighbouring units, centre ``start`` of the first unit,
in input pixels) to::

    r_out = r_in + (k − 1) · d · j_in
    j_out = j_in · s
    start_out = start_in + ((k − 1) / 2 · d − p) · j_in

starting from ``r = 1, j = 1, start = 0`` at the model input (pixel ``i`` has its centre at ``i``). Layers that
keep every position (activations, normalisation, dropout, additions, channel concatenations) pass the field
on; where branches meet, the field is the largest of the inputs' (its jump and start come with it). Anything
else (a flatten, a transposed convolution, an upsampling, an op nncalc could not follow) ends the chain: the
field is unknown from there on, never guessed.
"""

from __future__ import annotations

from nncalc.graph import Call, Graph
from nncalc.layers.base import axis_names
from nncalc.records import dataclass

IDENTITY = ()  # before any window: each value is one input element


@dataclass(frozen=True)
class Window:
    """A sliding window in canonical form: per spatial axis the kernel, stride, dilation and the padding as a
    (before, after) pair (negative for a crop). ``transposed`` windows (transposed convolutions) end the chain."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    transposed: bool = False


@dataclass(frozen=True)
class Field:
    """The receptive field of one unit along one spatial axis: its ``size``, the ``jump`` (input pixels between
    neighbouring units) and the ``start`` (centre of the first unit's field, in input pixels)."""

    axis: str
    size: int
    jump: int
    start: float


def window_for(spec, spatial: tuple) -> Window:
    """A :class:`Window` from a ConvSpec or PoolSpec (or a Window) applied to inputs of ``spatial`` sizes;
    ``'same'`` padding is resolved as the frameworks do (the odd pixel after)."""
    if isinstance(spec, Window):
        return spec
    rank = len(spec.kernel)
    dilation = tuple(spec.dilation) or (1,) * rank
    padding = spec.padding
    if padding == "valid":
        padding = ((0, 0),) * rank
    elif padding == "same":
        padding = tuple(_same_padding(n, k, s, d) for n, k, s, d in zip(spatial, spec.kernel, spec.stride, dilation))
    return Window(tuple(spec.kernel), tuple(spec.stride), tuple(padding), dilation, getattr(spec, "transposed", False))


def padding_window(pairs) -> Window:
    """Zero padding (or, with negative pairs, cropping) as a 1-wide window that shifts the start."""
    rank = len(pairs)
    return Window((1,) * rank, (1,) * rank, tuple((int(b), int(a)) for b, a in pairs), (1,) * rank)


def receptive_fields(graph: Graph) -> dict[int, tuple[Field, ...] | None]:
    """For every leaf call, ``id(call)`` → the receptive field of its output per spatial axis (None when
    unknown or when no convolution or pooling came before it)."""
    channels_last = graph.framework == "keras"
    states: dict[int, object] = {}
    for call in graph.calls:
        if call.node is graph.root or not call.node.is_leaf:
            continue
        try:
            states[id(call)] = _apply(call, _merged(call, states), channels_last)
        except OverflowError:  # sizes too large for a float: the field is unknown, not an error
            states[id(call)] = None
    return {key: (state or None) for key, state in states.items()}


def _merged(call: Call, states: dict):
    """The field of the call's inputs: the largest over its inputs (IDENTITY for model inputs)."""
    if call.sources is None:
        return None
    fields = []
    for sources in call.sources:
        if sources is None:
            return None
        for source in sources:
            if id(source) not in states or states[id(source)] is None:
                return None
            fields.append(states[id(source)])
    fields = [f for f in fields if f != IDENTITY]
    if not fields:
        return IDENTITY
    if len({len(f) for f in fields}) != 1:
        return None
    return tuple(max(axis, key=lambda field: field.size) for axis in zip(*fields))


def _apply(call: Call, state, channels_last: bool):
    if state is None:
        return None
    if call.window is not None:
        return _through_window(call, state, channels_last)
    if not call.output_shapes or not call.input_shapes:
        return None
    if state == IDENTITY:  # before any window only elementwise layers keep the input's positions
        keeps = call.macs == 0 and all(shape == call.output_shapes[0] for shape in call.input_shapes)
        return IDENTITY if keeps else None
    rank = len(state)
    out = _spatial(call.output_shapes[0], rank, channels_last)
    if any(_spatial(shape, rank, channels_last) != out for shape in call.input_shapes):
        return None
    # a layer with MACs over a spatial tensor (a Linear on the last axis, attention) may mix positions
    return state if call.macs == 0 or out == () else None


def _through_window(call: Call, state, channels_last: bool):
    rank = len(call.window.kernel)
    if state == IDENTITY:
        state = tuple(Field(name, 1, 1, 0.0) for name in axis_names(rank))
    if len(state) != rank or not call.input_shapes or call.input_shapes[0] is None:
        return None
    spatial = _spatial(call.input_shapes[0], rank, channels_last)
    window = window_for(call.window, spatial)
    if window.transposed or any(None in pair for pair in window.padding):
        return None
    if call.output_shapes and not _slides(window, spatial, _spatial(call.output_shapes[0], rank, channels_last)):
        return None  # the layer did more than its window (a subclass's own forward): not a plain window
    out = []
    for field, k, s, d, (before, _) in zip(state, window.kernel, window.stride, window.dilation, window.padding):
        out.append(Field(
            field.axis,
            field.size + (k - 1) * d * field.jump,
            field.jump * s,
            field.start + ((k - 1) / 2 * d - before) * field.jump,
        ))
    return tuple(out)


def _slides(window: Window, spatial: tuple, out: tuple) -> bool:
    """Whether the window, slid over inputs of ``spatial`` sizes, gives outputs of ``out`` sizes (rounding
    down, or up as PyTorch's ``ceil_mode``); no output axes left (global pooling) are 1 each."""
    out = out or (1,) * len(spatial)
    if len(spatial) != len(window.kernel) or len(out) != len(spatial):
        return False
    for n, o, k, s, d, (before, after) in zip(spatial, out, window.kernel, window.stride, window.dilation,
                                               window.padding):
        if n is None or o is None:
            continue
        span = n + before + after - d * (k - 1) - 1
        if o not in (span // s + 1, -(-span // s) + 1):
            return False
    return True


def _spatial(shape, rank: int, channels_last: bool) -> tuple:
    """The spatial sizes of a batch-first shape; () once they are gone (flattened or pooled away)."""
    if shape is None or len(shape) < rank + 2:
        return ()
    return tuple(shape[1 : 1 + rank]) if channels_last else tuple(shape[-rank:])


def _same_padding(size, kernel: int, stride: int, dilation: int) -> tuple:
    """'same' padding as PyTorch and Keras place it: the total split, the odd pixel after."""
    span = dilation * (kernel - 1) + 1
    if size is None:
        return (None, None) if stride > 1 else ((span - 1) // 2, span - 1 - (span - 1) // 2)
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return (total // 2, total - total // 2)
