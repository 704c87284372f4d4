"""Deliberately missing features: each is refused with the right error class, line and column."""

from __future__ import annotations

import sys
import textwrap

import pytest

from nncalc.errors import InterpreterError, LimitExceeded, SyntaxProblem, UnsupportedSyntax
from nncalc.interpreter import run_source


def fails(source: str, error: type, line: int, col: int, match: str | None = None):
    with pytest.raises(error, match=match) as info:
        run_source(textwrap.dedent(source), "m.py", modules={})
    assert (info.value.location.line, info.value.location.col) == (line, col), str(info.value)
    return info.value


UNSUPPORTED = [
    ("x = 1\nmatch x:\n    case 1:\n        pass\n", 2, 0, "match"),
    ("async def f():\n    pass\n", 1, 0, "async def"),
    ("y = 1\nawait y\n", 2, 0, "await"),
    ("async for x in y:\n    pass\n", 1, 0, "async for"),
    ("async with y:\n    pass\n", 1, 0, "async with"),
    ("class Meta:\n    pass\nclass A(metaclass=Meta):\n    pass\n", 3, 8, "metaclass"),
    ("class A(object, flag=True):\n    pass\n", 1, 16, "class keyword"),
    ("X = type('X', (), {})\n", 1, 4, "three arguments"),
    ("class A:\n    def __new__(cls):\n        pass\n", 1, 0, "__new__"),
    ("class A:\n    def __getattribute__(self, n):\n        pass\n", 1, 0, "__getattribute__"),
    ("x = [1]\ny = x.__dict__\n", 2, 4, "__dict__"),
    ("class A:\n    def f(self):\n        self.__secret = 1\nA().f()\n", 3, 8, "__secret"),
    ("m = __import__('os')\n", 1, 4, "__import__"),
    ("v = vars()\n", 1, 4, "vars"),
    ("c = compile('1', 'f', 'eval')\n", 1, 4, "compile"),
    ("i = input()\n", 1, 4, "input"),
    ("breakpoint()\n", 1, 0, "breakpoint"),
    ("help(len)\n", 1, 0, "help"),
    ("m = memoryview(b'x')\n", 1, 4, "memoryview"),
    ("d = dir()\n", 1, 4, "dir"),
    ("i = id(1)\n", 1, 4, "id"),
    ("raise SystemExit(1)\n", 1, 6, "SystemExit"),
    ("s = 'abc'.translate({97: 'b'})\n", 1, 4, "translate"),
]


if sys.version_info >= (3, 11):
    UNSUPPORTED.append(("try:\n    pass\nexcept* ValueError:\n    pass\n", 1, 0, r"except\*"))


@pytest.mark.parametrize("source, line, col, match", UNSUPPORTED, ids=[u[3] for u in UNSUPPORTED])
def test_unsupported_construct(source, line, col, match):
    fails(source, UnsupportedSyntax, line, col, match)


SYNTAX_PROBLEMS = [
    ("x = 1\nreturn x\n", 2, 0, "'return' outside function"),
    ("for i in range(2):\n    pass\nbreak\n", 3, 0, "'break' outside loop"),
    ("continue\n", 1, 0, "'continue' not properly in loop"),
    ("yield 1\n", 1, 0, "'yield' outside function"),
    ("def f():\n    return [(yield) for x in y]\n", 2, 13, "'yield' inside a comprehension"),
    ("nonlocal x\n", 1, 0, "nonlocal declaration not allowed at module level"),
    ("def f():\n    def g():\n        nonlocal q\n    return g\nf()\n", 2, 4, "no binding for nonlocal 'q'"),
    ("x = (1,\ny = 2\n", 1, 4, "invalid Python syntax"),
    ("def f(:\n    pass\n", 1, 6, "invalid Python syntax"),
    ("class A:\n    def f(self):\n        break\n", 3, 8, "'break' outside loop"),
]


@pytest.mark.parametrize("source, line, col, match", SYNTAX_PROBLEMS, ids=[s[3] for s in SYNTAX_PROBLEMS])
def test_invalid_python_is_a_syntax_problem(source, line, col, match):
    fails(source, SyntaxProblem, line, col, match)


def test_unsupported_construct_inside_an_uncalled_function_is_not_an_error():
    ns = run_source("def later(x):\n    match x:\n        case _:\n            pass\nok = 1\n", "m.py", modules={})
    assert ns["ok"] == 1


def test_unsupported_construct_in_called_function_reports_its_own_line():
    fails("def f(x):\n    y = 2\n    match x:\n        case _:\n            pass\nf(1)\n", UnsupportedSyntax, 3, 4)


def test_annotations_are_never_evaluated():
    ns = run_source(
        "def f(x: UndefinedType, *a: Nope, **k: Whatever) -> AlsoUndefined:\n    return x\n"
        "y: SomethingUnknown = f(3)\nclass C:\n    z: Missing[int] = 1\n",
        "m.py",
        modules={},
    )
    assert ns["y"] == 3 and ns["C"].z == 1


def test_uncaught_user_raise_is_interpreter_error_at_the_raise():
    err = fails("def check(n):\n    if n < 0:\n        raise ValueError('negative size')\ncheck(-1)\n", InterpreterError, 3, 8)
    assert err.message == "ValueError: negative size"


def test_name_error_is_interpreter_error():
    err = fails("x = 1\ny = undefined_name + x\n", InterpreterError, 2, 0)
    assert err.message == "NameError: name 'undefined_name' is not defined"


def test_unbound_local():
    fails("x = 1\ndef f():\n    y = x\n    x = 2\nf()\n", InterpreterError, 3, 4, "UnboundLocalError")


def test_bad_call_arguments_have_python_messages():
    err = fails("def f(a, b=1, *, c):\n    pass\nf(1, 2, 3)\n", InterpreterError, 3, 0)
    assert err.message == "TypeError: f() takes from 1 to 2 positional arguments but 3 were given"
    err = fails("def f(a, b):\n    pass\nf(1)\n", InterpreterError, 3, 0)
    assert err.message == "TypeError: f() missing 1 required positional argument: 'b'"
    err = fails("def f(a, *, c):\n    pass\nf(1)\n", InterpreterError, 3, 0)
    assert err.message == "TypeError: f() missing 1 required keyword-only argument: 'c'"
    err = fails("def f(a):\n    pass\nf(1, z=2)\n", InterpreterError, 3, 0)
    assert err.message == "TypeError: f() got an unexpected keyword argument 'z'"
    err = fails("def f(a):\n    pass\nf(1, a=2)\n", InterpreterError, 3, 0)
    assert err.message == "TypeError: f() got multiple values for argument 'a'"


def test_unpacking_errors():
    fails("a, b = [1, 2, 3]\n", InterpreterError, 1, 0, "too many values to unpack")
    fails("a, b, *c = [1]\n", InterpreterError, 1, 0, "not enough values to unpack")


def test_deep_nesting_in_source_is_a_limit_not_a_crash():
    with pytest.raises(LimitExceeded):
        run_source("x = " + "[" * 10_000 + "]" * 10_000 + "\n", "m.py", modules={})
    with pytest.raises(LimitExceeded):
        run_source("x = " + "-" * 100_000 + "1\n", "m.py", modules={})
    with pytest.raises(LimitExceeded):
        run_source("x = 1" + " + 1" * 100_000 + "\n", "m.py", modules={})


@pytest.mark.parametrize("body", ["def __del__(self):\n        pass", "__slots__ = ('x',)",
                                  "def __init_subclass__(cls):\n        pass", "def __getstate__(self):\n        return 1"])
def test_special_names_python_only_uses_for_pickling_or_hooks_are_dropped(body):
    ns = run_source(f"class A:\n    {body}\na = A()\n", "m.py", modules={})
    assert type(ns["a"]).__name__ == "A" and any("ignored" in str(w) for w in ns.warnings)
