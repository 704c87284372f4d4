"""The interpreter against CPython, classes: MRO with diamonds, ``super()`` chains, class versus instance attributes,
properties and ``cached_property``, class and static methods, written the way model files use them. Each program
runs under real ``exec`` (this test's own trusted source) and under ``run_source``; ``result`` must come out the
same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "diamond_mro_super_chain": """
        log = []
        class Base:
            def __init__(self, **kw):
                log.append("Base")
                self.kw = kw
        class Left(Base):
            def __init__(self, left=1, **kw):
                log.append("Left")
                self.left = left
                super().__init__(**kw)
        class Right(Base):
            def __init__(self, right=2, **kw):
                log.append("Right")
                self.right = right
                super().__init__(**kw)
        class Bottom(Left, Right):
            def __init__(self, **kw):
                log.append("Bottom")
                super().__init__(**kw)
        b = Bottom(left=10, right=20, extra=3)
        mro = [c.__name__ for c in Bottom.mro()]
        result = (log, b.left, b.right, b.kw, mro, isinstance(b, Right), issubclass(Bottom, Base))
    """,
    "super_chain_three_levels": """
        class Layer:
            def describe(self):
                return ["Layer"]
            def params(self):
                return 0
        class Conv(Layer):
            def __init__(self, c_in, c_out, k):
                self.c_in, self.c_out, self.k = c_in, c_out, k
            def describe(self):
                return super().describe() + ["Conv"]
            def params(self):
                return super().params() + self.k * self.k * self.c_in * self.c_out
        class BiasConv(Conv):
            def describe(self):
                return super().describe() + ["BiasConv"]
            def params(self):
                return super().params() + self.c_out
        class NamedBiasConv(BiasConv):
            def __init__(self, name, *args):
                super().__init__(*args)
                self.name = name
            def describe(self):
                return [self.name] + super(NamedBiasConv, self).describe()
        layer = NamedBiasConv("conv1", 3, 8, 3)
        result = (layer.describe(), layer.params(), BiasConv(8, 16, 3).params())
    """,
    "super_two_argument_in_nested_functions": """
        class A:
            def f(self): return "A"
        class B(A):
            def f(self):
                g = lambda: super(B, self).f() + "B"
                def inner():
                    return super(B, self).f()
                return g(), inner(), [super(B, self).f() for _ in range(2)]
        result = B().f()
    """,
    "super_zero_in_inner_def": """
        class A:
            def f(self): return "A"
        class B(A):
            def f(self):
                def inner():
                    return super().f()
                try:
                    return inner()
                except RuntimeError as e:
                    return "RuntimeError"
                except TypeError as e:
                    return "TypeError"
        result = B().f()
    """,
    "super_property_and_classmethod": """
        class A:
            @property
            def size(self): return 1
            @classmethod
            def make(cls): return cls.__name__
        class B(A):
            @property
            def size(self): return super().size + 10
            @classmethod
            def make(cls): return "B:" + super().make()
        result = (B().size, B.make(), A.make())
    """,
    "method_resolution_overrides": """
        class A:
            name = "A"
            def who(self):
                return "A.who"
            def call_who(self):
                return self.who()
        class B(A):
            def who(self):
                return "B.who"
        class C(A):
            name = "C"
        class D(B, C):
            pass
        d = D()
        result = (d.call_who(), d.name, D.name, [k.__name__ for k in D.mro()],
                  isinstance(d, (C, int)), isinstance(3, (str, float)), isinstance(True, int))
    """,
    "class_vs_instance_attributes": """
        class Block:
            expansion = 4
            counter = 0
            shared = []
            def __init__(self, width):
                self.width = width * self.expansion
                Block.counter += 1
                self.shared.append(width)
        class Basic(Block):
            expansion = 1
        a = Block(16)
        b = Basic(16)
        b.expansion = 99
        c = Basic(8)
        Basic.counter = 100
        result = (a.width, b.width, c.width, b.expansion, Basic.expansion, Block.counter, Basic.counter,
                  a.counter, Block.shared, c.shared is a.shared)
    """,
    "class_attribute_mutation_via_instance": """
        class Counter:
            count = 0
            names = []
            def __init__(self, name):
                self.count += 1
                self.names = self.names + [name]
                type(self).count += 10
        a = Counter("a")
        b = Counter("b")
        result = (a.count, b.count, Counter.count, a.names, b.names, Counter.names)
    """,
    "instance_attribute_shadows_method": """
        class Net:
            def forward(self, x):
                return x + 1
        n = Net()
        original = n.forward(1)
        n.forward = lambda x: x * 100
        m = Net()
        result = (original, n.forward(2), m.forward(2), Net.forward(m, 5))
    """,
    "property_getter_setter_deleter": """
        class Channels:
            def __init__(self, c):
                self._c = None
                self.log = []
                self.channels = c
            @property
            def channels(self):
                return self._c
            @channels.setter
            def channels(self, value):
                if value <= 0:
                    raise ValueError(f"channels must be positive, got {value}")
                self.log.append(value)
                self._c = value
            @channels.deleter
            def channels(self):
                self.log.append("deleted")
                self._c = None
            @property
            def doubled(self):
                return 2 * self._c
        c = Channels(8)
        c.channels = 16
        try:
            c.channels = -1
        except ValueError as err:
            msg = str(err)
        try:
            c.doubled = 3
            ro = "set"
        except AttributeError:
            ro = "read-only"
        del c.channels
        result = (c.log, c.channels, msg, ro)
    """,
    "property_call_form": """
        class C:
            def __init__(self): self._x = 1
            def getx(self): return self._x
            def setx(self, v): self._x = v * 2
            x = property(getx, setx, doc="the x")
        c = C(); c.x = 5
        result = (c.x, C.x.__doc__)
    """,
    "classmethod_factories_and_staticmethods": """
        class Config:
            defaults = {"depth": 18, "width": 64}
            def __init__(self, depth, width):
                self.depth, self.width = depth, width
            @classmethod
            def from_dict(cls, d):
                merged = {**cls.defaults, **d}
                return cls(merged["depth"], merged["width"])
            @classmethod
            def named(cls, name):
                return cls.from_dict({"resnet50": {"depth": 50}, "wide": {"width": 128}}.get(name, {}))
            @staticmethod
            def round_to(x, multiple=8):
                return (x + multiple - 1) // multiple * multiple
            def widths(self):
                return [self.round_to(self.width * m) for m in (1, 1.5, 2)]
        class Big(Config):
            defaults = {"depth": 101, "width": 256}
        a = Config.named("resnet50")
        b = Big.from_dict({})
        c = Big.named("wide")
        result = ((a.depth, a.width), (type(b).__name__, b.depth, b.width), (c.depth, c.width),
                  Config.round_to(13), a.round_to(13, 4), a.widths())
    """,
    "setattr_override": """
        class Tracked:
            def __init__(self):
                super().__setattr__("log", [])
                self.a = 1
                self.b = 2
            def __setattr__(self, name, value):
                self.log.append(name)
                super().__setattr__(name, value)
        t = Tracked()
        result = (t.log, t.a, t.b)
    """,
    "instance_dict_style_config": """
        class Cfg:
            def __init__(self, **kwargs):
                for k, v in kwargs.items():
                    setattr(self, k, v)
            def get(self, k, default=None):
                return getattr(self, k, default)
        c = Cfg(depth=3, width=0.5)
        result = (c.depth, c.get("width"), c.get("x", 7), hasattr(c, "depth"))
    """,
    "vars_and_dict_on_self": """
        class Cfg:
            def __init__(self, **kwargs):
                self.__dict__.update(kwargs)
        c = Cfg(a=1)
        result = c.a
    """,
    "getattr_setattr_hasattr_on_user_objects": """
        class Cfg:
            depth = 18
            def __init__(self):
                self.width = 64
        c = Cfg()
        setattr(c, "dropout", 0.1)
        for name, value in {"width": 128, "act": "relu"}.items():
            setattr(c, name, value)
        result = (getattr(c, "depth"), getattr(c, "missing", "default"), hasattr(c, "dropout"), hasattr(c, "nope"),
                  getattr(c, "width"), c.act, getattr(Cfg, "depth"), hasattr(Cfg, "width"),
                  [getattr(c, n, None) for n in ("depth", "width", "x")])
    """,
    "class_body_loops_and_names": """
        class Table:
            sizes = [16, 32, 64]
            doubled = []
            for s in sizes:
                doubled.append(s * 2)
            del s
            lookup = dict(zip(["a", "b", "c"], sizes))
            def get(self, k):
                return self.lookup[k]
        result = (Table.doubled, Table().get("b"), hasattr(Table, "s"), sorted(Table.lookup.items()))
    """,
    "nested_class_and_class_references": """
        class Net:
            class Config:
                depth = 3
                def build(self):
                    return ["layer"] * self.depth
            def __init__(self):
                self.cfg = Net.Config()
                self.layers = self.cfg.build()
        class Wider(Net):
            class Config(Net.Config):
                depth = 5
            def __init__(self):
                self.cfg = self.Config()
                self.layers = self.cfg.build()
        result = (len(Net().layers), len(Wider().layers), Wider.Config.__name__, Net.Config.__qualname__)
    """,
    "cached_property_semantics": """
        import functools
        calls = []
        class Net:
            @functools.cached_property
            def size(self):
                calls.append(1)
                return 42
        n = Net()
        a = n.size; b = n.size
        n.size = 7
        result = (a, b, len(calls), n.size)
    """,
    "staticmethod_called_in_class_body": """
        class C:
            @staticmethod
            def helper(x):
                return x * 2
            doubled = helper(21)
        result = C.doubled
    """,
    "clone_pattern_and_copy": """
        import copy
        class Cfg:
            def __init__(self, depth=1, widths=None):
                self.depth = depth
                self.widths = widths if widths is not None else [64]
            def clone(self, **changes):
                kw = dict(depth=self.depth, widths=list(self.widths))
                kw.update(changes)
                return type(self)(**kw)
            def __eq__(self, other):
                return isinstance(other, Cfg) and (self.depth, self.widths) == (other.depth, other.widths)
        a = Cfg()
        b = a.clone(depth=3)
        c = copy.copy(a)
        d = copy.deepcopy(a)
        a.widths.append(128)
        result = (b.depth, b.widths, c.widths, d.widths, c == a, d == a, c is a)
    """,
    "class_method_via_instance_class": """
        class A:
            registry = []
            @classmethod
            def create(cls, *a):
                obj = cls(*a)
                cls.registry.append(type(obj).__name__)
                return obj
            def __init__(self, v=0): self.v = v
            def spawn(self):
                return self.__class__.create(self.v + 1)
        class B(A):
            pass
        b = B.create(1).spawn()
        result = (b.v, type(b).__name__, A.registry, B.registry is A.registry)
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
