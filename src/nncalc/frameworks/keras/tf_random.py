"""``tf.random``'s samplers: a tensor of the requested ``shape`` (a ``None`` from ``tf.shape(x)[0]`` stays unknown),
with the distribution's parameters' shape appended where TensorFlow appends it (``gamma``, ``poisson``), and
TensorFlow's default dtypes (``float32``; ``categorical``'s ``int64``; ``stateless_poisson``'s ``int32``)."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import unknown_layer
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.frameworks.keras.tf_base import broadcast, dtype_name, dtype_of, shape_of, static_ints, tensor


def _shape(shape, op: str) -> tuple:
    if isinstance(shape, KerasTensor):
        if len(shape.shape) != 1 or shape.shape[0] is None:
            raise unknown_layer(f"tf.random.{op} with a shape computed from a tensor's values")
        return (None,) * shape.shape[0]
    return tuple(static_ints(shape, f"random.{op}", "shape"))


def sampler(op: str):
    def rule(shape, *args, dtype="float32", **kwargs):
        return tensor(_shape(shape, op), dtype_name(dtype))

    return rule


def with_parameters(op: str, names: tuple, default: str):
    """``shape`` followed by the broadcast shape of the distribution's parameters (``gamma``, ``poisson``)."""

    def rule(shape, *args, dtype=None, **kwargs):
        values = dict(zip(names, args))
        values.update({k: v for k, v in kwargs.items() if k in names})
        extra = broadcast(op, [shape_of(v, op) for k, v in values.items() if v is not None and k != "seed"])
        return tensor((*_shape(shape, op), *extra), dtype_name(dtype, default))

    return rule


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    batch = shape_of(logits, "categorical")[0]
    return tensor((batch, num_samples), dtype_name(dtype, "int64"))


def stateless_categorical(logits, num_samples, seed, dtype="int64", name=None):
    return categorical(logits, num_samples, dtype)


def stateless_binomial(shape, seed, counts, probs, output_dtype="int32", name=None):
    return tensor(_shape(shape, "stateless_binomial"), dtype_name(output_dtype))


def stateless_poisson(shape, seed, lam, dtype="int32", name=None):
    return tensor(_shape(shape, "stateless_poisson"), dtype_name(dtype))


def stateless_gamma(shape, seed, alpha, beta=None, dtype="float32", name=None):
    return tensor(_shape(shape, "stateless_gamma"), dtype_name(dtype))


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0,
                                             name=None):
    return tensor(_shape(shape, "stateless_parameterized_truncated_normal"), dtype_of([means, stddevs, minvals,
                                                                                       maxvals]))


def shuffle(value, seed=None, name=None):
    return tensor(shape_of(value, "shuffle"), dtype_of([value]))


def rules() -> dict:
    """Every sampler of ``tf.random`` by its name."""
    table = {name: sampler(name) for name in ("normal", "uniform", "truncated_normal", "stateless_normal",
                                              "stateless_uniform", "stateless_truncated_normal")}
    table.update(gamma=with_parameters("gamma", ("alpha", "beta"), "float32"),
                 poisson=with_parameters("poisson", ("lam",), "float32"), categorical=categorical,
                 stateless_categorical=stateless_categorical, stateless_binomial=stateless_binomial,
                 stateless_poisson=stateless_poisson, stateless_gamma=stateless_gamma,
                 stateless_parameterized_truncated_normal=stateless_parameterized_truncated_normal, shuffle=shuffle)
    return table
