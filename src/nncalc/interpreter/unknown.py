"""Opaque values for what nncalc does not know: ``import torchvision``, ``from mylib import Block``.

An :class:`Unknown` absorbs attribute access, calls, indexing and arithmetic (each giving a longer-named
Unknown), so a file that imports a helper it never really needs still reads. It fails only where a concrete
value is needed — a truth test, iteration, ``len``, ``int`` — with an :class:`InterpreterError` naming the
import it came from.
"""

from __future__ import annotations

from nncalc.errors import InterpreterError, Location


class Unknown:
    """A value nncalc cannot know; ``name`` says what it stands for (``"mylib.Block(...)"``).

    ``origin`` is where the unknown import happened; values derived from an Unknown keep it.
    """

    __slots__ = ("_name", "_origin", "_root")

    def __init__(self, name: str, origin: Location | None = None, root: str | None = None):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_root", root or name)

    def _derive(self, name: str) -> "Unknown":
        return Unknown(name, self._origin, self._root)

    def _concrete(self, what: str):
        where = f" (imported at line {self._origin.line})" if self._origin else ""
        raise InterpreterError(
            f"`{self._name}` comes from `{self._root}`{where}, which nncalc does not know; {what} needs its value",
            hint=f"nncalc reads only torch, keras and a few standard modules; avoid `{self._root}` here",
        )

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
