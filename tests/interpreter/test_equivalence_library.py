"""The interpreter against CPython, the library: dicts, sets and lists, ``sorted``/``min``/``max`` with keys,
``zip``/``enumerate``/``map``/``filter``, generator expressions in reducers, ``functools``, ``itertools``,
``collections``, ``operator``, written the way model files use them. Each program runs under real ``exec`` (this
test's own trusted source) and under ``run_source``; ``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "dict_ordering_merge_and_views": """
        base = {"lr": 0.1, "epochs": 10}
        override = {"epochs": 20, "batch": 32}
        merged = base | override
        copy = dict(base)
        copy |= {"lr": 0.01}
        d = {}
        for k in "banana":
            d[k] = d.get(k, 0) + 1
        d.pop("b")
        d["z"] = 0
        d["a"] = 99
        keys = list(d)
        popped = d.popitem()
        sd = {}
        sd.setdefault("x", []).append(1)
        sd.setdefault("x", []).append(2)
        inverted = {v: k for k, v in base.items()}
        result = (merged, list(merged), copy, base, keys, popped, d, sd, inverted, dict.fromkeys("ab", 0),
                  sorted(merged.items(), key=lambda kv: str(kv[1])), list(merged.keys() & {"lr", "x"}),
                  {**base, "lr": 1}, dict(a=1, **{"b": 2}), dict([("x", 1), ("y", 2)]), "lr" in merged)
    """,
    "set_operations": """
        a = {1, 2, 3, 4}
        b = {3, 4, 5}
        c = set()
        c.add(1)
        c.update([2, 3], (4,))
        c.discard(99)
        fs = frozenset("abc")
        result = (sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b), a <= {1, 2, 3, 4, 5}, a > {1},
                  sorted(c), "a" in fs, sorted(fs | {"d"}), a.isdisjoint({9}), sorted(a.union(b, [7])),
                  len({(1, 2), (1, 2), (2, 1)}), sorted({x % 3 for x in range(10)}))
    """,
    "list_methods_and_copies": """
        import copy
        nested = [[1, 2], [3]]
        shallow = list(nested)
        deep = copy.deepcopy(nested)
        nested[0].append(99)
        l = [5, 3, 8, 1]
        l.sort()
        l.insert(1, 2)
        l.extend(range(2))
        l.remove(8)
        popped = l.pop(0)
        l.reverse()
        result = (shallow, deep, l, popped, l.index(3), l.count(0), [1, 2] * 2, [[0] * 2] * 2,
                  [0, 1, 2][::-1], list(reversed(range(4))), sorted([3, 1, 2]) == [1, 2, 3], copy.copy(l) is l)
    """,
    "sorted_with_keys": """
        layers = [("conv2", 1168, 2), ("fc", 401000, 4), ("conv1", 224, 1), ("bn", 32, 2)]
        by_params = sorted(layers, key=lambda l: l[1])
        by_stage_then_name = sorted(layers, key=lambda l: (l[2], l[0]))
        desc = sorted(layers, key=lambda l: -l[1])
        stable = sorted(layers, key=lambda l: l[2], reverse=True)
        words = sorted(["Banana", "apple", "cherry"], key=str.lower)
        result = (by_params, by_stage_then_name, desc, stable, words, sorted("hello", reverse=True))
    """,
    "max_min_ties_and_keys": """
        d = {"a": 3, "b": 5, "c": 5}
        result = (max(d, key=d.get), min(d, key=d.get), max([(1, "a"), (1, "b")], key=lambda t: t[0]),
                  sorted(d.items(), key=lambda kv: (-kv[1], kv[0])), max(3, 1, 4, key=lambda v: -v), min("bca"),
                  max([1, 2], default=0), sorted([3, 1, 2], key=None))
    """,
    "zip_enumerate_variants": """
        names = ["conv1", "conv2", "fc"]
        sizes = [224, 1168, 401000]
        numbered = list(enumerate(names, start=1))
        pairs = dict(zip(names, sizes))
        short = list(zip(names, range(2)))
        try:
            list(zip(names, range(2), strict=True))
            strict = "no error"
        except ValueError as err:
            strict = str(err)
        ok = list(zip(names, sizes, strict=True))
        unzipped = list(zip(*ok))
        result = (numbered, pairs, short, strict, ok, unzipped)
    """,
    "map_filter_zip_pipelines": """
        names = ["conv1", "relu", "conv2", "pool", "fc"]
        convs = list(filter(lambda n: n.startswith("conv"), names))
        lengths = list(map(len, names))
        sums = list(map(lambda a, b: a + b, [1, 2, 3], [10, 20]))
        truthy = list(filter(None, [0, 1, "", "a", None, [], [0]]))
        str_ints = list(map(str, range(3)))
        result = (convs, lengths, sums, truthy, str_ints, list(zip(*[[1, 2], [3, 4]])), dict(enumerate("ab", 1)),
                  list(reversed(names))[:2], next(iter(names)), next(iter([]), "default"),
                  [i for i, n in enumerate(names) if "conv" in n])
    """,
    "generator_expressions_in_reducers": """
        shapes = [(3, 224, 224), (64, 112, 112), (128, 56, 56)]
        total = sum(c * h * w for c, h, w in shapes)
        widest = max(shapes, key=lambda s: s[0])
        smallest = min((h for _, h, _ in shapes), default=None)
        any_big = any(c > 100 for c, _, _ in shapes)
        all_square = all(h == w for _, h, w in shapes)
        none = max((x for x in []), default=-1)
        result = (total, widest, smallest, any_big, all_square, none, sum((1.5 for _ in range(4)), 0.5))
    """,
    "functools_partial_and_reduce": """
        from functools import partial, reduce
        import operator
        def conv(in_ch, out_ch, kernel_size=3, stride=1, bias=True):
            return (in_ch, out_ch, kernel_size, stride, bias)
        conv1x1 = partial(conv, kernel_size=1, bias=False)
        conv3x3s2 = partial(conv, stride=2)
        fixed_in = partial(conv, 3)
        twice = partial(partial(conv, 1), 2)
        total = reduce(operator.mul, (2, 3, 4), 1)
        flat = reduce(lambda a, b: a + b, [[1], [2, 3], []])
        longest = reduce(lambda a, b: a if len(a) >= len(b) else b, ["ab", "abcd", "abc"])
        result = (conv1x1(8, 16), conv1x1(8, 16, kernel_size=5), conv3x3s2(3, 8), fixed_in(8, stride=4), twice(),
                  total, flat, longest, reduce(operator.add, [], 0), conv1x1.keywords, conv1x1.args)
    """,
    "functools_reduce_partial_more": """
        import functools
        def f(a, b, c=0, *, d=1):
            return (a, b, c, d)
        p = functools.partial(f, d=5)
        p2 = functools.partial(p, 1, c=3)
        result = (p(1, 2), p2(2), p2(2, d=9), p.func is f, p2.args, sorted(p2.keywords.items()),
                  functools.reduce(lambda acc, x: acc + [x * 2], [1, 2, 3], []), functools.reduce(max, [3, 9, 2]))
    """,
    "lru_cache_on_recursive": """
        import functools
        @functools.lru_cache(maxsize=None)
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)
        @functools.cache
        def sq(x):
            return x * x
        @functools.lru_cache
        def cube(x):
            return x ** 3
        result = (fib(25), sq(7), cube(3))
    """,
    "itertools_product_chain_accumulate": """
        import itertools
        grid = list(itertools.product([1, 2], "ab"))
        cube = list(itertools.product(range(2), repeat=3))
        flat = list(itertools.chain([1, 2], (3,), "xy"))
        flat2 = list(itertools.chain.from_iterable([[1], [2, 3]]))
        running = list(itertools.accumulate([1, 2, 3, 4]))
        running_max = list(itertools.accumulate([3, 1, 4, 1, 5], max))
        with_initial = list(itertools.accumulate([1, 2], initial=100))
        offsets = [0] + list(itertools.accumulate([3, 4, 6, 3]))
        pairs = list(itertools.combinations("abc", 2))
        perms = list(itertools.permutations([1, 2, 3], 2))
        firsts = list(itertools.islice(itertools.count(10, 5), 4))
        cyc = list(itertools.islice(itertools.cycle("ab"), 5))
        longest = list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-"))
        adj = list(itertools.pairwise([1, 2, 4, 7]))
        reps = list(itertools.repeat("x", 3))
        result = (grid, cube, flat, flat2, running, running_max, with_initial, offsets, pairs, perms, firsts, cyc,
                  longest, adj, reps)
    """,
    "itertools_more": """
        import itertools as it
        result = (list(it.islice("abcdefg", 2, None, 2)), list(it.chain(*[[1], [2]])),
                  list(it.accumulate([1, 2, 3], lambda a, b: a * b)),
                  list(it.product("ab", [0, 1], repeat=1)), list(it.combinations(range(4), 3)),
                  len(list(it.permutations("abcd"))),
                  list(it.zip_longest("ab", "xyz")), list(it.repeat(0, 0)), list(it.islice(it.count(), 3)))
    """,
    "collections_defaultdict_ordereddict": """
        from collections import defaultdict, OrderedDict
        groups = defaultdict(list)
        for name in ["conv1", "bn1", "conv2", "fc"]:
            groups[name.rstrip("0123456789")].append(name)
        counts = defaultdict(int)
        for ch in "mississippi":
            counts[ch] += 1
        nested = defaultdict(lambda: defaultdict(int))
        nested["a"]["x"] += 1
        od = OrderedDict()
        od["conv"] = 1
        od["relu"] = 2
        od["pool"] = 3
        od.move_to_end("conv")
        od2 = OrderedDict([("b", 2), ("a", 1)])
        last = od.popitem()
        result = (dict(groups), sorted(counts.items()), groups["missing"], "missing" in groups, nested["a"]["x"],
                  list(od.keys()), last, list(od2.items()), od2 == OrderedDict([("a", 1), ("b", 2)]),
                  od2 == {"a": 1, "b": 2}, isinstance(groups, dict))
    """,
    "collections_counter": """
        from collections import Counter
        c = Counter("abracadabra")
        layers = Counter(["Conv2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU", "Conv2d"])
        layers.update(["Linear"])
        d = Counter(a=3, b=1) - Counter(a=1, b=2)
        result = (c.most_common(2), layers["Conv2d"], layers["LSTM"], sorted(layers.items()), dict(d),
                  sum(layers.values()), sorted(c.elements())[:4], (Counter("ab") + Counter("bc"))["b"],
                  list(Counter("cab").keys()))
    """,
    "counter_more": """
        from collections import Counter
        c = Counter({"a": 2, "b": 0})
        c.subtract(["a", "a", "a"])
        c2 = Counter("aab")
        c2.update({"a": 10})
        result = (dict(c), +c, c2.total(), c2.most_common(), Counter() == Counter(),
                  sorted(Counter([3, 1, 3]).elements()),
                  repr(Counter("ab")), Counter("abc") & Counter("bcd"), Counter("aab") | Counter("abb"))
    """,
    "defaultdict_with_user_factory": """
        from collections import defaultdict
        n = 0
        def fresh():
            global n
            n += 1
            return n
        d = defaultdict(fresh)
        a, b, a2 = d["a"], d["b"], d["a"]
        tree = lambda: defaultdict(tree)
        t = tree()
        t["x"]["y"]["z"] = 1
        dd = defaultdict(list, {"k": [1]}, extra=[2])
        result = (a, b, a2, dict(d), t["x"]["y"]["z"], sorted(dd.items()), repr(defaultdict(int)),
                  dd.default_factory is list)
    """,
    "ordered_dict_sequential_pattern": """
        from collections import OrderedDict
        layers = OrderedDict()
        for i, c in enumerate([16, 32]):
            layers[f"conv{i}"] = ("conv", c)
            layers[f"relu{i}"] = ("relu",)
        od = OrderedDict([("a", 1)], b=2)
        od.update(c=3)
        od.move_to_end("a", last=False)
        result = (list(layers), list(od.items()), OrderedDict(zip("xy", [1, 2])), repr(OrderedDict(a=1)),
                  od.popitem(last=False))
    """,
    "operator_module_and_keys": """
        import operator
        from operator import itemgetter, attrgetter
        class L:
            def __init__(self, name, params):
                self.name, self.params = name, params
        layers = [L("fc", 100), L("conv", 10), L("bn", 4)]
        rows = [("fc", 100), ("conv", 10), ("bn", 4)]
        result = ([l.name for l in sorted(layers, key=attrgetter("params"))], sorted(rows, key=itemgetter(1)),
                  list(map(itemgetter(0), rows)), itemgetter(0, 1)(rows[0]), operator.add(2, 3), operator.mul(4, 5),
                  operator.neg(3), operator.truediv(7, 2), operator.floordiv(7, 2), operator.getitem([1, 2], 1))
    """,
    "isinstance_with_abc_and_tuples": """
        from collections.abc import Iterable, Mapping, Sequence, Callable
        result = (isinstance([1], Iterable), isinstance({}, Mapping), isinstance("s", Sequence),
                  isinstance(len, Callable),
                  isinstance(3, (list, (int, str))), isinstance(3.0, (int,)), issubclass(bool, int),
                  isinstance(None, type(None)))
    """,
    "attrgetter_dotted_and_methodcaller": """
        from operator import attrgetter, itemgetter
        class Inner:
            def __init__(self): self.size = 5
        class Outer:
            def __init__(self): self.inner = Inner(); self.name = "o"
        get = attrgetter("inner.size", "name")
        result = (get(Outer()), itemgetter(slice(1, 3))([1, 2, 3, 4]),
                  sorted([{"k": 2}, {"k": 1}], key=itemgetter("k")))
    """,
    "sum_and_sorted_misc": """
        result = (sum([[1], [2]], []), sum(range(5), 10), sorted({"b": 1, "a": 2}),
                  sorted([(1, "b"), (1, "a"), (0, "z")]),
                  sorted(["b", "A", "c"], key=str.lower), sorted([3, 1, 2], reverse=True), min([[2], [1, 5]]),
                  max({"x": 3, "y": 9}.items(), key=lambda kv: kv[1]), sorted(enumerate("cab"), key=lambda t: t[1]),
                  list(reversed(list(enumerate("ab")))))
    """,
    "eval_in_a_function_and_contextlib": """
        import contextlib
        import re

        class Conv:
            pass

        def parse(spec):
            # YOLOv5's parse_model: each name of the config evaluated in the module's namespace, strings that
            # name nothing kept as they are
            args = list(spec)
            for j, a in enumerate(args):
                with contextlib.suppress(NameError):
                    args[j] = eval(a) if isinstance(a, str) else a
            return [getattr(a, "__name__", a) for a in args]

        def version(text):
            try:
                return tuple(int(x) for x in re.search(r"\\d+(?:\\.\\d+)*", text).group(0).split("."))
            except Exception:
                return (0, 0, 0)

        with contextlib.nullcontext(5) as five:
            pass
        result = (parse(["Conv", "nearest", 2, "None"]), version("2.1.0+cpu"), version(None), five)
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
