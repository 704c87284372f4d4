"""The limits are enforced, quickly, and real model files fit in the defaults."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

from nncalc.errors import LimitExceeded
from nncalc.interpreter import Limits, run_source
from nncalc.interpreter import limits as limits_module

def exceeds(source: str, limits: Limits | None = None, match: str | None = None) -> LimitExceeded:
    """The source ends in LimitExceeded (how fast is measured in benchmarks/, not here)."""
    with pytest.raises(LimitExceeded, match=match) as info:
        run_source(textwrap.dedent(source), "m.py", modules={}, limits=limits)
    assert info.value.location is not None
    return info.value


def test_endless_loop():
    exceeds("while True:\n    pass\n", match="evaluation steps")


def test_endless_loop_with_work():
    exceeds("x = 0\nwhile True:\n    x += 1\n", limits=Limits(max_steps=500_000), match="evaluation steps")


def test_wall_time():
    exceeds("while True:\n    pass\n", limits=Limits(max_steps=10**9, max_seconds=0.3), match="takes more than 0.3 s")


def test_deep_recursion():
    err = exceeds("def f(n):\n    return f(n + 1)\nf(0)\n", match="calls nest deeper than 200")
    assert err.location.line == 2


def test_recursion_through_python_protocols():
    exceeds("class A:\n    def __len__(self):\n        return len(self)\nlen(A())\n", match="nest deeper")
    exceeds("class A:\n    def __repr__(self):\n        return repr(self)\nrepr(A())\n", match="nest deeper")
    exceeds("class A:\n    def __getitem__(self, i):\n        return self[i]\nA()[0]\n", match="nest deeper")


def test_recursion_just_under_the_depth_limit_works():
    ns = run_source(
        textwrap.dedent(
            """
            def walk(n):
                if n == 0:
                    return 0
                for i in range(1):
                    while True:
                        try:
                            with_list = [walk(n - 1) for _ in range(1)]
                            return with_list[0] + 1
                        finally:
                            pass
            depth = walk(95)
            """
        ),
        "m.py",
        modules={},
    )
    assert ns["depth"] == 95


@pytest.mark.parametrize(
    "source",
    [
        "r = range(10**12)",
        "r = list(range(10**12))",
        "r = [*range(10**9)]",
        "r = sorted(range(10**12))",
        "s = 'a' * 10**10",
        "s = 10**10 * 'a'",
        "l = [0] * 10**9",
        "t = (1, 2) * 10**9",
        "b = b'x' * 10**10",
        "n = 2 ** 10**8",
        "n = 10 ** 10 ** 10",
        "n = pow(2, 10**8)",
        "n = 1 << 10**8",
        "n = 10 ** 5000",
        "n = 2\nfor i in range(100):\n    n = n * n",
        "n = 1\nwhile True:\n    n += n",
        "s = 'x'.ljust(10**10)",
        "s = 'x'.center(10**10)",
        "s = '7'.zfill(10**10)",
        "s = '{:>10000000000}'.format(1)",
        "s = f'{1:{10**10}}'",
        "s = f'{1.5:.999999999999f}'",
        "s = format(1, '10000000000')",
        "s = '%10000000000d' % 1",
        "s = '%*d' % (10**10, 1)",
        "s = ('a' * 10**6).replace('a', 'b' * 10**6)",
        "s = ','.join(['a' * 10**6] * 10**5)",
        "s = str([[0] * 10**6] * 10**6)",
        "s = repr({'k': ['v' * 10**6] * 10**6})",
        "s = 'x' * 10**7\nwhile True:\n    s = s + s",
        "l = [0]\nwhile True:\n    l = l + l",
        "l = [0]\nwhile True:\n    l += l",
        "l = [1] * 10**7\nkeep = []\nwhile True:\n    keep.append(l[:])",
        "import math\nn = math.factorial(10**6)",
        "import math\nn = math.prod(range(1, 10**5))",
        "import itertools\nl = list(itertools.count())",
        "import itertools\nl = list(itertools.product(range(10**4), repeat=3))",
        "n = int('9' * 4000)",
        "d = dict.fromkeys(range(10**12))",
        "l = []\nl.extend(range(10**12))",
        "x = 5 in iter(int, 1)",
        "b = type(b'')(10**10)",
        "i = (1).to_bytes(10**10, 'big')",
        "s = sum([[0]] * 10**6, [])",
    ],
)
def test_size_limits_before_allocating(source):
    exceeds(source)


def test_collection_limit_applies_to_comprehensions():
    exceeds("l = [i for i in range(2000)]\n", limits=Limits(max_collection=1000), match="items")
    exceeds("d = {i: i for i in range(2000)}\n", limits=Limits(max_collection=1000), match="items")
    exceeds("def g():\n    while True:\n        yield 1\nl = list(g())\n", limits=Limits(max_collection=1000))


def test_deeply_nested_source():
    for source in ("x = " + "[" * 10_000 + "]" * 10_000, "x = " + "-" * 100_000 + "1", "x = 1" + "+1" * 100_000):
        exceeds(source)


def test_deeply_nested_data_is_not_a_crash():
    exceeds("a = []\nfor i in range(100_000):\n    a = [a]\ns = repr(a)\n", match="nests too deeply")


def test_limit_errors_cannot_be_caught_by_user_code():
    exceeds("while True:\n    try:\n        x = 'a' * 10**10\n    except Exception:\n        pass\n", match="characters")
    exceeds("def f():\n    try:\n        return f()\n    except Exception:\n        return 0\nf()\n")
    exceeds("def f():\n    try:\n        return f()\n    finally:\n        pass\nf()\n")


def test_int_of_a_long_text_is_the_integer_limit_not_pythons_digit_limit():
    with pytest.raises(LimitExceeded, match="5,000 digits") as caught:
        run_source("n = int('9' * 5000)\n", "m.py", modules={})
    assert "4300" not in str(caught.value) and "set_int_max_str_digits" not in str(caught.value)


def test_budget_is_shared_by_calls_after_the_run():
    ns = run_source("def spin():\n    while True:\n        pass\n", "m.py", modules={}, limits=Limits(max_steps=100_000))
    with pytest.raises(LimitExceeded):
        ns["spin"]()


def test_recursion_limit_is_restored():
    before = sys.getrecursionlimit()
    run_source("x = 1\n", "m.py", modules={})
    with pytest.raises(LimitExceeded):
        run_source("def f():\n    f()\nf()\n", "m.py", modules={})
    assert sys.getrecursionlimit() == before
    assert limits_module._active is None


def test_ten_thousand_layers_fit_and_are_fast():
    class Linear:
        def __init__(self, i, o):
            self.i, self.o = i, o

    nn = types.SimpleNamespace(Linear=Linear)
    source = textwrap.dedent(
        """
        import torch.nn as nn
        class Block:
            expansion = 1
        def make(n):
            layers = []
            for i in range(n):
                width = (i % 7 + 1) * Block.expansion
                layers.append(nn.Linear(width, width * 2))
            return layers
        layers = make(10_000)
        total = sum(layer.o for layer in layers)
        """
    )
    ns = run_source(source, "m.py", modules={"torch.nn": nn})
    assert len(ns["layers"]) == 10_000


def test_limits_defaults_are_the_named_constants():
    limits = Limits()
    assert (limits.max_steps, limits.max_depth, limits.max_seconds) == (5_000_000, 200, 30.0)
    assert (limits.max_collection, limits.max_int_bits, limits.max_string) == (10_000_000, 10_000, 10_000_000)
