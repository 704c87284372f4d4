"""The functional ops: ``torch.relu``, ``torch.flatten``, ``torch.cat``, ``torch.zeros``…, and ``F.relu``,
``F.max_pool2d``… with torch's signatures. They are not modules, so they add no row to the graph; work they do
(``torch.matmul``) is charged to the module whose ``forward`` calls them."""

from __future__ import annotations

import operator

from nncalc.diagnostics import recoverable
from nncalc.errors import NncalcError
from nncalc.frameworks.common.wrapping import named_like
from nncalc.frameworks.torch import recorder, values
from nncalc.frameworks.torch.dtypes import CPU, FLOAT32, INT64, dtype, promote
from nncalc.frameworks.torch.dtypes import device as Device
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, render_call, shape_error
from nncalc.frameworks.torch.pooling import adaptive_pool, window_pool, with_indices
from nncalc.frameworks.torch.resize import (
    channel_shuffle_shape,
    check_pad_mode,
    interpolate_shape,
    padded,
    pixel_shuffle_shape,
    pixel_unshuffle_shape,
    torch_pad_pairs,
)
from nncalc.frameworks.torch.shapes import broadcast, dim_index, sizes_arg
from nncalc.frameworks.torch.tensor import MAX_KNOWN_VALUES, ON_DEMAND as TENSOR_ON_DEMAND, Tensor, with_values
from nncalc.frameworks.torch.tensor import flatten as tensor_flatten


class Where:
    """Names a functional op in error messages, as ``F.max_pool2d(kernel_size=2)``."""

    def __init__(self, name: str, **kwargs):
        given = {k: v for k, v in kwargs.items() if v is not None and v != 0 and not isinstance(v, Tensor)}
        self.text = render_call(name, (), given)

    def _describe(self, **fix) -> str:
        return f"`{self.text}`"


def op(name: str):
    """Decorator: the function is ``name`` (``F.relu``); a call binding wrongly is torch's ``TypeError``."""

    def wrap(function):
        def call(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except NncalcError:
                raise
            except TypeError as error:
                raise TorchTypeError(str(error).replace(function.__name__ + "()", name + "()")) from None

        call._torch_name = name
        return named_like(call, function)

    return wrap


def tensor_arg(value, name: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    hint = None
    if type(value).__name__ == "KerasTensor":  # torch.nn.functional inside a Keras 3 model on the torch backend
        hint = ("nncalc does not read torch functions on the tensors of a Keras model; write the keras.ops one "
                "(keras.ops.relu, keras.ops.softmax, …) or wrap the step in a torch.nn.Module")
    raise TorchTypeError(f"{name}(): argument 'input' must be Tensor, not {type(value).__name__}", hint=hint)


# ----- element-wise ---------------------------------------------------------------------------------------
def _elementwise(name: str, options: tuple[str, ...] | None = None):
    """An op with the shape of its input; ``options`` are its parameters after ``input`` (None: any)."""

    short = name.rpartition(".")[2]

    @op(name)
    def function(input, *args, **kwargs):
        if options is not None:
            _bind(name, options, args, kwargs)
        x = tensor_arg(input, name)
        result = x._like(dtype_=FLOAT32 if short in FLOAT_RESULT and not x._dtype.is_floating_point
                         and not x._dtype.is_complex else None)
        return values.unary(result, x, values.UNARY[short]) if short in values.UNARY and not args else result

    function.__doc__ = f"``{name}(input{''.join(', ' + o for o in options or ('…',))})``: same shape out."
    return function


FLOAT_RESULT = frozenset((
    "sigmoid", "tanh", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "reciprocal", "erf", "log1p", "exp2", "log2",
    "log10", "expm1", "sinh", "cosh", "tan", "atan", "asin", "acos", "logit", "deg2rad", "rad2deg", "angle",
    "logsigmoid", "softplus", "gelu", "silu", "mish", "hardsigmoid", "hardswish", "elu", "celu", "selu",
))
"""Element-wise functions whose integer inputs give float32 (as torch computes them)."""


def _bind(name: str, options: tuple[str, ...], args: tuple, kwargs: dict) -> None:
    """Python's binding errors for ``name(input, *options)`` (all options have defaults)."""
    short = name.split(".")[-1]
    if len(args) > len(options):
        raise TorchTypeError(
            f"{short}() takes from 1 to {len(options) + 1} positional arguments but {len(args) + 1} were given"
            if options
            else f"{short}() takes 1 positional argument but {len(args) + 1} were given"
        )
    for key in kwargs:
        if key not in options:
            raise TorchTypeError(f"{short}() got an unexpected keyword argument '{key}'")
        if options.index(key) < len(args):
            raise TorchTypeError(f"{short}() got multiple values for argument '{key}'")


def _softmax_like(name: str):
    @op(name)
    def function(input, dim=None, _stacklevel=3, dtype=None):
        x = tensor_arg(input, name)
        if dim is not None:
            dim_index(dim, len(x._shape))
        return x._like(dtype_=dtype)

    function.__doc__ = f"``{name}(input, dim=None, dtype=None)``."
    return function


INPLACE = ("inplace",)
ACTIVATIONS = {
    "relu": INPLACE, "relu6": INPLACE, "selu": INPLACE, "silu": INPLACE, "mish": INPLACE, "hardswish": INPLACE,
    "hardsigmoid": INPLACE, "leaky_relu": ("negative_slope", "inplace"), "elu": ("alpha", "inplace"),
    "celu": ("alpha", "inplace"), "gelu": ("approximate",), "hardtanh": ("min_val", "max_val", "inplace"),
    "sigmoid": (), "tanh": (), "softsign": (), "tanhshrink": (), "logsigmoid": (), "relu_": (),
    "softplus": ("beta", "threshold"), "elu_": ("alpha",), "leaky_relu_": ("negative_slope",),
    "normalize": ("p", "dim", "eps", "out"), "hardshrink": ("lambd",), "softshrink": ("lambd",),
    "threshold": ("threshold", "value", "inplace"), "threshold_": ("threshold", "value"),
    "rrelu": ("lower", "upper", "training", "inplace"), "rrelu_": ("lower", "upper", "training"),
    "prelu": ("weight",), "gumbel_softmax": ("tau", "hard", "eps", "dim"), "celu_": ("alpha",), "selu_": (),
    "hardtanh_": ("min_val", "max_val"),
}
TORCH_ELEMENTWISE = (
    "relu", "relu_", "sigmoid", "tanh", "exp", "log", "sqrt", "rsqrt", "abs", "neg", "sin", "cos", "sign",
    "square", "clamp", "clip", "floor", "ceil", "round", "reciprocal", "erf", "log1p", "exp2", "tril", "triu",
    "detach", "clone", "selu", "celu", "dropout", "alpha_dropout", "feature_dropout", "masked_fill",
    "log2", "log10", "expm1", "sinh", "cosh", "tan", "atan", "asin", "acos", "trunc", "frac", "logit", "sigmoid_",
    "nan_to_num", "deg2rad", "rad2deg", "angle", "real", "imag", "conj",
)


def _dropout(name: str, ranks: tuple[int, ...] = ()):
    @op(name)
    def function(input, p=0.5, training=True, inplace=False):
        x = tensor_arg(input, name)
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p <= 1:
            raise TorchValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        if ranks and len(x._shape) not in ranks:
            raise shape_error(f"{name}: expected a {' or '.join(f'{r}D' for r in ranks)} input, got "
                              f"{list(x._shape)}", "rank")
        return x._like()

    function.__doc__ = f"``{name}(input, p=0.5, training=True, inplace=False)``."
    return function


LOSSES = (
    "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss", "gaussian_nll_loss", "cosine_embedding_loss",
    "hinge_embedding_loss", "margin_ranking_loss", "multi_margin_loss", "multilabel_margin_loss",
    "multilabel_soft_margin_loss", "soft_margin_loss", "triplet_margin_loss", "ctc_loss",
    "triplet_margin_with_distance_loss",
)


def _loss(name: str):
    """A loss (``F.cross_entropy``): not part of the model; a scalar, or the input's shape with
    ``reduction='none'``."""

    @op(name)
    def function(input, *args, reduction="mean", **kwargs):
        x = tensor_arg(input, name)
        return x._like(factors=None) if reduction == "none" else Tensor._make((), x._dtype, x._device)

    function.__doc__ = f"``{name}(input, target, …, reduction='mean')``: a loss, ignored; returns a scalar."
    return function


# ----- pooling --------------------------------------------------------------------------------------------
def _max_pool(rank: int):
    name = f"F.max_pool{rank}d"

    @op(name)
    def function(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
        where = Where(name, kernel_size=kernel_size, stride=stride, padding=padding)
        out = window_pool(tensor_arg(input, name), rank, kernel_size, stride, padding, dilation, ceil_mode, where)
        return with_indices(out, return_indices)

    function.__doc__ = f"``{name}(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, …)``."
    return function


def _avg_pool(rank: int):
    name = f"F.avg_pool{rank}d"

    @op(name)
    def function(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        where = Where(name, kernel_size=kernel_size, stride=stride, padding=padding)
        return window_pool(tensor_arg(input, name), rank, kernel_size, stride, padding, 1, ceil_mode, where)

    function.__doc__ = f"``{name}(input, kernel_size, stride=None, padding=0, ceil_mode=False, …)``."
    return function


def _max_unpool(rank: int):
    name = f"F.max_unpool{rank}d"

    @op(name)
    def function(input, indices, kernel_size, stride=None, padding=0, output_size=None):
        from nncalc.frameworks.torch.pooling import max_unpool

        where = Where(name, kernel_size=kernel_size, stride=stride, padding=padding)
        return max_unpool(tensor_arg(input, name), indices, rank, kernel_size, stride, padding, output_size, where)

    function.__doc__ = f"``{name}(input, indices, kernel_size, stride=None, padding=0, output_size=None)``."
    return function


def _lp_pool(rank: int):
    name = f"F.lp_pool{rank}d"

    @op(name)
    def function(input, norm_type, kernel_size, stride=None, ceil_mode=False):
        where = Where(name, kernel_size=kernel_size, stride=stride)
        return window_pool(tensor_arg(input, name), rank, kernel_size, stride, 0, 1, ceil_mode, where)

    function.__doc__ = f"``{name}(input, norm_type, kernel_size, stride=None, ceil_mode=False)``."
    return function


def _fractional_max_pool(rank: int, indices: bool | None):
    name = f"F.fractional_max_pool{rank}d" + ("_with_indices" if indices else "")

    @op(name)
    def function(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                 _random_samples=None):
        from nncalc.frameworks.torch.pooling import check_fractional, fractional_max_pool

        check_fractional(f"fractional_max_pool{rank}d", output_size, output_ratio)
        where = Where(name, kernel_size=kernel_size, output_size=output_size, output_ratio=output_ratio)
        out = fractional_max_pool(tensor_arg(input, name), rank, kernel_size, output_size, output_ratio, where)
        return with_indices(out, return_indices if indices is None else indices)

    function.__doc__ = f"``{name}(input, kernel_size, output_size=None, output_ratio=None, …)``."
    return function


def _adaptive(kind: str, rank: int):
    name = f"F.adaptive_{kind}_pool{rank}d"

    @op(name)
    def function(input, output_size, return_indices=False):
        out = adaptive_pool(tensor_arg(input, name), rank, output_size, Where(name, output_size=output_size))
        return with_indices(out, return_indices)

    function.__doc__ = f"``{name}(input, output_size)``."
    return function


def _max_pool_with_indices(rank: int, adaptive: bool):
    pool = _adaptive("max", rank) if adaptive else _max_pool(rank)
    name = f"F.{'adaptive_' if adaptive else ''}max_pool{rank}d_with_indices"

    @op(name)
    def function(*args, **kwargs):
        kwargs.pop("return_indices", None)
        return pool(*args, return_indices=True, **kwargs)

    function.__doc__ = f"``{name}(...)``: ``(output, indices)``."
    return function


@op("F.affine_grid")
def affine_grid(theta, size, align_corners=None):
    """``F.affine_grid(theta, size, align_corners=None)``: a sampling grid ``(N, *spatial, rank)`` for
    ``F.grid_sample``, from ``theta`` ``(N, 2, 3)`` (images) or ``(N, 3, 4)`` (volumes)."""
    t = tensor_arg(theta, "F.affine_grid")
    sizes = sizes_arg((size,), "affine_grid")
    rank = len(sizes) - 2
    if rank not in (2, 3) or t._shape != (sizes[0], rank, rank + 1):
        raise shape_error(f"affine_grid: expected theta of shape ({sizes[0]}, {max(rank, 2)}, {max(rank, 2) + 1}) for "
                          f"size {list(sizes)}, got {list(t._shape)}", "reshape")
    return t._like((sizes[0], *sizes[2:], rank), factors=None)


@op("F.linear_cross_entropy")
def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None, reduction="mean",
                         ignore_index=None, label_smoothing=0.0, options=None):
    """``F.linear_cross_entropy(input, linear_weight, target, …)``: a loss over ``input @ linear_weightᵀ``
    (MACs charged); a scalar, or the target's shape with ``reduction='none'``."""
    x, w = tensor_arg(input, "F.linear_cross_entropy"), tensor_arg(linear_weight, "F.linear_cross_entropy")
    labels = tensor_arg(target, "F.linear_cross_entropy")
    if not x._shape or not w._shape or w._shape[-1] != x._shape[-1]:
        raise shape_error(f"linear_cross_entropy: input {list(x._shape)} and linear_weight {list(w._shape)} do not "
                          "share their last dimension", "features")
    rows = x.numel() // x._shape[-1] if x._shape[-1] else 0
    recorder.note(rows * w.numel())
    return Tensor._make(labels._shape if reduction == "none" else (), x._dtype, x._device)


@op("F.pad")
def pad(input, pad, mode="constant", value=None):
    """``F.pad(input, pad, mode='constant', value=None)``: ``pad`` lists (before, after) pairs from the last
    dimension backwards; negative amounts crop; reflect, replicate and circular check the input's sizes."""
    x = tensor_arg(input, "F.pad")
    where = Where("F.pad", pad=tuple(pad) if isinstance(pad, list) else pad, mode=None if mode == "constant" else mode)
    check_pad_mode(mode, where)
    pairs = torch_pad_pairs(sizes_arg((pad,), "pad"), 0, where)
    if mode != "constant" and any(p < 0 for pair in pairs for p in pair):
        raise TorchValueError(f"{where._describe()}: negative padding is only supported for mode='constant'")
    return padded(x, pairs, mode, where, record=False)


@op("F.interpolate")
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """``F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, …)``:
    ``(N, C, *spatial)`` resized to ``size`` or by ``scale_factor`` (``H_out = ⌊H_in × scale⌋``)."""
    where = Where("F.interpolate", size=size, scale_factor=scale_factor, mode=None if mode == "nearest" else mode)
    x = tensor_arg(input, "F.interpolate")
    return interpolate_shape(x, size, scale_factor, mode, align_corners, where, record=False)


def _upsample_alias(name: str, mode: str | None, corners):
    @op(name)
    def function(input, size=None, scale_factor=None, *args, **kwargs):
        chosen = kwargs.pop("mode", args[0] if args else "nearest") if mode is None else mode
        where = Where(name, size=size, scale_factor=scale_factor)
        x = tensor_arg(input, name)
        return interpolate_shape(x, size, scale_factor, chosen, corners if mode else kwargs.get("align_corners"),
                                 where, record=False)

    function.__doc__ = f"``{name}(input, size=None, scale_factor=None…)``: deprecated alias of F.interpolate."
    return function


@op("F.pixel_shuffle")
def pixel_shuffle(input, upscale_factor):
    """``F.pixel_shuffle(input, upscale_factor)``: ``(*, C × r², H, W)`` → ``(*, C, H × r, W × r)``."""
    return pixel_shuffle_shape(tensor_arg(input, "F.pixel_shuffle"), upscale_factor,
                               Where("F.pixel_shuffle", upscale_factor=upscale_factor))


@op("F.channel_shuffle")
def channel_shuffle(input, groups):
    """``F.channel_shuffle(input, groups)``: the shape stays."""
    return channel_shuffle_shape(tensor_arg(input, "F.channel_shuffle"), groups, Where("F.channel_shuffle",
                                                                                       groups=groups))


@op("F.pixel_unshuffle")
def pixel_unshuffle(input, downscale_factor):
    """``F.pixel_unshuffle(input, downscale_factor)``: ``(*, C, H × r, W × r)`` → ``(*, C × r², H, W)``."""
    return pixel_unshuffle_shape(tensor_arg(input, "F.pixel_unshuffle"), downscale_factor,
                                 Where("F.pixel_unshuffle", downscale_factor=downscale_factor))


def _normalization(name: str, options: tuple[str, ...]):
    """``F.layer_norm``, ``F.group_norm``…: the input's shape (weights are passed in, so nothing to count)."""

    @op(name)
    def function(input, *args, **kwargs):
        _bind(name, options, args, kwargs)
        return tensor_arg(input, name)._like()

    function.__doc__ = f"``{name}(input, {', '.join(options)})``: same shape out; weights are the caller's."
    return function


# ----- shapes ---------------------------------------------------------------------------------------------
@op("torch.flatten")
def flatten(input, start_dim=0, end_dim=-1):
    """``torch.flatten(input, start_dim=0, end_dim=-1)``: note the default flattens the batch too."""
    return tensor_flatten(tensor_arg(input, "torch.flatten"), start_dim, end_dim)


def _method(name: str, method: str):
    @op(f"torch.{name}")
    def function(input, *args, **kwargs):
        return getattr(tensor_arg(input, f"torch.{name}"), method)(*args, **kwargs)

    function.__doc__ = f"``torch.{name}(input, …)``, as ``input.{method}(…)``."
    return function


@op("torch.cat")
def cat(tensors, dim=0):
    """``torch.cat(tensors, dim=0)``: sizes add up along ``dim``; every other dimension must agree."""
    items = list(tensors)
    if not items or not all(isinstance(t, Tensor) for t in items):
        raise TorchTypeError("cat(): expected a non-empty sequence of Tensors")
    first = items[0]
    axis = dim_index(dim, len(first._shape))
    total = 0
    for index, tensor in enumerate(items):
        if len(tensor._shape) != len(first._shape):
            raise shape_error(
                f"torch.cat: tensors must have the same number of dimensions: got {len(first._shape)} and "
                f"{len(tensor._shape)}",
                "rank",
            )
        for i, (a, b) in enumerate(zip(first._shape, tensor._shape)):
            if i != axis and a != b:
                recoverable(shape_error(
                    f"torch.cat: sizes of tensors must match except in dimension {axis}. Expected size {a} but got "
                    f"size {b} for tensor number {index} in the list (shapes {list(first._shape)} and "
                    f"{list(tensor._shape)})",
                    "channels",
                    hint="resize or crop one branch so every dimension but the joined one matches",
                ))
        total += tensor._shape[axis]
    kind = first._dtype
    for tensor in items[1:]:
        kind = promote(kind, tensor._dtype)
    result = Tensor._make(first._shape[:axis] + (total,) + first._shape[axis + 1 :], kind, first._device)
    result._sources = recorder.lineage(*items)
    return result


@op("torch.stack")
def stack(tensors, dim=0):
    """``torch.stack(tensors, dim=0)``: equal shapes, a new dimension at ``dim``."""
    items = list(tensors)
    if not items or not all(isinstance(t, Tensor) for t in items):
        raise TorchTypeError("stack(): expected a non-empty sequence of Tensors")
    for tensor in items:
        if tensor._shape != items[0]._shape:
            raise shape_error(
                f"torch.stack expects each tensor to be equal size, but got {list(items[0]._shape)} and "
                f"{list(tensor._shape)}",
                "channels",
            )
    first = items[0]
    axis = dim_index(dim, len(first._shape) + 1)
    return first._like(first._shape[:axis] + (len(items),) + first._shape[axis:], factors=None)


@op("torch.matmul")
def matmul(input, other):
    """``torch.matmul``: its multiply-accumulates are charged to the calling module."""
    return tensor_arg(input, "torch.matmul").__matmul__(tensor_arg(other, "torch.matmul"))


@op("torch.pow")
def pow(input, exponent, *, out=None):  # noqa: A001 - torch's name
    """``torch.pow(input, exponent)``: a tensor or a number on either side, broadcast."""
    if isinstance(input, Tensor):
        return input.__pow__(exponent)
    if isinstance(exponent, Tensor) and isinstance(input, (int, float)) and not isinstance(input, bool):
        kind = FLOAT32 if isinstance(input, float) and not exponent._dtype.is_floating_point else exponent._dtype
        return values.binary(exponent._like(dtype_=kind), input, exponent, operator.pow)
    raise TorchTypeError(f"pow(): argument 'input' must be Tensor or a number, not {type(input).__name__}")


@op("torch.addcmul")
def addcmul(input, tensor1, tensor2, *, value=1):
    """``torch.addcmul`` (and ``addcdiv``): ``input + value × tensor1 ⊙ tensor2``, broadcast."""
    tensors = [tensor_arg(t, "torch.addcmul") for t in (input, tensor1, tensor2)]
    shape = tensors[0]._shape
    for t in tensors[1:]:
        shape = broadcast(shape, t._shape)
    return tensors[0]._like(shape, factors=None) if shape != tensors[0]._shape else tensors[0]._like()


@op("F.grid_sample")
def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """``F.grid_sample``: ``(N, C, *grid's spatial sizes)``."""
    x, g = tensor_arg(input, "F.grid_sample"), tensor_arg(grid, "F.grid_sample")
    if len(g._shape) != len(x._shape) or g._shape[-1] != len(x._shape) - 2 or g._shape[0] != x._shape[0]:
        raise shape_error(f"grid_sample(): the grid {list(g._shape)} does not fit the input {list(x._shape)}; it "
                          f"should be (N, *out, {len(x._shape) - 2})", "reshape")
    return x._like(x._shape[:2] + tuple(g._shape[1:-1]), factors=None)


@op("torch.where")
def where(condition, input=None, other=None):
    """``torch.where(condition, input, other)``: the broadcast shape of the three."""
    shapes = [t._shape for t in (condition, input, other) if isinstance(t, Tensor)]
    shape = ()
    for s in shapes:
        shape = broadcast(shape, s)
    base = input if isinstance(input, Tensor) else condition
    return Tensor._make(shape, base._dtype, base._device)


@op("torch.einsum")
def einsum(equation, *operands):
    """``torch.einsum(equation, *operands)`` (or a list of operands): the shape and MACs of
    :func:`nncalc.layers.einsum.einsum_shape`, charged to the calling module."""
    from nncalc.layers.einsum import EinsumError, einsum_shape

    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str) or not operands or not all(isinstance(t, Tensor) for t in operands):
        raise TorchTypeError("einsum(): expected an equation string and Tensor operands")
    try:
        shape, macs = einsum_shape(equation, [t._shape for t in operands])
    except EinsumError as error:
        raise shape_error(str(error), "channels") from None
    recorder.note(macs)
    kind = operands[0]._dtype
    for tensor in operands[1:]:
        kind = promote(kind, tensor._dtype)
    return Tensor._make(shape, kind, operands[0]._device)


# ----- creation -------------------------------------------------------------------------------------------
def _factory(name: str, default=FLOAT32):
    @op(f"torch.{name}")
    def function(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
                 generator=None, memory_format=None, **keywords):
        if "size" in keywords and not size:  # torch.zeros(size=(2, 3))
            size = (keywords.pop("size"),)
        if keywords:
            raise TorchTypeError(f"{name}() got an unexpected keyword argument '{next(iter(keywords))}'")
        shape = sizes_arg(size, name)
        if any(s < 0 for s in shape):
            raise TorchValueError(f"Trying to create tensor with negative dimension: {list(shape)}")
        tensor = Tensor._make(shape, _dtype_arg(dtype, default), _device_arg(device))
        tensor.requires_grad = bool(requires_grad)
        return tensor

    function.__doc__ = f"``torch.{name}(*size, dtype=None, device=None, requires_grad=False)``: a symbolic tensor."
    return function


def _like(name: str):
    @op(f"torch.{name}")
    def function(input, *args, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
        x = tensor_arg(input, name)
        return Tensor._make(x._shape, dtype or x._dtype, x._device)

    function.__doc__ = f"``torch.{name}(input, dtype=None, …)``."
    return function


@op("torch.full")
def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, **kwargs):
    """``torch.full(size, fill_value)``."""
    default = FLOAT32 if isinstance(fill_value, float) else INT64 if isinstance(fill_value, int) else FLOAT32
    return Tensor._make(sizes_arg((size,), "full"), _dtype_arg(dtype, default), _device_arg(device))


@op("torch.randint")
def randint(*args, size=None, dtype=None, device=None, requires_grad=False, **kwargs):
    """``torch.randint(low=0, high, size)``: int64 by default."""
    if size is None:
        if not args or not isinstance(args[-1], (tuple, list)):
            raise TorchTypeError("randint() missing the size argument")
        size = args[-1]
    return Tensor._make(sizes_arg((size,), "randint"), _dtype_arg(dtype, INT64), _device_arg(device))


@op("torch.arange")
def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, **kwargs):
    """``torch.arange(start, end, step)``: a 1-D tensor of ``⌈(end − start) / step⌉`` elements."""
    if end is None:
        start, end = 0, start
    values = (start, end, step)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise TorchTypeError("arange(): start, end and step must be numbers known when reading the file")
    count = max(0, -(-(end - start) // step)) if step else 0
    if count == float("inf"):
        raise TorchValueError(f"arange(): the range from {start} to {end} by {step} has too many elements")
    count = int(count)
    floating = any(isinstance(v, float) for v in values)
    kind = _dtype_arg(dtype, FLOAT32 if floating else INT64)
    result = Tensor._make((count,), kind, _device_arg(device))
    if count <= MAX_KNOWN_VALUES:
        numbers = (start + i * step for i in range(count))
        with_values(result, numbers if kind.is_floating_point else (int(v) for v in numbers))
    return result


@op("F.linear")
def linear(input, weight, bias=None):
    """``F.linear(input, weight, bias=None)``: ``input @ weight.T (+ bias)`` with ``weight`` of shape
    ``(out_features, in_features)``; its MACs are charged to the calling module."""
    x, w = tensor_arg(input, "F.linear"), tensor_arg(weight, "F.linear")
    if len(w._shape) not in (1, 2) or not x._shape:
        raise TorchTypeError(f"F.linear(): weight must be 1-D or 2-D, got {list(w._shape)}")
    out_features, in_features = (w._shape if len(w._shape) == 2 else (None, w._shape[0]))
    if x._shape[-1] != in_features:
        raise shape_error(
            f"F.linear: mat1 and mat2 shapes cannot be multiplied ({x.numel() // x._shape[-1]}x{x._shape[-1]} and "
            f"{in_features}x{out_features or 1})",
            "channels",
        )
    rows = x.numel() // in_features if in_features else 0
    recorder.note(rows * in_features * (out_features or 1))
    shape = x._shape[:-1] + ((out_features,) if out_features is not None else ())
    return Tensor._make(shape, promote(x._dtype, w._dtype), x._device)


@op("F.bilinear")
def bilinear(input1, input2, weight, bias=None):
    """``F.bilinear(input1, input2, weight, bias=None)``: ``x1ᵀ W x2 (+ b)`` with ``weight`` of shape
    ``(out, in1, in2)``; its MACs are charged to the calling module."""
    from nncalc.frameworks.torch.linear import bilinear_shape
    from nncalc.layers.linear import BILINEAR, BilinearSpec

    x1, x2 = tensor_arg(input1, "F.bilinear"), tensor_arg(input2, "F.bilinear")
    w = tensor_arg(weight, "F.bilinear")
    if len(w._shape) != 3:
        raise shape_error(f"F.bilinear: weight must be 3-D (out, in1, in2), got {list(w._shape)}", "rank")
    spec = BilinearSpec(w._shape[1], w._shape[2], w._shape[0], bias is not None)
    shape = bilinear_shape(x1, x2, spec, Where("F.bilinear"))
    recorder.note(BILINEAR.macs(spec, x1._shape))
    return Tensor._make(shape, promote(x1._dtype, w._dtype), x1._device)


def _conv(rank: int):
    @op(f"F.conv{rank}d")
    def conv(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
        """``F.conv{n}d``: the shape of ``nn.Conv{n}d`` with this weight; MACs charged to the calling module."""
        from nncalc.frameworks.torch.rules import channels_first, channels_last, run_rule
        from nncalc.frameworks.torch.shapes import int_tuple_plain
        from nncalc.layers.conv import CONV, ConvSpec

        x, w = tensor_arg(input, f"F.conv{rank}d"), tensor_arg(weight, f"F.conv{rank}d")
        if len(w._shape) != rank + 2:
            raise TorchTypeError(f"F.conv{rank}d(): weight must be {rank + 2}-D, got {list(w._shape)}")
        out_channels, per_group, *kernel = w._shape
        pad = padding if isinstance(padding, str) else tuple((p, p) for p in int_tuple_plain(padding, rank))
        spec = ConvSpec(rank, per_group * groups, out_channels, tuple(kernel), int_tuple_plain(stride, rank), pad,
                        int_tuple_plain(dilation, rank), groups, bias is not None)
        batched = len(x._shape) == rank + 2
        channels = x._shape[1 if batched else 0]
        if channels != per_group * groups:
            raise shape_error(f"F.conv{rank}d: expected input to have {per_group * groups} channels, but got "
                              f"{channels} channels instead", "channels")
        out = run_rule(CONV, spec, channels_last(x._shape, batched))
        return Tensor._make(channels_first(out, batched), promote(x._dtype, w._dtype), x._device)

    return conv


conv1d, conv2d, conv3d = _conv(1), _conv(2), _conv(3)


@op("torch.meshgrid")
def meshgrid(*tensors, indexing=None):
    """``torch.meshgrid(a, b, indexing="ij")``: each input spread over the grid of all their lengths ("xy"
    swaps the first two axes)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors or not all(isinstance(t, Tensor) for t in tensors):
        raise TorchTypeError("meshgrid(): expected Tensors")
    sizes = [t.numel() for t in tensors]
    if indexing == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return tuple(t._like(tuple(sizes), factors=None) for t in tensors)


@op("torch.linspace")
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, **kwargs):
    """``torch.linspace(start, end, steps)``: ``steps`` evenly spaced numbers, which nncalc keeps, so that
    ``[x.item() for x in torch.linspace(0, rate, depth)]`` gives numbers (drop-path rates)."""
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TorchTypeError(f"linspace(): {name} must be a number known when reading the file")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
        raise TorchTypeError(f"linspace(): steps must be a non-negative int, got {steps!r}")
    result = Tensor._make((steps,), _dtype_arg(dtype, FLOAT32), _device_arg(device))
    if steps == 1:
        return with_values(result, (float(start),))
    if steps > MAX_KNOWN_VALUES:  # the shape is all nncalc needs of a long one
        return result
    return with_values(result, (start + (end - start) * i / (steps - 1) for i in range(steps)))


@op("torch.tensor")
def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """``torch.tensor(data)``: the shape of nested lists of numbers."""
    shape, item = [], data
    while isinstance(item, (list, tuple)):
        shape.append(len(item))
        item = item[0] if item else None
    default = FLOAT32 if isinstance(item, float) else INT64 if isinstance(item, int) else FLOAT32
    if isinstance(item, bool):
        from nncalc.frameworks.torch.dtypes import BOOL

        default = BOOL
    if isinstance(data, Tensor):
        return data._like(dtype_=dtype)
    result = Tensor._make(tuple(shape), _dtype_arg(dtype, default), _device_arg(device))
    if len(shape) <= 1 and all(isinstance(v, (int, float)) for v in (data if shape else [data])):
        with_values(result, data if shape else [data])
    return result


def _dtype_arg(value, default: dtype) -> dtype:
    if value is None:
        return default
    if isinstance(value, dtype):
        return value
    raise TorchTypeError(f"dtype must be a torch.dtype, got {value!r}")


def _device_arg(value) -> Device:
    if value is None:
        return CPU
    return value if isinstance(value, Device) else Device(value) if isinstance(value, str) else CPU


def functional_members() -> dict:
    """The members of ``torch.nn.functional``."""
    members: dict = {name: _elementwise(f"F.{name}", options) for name, options in ACTIVATIONS.items()}
    for name in ("softmax", "log_softmax", "softmin"):
        members[name] = _softmax_like(f"F.{name}")
    members.update({name: _loss(f"F.{name}") for name in LOSSES})
    members.update(affine_grid=affine_grid, linear_cross_entropy=linear_cross_entropy)
    members.update(linear=linear, bilinear=bilinear, conv1d=conv1d, conv2d=conv2d, conv3d=conv3d, grid_sample=grid_sample)
    from nncalc.frameworks.torch import indexing_ops

    members.update({name: op(f"F.{name}")(fn) for name, fn in indexing_ops.FUNCTIONAL.items()})
    members["dropout"] = _dropout("F.dropout")
    members["alpha_dropout"] = _dropout("F.alpha_dropout")
    members["dropout1d"] = _dropout("F.dropout1d", (2, 3))
    members["dropout2d"] = _dropout("F.dropout2d")
    members["dropout3d"] = _dropout("F.dropout3d")
    members["feature_alpha_dropout"] = _dropout("F.feature_alpha_dropout")
    for rank in (1, 2, 3):
        members[f"max_pool{rank}d"] = _max_pool(rank)
        members[f"avg_pool{rank}d"] = _avg_pool(rank)
        members[f"adaptive_avg_pool{rank}d"] = _adaptive("avg", rank)
        members[f"adaptive_max_pool{rank}d"] = _adaptive("max", rank)
        members[f"max_unpool{rank}d"] = _max_unpool(rank)
        members[f"lp_pool{rank}d"] = _lp_pool(rank)
        members[f"max_pool{rank}d_with_indices"] = _max_pool_with_indices(rank, False)
        members[f"adaptive_max_pool{rank}d_with_indices"] = _max_pool_with_indices(rank, True)
    for rank in (2, 3):
        members[f"fractional_max_pool{rank}d"] = _fractional_max_pool(rank, None)
        members[f"fractional_max_pool{rank}d_with_indices"] = _fractional_max_pool(rank, True)
    members["pad"] = pad
    members["interpolate"] = interpolate
    members["upsample"] = _upsample_alias("F.upsample", None, None)
    members["upsample_nearest"] = _upsample_alias("F.upsample_nearest", "nearest", None)
    members["upsample_bilinear"] = _upsample_alias("F.upsample_bilinear", "bilinear", True)
    members["pixel_shuffle"] = pixel_shuffle
    members["pixel_unshuffle"] = pixel_unshuffle
    members["channel_shuffle"] = members["native_channel_shuffle"] = channel_shuffle
    members["layer_norm"] = _normalization("F.layer_norm", ("normalized_shape", "weight", "bias", "eps"))
    members["group_norm"] = _normalization("F.group_norm", ("num_groups", "weight", "bias", "eps"))
    members["instance_norm"] = _normalization(
        "F.instance_norm", ("running_mean", "running_var", "weight", "bias", "use_input_stats", "momentum", "eps"))
    members["batch_norm"] = _normalization(
        "F.batch_norm", ("running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"))
    members["local_response_norm"] = _normalization("F.local_response_norm", ("size", "alpha", "beta", "k"))
    return members


def torch_members() -> dict:
    """The functions of ``torch`` (classes and dtypes are added by the namespace)."""
    members: dict = {name: _elementwise(f"torch.{name}") for name in TORCH_ELEMENTWISE}
    for name in ("softmax", "log_softmax"):
        members[name] = _softmax_like(f"torch.{name}")
    for name in ("reshape", "squeeze", "unsqueeze", "permute", "transpose", "t", "mean", "sum", "amax", "amin",
                 "argmax", "argmin", "max", "min", "std", "var", "prod", "norm", "add", "sub", "mul", "div", "divide",
                 "chunk", "split", "unbind", "maximum", "minimum", "swapaxes", "topk", "sort", "argsort",
                 "median", "tensor_split", "repeat_interleave"):
        members[name] = _method(name, name)
    members["meshgrid"] = meshgrid
    members.update(pow=pow, addcmul=addcmul, addcdiv=addcmul, unique=op("torch.unique")(values.unique),
                   diff=op("torch.diff")(values.diff), round=op("torch.round")(lambda input, **kw: input.round()))
    from nncalc.frameworks.torch import indexing_ops, math_ops

    for family in (indexing_ops, math_ops):
        members.update({name: op(f"torch.{name}")(method) for name, method in family.METHODS.items()})
        members.update({name: op(f"torch.{name}")(fn) for name, fn in family.FUNCTIONS.items()})
    members.update({name: _method(name, method) for name, method in math_ops.TORCH_ALIASES.items()})
    from nncalc.frameworks.torch.creation_ops import FUNCTIONS as CREATION
    from nncalc.frameworks.torch.tensor_extras import install

    for name, function in CREATION.items():
        members.setdefault(name, op(f"torch.{name}")(function))

    for name, function in install().items():
        members.setdefault(name, op(f"torch.{name}")(function))
    members.update(flatten=flatten, cat=cat, concat=cat, concatenate=cat, stack=stack, matmul=matmul, where=where,
                   einsum=einsum, full=full, randint=randint, arange=arange, linspace=linspace,
                   tensor=tensor, as_tensor=tensor)
    for name in ("zeros", "ones", "empty", "randn", "rand"):
        members[name] = _factory(name)
    for name in ("zeros_like", "ones_like", "empty_like", "randn_like", "rand_like", "full_like"):
        members[name] = _like(name)
    members["pixel_shuffle"] = pixel_shuffle
    members["pixel_unshuffle"] = pixel_unshuffle
    members["channel_shuffle"] = members["native_channel_shuffle"] = channel_shuffle
    from nncalc.frameworks.torch import distance

    members.update(distance.TORCH)
    members["numel"] = op("torch.numel")(lambda input: tensor_arg(input, "torch.numel").numel())
    members["is_tensor"] = op("torch.is_tensor")(lambda obj: isinstance(obj, Tensor))
    members["is_floating_point"] = op("torch.is_floating_point")(lambda input: input.is_floating_point())
    from nncalc.frameworks.torch.tensor_extras import imag, real

    members.update(real=op("torch.real")(real), imag=op("torch.imag")(imag))
    functional = functional_members()
    members.update({name: functional[name] for name in (
        "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "adaptive_avg_pool1d", "max_pool1d_with_indices",
        "feature_alpha_dropout", "rrelu_", "threshold_")})
    members.update(unflatten=_method("unflatten", "unflatten"), adaptive_max_pool1d=_max_pool_with_indices(1, True))
    from nncalc.frameworks.torch import inplace_ops, names

    inplace = inplace_ops.torch_inplace(members, names.TORCH_NAMES)
    members.update({name: op(f"torch.{name}")(fn) for name, fn in inplace.items()})
    inplace_ops.check_tensor_methods()
    return members


ON_DEMAND_FAMILIES = ("decompositions", "numeric_ops", "signal_ops")
"""Op families a file needs only now and then (``torch.qr``, ``torch.stft``, ``torch.polygamma``…): imported when a
file first uses one of their names, so that start-up does not grow with them."""
_FAMILY_MEMBERS: dict = {}


def load_families() -> bool:
    """Import :data:`ON_DEMAND_FAMILIES` (giving :class:`Tensor` their methods, checked in place as torch checks
    them); True when this call loaded them."""
    if _FAMILY_MEMBERS:
        return False
    import importlib

    from nncalc.frameworks.torch import inplace_ops, names

    for family in ON_DEMAND_FAMILIES:
        module = importlib.import_module(f"nncalc.frameworks.torch.{family}")
        _FAMILY_MEMBERS.update({name: op(f"torch.{name}")(fn) for name, fn in module.install().items()})
    inplace = inplace_ops.torch_inplace(_FAMILY_MEMBERS, names.TORCH_NAMES)  # torch.fill_ from fill …
    _FAMILY_MEMBERS.update({name: op(f"torch.{name}")(fn) for name, fn in inplace.items()
                            if name[:-1] in _FAMILY_MEMBERS})
    inplace_ops.check_tensor_methods()
    return True


def family_members() -> dict:
    """The ``torch`` functions of the on-demand families (loaded now if they were not)."""
    load_families()
    return _FAMILY_MEMBERS


values.install()
TENSOR_ON_DEMAND.append(load_families)
