"""Element-wise layers without weights: activations and dropout. The output shape is the input shape."""

from __future__ import annotations

from nncalc.errors import ShapeError

ACTIVATIONS = frozenset(
    {
        "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "swish", "mish",
        "sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "tanh", "softmax", "log_softmax", "softplus",
        "softsign", "exponential", "glu", "hard_tanh", "sparse_plus", "squareplus", "tanh_shrink", "threshold",
        "sparsemax", "soft_shrink", "hard_shrink", "log_sigmoid", "sparse_sigmoid",
    }
)


def check_activation(name) -> str | None:
    """A Keras-style activation name (or None); an unknown name is an error that lists the known ones."""
    if name is None or callable(name) and not isinstance(name, str):
        return None if name is None else getattr(name, "name", "custom")
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ShapeError(
            f"Could not interpret activation function identifier: {name!r}",
            hint="use one of: " + ", ".join(sorted(ACTIVATIONS)),
        )
    return name


def check_rate(rate) -> float:
    """Dropout rate in [0, 1)."""
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ShapeError(f"dropout rate must be a number between 0 and 1. Received: rate={rate!r}")
    return float(rate)
