"""Stand-ins and guards for ``script_oracle.py``: what a script sees when the oracle runs it.

* :class:`StandIn` / :class:`StandInModule`: a module that is not installed (tensorflow, matplotlib, pandas…) and
  everything derived from it; :class:`MissingArgument`: a required command-line option nobody passed;
* :func:`install_guards`: patches the (forked, throw-away) process so that nothing writes to disk, reaches the
  network or runs a program, neutralises training and I/O, replaces dataset loaders by zero arrays and makes
  ``argparse`` give its defaults;
* :func:`make_importer`: the ``__import__`` a script gets (tensorflow and torchvision stand-ins, a stand-in for
  any missing top-level module).
"""

from __future__ import annotations

import builtins
import importlib
import io
import os
import subprocess
import types

SAMPLES = 8
"""Samples per split of a stand-in dataset: shapes per sample are real; the count only costs memory."""


class Blocked(PermissionError):
    """Raised instead of writing to disk, reaching the network or running a program."""


class StandIn:
    """A value from something that is not installed or not run: absorbs attributes, calls, indexing and
    arithmetic; a use that needs the real value (truth, ``len``, iteration, ``int``) raises ``TypeError``."""

    __slots__ = ("_name",)

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def _derive(self, suffix: str) -> "StandIn":
        return StandIn(self._name + suffix)

    def _needs(self, what: str):
        raise TypeError(f"{what} of the stand-in {self._name} needs a real value")

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._derive(f".{name}")

    def __setattr__(self, name, value):
        pass

    def __call__(self, *args, **kwargs):
        return self._derive("(...)")

    def __getitem__(self, key):
        return self._derive("[...]")

    def __setitem__(self, key, value):
        pass

    def __iter__(self):
        self._needs("iterating")

    def __len__(self):
        self._needs("len()")

    def __bool__(self):
        self._needs("a truth test")

    def __contains__(self, item):
        self._needs("`in`")

    def __index__(self):
        self._needs("an index")

    def __int__(self):
        self._needs("int()")

    def __float__(self):
        self._needs("float()")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __mro_entries__(self, bases):
        return (object,)

    def __repr__(self):
        return f"<stand-in {self._name}>"

    __str__ = __repr__

    def __format__(self, spec):
        return repr(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    __hash__ = object.__hash__


def _arithmetic(name):
    def op(self, *args):
        return self._derive(f" {name} ...")

    return op


for _op in ("add sub mul truediv floordiv mod pow matmul lshift rshift and or xor lt le gt ge neg pos abs invert "
            "radd rsub rmul rtruediv rfloordiv rmod rpow rmatmul rand ror rxor").split():
    setattr(StandIn, f"__{_op}__", _arithmetic(_op))


class StandInModule(types.ModuleType):
    """A module that is not installed: every attribute is a stand-in."""

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return StandIn(f"{self.__name__}.{name}")


class MissingArgument(StandIn):
    """A required command-line option nobody passed: raises on ANY use (nncalc: an unknown)."""

    __slots__ = ()

    def _derive(self, suffix):
        self._needs("using")

    def __eq__(self, other):
        self._needs("comparing")

    def __ne__(self, other):
        self._needs("comparing")

    __hash__ = object.__hash__

    def __enter__(self):
        self._needs("using")


# ----- the child: guards, stand-ins, execution -----------------------------------------------------------


def _blocked(what: str):
    def refuse(*args, **kwargs):
        raise Blocked(f"the script oracle blocks {what}")

    return refuse


def _returns_stand_in(what: str):
    def stand_in(*args, **kwargs):
        return StandIn(what)

    return stand_in


def install_guards() -> None:
    """Patch this (forked, throw-away) process so that nothing writes, connects or runs a program."""
    import shutil
    import socket
    import urllib.request

    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if not isinstance(file, int) and any(flag in mode for flag in "wax+"):  # an open descriptor is no new file
            raise Blocked(f"the script oracle blocks open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    builtins.open = read_only_open
    io.open = read_only_open
    real_os_open = os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def read_only_os_open(path, flags, *args, **kwargs):
        if flags & write_flags:
            raise Blocked(f"the script oracle blocks os.open({path!r}) for writing")
        return real_os_open(path, flags, *args, **kwargs)

    os.open = read_only_os_open
    for name in ("mkdir makedirs remove unlink rmdir removedirs rename renames replace symlink link chmod chown "
                 "truncate system popen kill killpg execv execve execvp execvpe spawnv spawnve spawnvp startfile"
                 ).split():
        if hasattr(os, name):
            setattr(os, name, _blocked(f"os.{name}"))
    for name in ("copy copy2 copyfile copytree move rmtree make_archive unpack_archive").split():
        setattr(shutil, name, _blocked(f"shutil.{name}"))
    subprocess.Popen = _blocked("running programs")
    for name in "run call check_call check_output getoutput getstatusoutput".split():
        setattr(subprocess, name, _blocked("running programs"))
    socket.socket.connect = _blocked("the network")
    socket.socket.connect_ex = _blocked("the network")
    socket.socket.sendto = _blocked("the network")
    socket.create_connection = _blocked("the network")
    socket.getaddrinfo = _blocked("the network")
    urllib.request.urlopen = _blocked("the network")
    urllib.request.urlretrieve = _blocked("the network")
    _guard_numpy()
    _guard_torch()
    _guard_keras()
    _guard_argparse()


def _guard_numpy() -> None:
    import numpy as np

    for name in ("save", "savez", "savez_compressed", "savetxt", "load", "loadtxt", "genfromtxt", "fromfile"):
        setattr(np, name, _blocked(f"numpy.{name}"))


def _guard_torch() -> None:
    import torch
    import torch.utils.data

    torch.save = _blocked("torch.save")
    torch.load = _blocked("torch.load")
    torch.hub.load = _blocked("torch.hub")
    torch.hub.load_state_dict_from_url = _blocked("torch.hub")
    torch.hub.download_url_to_file = _blocked("torch.hub")
    torch.jit.save = _blocked("torch.jit.save")
    torch.onnx.export = _blocked("torch.onnx.export")

    def no_data(self):
        raise TypeError("iterating a DataLoader needs real data (neutralised by the script oracle)")

    torch.utils.data.DataLoader.__iter__ = no_data


PRETRAINED = "<pretrained weights: not downloaded by the script oracle>"
"""The path ``keras.applications`` builders get for their ImageNet weights: loading it leaves the weights as
built (as nncalc, where ``get_file`` is an unknown path and ``load_weights`` a no-op)."""


def _load_weights(self, filepath, *args, **kwargs):
    if filepath != PRETRAINED:
        raise Blocked("the script oracle blocks Model.load_weights")


def _guard_keras() -> None:
    import keras
    from keras.src.utils import file_utils

    for name in ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch"):
        setattr(keras.Model, name, _returns_stand_in(f"Model.{name}(...)"))
    for name in ("save", "save_weights", "export"):
        setattr(keras.Model, name, _blocked(f"Model.{name}"))
    keras.Model.load_weights = _load_weights
    file_utils.get_file = lambda *args, **kwargs: PRETRAINED  # keras.applications' weights="imagenet"
    keras.models.load_model = _blocked("keras.models.load_model")
    keras.saving.load_model = _blocked("keras.saving.load_model")
    keras.saving.save_model = _blocked("keras.saving.save_model")
    keras.utils.get_file = _blocked("keras.utils.get_file (a download)")
    keras.utils.plot_model = _blocked("keras.utils.plot_model (writes an image)")
    for module in (keras.utils, keras.preprocessing):
        for name in ("image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory",
                     "timeseries_dataset_from_array"):
            if hasattr(module, name):
                setattr(module, name, _returns_stand_in(f"keras.utils.{name}(...)"))
    for name, loader in _keras_loaders().items():
        dataset = getattr(keras.datasets, name)
        dataset.load_data = loader
        if hasattr(dataset, "get_word_index"):
            dataset.get_word_index = lambda *args, **kwargs: {"the": 1, "and": 2, "a": 3}


def _count(real: int) -> int:
    return real if os.environ.get("NNCALC_ORACLE_FULL_DATASETS") == "1" else SAMPLES


def _keras_loaders() -> dict:
    import numpy as np

    def images(train, test, shape, label_shape=()):
        def load_data(*args, **kwargs):
            return tuple(
                (np.zeros((_count(n), *shape), dtype="uint8"), np.zeros((_count(n), *label_shape), dtype="uint8"))
                for n in (train, test)
            )

        return load_data

    def sequences(train, test):
        def load_data(*args, **kwargs):
            def split(n):
                x = np.empty(_count(n), dtype=object)
                for i in range(len(x)):
                    x[i] = [1, 14, 22, 16, 43]
                return x, np.zeros(_count(n), dtype="int64")

            return split(train), split(test)

        return load_data

    def table(train, test, features):
        def load_data(*args, **kwargs):
            return tuple((np.zeros((_count(n), features)), np.zeros(_count(n))) for n in (train, test))

        return load_data

    return {
        "mnist": images(60000, 10000, (28, 28)),
        "fashion_mnist": images(60000, 10000, (28, 28)),
        "cifar10": images(50000, 10000, (32, 32, 3), (1,)),
        "cifar100": images(50000, 10000, (32, 32, 3), (1,)),
        "imdb": sequences(25000, 25000),
        "reuters": sequences(8982, 2246),
        "boston_housing": table(404, 102, 13),
        "california_housing": table(16512, 4128, 8),
    }


def _guard_argparse() -> None:
    import argparse

    real = argparse.ArgumentParser.parse_known_args

    def parse_known_args(self, args=None, namespace=None):
        required = [action for action in self._actions if action.required]
        for action in required:
            action.required = False
        try:
            parsed, extra = real(self, [] if args is None else args, namespace)
        finally:
            for action in required:
                action.required = True
        for action in required:
            if getattr(parsed, action.dest, None) is None:
                setattr(parsed, action.dest, MissingArgument(f"the required option {action.option_strings}"))
        return parsed, extra

    argparse.ArgumentParser.parse_known_args = parse_known_args


# ----- imports: real modules, tensorflow's and torchvision's stand-ins ----------------------------------


def tensorflow_stand_in() -> types.ModuleType:
    """``tensorflow``: ``tf.keras`` is the real Keras 3; dtypes, ``tf.newaxis`` and ``tf.nn`` activations are
    real; the rest are stand-ins."""
    import keras

    tf = StandInModule("tensorflow")
    tf.keras = keras
    tf.__version__ = "2.16.1"
    tf.newaxis = None
    for dtype in ("float16 float32 float64 bfloat16 int8 int16 int32 int64 uint8 bool string").split():
        setattr(tf, dtype, dtype)
    nn = StandInModule("tensorflow.nn")
    for name in ("relu", "relu6", "elu", "selu", "gelu", "silu", "swish", "sigmoid", "tanh", "softmax", "softplus",
                 "leaky_relu", "log_softmax"):
        setattr(nn, name, getattr(keras.activations, name))
    tf.nn = nn
    _tensorflow_ops(tf, keras)
    return tf


def _tensorflow_ops(tf: types.ModuleType, keras) -> None:
    """The ``tf.*`` ops model code calls in a layer's ``call``, mapped onto ``keras.ops`` with TensorFlow's
    argument names and defaults (``tf.range`` int32, ``tf.argmax`` over axis 0, ``tf.split`` by sizes)."""
    ops = keras.ops
    math = StandInModule("tensorflow.math")
    for name in ("exp", "log", "sqrt", "rsqrt", "square", "abs", "sigmoid", "tanh", "erf", "sin", "cos", "tan",
                 "sign", "floor", "ceil", "round", "reciprocal", "log1p", "expm1", "negative", "softplus", "add",
                 "subtract", "multiply", "divide", "maximum", "minimum"):
        setattr(math, name, getattr(ops, name))
    math.pow, math.truediv, math.floordiv, math.floormod = ops.power, ops.true_divide, ops.floor_divide, ops.mod
    math.squared_difference = lambda x, y, name=None: ops.square(ops.subtract(x, y))
    for name, op in (("reduce_mean", ops.mean), ("reduce_sum", ops.sum), ("reduce_max", ops.max),
                     ("reduce_min", ops.min), ("reduce_prod", ops.prod), ("reduce_std", ops.std),
                     ("reduce_variance", ops.var), ("reduce_logsumexp", ops.logsumexp), ("reduce_all", ops.all),
                     ("reduce_any", ops.any)):
        setattr(math, name, lambda input_tensor, axis=None, keepdims=False, name=None, op=op:
                op(input_tensor, axis=axis, keepdims=keepdims))
    math.argmax = lambda input, axis=None, output_type="int64", name=None: ops.cast(
        ops.argmax(input, axis=0 if axis is None else axis), output_type)
    math.argmin = lambda input, axis=None, output_type="int64", name=None: ops.cast(
        ops.argmin(input, axis=0 if axis is None else axis), output_type)
    for name in dir(math):
        if not name.startswith("_"):
            setattr(tf, name, getattr(math, name))
    tf.math = math

    def tf_range(start, limit=None, delta=1, dtype=None, name=None):
        floats = any(isinstance(v, float) for v in (start, limit, delta))
        return ops.arange(start, limit, delta, dtype=dtype or ("float32" if floats else "int32"))

    def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, name=None, **kwargs):
        a = ops.swapaxes(a, -1, -2) if transpose_a or adjoint_a else a
        b = ops.swapaxes(b, -1, -2) if transpose_b or adjoint_b else b
        return ops.matmul(a, b)

    def split(value, num_or_size_splits, axis=0, num=None, name=None):
        if isinstance(num_or_size_splits, int):
            return ops.split(value, num_or_size_splits, axis=axis)
        cuts, total = [], 0
        for size in list(num_or_size_splits)[:-1]:
            total += size
            cuts.append(total)
        return ops.split(value, cuts, axis=axis)

    def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
        if batch_dims:
            raise NotImplementedError("tf.gather(batch_dims=...) has no keras.ops stand-in")
        return ops.take(params, indices, axis=0 if axis is None else axis)

    tf.shape = lambda input, out_type=None, name=None: ops.shape(input)
    tf.range = tf_range
    tf.reshape = lambda tensor, shape, name=None: ops.reshape(tensor, shape)
    tf.concat = lambda values, axis, name=None: ops.concatenate(values, axis=axis)
    tf.stack = lambda values, axis=0, name=None: ops.stack(values, axis=axis)
    tf.matmul = matmul
    tf.expand_dims = lambda input, axis, name=None: ops.expand_dims(input, axis)
    tf.squeeze = lambda input, axis=None, name=None: ops.squeeze(input, axis)
    tf.transpose = lambda a, perm=None, conjugate=False, name=None: ops.transpose(a, perm)
    tf.cast = lambda x, dtype, name=None: ops.cast(x, dtype)
    tf.split = split
    tf.tile = lambda input, multiples, name=None: ops.tile(input, multiples)
    tf.gather = gather
    tf.einsum = lambda equation, *inputs, **kwargs: ops.einsum(equation, *inputs)
    tf.one_hot = lambda indices, depth, on_value=None, off_value=None, axis=None, dtype="float32", name=None: \
        ops.one_hot(indices, depth, axis=-1 if axis is None else axis, dtype=dtype)
    tf.clip_by_value = lambda t, clip_value_min, clip_value_max, name=None: ops.clip(t, clip_value_min, clip_value_max)
    tf.identity = lambda input, name=None: ops.identity(input)
    tf.where = lambda condition, x=None, y=None, name=None: ops.where(condition, x, y)
    tf.zeros = lambda shape, dtype="float32", name=None: ops.zeros(shape, dtype=dtype)
    tf.ones = lambda shape, dtype="float32", name=None: ops.ones(shape, dtype=dtype)
    tf.zeros_like = lambda input, dtype=None, name=None: ops.zeros_like(input, dtype=dtype)
    tf.ones_like = lambda input, dtype=None, name=None: ops.ones_like(input, dtype=dtype)
    linalg = StandInModule("tensorflow.linalg")
    linalg.matmul, linalg.einsum = tf.matmul, tf.einsum
    tf.linalg = linalg
    random = StandInModule("tensorflow.random")
    random.normal = lambda shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None: keras.random.normal(
        shape, mean=mean, stddev=stddev, dtype=dtype)
    random.uniform = lambda shape, minval=0, maxval=None, dtype="float32", seed=None, name=None: keras.random.uniform(
        shape, minval=minval, maxval=1.0 if maxval is None else maxval, dtype=dtype)
    random.truncated_normal = lambda shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None: \
        keras.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype)
    tf.random = random
    image = StandInModule("tensorflow.image")
    image.extract_patches = lambda images, sizes, strides, rates, padding, name=None: ops.image.extract_patches(
        images, tuple(sizes[1:3]), tuple(strides[1:3]), dilation_rate=tuple(rates[1:3]), padding=padding.lower())
    tf.image = image


def torchvision_stand_in() -> types.ModuleType:
    """``torchvision`` (always a stand-in): datasets of zeros with the real sample shapes; transforms, utils and
    models are stand-ins, and ``save_image`` is blocked."""
    vision = StandInModule("torchvision")
    vision.__path__ = []
    datasets = StandInModule("torchvision.datasets")
    for name, shape, classes, train, test, layout in (
        ("MNIST", (28, 28), 10, 60000, 10000, "tensor"),
        ("FashionMNIST", (28, 28), 10, 60000, 10000, "tensor"),
        ("KMNIST", (28, 28), 10, 60000, 10000, "tensor"),
        ("CIFAR10", (32, 32, 3), 10, 50000, 10000, "numpy"),
        ("CIFAR100", (32, 32, 3), 100, 50000, 10000, "numpy"),
    ):
        setattr(datasets, name, _vision_dataset(name, shape, classes, train, test, layout))

    def folder(root, *args, **kwargs):
        raise FileNotFoundError(f"Couldn't find any class folder in {root}.")

    datasets.ImageFolder = folder
    datasets.DatasetFolder = folder
    utils = StandInModule("torchvision.utils")
    utils.save_image = _blocked("torchvision.utils.save_image")
    vision.datasets = datasets
    vision.utils = utils
    vision.transforms = StandInModule("torchvision.transforms")
    vision.models = StandInModule("torchvision.models")
    vision.io = StandInModule("torchvision.io")
    vision.__version__ = "0.29.0"
    return vision


def _vision_dataset(name, shape, classes, train, test, layout):
    import numpy as np
    import torch
    from torch.utils.data import Dataset

    class VisionDataset(Dataset):
        def __init__(self, root=None, train=True, transform=None, target_transform=None, download=False, **kwargs):
            count = _count(train_count if train else test_count)
            self.root, self.train, self.transform, self.target_transform = root, train, transform, target_transform
            self.classes = [str(i) for i in range(classes)]
            if layout == "tensor":
                self.data = torch.zeros((count, *shape), dtype=torch.uint8)
                self.targets = torch.zeros(count, dtype=torch.int64)
            else:
                self.data = np.zeros((count, *shape), dtype=np.uint8)
                self.targets = [0] * count

        def __len__(self):
            return len(self.data)

        def __getitem__(self, index):
            channels = shape[2] if len(shape) == 3 else 1
            return torch.zeros(channels, shape[0], shape[1]), 0

    train_count, test_count = train, test
    VisionDataset.__name__ = VisionDataset.__qualname__ = name
    return VisionDataset


def make_importer(fake: dict[str, types.ModuleType]):
    """The ``__import__`` the script sees: real modules, the stand-ins in ``fake``, and a stand-in module for any
    top-level module that is not installed."""
    real_import = builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            return real_import(name, globals, locals, fromlist, level)
        top = name.partition(".")[0]
        if top == "tensorflow":
            return _tensorflow_import(name, fromlist, fake)
        if top in fake:
            return _fake_import(name, fromlist, fake)
        try:
            return real_import(name, globals, locals, fromlist, level)
        except ModuleNotFoundError as err:
            if not err.name or not (name == err.name or name.startswith(err.name + ".")):
                raise
            fake[top] = fake.get(top) or StandInModule(top)
            return _fake_import(name, fromlist, fake)

    return guarded_import


def _tensorflow_import(name, fromlist, fake):
    tf = fake.setdefault("tensorflow", tensorflow_stand_in())
    if name.startswith("tensorflow.keras"):
        real = importlib.import_module("keras" + name[len("tensorflow.keras"):])
        return real if fromlist else tf
    return _fake_import(name, fromlist, fake)


def _fake_import(name, fromlist, fake):
    module = fake[name.partition(".")[0]]
    if not fromlist:
        return module
    for part in name.split(".")[1:]:
        module = getattr(module, part)
    return module
