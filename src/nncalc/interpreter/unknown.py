"""Opaque values for what nncalc does not know: ``import torchvision``, ``from mylib import Block``.

An :class:`Unknown` absorbs attribute access, calls, indexing and arithmetic (each giving a longer-named
Unknown), so a file that imports a helper it never really needs still reads. It fails only where a concrete
value is needed — a truth test, iteration, ``len``, ``int`` — with an :class:`InterpreterError` naming the
import it came from.
"""

from __future__ import annotations

from nncalc import location as _location
from nncalc.errors import InterpreterError, Location


class Unknown:
    """A value nncalc cannot know; ``name`` says what it stands for, as the file wrote it (``"cfg.hidden"``).

    ``origin`` is where the unknown import happened and ``source`` that import statement (``"import mylib"``);
    ``root`` is what it comes from when there is no statement (``"mylib"``); ``reason`` replaces "which nncalc
    does not read" (``"but nncalc's `collections` has no `Counter`"``) and ``fix`` the advice that ends the
    error. Values derived from an Unknown keep all of them. Host code may call :meth:`_concrete` (raise the
    error for a use that needs the value) and :meth:`_explain` (the "comes from" sentence, for its own
    messages).
    """

    __slots__ = ("_name", "_origin", "_root", "_source", "_reason", "_fix")

    def __init__(
        self,
        name: str,
        origin: Location | None = None,
        root: str | None = None,
        *,
        source: str | None = None,
        reason: str | None = None,
        fix: str | None = None,
    ):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_reason", reason)
        object.__setattr__(self, "_fix", fix)

    def _derive(self, name: str) -> "Unknown":
        return Unknown(name, self._origin, self._root, source=self._source, reason=self._reason, fix=self._fix)

    def _explain(self) -> str:
        """The "comes from" sentence: `cfg.hidden` comes from `import mylib` (line 3), which nncalc does not read."""
        why = self._reason or "which nncalc does not read"
        if self._source or self._origin is not None:
            line = f" (line {self._origin.line})" if self._origin is not None else ""
            return f"`{self._name}` comes from `{self._source or self._root or self._name}`{line}, {why}"
        if self._root is not None:
            return f"`{self._name}` comes from `{self._root}`, {why}"
        return f"`{self._name}` is {self._reason or 'a value nncalc does not compute'}"

    def _concrete(self, what: str):
        """Raise the error for ``what`` (``"a truth test"``, ``"int()"``), a use that needs the real value."""
        here = _location.current_location()
        at = f" at line {here.line}" if here is not None else ""
        fix = self._fix or "pass the value or inline it"
        if not (self._fix or self._source or self._origin or self._root):
            fix = "use a literal value"
        raise InterpreterError(f"{self._explain()}; {what}{at} needs its value: {fix}")

    # ----- absorbed -----------------------------------------------------------------------------------
    def __getattr__(self, name: str) -> "Unknown":
        if name.startswith("_"):
            raise AttributeError(name)
        return self._derive(f"{self._name}.{name}")

    def __setattr__(self, name: str, value) -> None:
        pass

    def __delattr__(self, name: str) -> None:
        pass

    def __call__(self, *args, **kwargs) -> "Unknown":
        return self._derive(f"{self._name}(...)")

    def __getitem__(self, key) -> "Unknown":
        return self._derive(f"{self._name}[...]")

    def __setitem__(self, key, value) -> None:
        pass

    def __enter__(self) -> "Unknown":
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<unknown {self._name}>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other) -> bool:
        return self is other

    def __ne__(self, other) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __copy__(self) -> "Unknown":
        return self

    def __deepcopy__(self, memo) -> "Unknown":
        return self

    # ----- needs a concrete value ---------------------------------------------------------------------
    def __bool__(self):
        self._concrete("a truth test")

    def __iter__(self):
        self._concrete("iterating")

    def __len__(self):
        self._concrete("len()")

    def __contains__(self, item):
        self._concrete("`in`")

    def __index__(self):
        self._concrete("an integer use")

    def __int__(self):
        self._concrete("int()")

    def __float__(self):
        self._concrete("float()")


def _binary(symbol: str):
    def op(self, other):
        return self._derive(f"({self._name} {symbol} ...)")

    def rop(self, other):
        return self._derive(f"(... {symbol} {self._name})")

    return op, rop


for _name, _symbol in (
    ("add", "+"), ("sub", "-"), ("mul", "*"), ("truediv", "/"), ("floordiv", "//"), ("mod", "%"),
    ("pow", "**"), ("matmul", "@"), ("lshift", "<<"), ("rshift", ">>"), ("and", "&"), ("or", "|"),
    ("xor", "^"),
):  # fmt: skip
    _op, _rop = _binary(_symbol)
    setattr(Unknown, f"__{_name}__", _op)
    setattr(Unknown, f"__r{_name}__", _rop)

for _name, _symbol in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")):
    setattr(Unknown, f"__{_name}__", _binary(_symbol)[0])

for _name, _symbol in (("neg", "-"), ("pos", "+"), ("invert", "~"), ("abs", "abs")):
    setattr(Unknown, f"__{_name}__", lambda self, _s=_symbol: self._derive(f"{_s}({self._name})"))
