"""Input-shape inference for a PyTorch model whose file does not say what it takes.

The first layer that fixes the input (a convolution, a linear layer, a batch norm) gives the channels and the
rank; the spatial size is the smallest square (cubic) one the whole model accepts. A model that accepts any
size (it ends in adaptive pooling) does not pin its input down: the user has to choose, and is told how.
"""

from __future__ import annotations

import math
import time

from nncalc.diagnostics import strict
from nncalc.errors import InterpreterError, ModelNotFound, NncalcError, ShapeError
from nncalc.frameworks.torch.conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from nncalc.frameworks.torch.embedding import TOKEN_LAYERS
from nncalc.frameworks.torch.errors import shape_error
from nncalc.frameworks.torch.linear import Linear
from nncalc.frameworks.torch.module import Module, loaded_family, tensors_in
from nncalc.frameworks.torch.normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d
from nncalc.frameworks.torch.trace import call_model, make_inputs

MAX_SIZE = 1024
"""Largest spatial size tried."""
TIME_BUDGET = 10.0
"""Seconds the search may take before it gives up."""
REPEATS_BEFORE_GIVING_UP = 4
"""The same size-independent error this many times in a row means no size will do."""

_SIZE_DEPENDENT = ("features", "window", "reshape", "broadcast")
_EXAMPLES = {1: "16000", 2: "224,224", 3: "16,112,112"}


class InputShapeNeeded(ModelNotFound):
    """The model accepts inputs of many sizes: nncalc needs to be told which one."""


def first_layer(model: Module):
    """The first registered module (definition order) that fixes the input's channels, features or dtype."""
    kinds = (Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Linear, BatchNorm1d,
             BatchNorm2d, BatchNorm3d, *TOKEN_LAYERS, *_recurrent_kinds())
    for _, module in Module.named_modules(model):  # the file may override named_modules
        if isinstance(module, kinds):
            return module
    return None


def _recurrent_kinds() -> tuple:
    recurrent = loaded_family("recurrent")
    return () if recurrent is None else (recurrent.RNNBase, recurrent.RNNCellBase)


def infer_input_shapes(model: Module, dtype: str | None = None) -> tuple[list[tuple], str]:
    """The input shape (without batch) the layers pin down, and a note saying how it was found.

    Raises :class:`InputShapeNeeded` when the model takes many sizes, when nothing fixes its input, or when no
    square (cubic) input fits it; a size-independent error of the model (a channel mismatch) as it is.
    """
    layer = first_layer(model)
    name = type(model).__name__
    if layer is None:
        raise InputShapeNeeded(
            f"cannot infer the input shape of {name}: no convolution, linear or batch-norm layer fixes it",
            hint="pass --input-shape, e.g. --input-shape 3,224,224",
        )
    if isinstance(layer, TOKEN_LAYERS):
        raise InputShapeNeeded(
            f"cannot infer the input shape of {name}: it takes token indices (its first layer is "
            f"{layer._describe()}) of any sequence length",
            hint="pass the sequence length, e.g. --input-shape 128 (the dtype int64 is inferred)",
        )
    if isinstance(layer, _recurrent_kinds()):
        raise InputShapeNeeded(
            f"cannot infer the input shape of {name}: its first layer {layer._describe()} reads "
            f"{layer.input_size} features per step, over sequences of any length",
            hint=f"pass the sequence length and the features, e.g. --input-shape 100,{layer.input_size}",
        )
    if isinstance(layer, Linear):
        shape = (layer.in_features,)
        with _Watch(layer) as watch:
            try:
                _run(model, shape, dtype)
            except (ShapeError, InterpreterError) as error:
                if watch.reached:  # the layer took the input: what failed after it is the model's own error
                    raise
                raise _unreached(model, layer, shape, error) from None
        return [shape], (
            f"input shape inferred as ({layer.in_features},): the features of {layer._describe()}, the first "
            "layer; pass --input-shape to choose another"
        )
    if isinstance(layer, BatchNorm1d):
        channels, rank = layer.num_features, 0
        try:
            _run(model, (channels,), dtype)
        except (ShapeError, InterpreterError):
            rank = 1
        else:
            return [(channels,)], (
                f"input shape inferred as ({channels},): the features of {layer._describe()}, the first layer; "
                "pass --input-shape to choose another"
            )
    elif isinstance(layer, (BatchNorm2d, BatchNorm3d)):
        channels, rank = layer.num_features, layer._ranks[0] - 2
    else:
        channels, rank = layer.in_channels, layer._rank
    return _search(model, layer, channels, rank, dtype)


def _search(model: Module, layer, channels: int, rank: int, dtype: str | None) -> tuple[list[tuple], str]:
    started = time.monotonic()
    under = over = None  # the closest "too few" and "too many" features errors, with their sizes
    blocker = None  # the error that ruled out the size just below the answer
    repeated, last_message = 0, None
    size = 0
    watch = _Watch(layer)
    while size < MAX_SIZE and time.monotonic() - started < TIME_BUDGET:
        size += 1
        shape = (channels,) + (size,) * rank
        try:
            with watch:
                _run(model, shape, dtype)
        except (ShapeError, InterpreterError) as error:
            kind = getattr(error, "kind", None)
            if kind not in _SIZE_DEPENDENT:
                repeated = repeated + 1 if error.message == last_message else 1
                last_message = error.message
                if repeated >= REPEATS_BEFORE_GIVING_UP:
                    if not watch.reached:
                        raise _unreached(model, layer, shape, error) from None
                    raise
            blocker = error
            if kind == "features":
                facts = getattr(error, "facts", None) or {}  # a matmul's mismatch names no counts
                got, expected = facts.get("got"), facts.get("expected")
                if got is not None and expected is not None:
                    if got > expected:
                        over = (size, error)
                        break
                    under = (size, error)
            if _below(error, None) is not None:
                size, blocker = _skip_ahead(model, channels, rank, dtype, (size, error))
                if getattr(blocker, "kind", None) == "features":
                    under = (size, blocker)
            continue
        _check_pinned(model, channels, rank, size, dtype)
        dims = _dims(channels, rank, size)
        because = (
            f"the smallest input that fits {blocker.layer._describe()}"
            if blocker is not None and getattr(blocker, "layer", None) is not None
            else "the smallest square input the model accepts"
        )
        return [shape], f"input shape inferred as {dims}: {because}; pass --input-shape to choose another"
    raise _no_fit(channels, rank, size, under, over, blocker)


SKIP_PROBES = 24
"""Most sizes :func:`_skip_ahead` tries before the search goes on one size at a time."""


def _below(error: NncalcError, expected: int | None) -> int | None:
    """Does ``error`` show its input size to be below every size that fits, and how far? The features the first
    linear layer gets (fewer than its ``expected``), or 0 for a window the input is too small for; None when
    it says nothing of the kind."""
    kind, facts = getattr(error, "kind", None), getattr(error, "facts", None) or {}
    if kind == "window" and facts.get("too_small"):
        return 0
    got = facts.get("got")
    if kind == "features" and got is not None and facts.get("expected") is not None:
        if (expected is None or facts["expected"] == expected) and 0 < got < facts["expected"]:
            return got
    return None


def _skip_ahead(model: Module, channels: int, rank: int, dtype: str | None, under: tuple) -> tuple:
    """The largest size found to be below every size that fits, from ``under`` = ``(size, error)`` that is:
    the sizes up to it need not be tried one by one.

    A size is below when a convolution or pooling leaves it no output, or when the first linear layer gets too
    few features from it. Both grow with the input's size (a window shrinks its input by a fixed amount and
    ratio), so every smaller size fails too. The next size tried is estimated from the features the error
    names (or doubled), until a size that runs, fails otherwise or gives too many features bounds the search
    from above; then the interval is halved. The one-by-one search takes over from the largest size below: a
    224×224 model is found in a few dozen runs instead of 224.
    """
    low, high = under, MAX_SIZE + 1
    expected = getattr(under[1], "facts", {}).get("expected")
    low_got, high_got, sides = _below(under[1], expected), None, ""
    for _ in range(SKIP_PROBES):
        if high - low[0] <= 1:
            break
        halve = sides[-2:] in ("ll", "hh")  # the guesses keep missing on one side
        size = _next_guess(low[0], low_got, high, high_got, expected, rank, halve)
        try:
            _run(model, (channels,) + (size,) * rank, dtype)
        except (ShapeError, InterpreterError) as error:
            found = _below(error, expected)
            if found is not None and (found or not expected):  # once features count, a window error is no help
                low, low_got, sides = (size, error), found, sides + "l"
                expected = expected or (getattr(error, "facts", {}).get("expected") if found else None)
                continue
            facts = getattr(error, "facts", None) or {}
            if expected and getattr(error, "kind", None) == "features" and facts.get("expected") == expected:
                high, high_got, sides = size, facts.get("got"), sides + "h"
                continue
        high, high_got, sides = size, None, sides + "h"
    return low


def _next_guess(low: int, low_got: int, high: int, high_got: int | None, expected: int | None, rank: int,
                halve: bool) -> int:
    """The size to try next, strictly between ``low`` and ``high``: where the features would reach ``expected``
    if their ``rank``-th root grew linearly with the size (from the counts at both ends, or at ``low`` alone
    as if they grew as size ** rank), else halfway, else twice ``low``."""
    def root(count: int) -> float:
        return count ** (1 / rank)

    if halve and high <= MAX_SIZE:
        guess = (low + high) / 2
    elif low_got and high_got:
        guess = low + (root(expected) - root(low_got)) * (high - low) / (root(high_got) - root(low_got))
    elif low_got:
        guess = low * root(expected / low_got)
    elif high <= MAX_SIZE:
        guess = (low + high) / 2
    else:
        guess = 2 * low
    return min(max(int(guess), low + 1), high - 1)


class _Watch:
    """Did a run of the model reach ``layer`` (enter its forward)? A guessed input that fails before it says
    nothing about the model: the guess was wrong (a rearrangement into patches before the first linear layer)."""

    def __init__(self, layer: Module):
        self.layer = layer
        self.reached = False

    def __enter__(self) -> "_Watch":
        layer, original = self.layer, type(self.layer).forward

        def forward(*args, **kwargs):
            self.reached = True
            return original(layer, *args, **kwargs)

        object.__setattr__(layer, "forward", forward)
        return self

    def __exit__(self, *exc) -> None:
        self.layer.__dict__.pop("forward", None)


def _unreached(model: Module, layer: Module, shape: tuple, error: NncalcError) -> InputShapeNeeded:
    """The input guessed from ``layer`` fails before reaching it: nncalc cannot tell the input's shape."""
    return InputShapeNeeded(
        f"cannot infer the input shape of {type(model).__name__}: a {_guess(shape)} input, guessed from its first "
        f"layer {layer._describe()}, fails before reaching it ({error.message})",
        hint="pass --input-shape, e.g. --input-shape 3,224,224 for an image",
    )


def _guess(shape: tuple) -> str:
    return "×".join(map(str, shape)) if len(shape) > 1 else f"({shape[0]},)"


def _check_pinned(model: Module, channels: int, rank: int, size: int, dtype: str | None) -> None:
    other = max(2 * size + 1, 64)
    try:
        _run(model, (channels,) + (other,) * rank, dtype)
    except (ShapeError, InterpreterError):
        return
    example = f"{channels},{_EXAMPLES.get(rank, '224,224')}"
    layout = ",".join(["C"] + list({1: "L", 2: "HW", 3: "DHW"}.get(rank, "HW")))
    error = InputShapeNeeded(
        f"the input shape is not fixed by the model: it accepts {_dims(channels, rank, size)} and "
        f"{_dims(channels, rank, other)} alike (it probably ends in adaptive or global pooling)",
        hint=f"pass --input-shape {layout}, e.g. --input-shape {example}",
    )
    error.smallest = (channels, rank, size)
    raise error


def _dims(channels: int, rank: int, size) -> str:
    return "×".join(str(d) for d in (channels,) + (size,) * rank)


def _no_fit(channels: int, rank: int, size: int, under, over, blocker) -> InputShapeNeeded:
    def dims(s) -> str:
        return _dims(channels, rank, s)

    layout = ",".join(["C"] + list({1: "L", 2: "HW", 3: "DHW"}.get(rank, "HW")))
    hint = f"pass --input-shape {layout}"
    if under and over:
        layer, expected = over[1].layer, over[1].facts["expected"]
        error = InputShapeNeeded(
            f"cannot infer the input shape: no {dims('S')} input fits {layer._describe()} ({dims(under[0])} gives "
            f"it {under[1].facts['got']} features, {dims(over[0])} gives it {over[1].facts['got']}; it takes "
            f"{expected})",
            hint=f"{hint}; if the input is meant to be {'square' if rank == 2 else 'of equal sides'}, "
            f"the layer's in_features is wrong",
        )
        error.layer = layer  # for ``nncalc check``: the layer no input fits
        return error
    if blocker is None:
        return InputShapeNeeded(f"cannot infer the input shape within {size} tries", hint=hint)
    return InputShapeNeeded(
        f"cannot infer the input shape: no input up to {dims(size)} fits the model; with {dims(size)}: "
        f"{blocker.message}",
        hint=hint,
    )


def _run(model: Module, shape: tuple, dtype: str | None) -> None:
    """Run the model on one input of ``shape``; an output whose batch is not the input's does not fit (a
    ``view(-1, n)`` that swallowed part of the input into the batch)."""
    from nncalc.frameworks.torch.lazy import kept_lazy

    with strict(), kept_lazy(model):  # inside ``nncalc check`` too, a size that does not fit must fail here
        outputs = tensors_in(call_model(model, make_inputs([shape], None, dtype)))
    if outputs and outputs[0]._shape and outputs[0]._shape[0] != 1:
        raise shape_error(
            f"with input {list((1,) + shape)} the output has batch {outputs[0]._shape[0]}: a view or reshape "
            "mixes the batch with the features",
            "reshape",
        )


FAMILY_TIME_BUDGET = 5.0
"""Seconds ``nncalc check`` spends trying sizes above the smallest, to say which sizes fit."""


def input_family(model: Module, dtype: str | None = None) -> tuple[list[tuple], str]:
    """For ``nncalc check``: the input to check the model with (the smallest that fits) and a note saying
    which square (cubic) sizes the model accepts: a few sizes (``H = W ∈ {32, 33}``), every size from the
    smallest on (``any H = W ≥ 32``: the valid range of a network ending in global pooling), or a family
    (``any H = W = 32 + 16k``, a U-Net's skip connections)."""
    try:
        shapes, note = infer_input_shapes(model, dtype)
    except InputShapeNeeded as error:
        if not hasattr(error, "smallest"):
            raise
        channels, rank, size = error.smallest
        note = f"input shape {_dims(channels, rank, size)}: the smallest the model accepts"
    else:
        shape = shapes[0]
        if len(shape) < 2 or len(set(shape[1:])) != 1:
            return shapes, note
        channels, rank, size = shape[0], len(shape) - 1, shape[1]
    accepted, last, complete = _accepted_sizes(model, channels, rank, size, dtype)
    axes = " = ".join({1: "L", 2: "HW", 3: "DHW"}.get(rank, "HW"))
    advice = "; pass --input-shape to choose another"
    family = f"{note.removesuffix(advice)}; it accepts {_family_text(accepted, last, complete, axes)}{advice}"
    return [(channels,) + (size,) * rank], family


def _accepted_sizes(model: Module, channels: int, rank: int, smallest: int, dtype: str | None):
    """The sizes from ``smallest`` up to about four times it that fit, the last size tried, and whether the
    search got that far within its time budget."""
    started = time.monotonic()
    accepted, size, end = [smallest], smallest, min(MAX_SIZE, 4 * smallest + 8)
    while size < end and time.monotonic() - started < FAMILY_TIME_BUDGET:
        size += 1
        try:
            _run(model, (channels,) + (size,) * rank, dtype)
        except (ShapeError, InterpreterError):
            continue
        accepted.append(size)
    return accepted, size, size >= end


def _family_text(accepted: list[int], last: int, complete: bool, axes: str) -> str:
    """``any H = W ≥ 32``, ``any H = W = 32 + 16k``, ``32 ≤ H = W ≤ 63``, ``H = W ∈ {32, 33}`` or
    ``only H = W = 32``, with how far the sizes were tried."""
    first, tried = accepted[0], f"(tried up to {last})"
    step = 0
    for a, b in zip(accepted, accepted[1:]):
        step = math.gcd(step, b - a)
    regular = step and accepted == list(range(first, accepted[-1] + 1, step))
    if regular and accepted[-1] + step > last:  # the pattern runs to the end of the search
        if not complete:
            return f"{axes} = {first} + {step}k at least up to {last} (the search stopped there)"
        family = f"any {axes} ≥ {first}" if step == 1 else f"any {axes} = {first} + {step}k"
        return f"{family} {tried}"
    if len(accepted) == 1:
        return f"only {axes} = {first} {tried}"
    if regular and step == 1 and len(accepted) > 2:
        return f"{first} ≤ {axes} ≤ {accepted[-1]} {tried}"
    shown = ", ".join(str(s) for s in accepted[:6]) + (", …" if len(accepted) > 6 else "")
    return f"{axes} ∈ {{{shown}}} {tried}"
