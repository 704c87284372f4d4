"""What torch's layers check of how they are built and called, shared by the module families: the tensor a layer
is called on, int-or-tuple sizes, the ``dtype=`` argument, the input's rank, and the sliding windows of
convolution and pooling."""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.common.errors import reject_unknown
from nncalc.frameworks.torch.dtypes import FLOAT32, dtype
from nncalc.frameworks.torch.errors import TorchTypeError, bad_type, check_int, shape_error
from nncalc.frameworks.torch.tensor import Tensor
from nncalc.layers.base import int_or_tuple, window_output


def tensor_input(value, layer) -> Tensor:
    """The tensor a layer is called on; anything else is torch's ``TypeError``."""
    if isinstance(value, Tensor):
        return value
    reject_unknown(value, f"calling {layer._describe()} on it")
    raise TorchTypeError(
        f"{layer._describe()} must be called on a tensor, got {type(value).__name__}",
        hint="pass the output of another layer or of torch.zeros(...)",
    )


def int_tuple(value, rank: int, name: str, layer, minimum: int = 0, single: bool = False) -> tuple[int, ...]:
    """``3`` → ``(3, 3)``; a tuple or list of ``rank`` ints stays (torch's ``_pair``/``_triple``); with
    ``single``, one item stays one (``stride=[1]``: torch keeps ``(1,)``, and its convolution repeats it)."""
    if single and isinstance(value, (list, tuple)) and len(value) == 1:
        return (check_int(value[0], name, layer, minimum),)
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


SPATIAL_LAYOUTS = {1: "C, L", 2: "C, H, W", 3: "C, D, H, W"}


def check_spatial(x: Tensor, rank: int, layer) -> None:
    """The input of a ``rank``-D convolution, pooling or instance norm: ``(C, *spatial)`` or ``(N, C, *spatial)``."""
    check_rank(x, (rank + 1, rank + 2), layer, SPATIAL_LAYOUTS[rank] + ", optionally with a batch N first")


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
        too_small=getattr(error, "too_small", False),
    )
