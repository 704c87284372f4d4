"""The interpreter against CPython, records: dataclasses (defaults, ``field(default_factory=…)``, ``__post_init__``,
frozen, ordering, inheritance, keyword-only), ``namedtuple`` and ``typing.NamedTuple``, annotations, written the way
model files use them. Each program runs under real ``exec`` (this test's own trusted source) and under
``run_source``; ``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "dataclass_defaults_factory_post_init": """
        from dataclasses import dataclass, field, asdict, replace, fields
        @dataclass
        class StageCfg:
            blocks: int
            channels: int = 64
            strides: list = field(default_factory=list)
            name: str = field(default="stage", repr=False)
            total: int = field(init=False, default=0)
            def __post_init__(self):
                if not self.strides:
                    self.strides = [2] + [1] * (self.blocks - 1)
                self.total = self.blocks * self.channels
        a = StageCfg(3)
        b = StageCfg(2, 128, [1, 1])
        c = replace(a, channels=32)
        d = StageCfg(3)
        d.strides.append(9)
        result = (repr(a), asdict(b), repr(c), a == StageCfg(3), a.strides is d.strides, a.strides,
                  [f.name for f in fields(a)], c.total)
    """,
    "dataclass_frozen_and_ordering": """
        from dataclasses import dataclass, FrozenInstanceError
        @dataclass(frozen=True, order=True)
        class Version:
            major: int
            minor: int = 0
        v = Version(1, 2)
        try:
            v.major = 3
            status = "changed"
        except FrozenInstanceError:
            status = "frozen"
        except AttributeError:
            status = "attribute error"
        result = (status, v < Version(1, 3), sorted([Version(2), v, Version(1)]) == [Version(1), v, Version(2)],
                  hash(v) == hash(Version(1, 2)), len({v, Version(1, 2)}), repr(max(Version(0, 9), v)))
    """,
    "dataclass_inheritance": """
        from dataclasses import dataclass, field
        @dataclass
        class Base:
            in_ch: int
            out_ch: int = 16
        @dataclass
        class Conv(Base):
            kernel: int = 3
            tags: dict = field(default_factory=dict)
            @property
            def params(self):
                return self.kernel ** 2 * self.in_ch * self.out_ch + self.out_ch
        c = Conv(3, 8, tags={"a": 1})
        result = (repr(c), c.params, Conv(3).params, isinstance(c, Base), Conv(1) == Conv(1), Conv(1) == Base(1))
    """,
    "dataclass_kw_only_and_lambda_factory": """
        from dataclasses import dataclass, field, astuple, is_dataclass
        @dataclass(kw_only=True)
        class Opt:
            lr: float
            betas: tuple = (0.9, 0.999)
            sched: list = field(default_factory=lambda: ["warmup", "cosine"])
        @dataclass
        class Mixed:
            a: int
            b: int = field(default=2, kw_only=True)
            c: int = 3
        o = Opt(lr=0.1)
        try:
            Opt(0.1)
            pos = "accepted"
        except TypeError:
            pos = "TypeError"
        result = (repr(o), o.sched, pos, repr(Mixed(1, 5)), repr(Mixed(1, c=4, b=0)), astuple(Mixed(1)),
                  is_dataclass(o),
                  is_dataclass(Opt), is_dataclass(3))
    """,
    "dataclass_errors": """
        from dataclasses import dataclass, field
        msgs = []
        try:
            @dataclass
            class Bad:
                a: list = []
        except ValueError as e:
            msgs.append(str(e))
        try:
            @dataclass
            class Bad2:
                a: int = 1
                b: int
        except TypeError as e:
            msgs.append(str(e))
        @dataclass
        class P:
            x: int
            y: int
        try:
            P(1)
        except TypeError as e:
            msgs.append(str(e))
        try:
            P(1, 2, 3)
        except TypeError as e:
            msgs.append(str(e))
        try:
            P(1, z=2)
        except TypeError as e:
            msgs.append(str(e))
        result = msgs
    """,
    "dataclass_classvar_and_methods": """
        from dataclasses import dataclass, fields
        from typing import ClassVar
        @dataclass
        class Block:
            expansion: ClassVar[int] = 4
            planes: int = 64
            stride: int = 1
            def out(self):
                return self.planes * self.expansion
            @classmethod
            def wide(cls):
                return cls(planes=128)
        result = (Block().out(), Block.wide().out(), [f.name for f in fields(Block)], repr(Block(stride=2)),
                  Block.expansion)
    """,
    "dataclass_eq_hash_default": """
        from dataclasses import dataclass
        @dataclass
        class A:
            x: int = 0
        @dataclass(eq=False)
        class B:
            x: int = 0
        @dataclass(unsafe_hash=True)
        class C:
            x: int = 0
        try:
            hash(A())
            ha = "hashable"
        except TypeError:
            ha = "unhashable"
        result = (ha, B() == B(), hash(C(1)) == hash(C(1)), A(1) == A(1), A(1) != A(2))
    """,
    "namedtuple_usage": """
        from collections import namedtuple
        Spec = namedtuple("Spec", ["kernel", "channels", "stride"])
        Opt = namedtuple("Opt", "name lr momentum", defaults=[0.9])
        s = Spec(3, 64, stride=2)
        k, c, st = s
        o = Opt("sgd", 0.1)
        specs = [Spec(3, 32, 1), Spec(1, 64, 2)]
        result = (s, repr(s), s.kernel, s[1], k + c + st, s._asdict(), s._replace(stride=1), Spec._fields,
                  o, o.momentum, [sp.channels * sp.stride for sp in specs], s == (3, 64, 2), len(s), tuple(s))
    """,
    "namedtuple_subclass_and_methods": """
        from collections import namedtuple
        class Point(namedtuple("Point", "x y")):
            def norm2(self):
                return self.x ** 2 + self.y ** 2
            def __repr__(self):
                return f"P({self.x}, {self.y})"
        p = Point(3, 4)
        q = p._replace(x=0)
        Pair = namedtuple("Pair", ["a", "b"], defaults=[None])
        result = (p.norm2(), repr(q), isinstance(p, tuple), Pair(1), Point._make([1, 2]),
                  sorted([Point(2, 1), Point(1, 5)]), p + (5,), max(Point(1, 2)), dict(zip(p._fields, p)))
    """,
    "typing_namedtuple_class": """
        from typing import NamedTuple
        class Spec(NamedTuple):
            kernel: int
            channels: int = 64
        s = Spec(3)
        result = (s, s.channels, s._asdict(), s._replace(kernel=5))
    """,
    "typing_annotations_ignored": """
        from typing import List, Optional, Tuple, Dict, Union, Callable, Any
        def build(channels: List[int], act: Optional[str] = None, *rest: int, **kw: Any) -> Tuple[int, ...]:
            out: List[int] = []
            for c in channels:
                out.append(c * 2)
            total: int
            return tuple(out)
        class Cfg:
            depth: int = 3
            widths: Dict[str, int] = {"a": 1}
            hook: Optional[Callable[[int], int]] = None
            maybe: Union[int, str] = "x"
        x: "ForwardRef" = 5
        result = (build([1, 2]), Cfg.depth, Cfg.widths, Cfg.hook, Cfg.maybe, x)
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
