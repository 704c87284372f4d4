"""Shared by the drivers: execute a model file for real and take its model, as a user's script would.

Snippet files without imports get the usual framework names, as nncalc's snippet mode does.
"""

from __future__ import annotations

import os
import sys
import types

os.environ.setdefault("KERAS_BACKEND", "torch")


def load_model(path: str, framework: str, model_name: str | None = None):
    """Run ``path``; return ``model_name`` (built when it is a class or function) or the last model instance."""
    source = open(path, encoding="utf-8").read()
    module = types.ModuleType("benchmark_model")  # a registered module: @dataclass looks its module up
    module.__file__ = path
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    if "import " not in source:
        if framework == "keras":
            import keras
            from keras import layers

            namespace.update({name: getattr(layers, name) for name in dir(layers) if name[:1].isupper()})
            namespace.update(keras=keras, layers=layers, Sequential=keras.Sequential, Model=keras.Model)
        else:
            import torch
            import torch.nn.functional as F
            from torch import nn

            namespace.update(torch=torch, nn=nn, F=F)
    exec(compile(source, path, "exec"), namespace)
    if framework == "keras":
        import keras

        kind = keras.Model
    else:
        import torch

        kind = torch.nn.Module
    if model_name:
        value = namespace[model_name]
        return value if isinstance(value, kind) else value()
    return [v for v in namespace.values() if isinstance(v, kind)][-1]
