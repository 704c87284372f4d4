"""The shapes of the datasets scripts load by name. nncalc never downloads or reads them; it knows their
shapes (from the frameworks' documentation, checked against the real loaders), so a model that takes its
input size from the data (``keras.Input(shape=x_train.shape[1:])``) still reads, and says so in a note.
"""

from __future__ import annotations

KERAS = {
    # name: ((x_train, y_train), (x_test, y_test)) as (shape, dtype)
    "mnist": ((((60000, 28, 28), "uint8"), ((60000,), "uint8")), (((10000, 28, 28), "uint8"), ((10000,), "uint8"))),
    "fashion_mnist": (
        (((60000, 28, 28), "uint8"), ((60000,), "uint8")), (((10000, 28, 28), "uint8"), ((10000,), "uint8"))
    ),
    "cifar10": (
        (((50000, 32, 32, 3), "uint8"), ((50000, 1), "uint8")), (((10000, 32, 32, 3), "uint8"), ((10000, 1), "uint8"))
    ),
    "cifar100": (
        (((50000, 32, 32, 3), "uint8"), ((50000, 1), "int64")), (((10000, 32, 32, 3), "uint8"), ((10000, 1), "int64"))
    ),
    "imdb": ((((25000,), "object"), ((25000,), "int64")), (((25000,), "object"), ((25000,), "int64"))),
    "reuters": ((((8982,), "object"), ((8982,), "int64")), (((2246,), "object"), ((2246,), "int64"))),
    "boston_housing": ((((404, 13), "float64"), ((404,), "float64")), (((102, 13), "float64"), ((102,), "float64"))),
    "california_housing": (
        (((16512, 8), "float64"), ((16512,), "float32")), (((4128, 8), "float64"), ((4128,), "float32"))
    ),
}
"""``keras.datasets.<name>.load_data()`` with its default arguments."""

VARIABLE_LENGTH = {"imdb", "reuters"}
"""Datasets of token sequences: ``maxlen=`` drops the longer ones, so the number of samples is unknown."""

SPLIT = {"reuters": 11228, "boston_housing": 506, "california_housing": 20640}
"""Datasets whose ``test_split=`` argument changes the sizes: the total number of samples."""


def keras_load_data(name: str, kwargs: dict):
    """``((x_train, y_train), (x_test, y_test))`` as placeholders of the right shapes."""
    from nncalc.interpreter import note
    from nncalc.interpreter.numpy_shapes import Placeholder
    from nncalc.interpreter.unknown import Unknown

    qualname = f"keras.datasets.{name}.load_data()"
    reason = f"the {name} dataset, whose shapes nncalc knows but whose values it never loads"
    parts = KERAS[name]
    sizes = None
    if name in SPLIT and "test_split" in kwargs:
        total = SPLIT[name]
        train = int(total * (1 - kwargs["test_split"]))
        sizes = (train, total - train)
    out = []
    for split, (x, y) in enumerate(parts):
        pair = []
        for which, (shape, dtype) in enumerate((x, y)):
            if sizes is not None:
                shape = (sizes[split],) + shape[1:]
            if name in VARIABLE_LENGTH and kwargs.get("maxlen") is not None:
                shape = (Unknown(f"{qualname}[{split}][{which}].shape[0]", reason="the number of sequences no "
                                 "longer than maxlen, which nncalc does not count"),) + shape[1:]
            pair.append(Placeholder(f"{qualname}[{split}][{which}]", shape, dtype, reason))
        out.append(tuple(pair))
    shape = " × ".join(str(d) for d in out[0][0].shape[1:])
    note(f"keras.datasets.{name}: nncalc knows its shapes (x_train {out[0][0].shape}; one sample {shape}) and never "
         "loads the data")
    return tuple(out)


def to_categorical(x, num_classes=None):
    """``keras.utils.to_categorical``: one column per class (a trailing axis of 1 is replaced)."""
    from nncalc.interpreter.numpy_shapes import Placeholder
    from nncalc.interpreter.unknown import Unknown

    if not isinstance(x, Placeholder) or num_classes is None or isinstance(num_classes, Unknown):
        what = "the number of classes" if num_classes is None else "its input"
        return Unknown("keras.utils.to_categorical(...)", reason=f"an array whose {what} nncalc does not know")
    shape = x.shape[:-1] if x.shape and x.shape[-1] == 1 and len(x.shape) > 1 else x.shape
    return x._like(f"to_categorical({x._ref()}, ...)", shape + (num_classes,), "float64")


def pad_sequences(sequences, maxlen=None, dtype="int32", **kwargs):
    """``keras.utils.pad_sequences``: ``(number of sequences, maxlen)``."""
    from nncalc.interpreter.numpy_shapes import Placeholder
    from nncalc.interpreter.unknown import Unknown

    if not isinstance(sequences, Placeholder) or maxlen is None or isinstance(maxlen, Unknown):
        return Unknown("keras.utils.pad_sequences(...)", reason="padded sequences whose length nncalc does not know "
                       "(pass maxlen=)")
    return sequences._like(f"pad_sequences({sequences._ref()}, ...)", (sequences.shape[0], maxlen), str(dtype))
