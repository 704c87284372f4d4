"""Subclassed Keras models (``class Net(keras.Model)`` with a ``call``): no graph to read, so the model is
called once on a symbolic input (``compute_output_spec``: Keras's own shape inference, on the ``meta`` device
under the torch backend) while every layer's ``call`` is watched, giving each layer call its input and output
shapes in the order the calls start.
"""

from __future__ import annotations

from nncalc.errors import InputError


def ensure_built(model, keras, input_size, batch_size, dtypes, notes: list[str]) -> tuple:
    """The input shape to run ``model`` on (batch first); an unbuilt model is built on it, as on its first call."""
    shape = tuple(input_size) if input_size is not None else _known_input_shape(model)
    if shape is None:
        raise InputError(
            f"the subclassed model '{model.name}' has no input shape yet",
            hint="pass input_size=(None, …), or call the model (or model.build(...)) once before summarising it",
        )
    if not model.built:
        try:
            model(keras.KerasTensor(_concrete(shape, batch_size), dtype=_dtype(dtypes)))
        except Exception as error:
            raise _call_error(model, shape, error) from error
        notes.append(f"built on input shape {shape} (Keras builds a subclassed model on its first call)")
    return shape


def record_calls(model, keras, builder, shape: tuple, dtypes):
    """Add the calls of one symbolic run of ``model`` on ``shape`` to ``builder``; return (input shapes, output
    shapes)."""
    concrete = _concrete(shape, builder.batch)
    unbatch = builder.batch is None and (not shape or shape[0] is None)
    fix = (lambda s: _unbatched(s, concrete[0])) if unbatch else tuple
    output = _watched_run(model, keras, builder, lambda: model.compute_output_spec(
        keras.KerasTensor(concrete, dtype=_dtype(dtypes))), fix, None, lambda error: _call_error(model, shape, error))
    outputs = [fix(_shape(t)) for t in keras.tree.flatten(output)]
    return [fix(concrete)], outputs


def record_layer_calls(layer, keras, builder, arguments, parent_call) -> None:
    """Add the calls a user's layer makes inside a functional model (its ``call`` is not part of the model's
    graph) under ``parent_call``: the layer run once on its call's arguments, the unknown batch made concrete."""
    batch = builder.batch or 1

    def concrete(value):
        if isinstance(value, keras.KerasTensor) and value.shape and value.shape[0] is None:
            return keras.KerasTensor((batch, *value.shape[1:]), dtype=value.dtype)
        return value

    args, kwargs = arguments.convert(concrete)
    kwargs.pop("mask", None)
    fix = (lambda s: _unbatched(s, batch)) if builder.batch is None else tuple
    try:
        _watched_run(layer, keras, builder, lambda: layer.compute_output_spec(*args, **kwargs), fix, parent_call,
                     None)
    except Exception:  # noqa: BLE001 - Keras cannot rerun it on its own: the layer stays one row, its calls unseen
        return


def _watched_run(owner, keras, builder, run, fix, parent_call, error_of):
    """``run()`` with every layer below ``owner`` watched; their calls added to ``builder`` in the order they
    start, under ``parent_call``."""
    layers = _watchable(owner, keras, builder)
    events: list[dict] = []
    stack: list[dict] = []
    for layer in layers:
        object.__setattr__(layer, "call", _watched(layer, layer.call, events, stack, keras))
    try:
        output = run()
    except Exception as error:
        if error_of is None:
            raise
        raise error_of(error) from error
    finally:
        for layer in layers:
            layer.__dict__.pop("call", None)
    made = {}
    for event in events:
        parent = made.get(id(event["parent"])) if event["parent"] is not None else parent_call
        parent_node = parent.node if parent is not None else builder.root
        made[id(event)] = builder.add_call(event["layer"], [fix(s) for s in event["inputs"]], event["dtypes"],
                                           [fix(s) for s in event["outputs"]], parent_node, parent)
    return output


def _watchable(owner, keras, builder) -> list:
    """The layers below ``owner`` whose calls are rows: not the inner parts of Keras's own layers (an LSTM's
    cell, a MultiHeadAttention's projections), which the layer's own row covers."""
    found: dict[int, object] = {}
    pending = list(owner._flatten_layers(include_self=False, recursive=False))
    while pending:
        layer = pending.pop()
        if id(layer) in found:
            continue
        found[id(layer)] = layer
        if builder.is_container(layer):
            pending.extend(layer._flatten_layers(include_self=False, recursive=False))
    return list(found.values())


def _watched(layer, call, events, stack, keras):
    def watched(*args, **kwargs):
        tensors = [a for a in keras.tree.flatten(args) if hasattr(a, "shape") and hasattr(a, "dtype")]
        event = {"layer": layer, "inputs": [_shape(t) for t in tensors],
                 "dtypes": [keras.backend.standardize_dtype(t.dtype) for t in tensors], "outputs": [],
                 "parent": stack[-1] if stack else None}
        events.append(event)
        stack.append(event)
        try:
            result = call(*args, **kwargs)
        except BaseException:
            stack.pop()
            if not stack:  # Keras abandons this pass (and retries off the meta device): forget it
                events.clear()
            raise
        stack.pop()
        event["outputs"] = [_shape(t) for t in keras.tree.flatten(result) if hasattr(t, "shape")]
        return result

    return watched


def _concrete(shape: tuple, batch_size) -> tuple:
    """The run's input: the batch given, else the shape's own, else 1 (an unknown batch is shown as None)."""
    batch = batch_size or (shape[0] if shape and shape[0] is not None else 1)
    return (batch, *shape[1:])


def _call_error(model, shape, error) -> InputError:
    return InputError(f"the model '{model.name}' cannot be called on an input of shape {shape}: "
                      f"{type(error).__name__}: {error}")


def _shape(tensor) -> tuple:
    return tuple(None if d is None else int(d) for d in tensor.shape)


def _unbatched(shape: tuple, batch: int) -> tuple:
    """The run used a concrete batch; Keras shows an unknown one."""
    return (None, *shape[1:]) if shape and shape[0] == batch else tuple(shape)


def _known_input_shape(model):
    shapes = getattr(model, "_build_shapes_dict", None)
    if isinstance(shapes, dict) and len(shapes) == 1:
        value = next(iter(shapes.values()))
        if isinstance(value, (tuple, list)) and value and all(d is None or isinstance(d, int) for d in value):
            return (None, *value[1:])  # the batch of whatever call built it is not the model's
    return None


def _dtype(dtypes) -> str:
    if dtypes is None:
        return "float32"
    kind = dtypes[0] if isinstance(dtypes, (list, tuple)) else dtypes
    return str(getattr(kind, "name", kind)).removeprefix("torch.")
