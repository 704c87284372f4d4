"""The host namespaces user code imports: ``torch``, ``torch.nn``, ``torch.nn.functional``, ``torch.nn.init``.

A name nncalc implements is an attribute. A name real torch has but nncalc does not is still there: a layer
class or an op that raises :class:`~nncalc.errors.UnknownLayer` when used ("nncalc has no rule for nn.LSTM
yet"), or, for torch's non-model machinery (``torch.optim``, ``torch.utils``), an opaque unknown value. A name
torch does not have is an ``AttributeError`` with a suggestion, as Python would say it.
"""

from __future__ import annotations

import math

from nncalc.frameworks.torch import (  # noqa: F401 - they register classes
    activation,
    autograd,
    containers,
    conv,
    distance,
    embedding,
    lazy,
    linear,
    names,
    normalization,
    parameters,
    pooling,
    reshape,
    resize,
)
from nncalc.frameworks.torch.dtypes import (
    DTYPES,
    FLOAT32,
    LAYOUTS,
    Size,
    autocast,
    device,
    dtype,
    enable_grad,
    finfo,
    iinfo,
    inference_mode,
    layout,
    no_grad,
    set_grad_enabled,
)
from nncalc.frameworks.common.errors import NoRule
from nncalc.frameworks.common.namespaces import Namespace as CommonNamespace
from nncalc.frameworks.torch.errors import TorchAttributeError, TorchValueError, unknown_layer, unknown_value
from nncalc.frameworks.torch.functional import family_members, functional_members, torch_members
from nncalc.frameworks.torch.module import BUILTIN_CLASSES
from nncalc.frameworks.torch.tensor import Buffer, Parameter, Tensor


ON_DEMAND_FAMILIES = ("attention", "transformer", "recurrent", "losses", "fold", "classifier_heads", "quantization")
"""Layer families imported when a file first asks ``torch.nn`` (or ``F``, ``torch.ao``) for a name it does not have
yet: the command's start-up does not grow with them. A new family goes here."""


def load_families() -> dict:
    """Import :data:`ON_DEMAND_FAMILIES` (their classes register themselves); every ``torch.nn`` class by name."""
    import importlib

    for family in ON_DEMAND_FAMILIES:
        importlib.import_module(f"nncalc.frameworks.torch.{family}")
    return {cls.__name__: cls for cls in BUILTIN_CLASSES}


def _on_demand_functional() -> dict:
    load_families()
    from nncalc.frameworks.torch import attention, fold

    return {**attention.FUNCTIONAL, **fold.FUNCTIONAL}


class Namespace(CommonNamespace):
    """A read-only torch module, worded as Python words a module's missing name. ``fallback(name)`` supplies
    the names torch has that nncalc does not implement."""

    error = TorchAttributeError
    missing = "module '{owner}' has no attribute '{attr}'"

    def _fallback_value(self, attr: str):
        return self._fallback(attr)


_UNKNOWN_CLASSES: dict[str, type] = {}


class _UnknownLayerClass:
    """Base of placeholder classes for torch layers nncalc lacks: ``isinstance`` works, building raises."""

    __nncalc_subclassable__ = True
    _torch_name = ""

    def __new__(cls, *args, **kwargs):
        raise unknown_layer(cls._torch_name)


def unknown_layer_class(qualified: str) -> type:
    """A class standing for the torch layer ``qualified`` (``nn.LSTM``): building one raises UnknownLayer."""
    cls = _UNKNOWN_CLASSES.get(qualified)
    if cls is None:
        short = qualified.rsplit(".", 1)[-1]
        cls = type(short, (_UnknownLayerClass,), {"_torch_name": qualified, "__doc__": f"{qualified}: no rule yet."})
        _UNKNOWN_CLASSES[qualified] = cls
    return cls


class MemoryFormat:
    """``torch.channels_last`` and the other memory formats: a layout, which no shape depends on."""

    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"


def _returns(value):
    def function(*args, **kwargs):
        return value

    return function


def _first_argument(*args, **kwargs):
    return args[0] if args else kwargs.get("tensor")


INIT_FUNCTIONS = (
    "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_", "xavier_uniform_",
    "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_", "uniform", "normal",
    "constant", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse",
)


def _fan_in_and_fan_out(tensor):
    """``torch.nn.init._calculate_fan_in_and_fan_out``: from the weight's shape, as torch computes it."""
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise TorchValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for size in shape[2:]:
        receptive *= size
    return shape[1] * receptive, shape[0] * receptive


def _init_namespace() -> Namespace:
    members = {name: _first_argument for name in INIT_FUNCTIONS}
    members["calculate_gain"] = _returns(1.0)
    members["_calculate_fan_in_and_fan_out"] = _fan_in_and_fan_out
    members["_no_grad_trunc_normal_"] = _first_argument
    members["__all__"] = [*members, "_calculate_fan_in_and_fan_out", "_no_grad_trunc_normal_"]
    members["no_grad"] = no_grad
    namespace = Namespace("torch.nn.init", members)
    from nncalc.interpreter.safety import PRIVATE

    namespace.__dict__[PRIVATE] = ("_calculate_fan_in_and_fan_out", "_no_grad_trunc_normal_")  # used as attributes
    return namespace


def _cuda_namespace() -> Namespace:
    members = {
        "is_available": _returns(False), "device_count": _returns(0), "current_device": _returns(0),
        "manual_seed": _returns(None), "manual_seed_all": _returns(None), "empty_cache": _returns(None),
        "synchronize": _returns(None), "is_initialized": _returns(False),
    }
    return Namespace("torch.cuda", members, known={"amp", "memory", "get_device_name", "set_device"},
                     fallback=lambda name: unknown_value(f"torch.cuda.{name}"))


def _distributed_namespace() -> Namespace:
    """``torch.distributed`` as one process sees it without a process group (a model is read, not trained on
    several machines): available, not initialised, a world of one, rank 0; the collectives do nothing."""
    members = {
        "is_available": _returns(True), "is_initialized": _returns(False), "get_world_size": _returns(1),
        "get_rank": _returns(0), "is_torchelastic_launched": _returns(False), "is_nccl_available": _returns(False),
        **{name: _returns(None) for name in ("barrier", "all_reduce", "broadcast", "all_gather", "reduce",
                                             "init_process_group", "destroy_process_group", "all_gather_object")},
    }
    return Namespace("torch.distributed", members, known={"ReduceOp", "group", "new_group", "get_backend"},
                     fallback=lambda name: unknown_value(f"torch.distributed.{name}"))


def _functional_namespace() -> Namespace:
    members = functional_members()
    members["embedding"] = embedding.embedding
    members["embedding_bag"] = embedding.embedding_bag
    members.update(conv.FUNCTIONAL)
    members.update(distance.FUNCTIONAL)
    return Namespace("torch.nn.functional", members, names.FUNCTIONAL_NAMES,
                     lambda name: NoRule(f"F.{name}"), more=_on_demand_functional)


NN_MODULE_FILES = (
    "module", "container", "conv", "linear", "activation", "batchnorm", "instancenorm", "normalization", "pooling",
    "dropout", "padding", "loss", "sparse", "rnn", "transformer", "upsampling", "pixelshuffle", "flatten",
    "distance", "fold", "channelshuffle", "adaptive",
)
"""The files of ``torch.nn.modules`` model code imports classes from."""


def _ntuple(n: int):
    """``torch.nn.modules.utils._ntuple(n)``: an int repeated ``n`` times, an iterable kept as a tuple."""

    def parse(x):
        if isinstance(x, (list, tuple)):
            return tuple(x)
        return (x,) * n

    return parse


def _modules_utils() -> Namespace:
    members = {"_single": _ntuple(1), "_pair": _ntuple(2), "_triple": _ntuple(3), "_quadruple": _ntuple(4),
               "_ntuple": _ntuple}
    return Namespace("torch.nn.modules.utils", {**members, "__all__": list(members)})


def _nn_namespace(functional: Namespace, init: Namespace) -> Namespace:
    members: dict = {cls.__name__: cls for cls in BUILTIN_CLASSES}
    members["modules_utils"] = _modules_utils()
    members.update(Parameter=Parameter, Buffer=Buffer, functional=functional, init=init)
    members["parameter"] = Namespace("torch.nn.parameter", {"Parameter": Parameter, "Buffer": Buffer})

    def fallback(name: str):
        if name in names.NN_MODULE_CLASSES:
            return unknown_layer_class(f"nn.{name}")
        return unknown_value(f"torch.nn.{name}")

    nn = Namespace("torch.nn", members, names.NN_MODULE_CLASSES | names.NN_OTHER_NAMES, fallback, more=load_families)
    # `nn.modules.batchnorm._BatchNorm` in an isinstance test: every file of torch.nn.modules is torch.nn here
    from nncalc.interpreter.safety import PRIVATE
    from nncalc.frameworks.torch.normalization import _BatchNorm, _InstanceNorm

    files = Namespace("torch.nn.modules", {**members, "_BatchNorm": _BatchNorm, "_InstanceNorm": _InstanceNorm},
                      names.NN_MODULE_CLASSES | names.NN_OTHER_NAMES, fallback, more=load_families)
    files.__dict__.update({name: files for name in NN_MODULE_FILES}, utils=members["modules_utils"])
    files.__dict__[PRIVATE] = ("_BatchNorm", "_InstanceNorm")
    nn.__dict__["modules"] = files
    return nn


_UTILITIES = {
    "manual_seed": None, "seed": None, "set_printoptions": None, "set_num_threads": None,
    "set_num_interop_threads": None, "set_default_dtype": None, "set_default_device": None,
    "set_float32_matmul_precision": None, "use_deterministic_algorithms": None, "set_rng_state": None,
    "set_deterministic_debug_mode": None,
}


def _identity_decorator(fn=None, *args, **kwargs):
    """``@torch.jit.unused``, ``@torch.jit.ignore(drop=True)``, ``torch.jit.script(model)``: nothing to do."""
    if fn is None or not callable(fn):
        return lambda f: f
    return fn


def _annotate(kind, value):
    return value


def _checkpoint(function, *args, use_reentrant=None, **kwargs):
    """``torch.utils.checkpoint.checkpoint(fn, *args)``: the same computation (it only trades memory)."""
    return function(*args, **kwargs)


def _jit_namespace() -> Namespace:
    members = {
        "is_scripting": _returns(False), "is_tracing": _returns(False), "annotate": _annotate,
        "unused": _identity_decorator, "ignore": _identity_decorator, "export": _identity_decorator,
        "script": _identity_decorator, "script_if_tracing": _identity_decorator, "interface": _identity_decorator,
        "_overload_method": _identity_decorator, "_overload": _identity_decorator, "trace": _identity_decorator,
    }  # fmt: skip
    return Namespace("torch.jit", members, known={"Final", "ScriptModule", "Attribute"},
                     fallback=lambda name: unknown_value(f"torch.jit.{name}"))


def _helper_namespaces() -> dict[str, Namespace]:
    """``torch.jit``, ``torch.fx``, ``torch.compiler``, ``torch.utils.checkpoint``: what model code calls
    around the model (scripting guards, tracing hints, activation checkpointing), doing what eager torch
    does."""
    checkpoint = Namespace("torch.utils.checkpoint", {"checkpoint": _checkpoint,
                                                      "checkpoint_sequential": _opaque_function("checkpoint_sequential")})
    def quantization_classes(*wanted: str):
        return lambda: {name: load_families()[name] for name in wanted}

    quantization = Namespace("torch.ao.quantization", {},
                             fallback=lambda name: unknown_value(f"torch.ao.quantization.{name}"),
                             known={"fuse_modules", "prepare", "convert", "get_default_qconfig", "QuantStub",
                                    "DeQuantStub"}, more=quantization_classes("QuantStub", "DeQuantStub"))
    quantized = Namespace("torch.ao.nn.quantized", {},
                          fallback=lambda name: unknown_value(f"torch.ao.nn.quantized.{name}"),
                          known={"Linear", "FloatFunctional"}, more=quantization_classes("FloatFunctional"))
    ao_nn = Namespace("torch.ao.nn", {"quantized": quantized})
    return {
        "ao": Namespace("torch.ao", {"quantization": quantization, "nn": ao_nn}),
        "ao.quantization": quantization,
        "ao.nn": ao_nn,
        "ao.nn.quantized": quantized,
        "quantization": quantization,
        "jit": _jit_namespace(),
        "fx": Namespace("torch.fx", {"wrap": _identity_decorator}, known={"Proxy", "GraphModule", "Tracer", "Graph"},
                        fallback=lambda name: unknown_value(f"torch.fx.{name}")),
        "compiler": Namespace("torch.compiler", {"disable": _identity_decorator, "is_compiling": _returns(False),
                                                 "is_dynamo_compiling": _returns(False)}),
        "utils.checkpoint": checkpoint,
        "autograd": autograd.namespace(),
    }


def _torch_namespace(nn: Namespace, functional: Namespace) -> Namespace:
    members: dict = torch_members()
    for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "bilinear",
                 "embedding_bag", "cosine_similarity", "pairwise_distance", "pdist", "prelu", "rrelu", "hardshrink",
                 "threshold", "celu", "selu", "native_channel_shuffle"):
        members.setdefault(name, getattr(functional, name))
    members.update(DTYPES)
    members.update(LAYOUTS, layout=layout)
    members.update(
        Tensor=Tensor, Size=Size, dtype=dtype, device=device, no_grad=no_grad, enable_grad=enable_grad,
        finfo=finfo, iinfo=iinfo,
        inference_mode=inference_mode, set_grad_enabled=set_grad_enabled, autocast=autocast, nn=nn,
        cuda=_cuda_namespace(), distributed=_distributed_namespace(), get_default_dtype=_returns(FLOAT32), is_grad_enabled=_returns(True),
        compile=lambda model=None, *args, **kwargs: model if model is not None else (lambda m: m),
        num_threads=_returns(1),
        pi=math.pi, e=math.e, inf=math.inf, nan=math.nan, newaxis=None,  # torch's Python-number constants
        **{name: MemoryFormat(name) for name in ("contiguous_format", "channels_last", "channels_last_3d",
                                                 "preserve_format")},
    )
    members.update({name: _returns(None) for name in _UTILITIES})
    members.update({name: _returns(False) for name in (  # torch's defaults: the checks library code makes
        "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled")})
    members["get_deterministic_debug_mode"] = _returns(0)
    for name in ("save", "load", "get_rng_state", "initial_seed", "from_numpy"):
        members[name] = _opaque_function(f"torch.{name}")
    helpers = _helper_namespaces()
    from nncalc.frameworks.torch import linalg

    members["linalg"] = Namespace("torch.linalg", {**linalg.MEMBERS, "__all__": list(linalg.MEMBERS)}, linalg.KNOWN,
                                  lambda name: NoRule(f"torch.linalg.{name}"))
    members.update(jit=helpers["jit"], fx=helpers["fx"], compiler=helpers["compiler"], _assert=_returns(None),
                   ao=helpers["ao"], quantization=helpers["quantization"], autograd=helpers["autograd"])
    from nncalc.frameworks.torch.rules import OpsNamespace

    members["ops"] = OpsNamespace()
    members["utils"] = Namespace("torch.utils", {"checkpoint": helpers["utils.checkpoint"]},
                                 known={"data", "hooks", "tensorboard", "model_zoo"},
                                 fallback=lambda name: unknown_value(f"torch.utils.{name}"))

    def fallback(name: str):
        if name in names.TORCH_SUBMODULES:
            return unknown_value(f"torch.{name}")
        return NoRule(f"torch.{name}")

    from nncalc.interpreter.safety import PRIVATE

    c_module = Namespace("torch._C", {"_get_tracing_state": _returns(None)},  # torchvision._is_tracing(): not tracing
                         fallback=lambda name: unknown_value(f"torch._C.{name}"))
    c_module.__dict__[PRIVATE] = ("_get_tracing_state",)
    members["_C"] = c_module
    torch = Namespace("torch", members, names.TORCH_NAMES | names.TORCH_SUBMODULES, fallback, more=family_members)
    torch.__dict__[PRIVATE] = ("_C",)
    return torch


def _opaque_function(qualified: str):
    def function(*args, **kwargs):
        return unknown_value(f"{qualified}(...)")

    return function


def build_namespaces() -> dict[str, Namespace]:
    """Fresh host namespaces, keyed by the import name."""
    functional = _functional_namespace()
    init = _init_namespace()
    nn = _nn_namespace(functional, init)
    torch = _torch_namespace(nn, functional)
    helpers: dict = {}  # the namespaces of torch.jit, torch.ao …: those the torch namespace holds (below)
    for name in NN_MODULE_FILES:  # `from torch.nn.modules.conv import Conv2d`: the classes live in torch.nn
        helpers[f"torch.nn.modules.{name}"] = nn.modules
    helpers["torch.nn.modules"] = nn.modules
    helpers["torch.nn.modules.utils"] = nn.modules_utils
    for name in ("jit", "fx", "compiler", "ao", "quantization"):
        helpers[f"torch.{name}"] = getattr(torch, name)
    helpers["torch.ao.quantization"], helpers["torch.ao.nn"] = torch.ao.quantization, torch.ao.nn
    helpers["torch.ao.nn.quantized"] = helpers["torch.nn.quantized"] = torch.ao.nn.quantized
    nn.__dict__["quantized"] = torch.ao.nn.quantized
    helpers["torch.utils.checkpoint"] = torch.utils.checkpoint
    helpers["torch.linalg"] = torch.linalg
    helpers["torch.distributed"] = torch.distributed
    for name in ("torch.autograd", "torch.autograd.function", "torch.autograd.variable"):
        helpers[name] = torch.autograd
    return {
        **helpers,
        "torch": torch,
        "torch.nn": nn,
        "torch.nn.functional": functional,
        "torch.nn.init": init,
        "torch.nn.parameter": nn.parameter,
    }


def einops_modules() -> dict:
    """The import table's ``einops``, ``einops.layers`` and ``einops.layers.torch``, whose members
    (:mod:`nncalc.frameworks.torch.einops`) are imported when a file first uses one."""

    def members(table: str):
        def load() -> dict:
            from nncalc.frameworks.torch import einops

            return getattr(einops, table)

        return load

    layers = Namespace("einops.layers.torch", {}, {"Rearrange", "Reduce", "EinMix"}, more=members("LAYERS"))
    package = Namespace("einops.layers", {"torch": layers})
    functions = {"rearrange", "repeat", "reduce", "einsum", "pack", "unpack", "parse_shape", "EinopsError"}
    einops = Namespace("einops", {"layers": package}, functions, more=members("FUNCTIONS"))
    return {"einops": einops, "einops.layers": package, "einops.layers.torch": layers}
