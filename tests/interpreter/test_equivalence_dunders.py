"""The interpreter against CPython, the data model: the special methods of user classes (containers, operators and
``NotImplemented``, ``__call__``, ``__repr__``, ``__index__``, ``__bool__``/``__len__``, attribute hooks),
docstrings and names, written the way model files use them. Each program runs under real ``exec`` (this test's own
trusted source) and under ``run_source``; ``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "dunder_container_protocol": """
        class Stack:
            def __init__(self, *items):
                self.items = list(items)
            def __len__(self):
                return len(self.items)
            def __getitem__(self, index):
                if isinstance(index, slice):
                    return Stack(*self.items[index])
                return self.items[index]
            def __iter__(self):
                return iter(self.items)
            def __contains__(self, item):
                return item in self.items
            def __repr__(self):
                return f"Stack({', '.join(repr(i) for i in self.items)})"
            def __bool__(self):
                return bool(self.items)
        s = Stack(1, 2, 3, 4)
        result = (len(s), s[0], s[-1], repr(s[1:3]), list(s), 3 in s, 9 in s, bool(Stack()), bool(s),
                  [x * 2 for x in s], sum(s), sorted(s, reverse=True), str(s))
    """,
    "getitem_only_iteration": """
        class Squares:
            def __getitem__(self, i):
                if i >= 5:
                    raise IndexError(i)
                return i * i
        result = (list(Squares()), 9 in Squares(), [a for a in Squares() if a % 2])
    """,
    "dunder_arithmetic_and_equality": """
        class Shape:
            def __init__(self, *dims):
                self.dims = tuple(dims)
            def __eq__(self, other):
                return isinstance(other, Shape) and self.dims == other.dims
            def __hash__(self):
                return hash(self.dims)
            def __add__(self, other):
                if isinstance(other, int):
                    return Shape(*(d + other for d in self.dims))
                return Shape(*self.dims, *other.dims)
            def __radd__(self, other):
                return self + other
            def __mul__(self, k):
                return Shape(*(d * k for d in self.dims))
            __rmul__ = __mul__
            def __lt__(self, other):
                return self.dims < other.dims
            def __repr__(self):
                return "Shape" + repr(self.dims)
            def __neg__(self):
                return Shape(*(-d for d in self.dims))
        a = Shape(1, 2)
        b = Shape(3)
        result = (repr(a + b), repr(a + 1), repr(1 + a), repr(a * 3), repr(2 * a), a == Shape(1, 2), a != b,
                  a == (1, 2), len({a, Shape(1, 2), b}), repr(sorted([Shape(5), a, b])), repr(-a),
                  repr(sum([Shape(1), Shape(2)], Shape())))
    """,
    "iadd_and_inplace_fallback": """
        class Acc:
            def __init__(self):
                self.total = 0
            def __iadd__(self, v):
                self.total += v
                return self
        class Plain:
            def __init__(self, v):
                self.v = v
            def __add__(self, other):
                return Plain(self.v + other)
        a = Acc()
        ref = a
        a += 5
        a += 6
        p = Plain(1)
        q = p
        p += 10
        result = (a.total, a is ref, p.v, q.v, p is q)
    """,
    "eq_without_hash_and_total_ordering": """
        import functools
        class P:
            def __init__(self, v):
                self.v = v
            def __eq__(self, other):
                return self.v == other.v
        @functools.total_ordering
        class Q:
            def __init__(self, v):
                self.v = v
            def __eq__(self, other):
                return self.v == other.v
            def __lt__(self, other):
                return self.v < other.v
            def __hash__(self):
                return hash(self.v)
        try:
            hash(P(1))
            hashable = True
        except TypeError:
            hashable = False
        result = (hashable, P(1) == P(1), P(1) != P(2), Q(1) < Q(2), Q(2) > Q(1), Q(1) <= Q(1), Q(3) >= Q(2),
                  len({Q(1), Q(1)}), [q.v for q in sorted([Q(3), Q(1), Q(2)])])
    """,
    "call_and_repr_of_user_layers": """
        class Linear:
            def __init__(self, i, o):
                self.i, self.o = i, o
            def __call__(self, x):
                assert x == self.i, f"expected {self.i}, got {x}"
                return self.o
            def __repr__(self):
                return f"Linear(in={self.i}, out={self.o})"
        class Seq:
            def __init__(self, *layers):
                self.layers = layers
            def __call__(self, x):
                for layer in self.layers:
                    x = layer(x)
                return x
            def __repr__(self):
                inner = ",\\n  ".join(map(repr, self.layers))
                return f"Seq(\\n  {inner}\\n)"
        net = Seq(Linear(4, 8), Linear(8, 2))
        try:
            Seq(Linear(4, 8), Linear(7, 2))(4)
        except AssertionError as err:
            msg = str(err)
        result = (net(4), repr(net), msg, callable(net), callable(3))
    """,
    "repr_default_object": """
        class A: pass
        r = repr(A())
        result = r.startswith("<") and "A object at" in r
    """,
    "str_of_class_and_function": """
        class A: pass
        def f(): pass
        result = (str(A).endswith("A'>"), repr(f).startswith("<function f"), A.__name__, f.__name__, f.__qualname__,
                  A.__qualname__)
    """,
    "docstrings": '''
        def f():
            """Doc of f."""
        class A:
            """Doc of A."""
            def m(self):
                """Doc of m."""
        import functools
        def deco(fn):
            @functools.wraps(fn)
            def w(*a):
                return fn(*a)
            return w
        @deco
        def g():
            """Doc of g."""
        result = (f.__doc__, A.__doc__, A().m.__doc__, A.m.__doc__, g.__doc__, g.__name__, (lambda: 0).__doc__,
                  deco.__doc__)
    ''',
    "getattr_fallback_hook": """
        class Registry:
            def __init__(self):
                self.known = {"conv": 1, "fc": 2}
            def __getattr__(self, name):
                if name.startswith("get_"):
                    return lambda: self.known.get(name[4:], 0)
                raise AttributeError(f"no {name}")
        r = Registry()
        result = (r.get_conv(), r.get_fc(), r.get_bn(), hasattr(r, "other"), getattr(r, "other", "dflt"), r.known)
    """,
    "index_dunder_and_reversed": """
        class Idx:
            def __init__(self, v): self.v = v
            def __index__(self): return self.v
        class Seq:
            def __init__(self, n): self.n = n
            def __len__(self): return self.n
            def __getitem__(self, i):
                if i >= self.n: raise IndexError
                return i * 10
        class Rev:
            def __reversed__(self): return iter([3, 2, 1])
        l = list(range(10))
        result = (l[Idx(2)], l[Idx(1):Idx(4)], list(range(Idx(3))), list(reversed(Seq(3))), list(reversed(Rev())),
                  hex(Idx(255)),
                  [0, 1, 2][Idx(-1)], bin(Idx(5)))
    """,
    "notimplemented_fallbacks": """
        class A:
            def __eq__(self, other):
                return NotImplemented
            def __add__(self, other):
                return NotImplemented
        class B:
            def __radd__(self, other):
                return "B.radd"
            def __eq__(self, other):
                return "B.eq"
        a = A()
        try:
            a + 1
            r1 = "no error"
        except TypeError as e:
            r1 = str(e)
        result = (a == a, a == 1, a + B(), a == B(), r1)
    """,
    "bool_len_protocols": """
        class Empty:
            def __len__(self): return 0
        class Falsy:
            def __bool__(self): return False
            def __len__(self): return 5
        class BadLen:
            def __len__(self): return "x"
        try:
            len(BadLen())
            r = "ok"
        except TypeError as e:
            r = str(e)
        result = (bool(Empty()), bool(Falsy()), not Empty(), Empty() or "alt", r, len(Falsy()))
    """,
    "getattr_with_property_raising": """
        class C:
            @property
            def broken(self):
                raise AttributeError("inner")
            def __getattr__(self, name):
                return f"fallback:{name}"
        c = C()
        result = (c.broken, c.other, getattr(c, "x"))
    """,
    "super_call_dunder_chain": """
        class Base:
            def __call__(self, x):
                return x + 1
            def __repr__(self):
                return "Base"
            def __len__(self):
                return 1
        class Child(Base):
            def __call__(self, x):
                return super().__call__(x) * 10
            def __repr__(self):
                return "Child<" + super().__repr__() + ">"
            def __len__(self):
                return super().__len__() + 1
        c = Child()
        result = (c(1), repr(c), len(c), Base.__call__(c, 5), str(c))
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
