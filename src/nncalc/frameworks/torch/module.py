"""``nn.Module`` and the containers: registration of submodules, parameters and buffers, naming, and
``__call__`` → ``forward`` under the recorder.

A user's ``class Net(nn.Module)`` is a real Python subclass of :class:`Module` (the interpreter creates it
with ``type(name, bases, ns)``), so ``self.conv1 = nn.Conv2d(...)`` in its ``__init__`` goes through
:meth:`Module.__setattr__` exactly as in torch.
"""

from __future__ import annotations

from collections import OrderedDict

from nncalc.errors import InterpreterError
from nncalc.frameworks.torch import recorder
from nncalc.frameworks.torch.dtypes import dtype
from nncalc.frameworks.torch.errors import (
    TorchAttributeError,
    TorchTypeError,
    TorchValueError,
    display_name,
    render_call,
)
from nncalc.frameworks.torch.tensor import Buffer, Parameter, Tensor
from nncalc.interpreter.limits import active_budget, note_built
from nncalc.location import current_location

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect

BUILTIN_CLASSES: set[type] = set()
"""nncalc's own module classes (``nn.Conv2d``, ``nn.Sequential``, …); a user's subclass is not one of them."""

_SIGNATURES: dict[type, inspect.Signature] = {}
_TRANSFORMS = "torchvision.transforms"
"""Where torchvision's data transforms live: modules, but built around a model, not into it."""


def loaded_family(name: str):
    """The layer family module ``nncalc.frameworks.torch.<name>`` when a file has used one of its names, else None
    (see :data:`nncalc.frameworks.torch.namespaces.ON_DEMAND_FAMILIES`): before that no instance of its classes
    exists, so a check for one need not import it."""
    import sys

    return sys.modules.get(f"nncalc.frameworks.torch.{name}")


def builtin(cls: type) -> type:
    """Class decorator: mark ``cls`` as one of nncalc's own ``torch.nn`` classes."""
    BUILTIN_CLASSES.add(cls)
    return cls


def tensors_in(value) -> list[Tensor]:
    """The tensors in a value (a tensor, or tuples, lists and dicts of them), in order."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for item in value for t in tensors_in(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in tensors_in(item)]
    return []


@builtin
class Module:
    """``torch.nn.Module``: subclass it, assign layers in ``__init__``, compute in ``forward``."""

    __nncalc_subclassable__ = True
    __nncalc_private__ = frozenset({"_modules", "_parameters", "_buffers"})

    def reset_parameters(self) -> None:
        """Initialising weights changes values, never shapes: nothing to do."""
    _version = 1
    __nncalc_reserved__ = ("_parameters", "_buffers", "_modules", "_ctor", "_location")
    training = True

    def __new__(cls, *args, **kwargs):
        if cls in BUILTIN_CLASSES:
            _check_binding(cls, args, kwargs)
        self = object.__new__(cls)
        object.__setattr__(self, "_ctor", (args, kwargs))
        object.__setattr__(self, "_location", current_location())
        return self

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TorchTypeError(
                f"Module.__init__() takes 1 positional argument but {len(args) + 1} were given"
                if args
                else f"Module.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'"
            )
        kind = type(self)  # built into a model: not a loss, nor a data transform read from torchvision's source
        if not getattr(kind, "__nncalc_auxiliary__", False) and not kind.__module__.startswith(_TRANSFORMS):
            note_built()
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_modules", {})

    # ----- registration -------------------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        state = self.__dict__
        if isinstance(value, Parameter):
            self._require_init("parameters")
            self._forget(name, "_parameters")
            state["_parameters"][name] = value
        elif isinstance(value, Module):
            self._require_init("module")
            self._forget(name, "_modules")
            state["_modules"][name] = value
        elif isinstance(value, Buffer):
            self._require_init("buffer")
            self._forget(name, "_buffers")
            state["_buffers"][name] = value
        elif "_parameters" in state and name in state["_parameters"]:
            if value is not None:
                raise TorchTypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' (torch.nn.Parameter or None "
                    "expected)"
                )
            state["_parameters"][name] = None
        elif "_modules" in state and name in state["_modules"]:
            if value is not None:
                raise TorchTypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' (torch.nn.Module or None "
                    "expected)"
                )
            state["_modules"][name] = None
        elif "_buffers" in state and name in state["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TorchTypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}'")
            state["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _require_init(self, what: str) -> None:
        if "_modules" not in self.__dict__:
            raise TorchAttributeError(f"cannot assign {what} before Module.__init__() call")

    def _forget(self, name: str, keep: str) -> None:
        """Drop ``name`` from the plain attributes and the registries other than ``keep`` (whose order stays)."""
        state = self.__dict__
        if name in state:
            del state[name]
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep and name in state[table]:
                del state[table][name]

    def __getattr__(self, name: str):
        state = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            entries = state.get(table)
            if entries is not None and name in entries:
                return entries[name]
        raise TorchAttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(table, {}):
                del self.__dict__[table][name]
                return
        object.__delattr__(self, name)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Register ``module`` as the child ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TorchTypeError(f"{type(module).__name__} is not a Module subclass")
        if not isinstance(name, str):
            raise TorchTypeError(f"module name should be a string. Got {type(name).__name__}")
        self._require_init("module")
        if "." in name or name == "":
            raise TorchValueError(f'module name can\'t contain ".", got: {name}' if name else "module name can't be empty")
        self._modules[name] = module

    register_module = add_module

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """Register ``tensor`` (or None) as the buffer ``name``: counted apart from the parameters."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TorchTypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (torch Tensor or None required)")
        self._require_init("buffer")
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor

    def register_parameter(self, name: str, param) -> None:
        """Register ``param`` (an ``nn.Parameter`` or None) as ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise TorchTypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' (torch.nn.Parameter or None required)")
        self._require_init("parameters")
        self.__dict__.pop(name, None)
        self._parameters[name] = param

    # ----- traversal: iterators over lists (the safe interpreter hands out no generators) ---------------
    def named_children(self):
        """``(name, module)`` of the direct children, each module once."""
        seen: set[int] = set()
        out = []
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                out.append((name, module))
        return iter(out)

    def children(self):
        return iter([module for _, module in self.named_children()])

    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        """This module and its descendants, pre-order, with dotted names (``features.0``)."""
        memo = set() if memo is None else memo
        out: list = []
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate and id(module) in memo:
                continue
            memo.add(id(module))
            out.append((name, module))
            children = [(f"{name}.{key}" if name else key, child) for key, child in module._modules.items()]
            stack.extend(reversed([item for item in children if item[1] is not None]))
        return iter(out)

    def modules(self):
        return iter([module for _, module in self.named_modules()])

    def _named_tensors(self, table: str, prefix: str, recurse: bool):
        seen: set[int] = set()
        out = []
        owners = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for owner_name, owner in owners:
            for name, tensor in owner.__dict__[table].items():
                if tensor is None or id(tensor) in seen:
                    continue
                seen.add(id(tensor))
                out.append(((f"{owner_name}.{name}" if owner_name else name), tensor))
        return iter(out)

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """``(dotted name, parameter)``, each parameter object once (tied weights count once)."""
        return self._named_tensors("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True):
        """The parameters, each once: ``sum(p.numel() for p in model.parameters())`` works as in torch."""
        return iter([param for _, param in self.named_parameters(recurse=recurse)])

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        return self._named_tensors("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True):
        return iter([buffer for _, buffer in self.named_buffers(recurse=recurse)])

    def get_submodule(self, target: str) -> "Module":
        module = self
        for part in target.split(".") if target else []:
            if part not in module._modules:
                raise TorchAttributeError(f"{type(module).__name__} has no attribute `{part}`")
            module = module._modules[part]
        return module

    def state_dict(self, *args, **kwargs) -> OrderedDict:
        entries = list(self.named_parameters()) + list(self.named_buffers())
        return OrderedDict(entries)

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """Weights' values do not matter to nncalc: accepted and ignored."""
        return None

    def apply(self, fn) -> "Module":
        """Call ``fn`` on every submodule (children first) and on this module, as torch does."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ----- modes and placement: no effect on shapes ---------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for param in self.parameters():
            param.requires_grad = bool(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        return None

    def to(self, *args, **kwargs) -> "Module":
        """``to(device)`` changes nothing; ``to(dtype)`` changes the floating-point weights' dtype."""
        for value in list(args) + [kwargs.get("dtype")]:
            if isinstance(value, dtype) and value.is_floating_point:
                self._cast(value)
        return self

    def _cast(self, new: dtype) -> "Module":
        for tensor in list(self.parameters()) + list(self.buffers()):
            if tensor._dtype.is_floating_point:
                tensor._dtype = new
        return self

    def cuda(self, device=None) -> "Module":
        return self

    def cpu(self) -> "Module":
        return self

    def float(self) -> "Module":
        from nncalc.frameworks.torch.dtypes import DTYPES

        return self._cast(DTYPES["float32"])

    def half(self) -> "Module":
        from nncalc.frameworks.torch.dtypes import DTYPES

        return self._cast(DTYPES["float16"])

    def double(self) -> "Module":
        from nncalc.frameworks.torch.dtypes import DTYPES

        return self._cast(DTYPES["float64"])

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False, always_call=False):
        """``hook(module, args, output)`` (with ``with_kwargs``: ``(module, args, kwargs, output)``) after each
        forward; what it returns, when not None, is the output (a feature extractor keeps what it sees)."""
        return _add_hook(self, "_forward_hooks", hook, prepend, with_kwargs)

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """``hook(module, args)`` (with ``with_kwargs``: ``(module, args, kwargs)``) before each forward; what
        it returns, when not None, are the arguments."""
        return _add_hook(self, "_forward_pre_hooks", hook, prepend, with_kwargs)

    def register_full_backward_hook(self, *args, **kwargs):
        return _Handle({})  # nncalc never runs a backward pass

    register_backward_hook = register_full_backward_pre_hook = register_full_backward_hook

    # ----- calling ------------------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        hooks = self.__dict__.get("_forward_pre_hooks")
        if hooks:
            args, kwargs = _pre_hooked(self, hooks, args, kwargs)
        active = recorder.active()
        if active is None:
            if "_first_call" not in self.__dict__:  # what the file feeds the model itself: nncalc.evidence
                tensors = tensors_in(args)
                object.__setattr__(self, "_first_call", ([(t._shape, t._dtype.name) for t in tensors],
                                                         current_location()))
            return self._hooked(self.forward(*args, **kwargs), args, kwargs)
        inputs = tensors_in(args) + tensors_in(kwargs)
        call = active.start(self, [t._shape for t in inputs], inputs)
        result = self._hooked(self.forward(*args, **kwargs), args, kwargs)
        outputs = tensors_in(result)
        active.finish(call, [t._shape for t in outputs], outputs)
        return result

    def _hooked(self, result, args: tuple, kwargs: dict):
        """``result`` after the forward hooks (each may replace it)."""
        for hook, with_kwargs in list(self.__dict__.get("_forward_hooks", {}).values()):
            changed = hook(self, args, kwargs, result) if with_kwargs else hook(self, args, result)
            if changed is not None:
                result = changed
        return result

    def forward(self, *args, **kwargs):
        raise InterpreterError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    # ----- naming -------------------------------------------------------------------------------------
    def _describe(self, **fix) -> str:
        """The constructor call (``nn.Conv2d(3, 8, 3)``), with ``fix`` applied, plus its line when unfixed."""
        call = self._render(**fix)
        line = f" (line {self._location.line})" if self._location and not fix else ""
        return f"`{call}`{line}"

    def _render(self, **fix) -> str:
        """nncalc's own layers in a short canonical form: required arguments by position, the others by
        keyword when they differ from the default (``nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3,
        stride=1)`` reads ``nn.Conv2d(3, 8, 3)``); other calls as written."""
        args, kwargs = self._ctor
        canonical = _canonical(type(self), args, kwargs, fix) if type(self) in BUILTIN_CLASSES else None
        if canonical is not None:
            return render_call(display_name(type(self)), *canonical)
        args, kwargs = list(args), dict(kwargs)
        names = _positional_names(type(self))
        for name, value in fix.items():
            if name in kwargs:
                kwargs[name] = value
            elif name in names and names.index(name) < len(args):
                args[names.index(name)] = value
            else:
                kwargs[name] = value
        return render_call(display_name(type(self)), tuple(args), kwargs)

    def extra_repr(self) -> str:
        return ""

    def _formula(self):
        """The layer's own parameter formula (Conv and Linear: the seed's); None: sum the weight terms."""
        return None

    def __deepcopy__(self, memo: dict) -> "Module":
        """``copy.deepcopy(layer)`` (transformer clones): a new module with copies of its weights."""
        import copy

        clone = object.__new__(type(self))
        memo[id(self)] = clone
        budget = active_budget()
        for name, value in self.__dict__.items():
            budget.tick()
            if name != "_first_call":  # the copy has not been called yet
                object.__setattr__(clone, name, value if name in ("_ctor", "_location") else copy.deepcopy(value, memo))
        return clone

    def __repr__(self) -> str:
        lines = [f"({name}): {module!r}".replace("\n", "\n  ") for name, module in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))


class _Handle:
    """What ``register_forward_hook`` returns: ``remove()`` takes the hook off its module."""

    _count = 0

    def __init__(self, hooks: dict):
        _Handle._count += 1
        self.id = _Handle._count
        self._hooks = hooks

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> "_Handle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def _add_hook(module: Module, kind: str, hook, prepend: bool, with_kwargs: bool) -> _Handle:
    hooks = module.__dict__.get(kind)
    if hooks is None:
        hooks = {}
        object.__setattr__(module, kind, hooks)
    handle = _Handle(hooks)
    if prepend:
        rest = dict(hooks)
        hooks.clear()
        hooks[handle.id] = (hook, with_kwargs)
        hooks.update(rest)
    else:
        hooks[handle.id] = (hook, with_kwargs)
    return handle


def _pre_hooked(module: Module, hooks: dict, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The arguments after the forward pre-hooks (each may replace them, as torch's ``_call_impl`` does)."""
    for hook, with_kwargs in list(hooks.values()):
        if with_kwargs:
            changed = hook(module, args, kwargs)
            if changed is not None:
                args, kwargs = changed
        else:
            changed = hook(module, args)
            if changed is not None:
                args = changed if isinstance(changed, tuple) else (changed,)
    return args, kwargs


def _signature(cls: type) -> inspect.Signature:
    sig = _SIGNATURES.get(cls)
    if sig is None:
        import inspect  # lazily: slow to import, and only an __init__ that is not a plain function needs it

        sig = _SIGNATURES[cls] = inspect.signature(cls.__init__)
    return sig


def _canonical(cls: type, args: tuple, kwargs: dict, fix: dict) -> tuple[tuple, dict] | None:
    """(positional, keywords) of the short form of a call, or None when the signature is open-ended."""
    binder = _binder(cls)
    if binder.varargs or binder.varkw or not binder.binds(args, kwargs):
        return None
    bound = dict(zip(binder.positional, args))
    bound.update(kwargs)
    bound.update(fix)
    positional, keywords = [], {}
    for name in binder.positional + binder.keyword_only:
        if name not in bound:
            continue
        value = bound[name]
        if name not in binder.defaults and name not in binder.keyword_only and not keywords:
            positional.append(value)
        elif name not in binder.defaults or not _same(value, binder.defaults[name]):
            keywords[name] = value
    return tuple(positional), keywords


def _same(value, default) -> bool:
    return type(value) is type(default) and value == default


def _positional_names(cls: type) -> list[str]:
    try:
        return list(_binder(cls).positional)
    except (TypeError, ValueError):  # a user's subclass whose __init__ is interpreted
        return []


class _Binder:
    """The parameters of a class's ``__init__`` after ``self``, and a quick check that arguments bind to them
    (``inspect.Signature.bind`` is ten times slower).

    Built from the positional names, the keyword-only names, the defaults, and whether there are ``*args``
    and ``**kwargs``."""

    def __init__(self, positional: list[str], keyword_only: list[str], defaults: dict, varargs: bool,
                 varkw: str | None):
        count = len(positional) + len(keyword_only) + int(varargs) + int(varkw is not None)
        self.positional, self.keyword_only, self.defaults = positional, keyword_only, defaults
        self.index = {name: i for i, name in enumerate(positional)}
        self.names = frozenset([*positional, *keyword_only, *([varkw] if varkw else [])])
        self.required = [(name, self.index.get(name, count)) for name in [*positional, *keyword_only]
                         if name not in defaults]
        self.max_positional = count if varargs else len(positional)
        self.varargs = varargs
        self.varkw = varkw is not None

    @classmethod
    def of(cls, host: type) -> _Binder:
        """The binder of ``host.__init__``: read from its code object when it is a plain function (no import
        of :mod:`inspect`), else from its signature."""
        init = host.__init__
        code = getattr(init, "__code__", None)
        if code is None or hasattr(init, "__wrapped__") or hasattr(init, "__signature__") or code.co_argcount < 1:
            return cls.from_signature(_signature(host))
        names = code.co_varnames
        positional = list(names[1:code.co_argcount])
        keyword_only = list(names[code.co_argcount:code.co_argcount + code.co_kwonlyargcount])
        varargs = bool(code.co_flags & 0x04)  # CO_VARARGS
        after = code.co_argcount + code.co_kwonlyargcount + int(varargs)
        varkw = names[after] if code.co_flags & 0x08 else None  # CO_VARKEYWORDS
        values = init.__defaults__ or ()
        defaults = dict(zip(positional[len(positional) - len(values):], values)) if values else {}
        defaults.update(init.__kwdefaults__ or {})
        return cls(positional, keyword_only, defaults, varargs, varkw)

    @classmethod
    def from_signature(cls, signature: inspect.Signature) -> _Binder:
        params = list(signature.parameters.values())[1:]
        kinds = type(params[0]) if params else None
        positional = [p.name for p in params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        keyword_only = [p.name for p in params if p.kind is kinds.KEYWORD_ONLY]
        varkw = next((p.name for p in params if p.kind is kinds.VAR_KEYWORD), None)
        defaults = {p.name: p.default for p in params if p.default is not p.empty}
        return cls(positional, keyword_only, defaults, any(p.kind is kinds.VAR_POSITIONAL for p in params), varkw)

    def binds(self, args: tuple, kwargs: dict) -> bool:
        count = len(args)
        if count > self.max_positional and not self.varargs:
            return False
        for key in kwargs:
            if self.index.get(key, count) < count or (key not in self.names and not self.varkw):
                return False
        for name, position in self.required:
            if position >= count and name not in kwargs:
                return False
        return True


_BINDERS: dict[type, _Binder] = {}


def _binder(cls: type) -> _Binder:
    binder = _BINDERS.get(cls)
    if binder is None:
        binder = _BINDERS[cls] = _Binder.of(cls)
    return binder


def _check_binding(cls: type, args: tuple, kwargs: dict) -> None:
    """Bind the arguments as Python would, turning a mismatch into torch's ``TypeError`` message."""
    if _binder(cls).binds(args, kwargs):
        return
    bare = object.__new__(cls)
    try:
        cls.__init__(bare, *args, **kwargs)  # fails while binding, before the body runs: Python's own message
    except TypeError as error:  # named after the class the user wrote, not the base defining __init__
        message = str(error).replace(f"{cls.__init__.__qualname__}(", f"{cls.__name__}.__init__(")
        raise TorchTypeError(message) from None
