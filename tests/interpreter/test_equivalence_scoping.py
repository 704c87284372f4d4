"""The interpreter against CPython, functions and scopes: closures and late binding, ``nonlocal``/``global``, defaults
and when they are evaluated, argument kinds, unpacking, comprehension scoping, decorators, written the way model
files use them. Each program runs under real ``exec`` (this test's own trusted source) and under ``run_source``;
``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "late_binding_in_loop": """
        fns = []
        for i in range(4):
            fns.append(lambda: i * 10)
        bound = [lambda i=i: i * 10 for i in range(4)]
        late = [lambda: i for i in range(3)]
        result = ([f() for f in fns], [f() for f in bound], [f() for f in late])
    """,
    "closure_counter_factory": """
        def make_counter(start=0, step=1):
            count = start
            def increment():
                nonlocal count
                count += step
                return count
            def reset():
                nonlocal count
                count = start
            return increment, reset
        inc, reset = make_counter(10, 5)
        a = [inc(), inc(), inc()]
        reset()
        inc2, _ = make_counter()
        result = (a, inc(), inc2(), inc2())
    """,
    "closure_sees_later_assignment": """
        def outer():
            def show():
                return value
            value = "first"
            a = show()
            value = "second"
            return a, show()
        result = outer()
    """,
    "nonlocal_through_two_levels": """
        def level1():
            x = 1
            def level2():
                def level3():
                    nonlocal x
                    x += 100
                    return x
                return level3()
            r = level2()
            return r, x
        result = level1()
    """,
    "global_counter_and_registry": """
        REGISTRY = {}
        created = 0
        def register(name):
            def wrap(cls_or_fn):
                REGISTRY[name] = cls_or_fn
                return cls_or_fn
            return wrap
        def bump():
            global created
            created += 1
            return created
        @register("double")
        def double(x):
            return 2 * x
        @register("square")
        def square(x):
            return x * x
        bump(); bump()
        result = (sorted(REGISTRY), REGISTRY["double"](4), REGISTRY["square"](5), created)
    """,
    "global_declared_in_nested_function": """
        total = 0
        def outer():
            total = "local to outer"
            def inner():
                global total
                total += 7
            inner()
            return total
        r = outer()
        result = (r, total)
    """,
    "unbound_local_error": """
        x = 10
        def f():
            try:
                y = x + 1
                x = 5
                return y
            except UnboundLocalError as e:
                return "unbound"
        result = f()
    """,
    "del_local_then_use": """
        def f():
            x = 1
            del x
            try:
                return x
            except UnboundLocalError:
                return "unbound"
            except NameError:
                return "name"
        result = f()
    """,
    "name_error_message": """
        try:
            undefined_thing
        except NameError as e:
            m = str(e)
        def f():
            return also_undefined
        try:
            f()
        except NameError as e:
            m2 = str(e)
        result = (m, m2)
    """,
    "default_evaluated_once": """
        calls = []
        def default_value():
            calls.append("called")
            return len(calls)
        def f(a=default_value()):
            return a
        r = [f(), f(), f(9)]
        result = (r, calls)
    """,
    "mutable_default_pitfall_and_fix": """
        def append_bad(x, into=[]):
            into.append(x)
            return into
        def append_good(x, into=None):
            if into is None:
                into = []
            into.append(x)
            return into
        a = append_bad(1); b = append_bad(2)
        c = append_good(1); d = append_good(2)
        result = (a, b, a is b, c, d, c is d)
    """,
    "default_sees_module_value_at_def_time": """
        width = 64
        def block(channels=width * 2):
            return channels
        width = 128
        def block2(channels=width * 2):
            return channels
        result = (block(), block2(), block(1))
    """,
    "nested_funcs_defaults_late": """
        def outer():
            fns = {}
            for name in ["relu", "gelu"]:
                def act(x, _name=name):
                    return f"{_name}({x})"
                fns[name] = act
            return fns
        fns = outer()
        result = [fns["relu"]("x"), fns["gelu"](1)]
    """,
    "args_kwargs_forwarding": """
        def layer(in_ch, out_ch, kernel_size=3, *, stride=1, padding=None, **extra):
            if padding is None:
                padding = kernel_size // 2
            return (in_ch, out_ch, kernel_size, stride, padding, sorted(extra.items()))
        def wrapper(*args, **kwargs):
            kwargs.setdefault("stride", 2)
            return layer(*args, **kwargs)
        def conv_bn(in_ch, out_ch, **kw):
            return wrapper(in_ch, out_ch, **kw, bias=False)
        result = [wrapper(3, 8), wrapper(3, 8, 5, padding=0), conv_bn(8, 16, kernel_size=1, groups=2)]
    """,
    "keyword_only_and_positional_only": """
        def f(a, b, /, c, d=4, *, e, f=6):
            return (a, b, c, d, e, f)
        errors = []
        try:
            f(1, b=2, c=3, e=5)
        except TypeError as err:
            errors.append("posonly")
        try:
            f(1, 2, 3, 4, 5)
        except TypeError as err:
            errors.append("kwonly")
        def g(x, /, **kw):
            return x, kw
        result = (f(1, 2, 3, e=5), f(1, 2, c=3, d=0, e=1, f=2), errors, g(1, x=2))
    """,
    "type_errors_of_calls": """
        def f(a, b=2):
            return a + b
        msgs = []
        for args, kwargs in [((), {}), ((1, 2, 3), {}), ((1,), {"c": 3}), ((1,), {"a": 1})]:
            try:
                f(*args, **kwargs)
            except TypeError as err:
                msgs.append(str(err))
        result = msgs
    """,
    "type_error_messages_of_user_functions": """
        def f(a, b, *, c): pass
        class K:
            def m(self, x): pass
        msgs = []
        for call in (lambda: f(1), lambda: f(1, 2), lambda: f(1, 2, 3), lambda: f(1, 2, c=3, d=4), lambda: K().m(),
                     lambda: K().m(1, 2), lambda: K.m(1), lambda: f(1, 2, c=3, a=1), lambda: (lambda x: x)(),
                     lambda: K(1)):
            try:
                call()
                msgs.append("ok")
            except TypeError as e:
                msgs.append(str(e))
        result = msgs
    """,
    "varargs_collection_types": """
        def f(*args, **kwargs):
            return type(args).__name__, type(kwargs).__name__, args, kwargs
        def g(first, *rest):
            return first, rest
        result = (f(), f(1, k=2), g(1), g(1, 2, 3), g(*"abc"))
    """,
    "recursion_fib_and_memo": """
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        memo = {}
        def fib_memo(n):
            if n in memo:
                return memo[n]
            value = n if n < 2 else fib_memo(n - 1) + fib_memo(n - 2)
            memo[n] = value
            return value
        result = ([fib(i) for i in range(15)], fib_memo(90), len(memo))
    """,
    "recursion_tree_walk": """
        tree = {"name": "net", "children": [
            {"name": "features", "children": [{"name": "conv1", "params": 224}, {"name": "conv2", "params": 1168}]},
            {"name": "classifier", "children": [{"name": "fc", "params": 401000}]},
        ]}
        def total(node):
            return node.get("params", 0) + sum(total(c) for c in node.get("children", []))
        def paths(node, prefix=""):
            here = prefix + node["name"]
            out = [here]
            for child in node.get("children", []):
                out.extend(paths(child, here + "."))
            return out
        def depth(node):
            return 1 + max((depth(c) for c in node.get("children", [])), default=0)
        result = (total(tree), paths(tree), depth(tree))
    """,
    "mutual_recursion": """
        def is_even(n):
            return True if n == 0 else is_odd(n - 1)
        def is_odd(n):
            return False if n == 0 else is_even(n - 1)
        result = [(n, is_even(n), is_odd(n)) for n in range(6)]
    """,
    "star_unpacking_variants": """
        a, *b, c = range(6)
        (d, e), *f = [(1, 2), 3, 4]
        [g, [h, *i]] = [0, "xyz"]
        *j, = (7, 8)
        k, *l = "k"
        first, *_, last = [10, 20, 30, 40]
        m, n = {"m": 1, "n": 2}
        errors = []
        for bad in ([1], [1, 2, 3]):
            try:
                p, q = bad
            except ValueError as err:
                errors.append(str(err))
        result = (a, b, c, d, e, f, g, h, i, j, k, l, first, last, m, n, errors)
    """,
    "assign_order": """
        a = [0, 0, 0]
        i = a[i] = 1 if False else 2
        x = [1, 2]
        j = 0
        j, x[j] = 1, 9
        result = (a, i, x, j)
    """,
    "unpacking_in_for_and_comprehensions": """
        pairs = [((1, 2), "a"), ((3, 4), "b")]
        out = []
        for (x, y), label in pairs:
            out.append(f"{label}{x + y}")
        specs = [(3, 64, 1), (4, 128, 2)]
        flat = [(n, c, s) for n, c, s in specs]
        heads = [h for h, *_ in specs]
        result = (out, flat, heads, {k: v for k, *v in specs})
    """,
    "comprehension_scoping": """
        x = "outer"
        squares = [x * x for x in range(4)]
        pairs = [(i, j) for i in range(3) for j in range(i)]
        nested = [[c * r for c in range(3)] for r in range(3)]
        evens = [n for n in range(20) if n % 2 == 0 if n % 3 == 0]
        labels = {n: ("even" if n % 2 == 0 else "odd") for n in range(4)}
        sets = {c.lower() for c in "AbBa"}
        flat = [v for row in nested for v in row if v]
        result = (x, squares, pairs, nested, evens, labels, sorted(sets), flat)
    """,
    "comprehension_closure_capture": """
        def make(n):
            scale = 3
            fns = [lambda v, k=k: v * k * scale for k in range(n)]
            scale = 10
            return [f(1) for f in fns]
        def gen_sees_enclosing():
            base = 100
            return list(base + i for i in range(3))
        result = (make(3), gen_sees_enclosing())
    """,
    "comprehension_iter_evaluated_in_enclosing_scope": """
        class C:
            n = 3
            items = [i for i in range(n)]
        result = C.items
    """,
    "class_scope_skipped_by_methods": """
        x = "global"
        class C:
            x = "class"
            def m(self):
                return x
            lam = lambda self: x
            y = [x for _ in range(1)]
        def make():
            x = "enclosing"
            class D:
                x = "class D"
                def m(self):
                    return x
                z = x
            return D
        D = make()
        result = (C().m(), C().lam(), D().m(), D.z)
    """,
    "walrus_in_comprehension_binds_outside": """
        data = [3, 8, 1, 9, 4]
        big = [y for x in data if (y := x * 2) > 6]
        last_y = y
        def f():
            total = [t := 0] and [t := t + v for v in range(5)]
            return total, t
        result = (big, last_y, f())
    """,
    "lambda_default_and_conditional": """
        act = lambda name="relu": {"relu": lambda x: max(0, x), "neg": lambda x: -x}.get(name, lambda x: x)
        scale = lambda x, *, by=2: x * by
        pick = (lambda: "a") if False else (lambda: "b")
        result = ([act()(-3), act()(4), act("neg")(3), act("other")(7)], scale(3), scale(3, by=5), pick())
    """,
    "decorator_with_arguments_and_wraps": """
        import functools
        log = []
        def trace(prefix):
            def deco(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    log.append(f"{prefix}:{fn.__name__}{args}")
                    return fn(*args, **kwargs)
                return wrapper
            return deco
        @trace("call")
        def add(a, b=1):
            return a + b
        @trace("outer")
        @trace("inner")
        def mul(a, b):
            return a * b
        result = (add(2), add(2, b=5), mul(3, 4), log, add.__name__, mul.__name__)
    """,
    "class_decorator_and_callable_class": """
        registry = []
        def register(cls):
            registry.append(cls.__name__)
            return cls
        class CountCalls:
            def __init__(self, fn):
                self.fn = fn
                self.calls = 0
            def __call__(self, *a, **k):
                self.calls += 1
                return self.fn(*a, **k)
        @register
        class Net:
            pass
        @CountCalls
        def add(a, b):
            return a + b
        add(1, 2); add(3, 4)
        result = (registry, add.calls, add(0, 0), add.calls)
    """,
    "conditional_import_pattern": """
        try:
            from collections import OrderedDict
            have = True
        except ImportError:
            have = False
        from functools import reduce
        import math as m
        result = (have, reduce(lambda a, b: a * b, [2, 3, 4]), m.floor(m.pi * 10))
    """,
    "main_guard_not_run_equivalent": """
        ran = []
        def main():
            ran.append("main")
        if __name__ == "__main__":
            main()
        result = "checked"
    """,
    "shadowing_and_rebinding": """
        def f():
            return "outer f"
        def g():
            def f():
                return "inner f"
            return f()
        def h():
            return f()
        list_ = list
        def uses_builtin_shadow():
            list = lambda x: "shadowed"
            return list(3)
        result = (g(), h(), uses_builtin_shadow(), list_((1, 2)))
    """,
    "global_created_later": """
        def setup():
            global CREATED
            CREATED = "yes"
        setup()
        def read():
            return CREATED
        result = read()
    """,
    "side_effects_evaluated_once": """
        log = []
        def v(x):
            log.append(x)
            return x
        r1 = v(1) < v(2) < v(3)
        r2 = v(5) < v(4) < v(6)
        d = {}
        d[v("k")] = v("val")
        r3 = v(0) or v(7)
        r4 = v(None) if v(False) else v("else")
        result = (r1, r2, r3, r4, log, d)
    """,
    "dict_unpack_call_and_duplicates": """
        def f(**kw): return sorted(kw.items())
        base = {"a": 1}
        try:
            f(**base, a=2)
            r = "no error"
        except TypeError as e:
            r = str(e)
        result = (f(**base, **{"b": 2}), r, f(**{"x": 1}), dict(**base, c=3))
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
