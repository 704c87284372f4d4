"""The names each framework namespace of the coverage list holds, read from the installed frameworks.

A namespace's names are what a model file can reach through it:

* ``torch.nn``: the ``nn.Module`` subclasses; ``torch.nn.functional`` and ``torch``: the public functions
  (classes, dtypes, constants and submodules of ``torch`` are not ops); ``torch.Tensor``: its public methods
  and attributes and the operators it defines (``__add__``, ``__getitem__`` …, not those of ``object``);
* ``keras.layers``, ``keras.ops``, ``keras.activations``: every public name but submodules (``keras.ops.nn``);
  ``KerasTensor``: its public
  attributes and the operators it defines;
* ``tf``, ``tf.math``, ``tf.nn``, ``tf.random``, ``tf.linalg``, ``tf.image``, ``tf.signal`` (``TF_NAMESPACES``,
  walked apart, in an environment with TensorFlow): their public functions (classes, dtypes and submodules are not
  ops). These are the modules a ``tf.keras`` custom layer's ``call`` takes its ops from; ``tf.strings`` (text
  pre-processing before the model), ``tf.sparse`` and ``tf.ragged`` (tensor kinds nncalc does not model) are not
  walked.
"""

from __future__ import annotations

import inspect
import os
import types

os.environ.setdefault("KERAS_BACKEND", "torch")

TORCH_NAMESPACES = ("torch.nn", "torch.nn.functional", "torch", "torch.Tensor")
KERAS_NAMESPACES = ("keras.layers", "keras.ops", "keras.activations", "KerasTensor")
NAMESPACES = TORCH_NAMESPACES + KERAS_NAMESPACES
"""The namespaces of the test environment (torch, Keras 3 on torch)."""
TF_NAMESPACES = ("tf", "tf.math", "tf.nn", "tf.random", "tf.linalg", "tf.image", "tf.signal")
"""The namespaces walked in an environment with TensorFlow (``coverage_list.py --tf``)."""


def framework_of(namespace: str) -> str:
    """``"torch"``, ``"keras"`` or ``"tensorflow"``."""
    if namespace in TF_NAMESPACES:
        return "tensorflow"
    return "torch" if namespace in TORCH_NAMESPACES else "keras"


def namespace_object(namespace: str):
    """The module or class the namespace's names are attributes of."""
    if namespace == "KerasTensor":
        import keras

        return keras.KerasTensor
    if namespace == "torch.Tensor":
        import torch

        return torch.Tensor
    if namespace in TF_NAMESPACES:
        import tensorflow

        holder = tensorflow
        for part in namespace.split(".")[1:]:
            holder = getattr(holder, part)
        return holder
    import importlib

    return importlib.import_module(namespace)


def names(namespace: str) -> list[str]:
    """The sorted names of ``namespace`` in the installed framework (see the module docstring)."""
    holder = namespace_object(namespace)
    if namespace in ("torch.Tensor", "KerasTensor"):
        return sorted(n for n in dir(holder) if _class_member(holder, n))
    public = [n for n in dir(holder) if not n.startswith("_")]
    if namespace == "torch.nn":
        import torch

        return sorted(n for n in public if inspect.isclass(v := getattr(holder, n)) and issubclass(v, torch.nn.Module))
    if namespace in ("torch", "torch.nn.functional"):
        return sorted(n for n in public if _function(getattr(holder, n)))
    if namespace in TF_NAMESPACES:
        return sorted(n for n in public if callable(v := getattr(holder, n)) and not inspect.isclass(v)
                      and not isinstance(v, types.ModuleType))
    return sorted(n for n in public if not isinstance(getattr(holder, n), types.ModuleType))


def _function(value) -> bool:
    return (callable(value) and not inspect.isclass(value) and not isinstance(value, types.ModuleType)
            and (getattr(value, "__module__", None) or "torch").startswith("torch"))


def _class_member(cls: type, name: str) -> bool:
    if not name.startswith("_"):
        return True
    if not (name.startswith("__") and name.endswith("__")) or name in _CLASS_PROTOCOL:
        return False
    value = getattr(cls, name)
    return callable(value) and value is not getattr(object, name, None)


_CLASS_PROTOCOL = {"__init__", "__new__", "__init_subclass__", "__subclasshook__", "__class__"}
"""How a class is made and subclassed, not what its instances do."""
