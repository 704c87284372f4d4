"""Live models: ``nncalc.summary(model, input_size=...)`` for a real ``torch.nn.Module`` or ``keras.Model``.

The drop-in for torchinfo's ``summary`` and Keras's ``model.summary()``: the same call, the same numbers, plus
nncalc's formulas and renderers. It needs the framework the model comes from (``pip install nncalc[torch]`` or
``nncalc[keras]``) and imports it only when called; ``import nncalc`` never does. PyTorch models run on fake
tensors (shapes without data), so neither weights nor activations are allocated: a model built on
``torch.device("meta")`` summarises at any size. Keras models are read from their built graph.
"""

from __future__ import annotations

import dataclasses
import sys

from nncalc.errors import InputError
from nncalc.report import Report, build_report

__all__ = ["summary", "framework_of"]

# torchinfo's column names → nncalc's (None: no column of its own; the formula shows the kernel)
TORCHINFO_COLUMNS = {"input_size": "input_shape", "output_size": "output_shape", "num_params": "params",
                     "params_percent": None, "kernel_size": None, "mult_adds": "macs", "trainable": "trainable"}


def summary(
    model,
    input_size=None,
    input_data=None,
    batch_size: int | None = None,
    depth: int | None = None,
    col_names=None,
    dtypes=None,
    verbose: int | None = None,
    *,
    mode: str = "eval",
    real: bool = False,
    precision: str | None = None,
    optimizer: str = "adam",
    mixed_precision: bool = False,
    **kwargs,
) -> Report:
    """Summarise a live PyTorch or Keras model: per layer the output shape, the parameters with their formula,
    the MACs; then the totals. Keyword names and meanings follow torchinfo's ``summary`` where they overlap.

    Args:
        model: a ``torch.nn.Module`` or a ``keras.Model``.
        input_size: the input's shape WITH its batch, e.g. ``(1, 3, 224, 224)``; a list of shapes for several
            inputs. PyTorch: needed for shapes and MACs (without it only the parameters are shown). Keras:
            only for a Sequential model that has no input shape yet (``(None, 28, 28, 1)``); it is then built.
        input_data: PyTorch only: the forward's arguments instead of ``input_size`` (a tensor, a list of
            arguments, or a dict of keyword arguments); only their shapes and dtypes are used.
        batch_size: replaces the batch dimension (PyTorch) or fills in Keras's unknown batch (``None``), which
            also scales the MACs.
        depth: rows nested deeper than this are not shown when printed (containers above show subtotals);
            the report keeps every row. Default: every row, as ``nncalc summary`` shows them (torchinfo's
            default is 3: pass ``depth=3`` for its view).
        col_names: the table's columns, torchinfo's names (``"input_size"``, ``"output_size"``,
            ``"num_params"``, ``"mult_adds"``, ``"trainable"``; ``"kernel_size"`` and ``"params_percent"``
            have no column of their own) or nncalc's (``"input_shape"``, ``"output_shape"``, ``"params"``,
            ``"formula"``, ``"macs"``, ``"flops"``, ``"activations"``, ``"trainable"``). The formula column is
            added to torchinfo's names. Default: output shape, parameters, formula.
        dtypes: the input dtypes for ``input_size`` (``torch.long`` or ``"int64"`` for token indices), one per
            input or one for all; float32 by default.
        verbose: 0 prints nothing, 1 prints the table (to ``depth``), 2 prints every row. The default is 1 in a
            script and 0 in an interactive session or notebook, where the returned report displays itself
            (as an HTML table in Jupyter), as torchinfo does.
        mode: ``"eval"`` (default) or ``"train"``: the mode the PyTorch model runs in; each module's own mode
            is restored afterwards.
        real: PyTorch only: run a real forward on zeros where the model lives instead of fake tensors, for a
            forward whose control flow depends on tensor values (this allocates the activations).
        precision, optimizer, mixed_precision: shape the memory estimates as in :func:`nncalc.analyze`; the
            precision defaults to the weights' own dtype.
        **kwargs: further keyword arguments of the PyTorch model's ``forward``.

    Returns:
        The same :class:`~nncalc.report.Report` that :func:`nncalc.analyze` returns for a file.

    Raises:
        NncalcError: for a value nncalc cannot take (an unknown object, a bad ``input_size``) or a forward that
            fails, with the reason and the fix.
    """
    columns = _columns(col_names)
    if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 0):
        raise InputError(f"depth must be a whole number ≥ 0 (or None: every row), got {depth!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1):
        raise InputError(f"batch_size must be a positive whole number, got {batch_size!r}")
    framework = framework_of(model)
    if framework == "keras":
        if input_data is not None or kwargs:
            raise InputError("input_data and forward keyword arguments are for PyTorch models; a Keras model "
                             "takes its shapes from its own inputs (or input_size)")
        from nncalc.live.keras_adapter import keras_graph

        graph = keras_graph(model, input_size, batch_size, dtypes)
    else:
        from nncalc.live.torch_adapter import torch_graph

        graph = torch_graph(model, input_size, input_data, batch_size, dtypes, mode, real, kwargs)
    report = build_report(graph, precision or _weights_precision(graph), optimizer, mixed_precision)
    report = dataclasses.replace(report, display_depth=depth, display_columns=columns)
    level = _verbosity(verbose)
    if level:
        from nncalc.render.table import print_table

        print_table(report, depth=None if level == 2 else depth, columns=report._columns())
    return report


def framework_of(model) -> str:
    """``"keras"`` for a Keras model, ``"pytorch"`` for a torch module (checked in that order: on the torch
    backend every Keras layer is also a torch module); anything else is an :class:`InputError`."""
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(model, keras.layers.Layer):
        if not isinstance(model, keras.Model):
            raise InputError(f"{type(model).__name__} is a Keras layer, not a model",
                             hint="wrap it: keras.Sequential([keras.Input(shape=...), layer])")
        return "keras"
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(model, torch.nn.Module):
        return "pytorch"
    if isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
        raise InputError("summary() takes a live model object; for a file use nncalc.analyze(path)")
    raise InputError(f"summary() takes a torch.nn.Module or a keras.Model, got {type(model).__name__}")


def _columns(col_names) -> tuple[str, ...] | None:
    """nncalc's column names for torchinfo's (or nncalc's own) ``col_names``; None for the default."""
    from nncalc.render import COLUMNS

    if col_names is None:
        return None
    if isinstance(col_names, str):
        col_names = [col_names]
    columns: list[str] = []
    torchinfo_only = True
    for name in col_names:
        if name in TORCHINFO_COLUMNS:
            mapped = TORCHINFO_COLUMNS[name]
        elif name in COLUMNS:
            mapped, torchinfo_only = name, False
        else:
            known = ", ".join(dict.fromkeys([*TORCHINFO_COLUMNS, *COLUMNS]))
            raise InputError(f"unknown column {name!r}; choose from: {known}")
        if mapped is not None and mapped not in columns:
            columns.append(mapped)
    if torchinfo_only and "formula" not in columns:
        columns.append("formula")
    return tuple(columns)


def _verbosity(verbose) -> int:
    if verbose is None:
        return 0 if getattr(sys, "ps1", None) or _in_notebook() else 1
    if verbose not in (0, 1, 2):
        raise InputError(f"verbose must be 0 (quiet), 1 (table) or 2 (every row), got {verbose!r}")
    return verbose


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        return shell.get_ipython() is not None
    except Exception:
        return False


_PRECISIONS = {"float32": "fp32", "float16": "fp16", "bfloat16": "bf16", "int8": "int8", "qint8": "int8"}


def _weights_precision(graph) -> str | None:
    """The precision most parameters are stored in, when nncalc's memory model knows it."""
    counts: dict[str, int] = {}
    for weight in graph.root.all_weights():
        if weight.is_param:
            counts[weight.dtype] = counts.get(weight.dtype, 0) + weight.numel
    if not counts:
        return None
    return _PRECISIONS.get(max(counts, key=counts.get))
