"""Opaque values for what nncalc does not know: ``import torchvision``, ``from mylib import Block``.

An :class:`Unknown` absorbs attribute access, calls, indexing and arithmetic (each giving a longer-named
Unknown), so a file that imports a helper it never really needs still reads. It fails only where a concrete
value is needed — a truth test, iteration, ``len``, ``int`` — with an :class:`InterpreterError` naming the
import it came from.
"""

from __future__ import annotations

from nncalc import location as _location
from nncalc.errors import InterpreterError, Location


class UnknownValueError(InterpreterError):
    """A use that needs the real value of an :class:`Unknown` (``unknown`` and ``what`` say which and how)."""

    unknown = None
    what = ""


class Unknown:
    """A value nncalc cannot know; ``name`` says what it stands for, as the file wrote it (``"cfg.hidden"``).

    ``origin`` is where the unknown import happened and ``source`` that import statement (``"import mylib"``);
    ``root`` is what it comes from when there is no statement (``"mylib"``); ``reason`` replaces "which nncalc
    does not read" (``"but nncalc's `collections` has no `Counter`"``) and ``fix`` the advice that ends the
    error. Values derived from an Unknown keep all of them. Host code may call :meth:`_concrete` (raise the
    error for a use that needs the value) and :meth:`_explain` (the "comes from" sentence, for its own
    messages).
    """

    __slots__ = ("_name", "_origin", "_root", "_source", "_reason", "_fix", "_chain", "_var")

    def __init__(
        self,
        name: str,
        origin: Location | None = None,
        root: str | None = None,
        *,
        source: str | None = None,
        reason: str | None = None,
        fix: str | None = None,
        chain: tuple = (),
    ):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_reason", reason)
        object.__setattr__(self, "_fix", fix)
        object.__setattr__(self, "_chain", chain)
        object.__setattr__(self, "_var", None)

    def _derive(self, name: str) -> "Unknown":
        return Unknown(
            name, self._origin, self._root, source=self._source, reason=self._reason, fix=self._fix, chain=self._chain
        )

    def _bind(self, name: str, line: int) -> "Unknown":
        """The same unknown, stored in the module-level variable ``name`` at ``line``: messages then name the
        variable (the one ``--set`` can give a value) and the bindings it passed through."""
        if self._var == name:
            return self
        bound = self._derive(self._name)
        object.__setattr__(bound, "_chain", (*self._chain, (name, line, self._ref())))
        object.__setattr__(bound, "_var", name)
        return bound

    def _ref(self) -> str:
        """How derived values name this one: the variable it is held in, else its expression."""
        return self._var or self._name

    def _path(self) -> str:
        """``num_classes`` (line 12) = ``len(class_names)``, ``class_names`` (line 11) = ``os.listdir(d)``."""
        return ", ".join(f"`{name}` ({line if isinstance(line, str) else f'line {line}'}) = `{text}`"
                         for name, line, text in reversed(self._chain))

    def _set_fix(self) -> str | None:
        """``--set num_classes=…`` for the nearest module-level variable, or None."""
        if self._var:
            return f"--set {self._var}=…"
        if self._chain:
            var = self._chain[-1][0]
            rest = self._name[len(var) + 1 :] if self._name.startswith(var + ".") else ""
            if rest and all(part.isidentifier() for part in rest.split(".")):
                return f"--set {self._name}=…"
            return f"--set {var}=…"
        return None

    def _whence(self) -> str | None:
        """The statement the value comes from (`import os` (line 1)), or None."""
        if self._source or self._origin is not None:
            line = f" (line {self._origin.line})" if self._origin is not None else ""
            return f"`{self._source or self._root or self._name}`{line}"
        return f"`{self._root}`" if self._root is not None else None

    def _explain(self) -> str:
        """The "comes from" sentence: `cfg.hidden` comes from `import mylib` (line 3), which nncalc does not read."""
        whence = self._whence()
        if whence is None:
            return f"`{self._name}` is {self._reason or 'a value nncalc does not compute'}"
        return f"`{self._name}` comes from {whence}, {self._reason or 'which nncalc does not read'}"

    def _full_explain(self) -> str:
        """The whole chain: the variables the value passed through, then where it comes from."""
        if not self._chain:
            return self._explain()
        root = self._chain[0][2]
        origin = Unknown(root, self._origin, self._root, source=self._source, reason=self._reason)
        return f"{self._path()}; {origin._explain()}"

    def _describe(self) -> str:
        """The value as a noun phrase: `num_classes` (line 6) = `len(class_names)`, from `import os` (line 1),
        which nncalc does not read."""
        head = f"`{self._name}`"
        if self._chain:
            head = self._path() if self._var else f"{head}, where {self._path()}"
        whence = self._whence()
        if whence is None:
            return f"{head}, {self._reason or 'a value nncalc does not compute'}"
        return f"{head}, from {whence}, {self._reason or 'which nncalc does not read'}"

    def _fix_text(self) -> str:
        if self._fix:
            return self._fix
        set_fix = self._set_fix()
        if set_fix:
            return f"give it a value with {set_fix} (or `# nncalc: set {set_fix[6:]}` in the file)"
        if not (self._source or self._origin or self._root):
            return "use a literal value"
        return "pass the value or inline it"

    def _concrete(self, what: str):
        """Raise the error for ``what`` (``"a truth test"``, ``"int()"``), a use that needs the real value."""
        here = _location.current_location()
        at = f" at line {here.line}" if here is not None else ""
        if self._chain:
            message = f"{what}{at} needs the value of {self._describe()}: {self._fix_text()}"
        else:
            message = f"{self._explain()}; {what}{at} needs its value: {self._fix_text()}"
        error = UnknownValueError(message)
        error.unknown = self
        error.what = what
        raise error

    # ----- absorbed -----------------------------------------------------------------------------------
    def __getattr__(self, name: str) -> "Unknown":
        if name.startswith("_"):
            raise AttributeError(name)
        return self._derive(f"{self._ref()}.{name}")

    def __setattr__(self, name: str, value) -> None:
        pass

    def __delattr__(self, name: str) -> None:
        pass

    def __call__(self, *args, **kwargs) -> "Unknown":
        return self._derive(f"{self._ref()}(...)")

    def __getitem__(self, key) -> "Unknown":
        return self._derive(f"{self._ref()}[...]")

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
        return self._derive(f"({self._ref()} {symbol} ...)")

    def rop(self, other):
        return self._derive(f"(... {symbol} {self._ref()})")

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
    setattr(Unknown, f"__{_name}__", lambda self, _s=_symbol: self._derive(f"{_s}({self._ref()})"))
