"""The interpreter against CPython, language core: each program runs under real ``exec`` (this test's own trusted
source) and under ``run_source``; ``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "arithmetic": """
        a = 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 7 / 2, 1 << 5, 0xFF >> 4, 6 & 3, 6 | 3, 6 ^ 3, ~5, -(-3), +4
        result = (a, divmod(17, 5), abs(-3.5), round(2.675, 2), round(7.5), pow(3, 4), pow(3, 4, 5))
    """,
    "comparisons": """
        x = 5
        result = (1 < x < 10, 1 < x > 10, x == 5.0, x is not None, 3 in [1, 2, 3], 'b' not in 'abc',
                  [1, 2] < [1, 3], (1, 'a') == (1, 'a'), None is None, 2 <= 2 >= 1)
    """,
    "boolean_ops": """
        def side(log, v):
            log.append(v)
            return v
        log = []
        r = (side(log, 0) and side(log, 1), side(log, 2) or side(log, 3), not [], [] or 'empty', 1 and 2)
        result = (r, log)
    """,
    "strings": """
        s = "Hello, World"
        result = (s.lower(), s.upper(), s.split(", "), "-".join(["a", "b"]), s.replace("l", "L", 2),
                  s.startswith("He"), s[::-1], s[1:5], s.find("o"), s.count("l"), " x ".strip(), s.title(),
                  "a,b,,c".split(","), "{} {}".format(1, "two"), "%s=%d" % ("n", 3), "%05.1f" % 3.14159,
                  s.center(16, "*"), "7".zfill(3), "ab" * 3, "x".ljust(3) + "|")
    """,
    "fstrings": """
        x = 3.14159
        name = "conv"
        items = [1, 2]
        w = 8
        result = [f"{x:.2f}", f"{name!r}", f"{name:>{w}}", f"{items}", f"{x:{w}.{2}f}", f"{{literal}}",
                  f"{name=}", f"{1 + 2}", f"{'nested'!s:^9}", f"{255:#x}", f"{1234567:,}", f"{0.25:%}"]
    """,
    "format_method": """
        result = ["{0[1]} {1[k]}".format([1, 2], {"k": "v"}), "{:{}}|".format("a", 4), "{a}-{b}".format(a=1, b=2),
                  "{!r:>6}".format("s"), "{x.real}".format(x=3)]
    """,
    "slicing": """
        l = list(range(10))
        result = (l[2:5], l[-3:], l[::2], l[::-3], l[5:2:-1], l[:], (1, 2, 3)[1:], "abcdef"[-2:], l[slice(1, 4)])
    """,
    "slice_assignment": """
        l = list(range(8))
        l[2:4] = ["a", "b", "c"]
        l[::3] = [0, 0, 0]
        del l[1]
        del l[-2:]
        d = {"a": 1, "b": 2}
        del d["a"]
        result = (l, d)
    """,
    "unpacking": """
        a, b = 1, 2
        a, b = b, a
        (c, d), e = (3, 4), 5
        first, *middle, last = range(6)
        *init, tail = "abc"
        head, *rest = [1]
        x = y = [0]
        for i, (k, v) in enumerate({"p": 1, "q": 2}.items()):
            pass
        result = (a, b, c, d, e, first, middle, last, init, tail, head, rest, x is y, i, k, v)
    """,
    "starred_calls": """
        def f(*args, **kwargs):
            return args, sorted(kwargs.items())
        args = [1, 2]
        kw = {"b": 2}
        result = (f(*args, 3, *range(2), a=1, **kw), [*args, *"xy"], {**kw, "c": 3}, (*args,), {*args, 5})
    """,
    "augmented": """
        x = 5
        x += 3; x -= 1; x *= 2; x //= 3; x **= 2; x %= 7; x <<= 2; x |= 1; x ^= 3; x &= 0xFF; x >>= 1
        l = [1]
        alias = l
        l += [2, 3]
        l *= 2
        s = "a"
        s += "b"
        t = (1,)
        t += (2,)
        d = {"k": 1}
        d["k"] += 10
        class C:
            pass
        c = C()
        c.v = 1
        c.v += 4
        result = (x, l, alias is l, s, t, d, c.v)
    """,
    "walrus": """
        data = [1, 5, 2, 8]
        if (n := len(data)) > 3:
            big = n
        found = [y for x in data if (y := x * 2) > 4]
        result = (n, big, found, y)
    """,
    "conditional_expr": """
        result = [("even" if i % 2 == 0 else "odd") for i in range(4)] + [1 if None else 2]
    """,
    "functions_defaults": """
        def f(a, b=2, *args, c, d=4, **kw):
            return (a, b, args, c, d, sorted(kw))
        def g(x, /, y, *, z=0):
            return x + y + z
        result = (f(1, c=3), f(1, 5, 6, 7, c=3, d=0, e=9), g(1, 2), g(1, y=2, z=3))
    """,
    "mutable_default": """
        def append(x, acc=[]):
            acc.append(x)
            return acc
        append(1)
        result = append(2)
    """,
    "closures": """
        def counter():
            count = 0
            def inc(step=1):
                nonlocal count
                count += step
                return count
            return inc
        c = counter()
        c(); c(); c(5)
        adders = [lambda x, i=i: x + i for i in range(3)]
        late = [lambda: i for i in range(3)]
        result = (c(), [a(10) for a in adders], [f() for f in late])
    """,
    "global_statement": """
        total = 0
        def add(n):
            global total
            total += n
        def read():
            return total
        add(3); add(4)
        result = (total, read())
    """,
    "nested_scopes": """
        x = "global"
        def outer():
            x = "outer"
            def middle():
                def inner():
                    return x
                return inner()
            return middle()
        def shadow():
            x = "local"
            return x
        result = (outer(), shadow(), x)
    """,
    "recursion": """
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        def fact(n):
            if n <= 1:
                return 1
            return n * fact(n - 1)
        result = ([fib(i) for i in range(15)], fact(30))
    """,
    "lambdas_sorting": """
        people = [("bob", 25), ("alice", 30), ("carol", 25)]
        result = (sorted(people, key=lambda p: (p[1], p[0])), sorted([3, 1, 2], reverse=True),
                  max(people, key=lambda p: p[1]), min([4, 2, 8]), list(map(lambda x: x * 2, [1, 2])),
                  list(filter(None, [0, 1, "", "a"])), sorted("bca"))
    """,
    "comprehensions": """
        result = ([x * y for x in range(3) for y in range(3) if x != y],
                  {x: x ** 2 for x in range(4)}, {c for c in "hello"}, sum(x for x in range(10) if x % 3),
                  [[j for j in range(i)] for i in range(4)], list(zip("ab", [1, 2, 3])))
    """,
    "generators": """
        def gen(n):
            for i in range(n):
                if i == 3:
                    return
                yield i * 10
        def chained():
            yield from gen(5)
            yield "end"
        def empty():
            return
            yield
        result = (list(gen(10)), list(chained()), list(empty()), sum(gen(10)), next(iter(gen(2))))
    """,
    "while_else": """
        def search(items, target):
            i = 0
            while i < len(items):
                if items[i] == target:
                    break
                i += 1
            else:
                return -1
            return i
        n, log = 0, []
        while True:
            n += 1
            if n % 2:
                continue
            log.append(n)
            if n > 6:
                break
        result = (search([1, 2, 3], 2), search([1], 9), log)
    """,
    "for_else": """
        def primes(n):
            found = []
            for k in range(2, n):
                for d in range(2, k):
                    if k % d == 0:
                        break
                else:
                    found.append(k)
            return found
        result = primes(30)
    """,
    "try_finally_order": """
        log = []
        def f(x):
            try:
                log.append("try")
                if x:
                    raise ValueError("bad")
                log.append("no error")
            except ValueError as e:
                log.append("except " + str(e))
                return "from except"
            else:
                log.append("else")
            finally:
                log.append("finally")
            return "end"
        result = (f(True), f(False), log)
    """,
    "finally_overrides": """
        def g():
            try:
                return "try"
            finally:
                return "finally"
        def h():
            for i in range(3):
                try:
                    if i == 1:
                        break
                finally:
                    pass
            return i
        def swallow():
            try:
                raise KeyError("x")
            finally:
                return "swallowed"
        result = (g(), h(), swallow())
    """,
    "exception_matching": """
        out = []
        for exc in (KeyError("k"), IndexError(2), ZeroDivisionError(), TypeError("t")):
            try:
                raise exc
            except (KeyError, IndexError) as e:
                out.append(("lookup", str(e)))
            except ArithmeticError:
                out.append("arith")
            except Exception as e:
                out.append(("other", e.args))
        try:
            {}["missing"]
        except LookupError as e:
            out.append(repr(e))
        try:
            1 / 0
        except ZeroDivisionError as e:
            out.append(str(e))
        try:
            int("x")
        except ValueError:
            out.append("value")
        result = out
    """,
    "assert": """
        try:
            assert 1 + 1 == 3, "math is broken"
        except AssertionError as e:
            msg = str(e)
        assert True
        result = msg
    """,
    "dict_methods": """
        d = {"a": 1}
        d.update(b=2)
        d.setdefault("c", 3)
        d.setdefault("a", 100)
        popped = d.pop("b")
        keys = list(d.keys())
        merged = {**d, "z": 0}
        result = (d.get("x", "default"), d.get("a"), popped, keys, sorted(d.items()), list(d.values()), merged,
                  dict(zip("xy", [1, 2])), dict.fromkeys("ab", 0), len(d), "a" in d)
    """,
    "list_methods": """
        l = [3, 1, 2]
        l.append(5)
        l.extend([9, 8])
        l.insert(0, 7)
        l.remove(1)
        last = l.pop()
        l.sort()
        c = l.copy()
        c.reverse()
        result = (l, last, c, l.index(5), l.count(3), sorted(set(l)), list(reversed(l)), [0] * 3 + [1])
    """,
    "sets": """
        a = {1, 2, 3}
        b = {2, 3, 4}
        a2 = set(a)
        a2.add(9)
        a2.discard(1)
        result = (sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b), a <= {1, 2, 3, 4}, sorted(a2),
                  frozenset([1, 2]) == frozenset({2, 1}), sorted(a.union([7])))
    """,
    "builtins_misc": """
        result = (list(enumerate("ab", 1)), any([0, 0, 1]), all([]), sum([1, 2], 10), int("42"), float("1.5"),
                  int(3.9), str(12), bool(""), len({1: 2}), list(range(10, 0, -3)), isinstance(3, (int, str)),
                  callable(len), hash(1) == hash(1.0), chr(65), ord("a"), hex(255), bin(5), tuple("ab"),
                  getattr([], "append") is not None, hasattr("x", "upper"), repr("q"), max(1, 5, 3), divmod(-7, 2),
                  list(zip(*[(1, 2), (3, 4)])), next(iter([]), "empty"), format(3.5, ".3f"), round(-0.5))
    """,
    "string_building_loop": """
        parts = []
        for i in range(5):
            parts.append(f"layer{i}")
        s = ""
        for p in parts:
            s += p[-1]
        result = (",".join(parts), s, " ".join(str(i) for i in range(3)), "".join(reversed("abc")))
    """,
    "module_level_calls": """
        def main():
            return 42
        values = [main() for _ in range(2)]
        result = (main(), values)
    """,
    "del_and_names": """
        a = 1
        b = 2
        del a
        try:
            a
        except NameError:
            missing = True
        class C:
            pass
        c = C()
        c.x = 1
        del c.x
        result = (missing, hasattr(c, "x"), b)
    """,
    "int_float_semantics": """
        result = (0.1 + 0.2, 10 / 4, 10 // 4, -10 // 4, 2 ** -1, 1e3, int(-2.5), float("inf") > 10**300,
                  True + True, 3 * True, 7.0 // 2, 7 % -3, abs(-0.0), 10 ** 20, (2 ** 64) % 1000)
    """,
    "percent_formatting": """
        shape = (1, 3, 32, 32)
        result = ["%s -> %r" % (shape, "x"), "%(name)s has %(n)d" % {"name": "conv", "n": 3}, "%-5s|" % "ab",
                  "%x %o %e" % (255, 8, 12345.678), "%%", "%s" % [1, [2]], "%.3s" % "abcdef"]
    """,
    "exceptions_in_expressions": """
        def safe_div(a, b):
            try:
                return a / b
            except ZeroDivisionError:
                return None
        values = [safe_div(1, b) for b in (1, 0, 2)]
        try:
            [1 / b for b in (1, 0)]
        except ZeroDivisionError as e:
            msg = str(e)
        d = {}
        try:
            d["a"]["b"]
        except KeyError as e:
            key = e.args
        result = (values, msg, key)
    """,
    "nonlocal_in_loops": """
        def tally(items):
            counts = {}
            total = 0
            def add(item):
                nonlocal total
                counts[item] = counts.get(item, 0) + 1
                total += 1
            for item in items:
                add(item)
            return total, sorted(counts.items())
        result = tally("abracadabra")
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
