"""The interpreter against CPython, control flow and exceptions: ``for``/``while`` with ``else``, ``try``/``except``/
``else``/``finally`` order, re-raising, ``raise … from``, custom exception classes and their ``args``, the messages
of built-in errors, iteration protocols and context managers, written the way model files use them. Each program
runs under real ``exec`` (this test's own trusted source) and under ``run_source``; ``result`` must come out the
same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "while_else_and_for_else": """
        def find(items, target):
            for i, item in enumerate(items):
                if item == target:
                    break
            else:
                return -1
            return i
        def countdown(n):
            log = []
            while n > 0:
                n -= 1
                if n == 2:
                    continue
                log.append(n)
                if n == 100:
                    break
            else:
                log.append("done")
            return log
        def first_divisor(n):
            d = 2
            while d * d <= n:
                if n % d == 0:
                    break
                d += 1
            else:
                return None
            return d
        result = (find([1, 2, 3], 2), find([1], 5), countdown(5), first_divisor(91), first_divisor(13))
    """,
    "finally_return_override_and_loops": """
        def f():
            try:
                return "try"
            finally:
                return "finally"
        def g():
            for i in range(3):
                try:
                    if i == 1:
                        break
                finally:
                    pass
            return i
        def h():
            out = []
            for i in range(3):
                try:
                    raise ValueError
                except ValueError:
                    continue
                finally:
                    out.append(i)
            return out
        result = (f(), g(), h())
    """,
    "exceptions_order_and_reraise": """
        log = []
        def risky(kind):
            try:
                log.append(f"try {kind}")
                if kind == "value":
                    raise ValueError("bad value")
                if kind == "key":
                    return {}["missing"]
                log.append("no error")
            except ValueError as e:
                log.append(f"except {e}")
            except KeyError:
                log.append("key error, re-raising")
                raise
            else:
                log.append("else")
            finally:
                log.append("finally")
            return "returned"
        out = [risky("value"), risky("none")]
        try:
            risky("key")
        except KeyError as e:
            out.append(("outer", e.args))
        result = (out, log)
    """,
    "raise_from_and_context": """
        class ConfigError(Exception):
            pass
        def parse(value):
            try:
                return int(value)
            except ValueError as e:
                raise ConfigError(f"not a number: {value!r}") from e
        def ctx():
            try:
                {}["k"]
            except KeyError:
                raise RuntimeError("while handling")
        try:
            parse("abc")
        except ConfigError as e:
            a = (str(e), type(e).__name__, isinstance(e, Exception))
        try:
            ctx()
        except RuntimeError as e:
            b = str(e)
        result = (parse("42"), a, b)
    """,
    "custom_exception_hierarchy_and_args": """
        class NetError(Exception):
            pass
        class ShapeMismatch(NetError):
            def __init__(self, layer, got, want):
                super().__init__(f"{layer}: got {got}, want {want}")
                self.layer = layer
                self.got = got
                self.want = want
        class Quiet(NetError):
            def __str__(self):
                return "quiet!"
        caught = []
        for exc in (ShapeMismatch("fc", 3136, 3200), Quiet("a", 1), NetError(), ValueError("x", 2)):
            try:
                raise exc
            except ShapeMismatch as e:
                caught.append(("shape", e.layer, e.got, e.want, str(e), e.args))
            except NetError as e:
                caught.append(("net", str(e), e.args, repr(e)))
            except (TypeError, ValueError) as e:
                caught.append(("builtin", e.args, str(e), repr(e)))
        result = caught
    """,
    "exception_args_without_super": """
        class E(Exception):
            def __init__(self, x, y=2):
                self.x = x
        class F(Exception):
            def __init__(self, msg):
                super().__init__(msg, 42)
        result = (E(5).args, str(E(5)), E(1, y=3).args, F("m").args, str(F("m")), repr(ValueError("v")),
                  str(KeyError("k")), KeyError("k").args, str(Exception()), str(Exception(1, 2)))
    """,
    "exception_in_finally_and_nested_handlers": """
        def f():
            log = []
            try:
                try:
                    raise ValueError("inner")
                except ValueError:
                    log.append("handled inner")
                    raise TypeError("from handler")
                finally:
                    log.append("inner finally")
            except TypeError as e:
                log.append(f"outer got {e}")
            for i in range(3):
                try:
                    if i == 1:
                        continue
                    log.append(i)
                finally:
                    log.append(f"f{i}")
            return log
        result = f()
    """,
    "exception_variable_cleared_after_handler": """
        e = "before"
        try:
            raise ValueError("x")
        except ValueError as e:
            inside = str(e)
        try:
            e
            after = "still bound"
        except NameError:
            after = "unbound"
        result = (inside, after)
    """,
    "assert_with_message_and_builtin_errors": """
        msgs = []
        def check(c):
            assert c % 8 == 0, f"channels {c} not divisible by 8"
            return c
        for c in (16, 12):
            try:
                check(c)
            except AssertionError as e:
                msgs.append(str(e))
        for fn in (lambda: [1][3], lambda: {}["k"], lambda: 1 / 0, lambda: int("x"), lambda: None + 1,
                   lambda: [].pop(), lambda: "a".index("b")):
            try:
                fn()
            except Exception as e:
                msgs.append(type(e).__name__)
        result = msgs
    """,
    "attribute_error_messages": """
        class A: pass
        msgs = []
        for f in (lambda: A().missing, lambda: (1).missing, lambda: "s".nope, lambda: [].nope, lambda: A.missing):
            try: f()
            except AttributeError as e: msgs.append(str(e))
        result = msgs
    """,
    "builtin_error_messages": """
        msgs = []
        nothing = None
        for f in (lambda: [][0], lambda: {}["k"], lambda: (1,)[5], lambda: "ab"[9], lambda: {"a": 1}[("x", 1)],
                  lambda: [1, 2].index(5), lambda: int("abc"), lambda: 1 / 0, lambda: 1 // 0, lambda: 1 % 0,
                  lambda: float("x"), lambda: [1] + (2,), lambda: "a" + 1, lambda: len(5), lambda: nothing(),
                  lambda: sum(["a"]), lambda: max([]), lambda: next(iter([])), lambda: dict(a=1)["b"],
                  lambda: list.index([1], 2), lambda: divmod(1, 0), lambda: 2 ** -1 // 0, lambda: [].pop(),
                  lambda: {}.popitem(), lambda: set().pop(), lambda: "x" * "y", lambda: round("x"), lambda: abs("x"),
                  lambda: int(None), lambda: (1, 2) < (1, "a")):
            try:
                f()
                msgs.append("no error")
            except Exception as e:
                msgs.append(f"{type(e).__name__}: {e}")
        result = msgs
    """,
    "dict_iteration_mutation_error": """
        d = {"a": 1}
        try:
            for k in d:
                d["b"] = 2
            r = "no error"
        except RuntimeError as e:
            r = str(e)
        result = r
    """,
    "iteration_protocol_next_and_stop": """
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
        it = iter([1, 2, 3])
        first = next(it)
        rest = list(it)
        def gen():
            yield 1
            yield from [2, 3]
            return
        g = gen()
        result = (list(Countdown(3)), first, rest, next(g), list(g), next(g, "exhausted"), sum(Countdown(4)),
                  list(zip(Countdown(3), "abc")))
    """,
    "generator_functions_with_state": """
        def stages(cfg):
            in_ch = cfg["stem"]
            for i, (n, out_ch) in enumerate(cfg["stages"]):
                for j in range(n):
                    stride = 2 if j == 0 and i > 0 else 1
                    yield (in_ch, out_ch, stride)
                    in_ch = out_ch
        def pairs(seq):
            it = iter(seq)
            for a in it:
                yield a, next(it, None)
        cfg = {"stem": 64, "stages": [(2, 64), (2, 128), (1, 256)]}
        result = (list(stages(cfg)), sum(o for _, o, _ in stages(cfg)), list(pairs("abcde")))
    """,
    "generator_send_value": """
        def g():
            x = yield 1
            yield x
        it = g()
        result = (next(it), next(it))
    """,
    "iter_sentinel_and_star_gen": """
        vals = iter([1, 2, 3, 0, 5])
        taken = list(iter(lambda: next(vals), 0))
        def gen():
            yield from range(3)
        def f(*a): return a
        result = (taken, f(*gen()), [*gen(), *gen()], dict.fromkeys(gen()), sorted(gen(), reverse=True))
    """,
    "user_context_manager_ordering": """
        log = []
        class Scope:
            def __init__(self, name, swallow=False):
                self.name, self.swallow = name, swallow
            def __enter__(self):
                log.append(f"enter {self.name}")
                return self.name.upper()
            def __exit__(self, kind, value, tb):
                log.append(f"exit {self.name} {kind.__name__ if kind else None}")
                return self.swallow
        with Scope("a") as a, Scope("b") as b:
            log.append(a + b)
        with Scope("outer", swallow=True):
            with Scope("inner"):
                raise KeyError("k")
        def early():
            with Scope("ret"):
                return "value"
        result = (log, early(), log[-1])
    """,
    "abstract_base_and_not_implemented": """
        from abc import ABC, abstractmethod
        class Block(ABC):
            @abstractmethod
            def out_channels(self):
                ...
            def describe(self):
                return f"{type(self).__name__}->{self.out_channels()}"
        class Basic(Block):
            def __init__(self, c):
                self.c = c
            def out_channels(self):
                return self.c
        class Unfinished:
            def forward(self):
                raise NotImplementedError("subclasses implement forward")
        try:
            Unfinished().forward()
        except NotImplementedError as e:
            msg = str(e)
        result = (Basic(8).describe(), msg)
    """,
    "chained_comparisons_and_identity": """
        def mid(x, lo=0, hi=10):
            return lo <= x < hi
        a = [1]
        b = [1]
        result = (mid(5), mid(10), mid(-1), 1 < 2 < 3 > 2, 1 < 3 < 2, a == b, a is b, a is not b,
                  None is None, (1 == 1.0) is True, 0 == False, "" == False)
    """,
    "generator_with_finally_and_with": """
        log = []
        class CM:
            def __enter__(self): log.append("enter"); return self
            def __exit__(self, *a): log.append("exit"); return False
        def gen():
            with CM():
                try:
                    for i in range(3):
                        yield i
                finally:
                    log.append("finally")
        result = (list(gen()), log)
    """,
    "exception_in_init_and_cleanup": """
        class Layer:
            count = 0
            def __init__(self, c):
                if c <= 0:
                    raise ValueError(f"bad channels {c}")
                Layer.count += 1
                self.c = c
        made = []
        for c in (3, 0, 5, -1):
            try:
                made.append(Layer(c).c)
            except ValueError as e:
                made.append(str(e))
        result = (made, Layer.count)
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
