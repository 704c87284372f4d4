"""A layer given to another layer in a rule row (Keras's ``Bidirectional(LSTM(…))``, torch's
``TransformerEncoder(TransformerEncoderLayer(…), …)``), made with each framework's namespace in turn."""

from __future__ import annotations


class Inner:
    """``namespace.<layer>(*args, **kwargs)`` for the ``namespace`` (``keras.layers``, ``torch.nn``) given."""

    def __init__(self, layer, *args, **kwargs):
        self.layer, self.args, self.kwargs = layer, args, kwargs

    def __repr__(self) -> str:
        shown = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.layer}({','.join(shown)})"

    def make(self, namespace):
        return getattr(namespace, self.layer)(*made(self.args, namespace), **self.kwargs)


def made(args: tuple, namespace) -> tuple:
    """``args`` with every :class:`Inner` (also inside lists) made in ``namespace``."""
    return tuple(a.make(namespace) if isinstance(a, Inner) else list(made(tuple(a), namespace))
                 if isinstance(a, list) else a for a in args)


def built(namespace, layer: str, args: tuple, kwargs: dict):
    """``namespace.<layer>(*args, **kwargs)`` with every :class:`Inner` among them made in ``namespace``."""
    return getattr(namespace, layer)(*made(args, namespace), **dict(zip(kwargs, made(tuple(kwargs.values()),
                                                                                        namespace))))
