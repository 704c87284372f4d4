"""``import inspect`` for user code: what libraries use to look at a function's parameters (torchvision's
``handle_legacy_interface``, timm's registry), over plain data, so nothing of Python's own machinery is
reachable: ``signature(fn).parameters`` is a dict of :class:`Parameter` with ``name``, ``kind``,
``default`` and ``annotation``; ``isclass``, ``isfunction``, ``ismethod``.
"""

from __future__ import annotations

from nncalc.interpreter.objects import BoundMethod, InterpFunction


class _Empty:
    """``inspect.Parameter.empty`` / ``inspect.Signature.empty``."""

    def __repr__(self) -> str:
        return "<empty>"


EMPTY = _Empty()


class Kind(int):
    """A parameter kind, comparable and orderable like ``inspect._ParameterKind``."""

    def __new__(cls, value: int, name: str):
        self = super().__new__(cls, value)
        self._label = name
        return self

    @property
    def name(self) -> str:
        return self._label

    def __repr__(self) -> str:
        return f"<_ParameterKind.{self._label}: {int(self)}>"

    __str__ = __repr__


KINDS = [Kind(i, n) for i, n in enumerate(
    ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD", "VAR_POSITIONAL", "KEYWORD_ONLY", "VAR_KEYWORD"))]


class Parameter:
    """``inspect.Parameter``: a parameter's name, kind, default and annotation."""

    POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = KINDS
    empty = EMPTY
    __nncalc_mutable__ = False

    def __init__(self, name, kind, *, default=EMPTY, annotation=EMPTY):
        self.name = name
        self.kind = kind
        self.default = default
        self.annotation = annotation

    def replace(self, **changes) -> "Parameter":
        values = {"name": self.name, "kind": self.kind, "default": self.default, "annotation": self.annotation}
        values.update(changes)
        return Parameter(values.pop("name"), values.pop("kind"), **values)

    def __repr__(self) -> str:
        return f"<Parameter {self.name!r}>"


class Signature:
    """``inspect.Signature``: ``parameters`` is a plain dict, name → :class:`Parameter`."""

    empty = EMPTY
    __nncalc_mutable__ = False

    def __init__(self, parameters=None, *, return_annotation=EMPTY):
        self.parameters = {p.name: p for p in (parameters or ())}
        self.return_annotation = return_annotation

    def replace(self, *, parameters=None, return_annotation=EMPTY) -> "Signature":
        return Signature(self.parameters.values() if parameters is None else parameters,
                         return_annotation=return_annotation)

    def __repr__(self) -> str:
        return f"<Signature ({', '.join(self.parameters)})>"


def signature(obj, *args, **kwargs) -> Signature:
    """The parameters of an interpreted function, method or class (its ``__init__``), or of a host callable."""
    import inspect as _inspect  # lazily: only files that ask for a signature pay for it

    target = obj
    if isinstance(obj, type):
        target = obj.__init__
    if isinstance(target, (InterpFunction, BoundMethod)) or callable(target):
        try:
            real = _inspect.signature(target)
        except (TypeError, ValueError) as err:
            raise ValueError(f"no signature found for {getattr(obj, '__name__', obj)!r}") from err
    else:
        raise TypeError(f"{obj!r} is not a callable object")
    params = []
    for p in real.parameters.values():
        if isinstance(obj, type) and not params and p.name == "self" and p.kind <= 1:
            continue
        default = EMPTY if p.default is _inspect.Parameter.empty else p.default
        annotation = EMPTY if p.annotation is _inspect.Parameter.empty else p.annotation
        params.append(Parameter(p.name, KINDS[int(p.kind)], default=default, annotation=annotation))
    return Signature(params)


def inspect_namespace() -> dict:
    return {
        "signature": signature, "Parameter": Parameter, "Signature": Signature,
        "isclass": lambda obj: isinstance(obj, type), "isfunction": lambda obj: isinstance(obj, InterpFunction),
        "ismethod": lambda obj: isinstance(obj, BoundMethod),
        "isabstract": lambda obj: False,
    }  # fmt: skip
