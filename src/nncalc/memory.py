"""Memory estimates: parameter bytes by precision, activation bytes, and what inference and training need.

Assumptions, stated in every report that shows them:

- parameters take their precision's size (int4: two per byte);
- activations are kept at the compute precision: fp32 for fp32 weights, 16-bit otherwise (int8 / int4 are
  weight-only quantisation with 16-bit activations);
- training keeps every layer's output for the backward pass, one gradient per trainable parameter at the
  weights' precision, and the optimizer's state in fp32 (momentum: 1 value per trainable parameter, Adam and
  AdamW: 2); mixed precision adds an fp32 master copy of the weights and keeps 16-bit weights, gradients and
  activations;
- inference keeps the weights and, at the worst layer, that layer's inputs and outputs alive at once.
"""

from __future__ import annotations

from nncalc.errors import InputError
from nncalc.records import dataclass

PRECISIONS = {"fp32": 4.0, "fp16": 2.0, "bf16": 2.0, "int8": 1.0, "int4": 0.5}
ALIASES = {"float32": "fp32", "float": "fp32", "float16": "fp16", "half": "fp16", "bfloat16": "bf16"}
OPTIMIZER_STATES = {"sgd": 0, "momentum": 1, "adam": 2, "adamw": 2}


def precision_named(name: str | None) -> str:
    """``'float16'`` → ``'fp16'``; None → ``'fp32'``; an unknown name is an input error listing the known ones."""
    if name is None:
        return "fp32"
    key = ALIASES.get(name.lower(), name.lower())
    if key not in PRECISIONS:
        raise InputError(f"unknown precision {name!r}; use one of: {', '.join(PRECISIONS)}")
    return key


def activation_size(precision: str) -> int:
    """Bytes per activation value at this weight precision."""
    return 4 if precision == "fp32" else 2


def param_bytes(count: int, precision: str) -> int:
    """Exact bytes of ``count`` parameters: ``count × size`` (int4 rounds up to whole bytes)."""
    return -(-count // 2) if precision == "int4" else count * int(PRECISIONS[precision])


@dataclass(frozen=True)
class Memory:
    """The memory a model needs, in bytes, with the assumptions that produced the numbers."""

    precision: str
    optimizer: str
    mixed_precision: bool
    parameters: int
    activations: int | None  # None for --params-only: no forward pass, nothing known of activations
    inference: int | None
    gradients: int
    optimizer_state: int
    master_weights: int
    training: int | None


def estimate(
    total_params: int,
    trainable_params: int,
    activation_values: int,
    peak_layer_values: int,
    precision: str = "fp32",
    optimizer: str = "adam",
    mixed_precision: bool = False,
) -> Memory:
    """Inference and training estimates from the counts (values, not bytes) of a report."""
    if optimizer not in OPTIMIZER_STATES:
        raise InputError(f"unknown optimizer {optimizer!r}; use one of: {', '.join(OPTIMIZER_STATES)}")
    if mixed_precision and precision == "fp32":
        precision = "fp16"
    act = activation_size(precision)
    parameters = param_bytes(total_params, precision)
    gradients = param_bytes(trainable_params, precision)
    state = trainable_params * 4 * OPTIMIZER_STATES[optimizer]
    master = trainable_params * 4 if mixed_precision else 0
    activations = activation_values * act
    return Memory(
        precision=precision,
        optimizer=optimizer,
        mixed_precision=mixed_precision,
        parameters=parameters,
        activations=activations,
        inference=parameters + peak_layer_values * act,
        gradients=gradients,
        optimizer_state=state,
        master_weights=master,
        training=parameters + gradients + state + master + activations,
    )
