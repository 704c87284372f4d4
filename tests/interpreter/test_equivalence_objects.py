"""The interpreter against CPython, classes and standard modules: each program runs under real ``exec`` (this test's own trusted
source) and under ``run_source``; ``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "custom_exceptions": """
        class ShapeProblem(ValueError):
            def __init__(self, got, want):
                super().__init__(f"got {got}, want {want}")
                self.got = got
        try:
            raise ShapeProblem(3, 4)
        except ValueError as e:
            caught = (str(e), e.got, isinstance(e, ShapeProblem))
        def reraise():
            try:
                raise KeyError("inner")
            except KeyError:
                raise
        try:
            reraise()
        except KeyError as e:
            again = str(e)
        try:
            try:
                raise ValueError("a")
            except ValueError as e:
                raise RuntimeError("b") from e
        except RuntimeError as e:
            chained = str(e)
        result = (caught, again, chained)
    """,
    "classes_basic": """
        class Counter:
            total = 0
            def __init__(self, start=0):
                self.value = start
                Counter.total += 1
            def inc(self, n=1):
                self.value += n
                return self
            def __repr__(self):
                return f"Counter({self.value})"
        a = Counter().inc().inc(5)
        b = Counter(10)
        result = (a.value, b.value, Counter.total, repr(a), str(b), len([a, b]))
    """,
    "inheritance_super": """
        class Base:
            def __init__(self, name):
                self.name = name
            def describe(self):
                return "base:" + self.name
            def kind(self):
                return "base"
        class Mid(Base):
            def describe(self):
                return "mid(" + super().describe() + ")"
        class Leaf(Mid):
            def __init__(self):
                super(Leaf, self).__init__("leaf")
            def describe(self):
                return "leaf[" + super().describe() + "]"
            def kind(self):
                return "leaf/" + Base.kind(self)
        x = Leaf()
        result = (x.describe(), x.kind(), isinstance(x, Base), issubclass(Leaf, Mid), x.name)
    """,
    "multiple_inheritance": """
        class A:
            def who(self):
                return ["A"]
        class B(A):
            def who(self):
                return ["B"] + super().who()
        class C(A):
            def who(self):
                return ["C"] + super().who()
        class D(B, C):
            def who(self):
                return ["D"] + super().who()
        result = D().who()
    """,
    "properties": """
        class Temp:
            def __init__(self):
                self._c = 0
            @property
            def celsius(self):
                return self._c
            @celsius.setter
            def celsius(self, v):
                if v < -273:
                    raise ValueError("too cold")
                self._c = v
            @property
            def fahrenheit(self):
                return self._c * 9 / 5 + 32
        t = Temp()
        t.celsius = 100
        try:
            t.celsius = -300
        except ValueError as e:
            err = str(e)
        result = (t.celsius, t.fahrenheit, err)
    """,
    "class_and_static_methods": """
        class Shape:
            sides = 0
            registry = []
            def __init__(self, size):
                self.size = size
            @classmethod
            def make(cls, size):
                obj = cls(size)
                cls.registry.append(cls.sides)
                return obj
            @staticmethod
            def area_of(size):
                return size * size
        class Square(Shape):
            sides = 4
        s = Square.make(3)
        result = (type(s) is Square, s.size, Shape.area_of(4), s.area_of(2), Shape.registry)
    """,
    "dunder_methods": """
        class Vec:
            def __init__(self, *xs):
                self.xs = list(xs)
            def __add__(self, other):
                return Vec(*[a + b for a, b in zip(self.xs, other.xs)])
            def __mul__(self, k):
                return Vec(*[a * k for a in self.xs])
            __rmul__ = __mul__
            def __len__(self):
                return len(self.xs)
            def __getitem__(self, i):
                return self.xs[i]
            def __iter__(self):
                return iter(self.xs)
            def __eq__(self, other):
                return isinstance(other, Vec) and self.xs == other.xs
            def __contains__(self, v):
                return v in self.xs
            def __call__(self, i):
                return self.xs[i] * 100
            def __bool__(self):
                return any(self.xs)
            def __neg__(self):
                return self * -1
        v = Vec(1, 2) + Vec(3, 4)
        w = 2 * v
        result = (v.xs, w.xs, len(v), v[1], list(v), v == Vec(4, 6), 6 in v, v(0), bool(Vec(0)), (-v).xs, v[-1:])
    """,
    "dataclasses": """
        from dataclasses import dataclass, field, asdict
        @dataclass
        class Config:
            name: str
            layers: int = 2
            sizes: list = field(default_factory=list)
            def total(self):
                return self.layers * 10
        @dataclass(frozen=True)
        class Point:
            x: int
            y: int = 0
        @dataclass
        class Config3D(Config):
            depth: int = 3
            def __post_init__(self):
                self.layers += self.depth
        c = Config("net", sizes=[1])
        d = Config3D("deep")
        p = Point(1)
        try:
            p.x = 5
            frozen = False
        except AttributeError:
            frozen = True
        result = (repr(c), c.total(), c == Config("net", 2, [1]), d.layers, asdict(c), frozen, hash(p) == hash(Point(1, 0)),
                  repr(d))
    """,
    "class_attributes_and_loops": """
        class Bottleneck:
            expansion = 4
        class Block:
            expansion = 1
        def make_layers(block, cfg):
            layers = []
            in_planes = 64
            for planes, n in cfg:
                for i in range(n):
                    layers.append((in_planes, planes * block.expansion))
                    in_planes = planes * block.expansion
            return layers
        result = (make_layers(Bottleneck, [(64, 2), (128, 1)]), make_layers(Block, [(32, 1)]))
    """,
    "math_module": """
        import math
        result = (math.floor(2.7), math.ceil(2.1), math.sqrt(16), math.prod([2, 3, 4]), math.log2(8), math.gcd(12, 18),
                  math.isqrt(17), math.pi > 3, math.inf > 1e308, math.exp(0), math.log(math.e), math.factorial(10),
                  math.comb(5, 2))
    """,
    "functools_typing": """
        import functools
        from functools import partial, reduce
        from typing import Optional, List, Dict, Tuple
        import operator
        def scale(x, factor=1, shift=0):
            return x * factor + shift
        double = partial(scale, factor=2)
        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*args):
                return ("wrapped", fn(*args))
            return wrapper
        @deco
        def ident(x: Optional[int] = None) -> List[int]:
            return x
        Alias = Dict[str, Tuple[int, ...]]
        result = (double(3), double(3, shift=1), reduce(operator.mul, [1, 2, 3, 4]), reduce(lambda a, b: a + b, "abc"),
                  ident(5))
    """,
    "collections_module": """
        from collections import OrderedDict, defaultdict, namedtuple
        od = OrderedDict()
        od["b"] = 1
        od["a"] = 2
        dd = defaultdict(list)
        for k, v in [("x", 1), ("y", 2), ("x", 3)]:
            dd[k].append(v)
        P = namedtuple("P", ["x", "y"])
        p = P(1, y=2)
        result = (list(od.items()), dict(dd), p.x + p.y, p, tuple(p), p == (1, 2))
    """,
    "decorators_user": """
        registry = {}
        def register(name):
            def wrap(cls):
                registry[name] = cls
                return cls
            return wrap
        def twice(fn):
            def inner(*a, **k):
                return fn(*a, **k) * 2
            return inner
        @register("net")
        class Net:
            @twice
            def size(self):
                return 21
        result = (registry["net"] is Net, Net().size())
    """,
    "with_statement": """
        log = []
        class Ctx:
            def __init__(self, name, swallow=False):
                self.name = name
                self.swallow = swallow
            def __enter__(self):
                log.append("enter " + self.name)
                return self.name.upper()
            def __exit__(self, kind, value, tb):
                log.append("exit " + self.name + (" error" if kind else ""))
                return self.swallow
        with Ctx("a") as a, Ctx("b") as b:
            log.append(a + b)
        with Ctx("c", swallow=True):
            raise ValueError("hidden")
        try:
            with Ctx("d"):
                raise KeyError("shown")
        except KeyError:
            log.append("caught")
        result = log
    """,
    "iter_next_protocol": """
        class Countdown:
            def __init__(self, n):
                self.n = n
            def __iter__(self):
                return self
            def __next__(self):
                if self.n <= 0:
                    raise StopIteration
                self.n -= 1
                return self.n
        it = iter([1, 2])
        result = (list(Countdown(3)), next(it), next(it), next(it, None), [x for x in Countdown(2)])
    """,
    "nested_functions_and_classes": """
        def make():
            class Local:
                scale = 3
                def run(self, x):
                    def helper(y):
                        return y * self.scale
                    return helper(x)
            return Local()
        def compose(*fns):
            def run(x):
                for f in reversed(fns):
                    x = f(x)
                return x
            return run
        result = (make().run(4), compose(lambda x: x + 1, lambda x: x * 2)(5))
    """,
    "attribute_hooks": """
        class Recorder:
            def __init__(self):
                object.__setattr__(self, "log", [])
            def __setattr__(self, name, value):
                self.log.append(name)
                super().__setattr__(name, value)
            def __getattr__(self, name):
                return "default-" + name
        r = Recorder()
        r.a = 1
        setattr(r, "b", 2)
        result = (r.log, r.a, r.b, r.missing, getattr(r, "other"))
    """,
    "chained_methods_and_getattr": """
        class Layer:
            def __init__(self, n):
                self.n = n
        class Model:
            def __init__(self):
                self.layers = [Layer(i) for i in range(3)]
                setattr(self, "extra", Layer(9))
            def names(self):
                return [getattr(l, "n") for l in self.layers] + [getattr(self, "missing", -1)]
        m = Model()
        result = (m.names(), m.extra.n, hasattr(m, "layers"), hasattr(m, "nope"))
    """,
    "super_in_classmethod_and_nested": """
        class Base:
            @classmethod
            def create(cls, n):
                return ["base", n]
            def scaled(self, k):
                return k
        class Child(Base):
            @classmethod
            def create(cls, n):
                return ["child"] + super().create(n * 2)
            def scaled(self, k):
                helper = lambda v: super(Child, self).scaled(v) + 1
                return [helper(i) for i in range(k)]
        result = (Child.create(3), Child().scaled(3))
    """,
    "class_namespace_rules": """
        x = "module"
        class C:
            x = "class"
            y = x + "!"
            def method(self):
                return x
            items = [1, 2]
            doubled = [i * 2 for i in items]
        class D(C):
            y = "override"
        result = (C.y, C().method(), C.doubled, D.y, D.x, D().method())
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
