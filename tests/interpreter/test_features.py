"""Behaviour that is the interpreter's own (not comparable with CPython): warnings, placeholders, eager
generators, unknown star imports."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.errors import InterpreterError
from nncalc.interpreter import Unknown, default_modules, run_source


def run(source: str, **kwargs):
    return run_source(textwrap.dedent(source), "model.py", modules=kwargs.pop("modules", {}), **kwargs)


def test_warnings_collects_the_files_own_warnings():
    ns = run(
        """
        import warnings
        warnings.simplefilter("ignore")
        warnings.warn("old API", DeprecationWarning)
        """
    )
    assert [(w.message, w.location.line) for w in ns.warnings] == [("the file warns: old API", 4)]


def test_print_does_nothing():
    ns = run("print('hello', 1, sep='-')\nx = 1\n")
    assert ns["x"] == 1


def test_typing_placeholders_evaluate():
    ns = run(
        """
        from typing import Any, Callable, Generic, Optional, Sequence, TypeVar, Union, TYPE_CHECKING
        import typing as t
        T = TypeVar("T")
        Alias = Union[int, Optional[Sequence[int]]]
        Fn = Callable[[int], t.List[int]]
        class Box(Generic[T]):
            def __init__(self, v: T):
                self.v = v
        if TYPE_CHECKING:
            from nowhere import Missing
        x = t.cast(int, "kept")
        ok = isinstance([1], Sequence) and Box(3).v == 3
        """
    )
    assert ns["x"] == "kept" and ns["ok"] is True and "Missing" not in ns


def test_generators_run_eagerly():
    ns = run(
        """
        log = []
        def gen():
            log.append("start")
            yield 1
            log.append("after first")
            yield 2
        g = gen()
        seen_before_iterating = list(log)
        first = next(g)
        """
    )
    assert ns["seen_before_iterating"] == ["start", "after first"]  # CPython would give []
    assert ns["first"] == 1


def test_yield_value_is_none():
    ns = run("def g():\n    got = yield 1\n    yield got\nr = list(g())\n")
    assert ns["r"] == [1, None]


def test_unknown_star_import_makes_missing_names_unknown():
    ns = run("from mylib.layers import *\nblock = ResBlock(64)\n")
    assert isinstance(ns["block"], Unknown) and "mylib.layers" in repr(ns["block"])
    assert any("from mylib.layers import *" in w.message for w in ns.warnings)


def test_missing_name_from_a_provided_module_is_unknown_with_warning():
    ns = run("from math import does_not_exist\nx = does_not_exist\n")
    assert isinstance(ns["x"], Unknown)
    assert "has no `does_not_exist`" in ns.warnings[0].message


def test_unknown_operations_build_names():
    ns = run("import cfg\nx = (cfg.width * 2)[0].f(1)\ny = -cfg.depth\nwith cfg.scope():\n    z = 1\n")
    assert repr(ns["x"]) == "<unknown (cfg.width * ...)[...].f(...)>"
    assert isinstance(ns["y"], Unknown) and ns["z"] == 1


def test_int_and_len_of_an_unknown_are_unknown_until_a_value_is_needed():
    ns = run("import cfg\nn = int(cfg.layers)\nm = len(cfg.blocks)\n")
    assert isinstance(ns["n"], Unknown) and isinstance(ns["m"], Unknown)
    with pytest.raises(InterpreterError, match=r"`n` \(line 2\) = `int\(cfg.layers\)`, from `import cfg` \(line 1\)"):
        run("import cfg\nn = int(cfg.layers)\nif n > 2:\n    pass\n")


def test_a_class_with_an_unknown_base_is_defined_and_what_the_base_gives_is_unknown():
    ns = run("import mylib\nclass M(mylib.Base):\n    def size(self):\n        return 3\nm = M(1, key=2)\n"
             "n = m.size()\nx = m.helper\n")
    assert ns["n"] == 3 and isinstance(ns["x"], Unknown) and "mylib" in ns["x"]._describe()


def test_dataclass_rules():
    with pytest.raises(InterpreterError, match="mutable default"):
        run("from dataclasses import dataclass\n@dataclass\nclass C:\n    xs: list = []\n")
    with pytest.raises(InterpreterError, match="non-default argument 'b' follows default argument"):
        run("from dataclasses import dataclass\n@dataclass\nclass C:\n    a: int = 1\n    b: int\n")
    ns = run(
        """
        from dataclasses import dataclass, field, fields, replace
        from typing import ClassVar
        @dataclass(order=True)
        class V:
            major: int
            minor: int = 0
            count: ClassVar[int] = 0
            tags: list = field(default_factory=list, compare=False)
        names = [f.name for f in fields(V)]
        bigger = V(2) > V(1, 9)
        bumped = replace(V(1), minor=5)
        """
    )
    assert ns["names"] == ["major", "minor", "tags"] and ns["bigger"] is True and ns["bumped"].minor == 5


def test_namedtuple_subclass():
    ns = run(
        """
        from collections import namedtuple
        class Shape(namedtuple("Shape", "c h w")):
            def numel(self):
                return self.c * self.h * self.w
        s = Shape(3, 4, 5)
        r = (s.numel(), s._replace(c=1).numel(), s._asdict()["h"], s[2])
        """
    )
    assert ns["r"] == (60, 20, 4, 5)


def test_itertools_and_operator():
    ns = run(
        """
        import itertools, operator, functools
        pairs = list(itertools.product([1, 2], "ab"))
        chained = list(itertools.chain([1], (2, 3), itertools.repeat(0, 2)))
        running = list(itertools.accumulate([1, 2, 3]))
        counted = list(itertools.islice(itertools.count(5), 3))
        prod = functools.reduce(operator.mul, [2, 3, 4], 1)
        getter = operator.itemgetter(1)
        """
    )
    assert ns["pairs"] == [(1, "a"), (1, "b"), (2, "a"), (2, "b")]
    assert ns["chained"] == [1, 2, 3, 0, 0] and ns["running"] == [1, 3, 6] and ns["counted"] == [5, 6, 7]
    assert ns["prod"] == 24 and ns["getter"]([7, 8]) == 8


def test_copy_module():
    ns = run(
        """
        import copy
        class Layer:
            def __init__(self, w):
                self.w = [w]
        a = Layer(1)
        clones = [copy.deepcopy(a) for _ in range(3)]
        clones[0].w.append(2)
        shallow = copy.copy([1, [2]])
        r = (a.w, clones[0].w, clones[1].w, shallow)
        """
    )
    assert ns["r"] == ([1], [1, 2], [1], [1, [2]])


def test_abc_and_abstractmethod():
    ns = run(
        """
        from abc import ABC, abstractmethod
        class Base(ABC):
            @abstractmethod
            def size(self):
                ...
        class Impl(Base):
            def size(self):
                return 3
        r = Impl().size()
        """
    )
    assert ns["r"] == 3


def test_default_modules_can_be_removed():
    ns = run("import math\n", modules={"math": None})
    assert isinstance(ns["math"], Unknown)
    assert "math" in default_modules() and "os" not in default_modules()


def test_module_docstring_and_name():
    ns = run('"""My model."""\nd = __doc__\nn = __name__\n')
    assert ns["d"] == "My model." and ns["n"] == "model"


def test_open_gives_an_unknown_file_and_reads_nothing():
    ns = run("with open('/etc/passwd') as f:\n    lines = f.read().splitlines()\nn = len(lines)\n")
    assert isinstance(ns["n"], Unknown) and "never reads" in ns["n"]._describe()
