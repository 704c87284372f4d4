"""The interpreter against CPython, numbers and text: integer division and modulo with negatives, ``round``,
``divmod``, ``math``, float text, format specs and f-strings, string methods, slicing, written the way model files
use them. Each program runs under real ``exec`` (this test's own trusted source) and under ``run_source``;
``result`` must come out the same."""

from __future__ import annotations

import textwrap

import pytest

from nncalc.interpreter import run_source

PROGRAMS = {
    "floor_division_and_modulo_with_negatives": """
        pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (7.5, 2), (-7.5, 2), (0, 3), (-1, 10)]
        result = ([(a // b, a % b, divmod(a, b)) for a, b in pairs], -7 // 2 * 2 + -7 % 2, 2 ** -1,
                  type((-8) ** (1 / 3)).__name__,
                  int(-3.7), int(3.7), -(-7 // 2))
    """,
    "round_bankers_and_float_formatting": """
        halves = [round(x) for x in (0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5)]
        digits = [round(2.675, 2), round(1.005, 2), round(0.125, 2), round(1234.5678, -2), round(15, -1), round(25, -1)]
        kinds = [type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(7)).__name__]
        text = [str(0.1 + 0.2), repr(1e16), str(1e-5), str(100.0), str(2.5e-10), repr(float("inf")), str(-0.0),
                f"{1/3:.4f}", f"{2.5:.0f}", f"{3.5:.0f}", str(1e22), str(123456789.0), str(1.0e15)]
        result = (halves, digits, kinds, text)
    """,
    "number_format_specs": """
        x = 1234567.891
        n = 42
        result = [f"{n:>8,}", f"{x:,.2f}", f"{x:.3e}", f"{x:.3E}", f"{x:_.1f}", f"{n:08b}", f"{n:#o}", f"{n:+d}",
                  f"{-n: d}", f"{n:^9}|", f"{n:*<6}", f"{0.000123:.2g}", f"{123456:.2g}", f"{x:g}", f"{0.5:.1%}",
                  f"{n:x}", f"{255:#06x}", f"{3:03d}", f"{12.0:n}", f"{1e100:.2e}", f"{-1.5:=+10.2f}",
                  format(1234.5, ",.1f"), format(n, "5d"), "{:>10.3f}".format(3.14159), f"{7:{'>'}{5}}"]
    """,
    "string_conversions_and_nested_specs": """
        name = "conv1"
        shape = (1, 8, 30, 30)
        width = 12
        prec = 3
        value = 2 / 3
        class Layer:
            def __repr__(self):
                return "Layer<r>"
            def __str__(self):
                return "Layer<s>"
        L = Layer()
        result = [f"{name!r}", f"{name!s:>{width}}", f"{shape!s:^30}", f"{value:{width}.{prec}f}",
                  f"{value:{'.' + str(prec)}}", f"{L}", f"{L!r}", f"{L!s:>10}", f"{[L]}", f"{name=}",
                  f"{value=:.2f}", f"{width * 2 = }", f"{'a' if prec else 'b'}", f"{{}}{name}{{x}}", f"{shape[1:]}"]
    """,
    "format_alignment_unicode_and_fill": """
        result = [f"{'é':>3}|", f"{'x':\u2500^7}", f"{-5:05}", f"{5:+05}", f"{1234:_}", f"{1234:_x}", f"{1e6:,.0f}",
                  f"{True}", f"{True:d}", f"{None!s:>6}", f"{3.0:g}", f"{0.0001:g}", f"{1e-5:g}", f"{12345678:e}",
                  "{:,}".format(10**12), "{0:.{1}f}".format(3.14159, 2), "{:%}".format(0.256)]
    """,
    "string_number_conversion": """
        result = (str(1/3), repr(0.1), str(10**21 * 1.0), int(1e20), float(10**20), str(True), int("  -12  "),
                  "%.3g" % 1234.5, "%e" % 0.001, "%g" % 1e-7, format(0.1, ".17g"), str(2**0.5), 1e308 * 10,
                  -1e308 * 10, round(0.5 + 1e-9), f"{1e-7}", f"{123.0}", f"{1.5e300 * 1.5e10}")
    """,
    "float_edge_formatting": """
        import math
        result = (str(1e16), str(1e15), repr(0.30000000000000004), str(-1.0 * 0), round(-0.5), round(0.5), round(1.5),
                  round(2.5, 0), round(-2.675, 2), math.floor(-0.0), str(float(2 ** 53 + 1)), 1 / 3 * 3 == 1,
                  f"{0.1:.20f}", f"{1/7:.15g}", f"{2.0 ** 0.5:.10f}", str(1.0), str(1.10), 3.0 == 3, float("1_0.5"))
    """,
    "integer_big_and_bit_ops": """
        result = (2 ** 100, (2 ** 100) % 97, -2 ** 2, (-2) ** 2, 2 ** 3 ** 2, 10 // -3, 10 % -3, -10 // 3, 7 >> 1,
                  -7 >> 1,
                  ~0, 5 & -2, 1 << 70, (1 << 70) >> 69, int.bit_length(255), abs(-2 ** 63), 0 ** 0, pow(0, 0),
                  2 ** 0.5 == 2 ** (1/2))
    """,
    "bool_and_none_arithmetic": """
        result = (True + True, True * 3, -True, True / 2, sum([True, False, True]), [1, 2][True], {True: "a", 1: "b"},
                  None == 0, not None, bool([0]), bool(""), bool(" "), 0 or None, "" and 1, [] or {} or 0)
    """,
    "builtins_numeric": """
        import math
        values = [3, -1.5, 2.25, 0]
        result = (min(values), max(values), abs(-7), sum(values), sum([[1], [2]], []), max("abc", "b", key=len),
                  min([], default="empty"), divmod(-7, 3), divmod(7.5, 2), pow(2, -2), pow(-2, 3), pow(5, 2, 7),
                  int("0x1f", 16), int("101", 2), int(" 42 "), float("1e3"), float("-inf") < 0, bool(0.0),
                  hex(255), oct(8), bin(5), chr(65), ord("a"), math.isclose(0.1 + 0.2, 0.3), 10 ** 20,
                  (2 ** 64) // 3, 7 / 7, type(7 / 7) is float, 3 * True, int(True) + 1, 1e3 == 1000,
                  hash(1) == hash(1.0))
    """,
    "math_functions": """
        import math
        result = (math.ceil(7 / 2), math.floor(-3.5), math.sqrt(16), math.log2(1024), math.log(math.e),
                  math.log(8, 2), math.log10(1000), math.prod([2, 3, 4]), math.prod([]), math.gcd(12, 18),
                  math.lcm(4, 6), math.isqrt(17), math.factorial(6), math.comb(5, 2), math.perm(5, 2),
                  math.trunc(-2.7), math.fabs(-3), math.copysign(2, -0.0), math.hypot(3, 4), math.degrees(math.pi),
                  math.inf > 10 ** 100, math.isnan(math.nan), round(math.exp(1), 6), round(math.cos(0), 3),
                  math.fmod(-7, 3), math.modf(2.5), math.frexp(8.0), math.fsum([0.1] * 10), math.ceil(-0.5),
                  type(math.ceil(2.1)) is int, type(math.floor(2.0)) is int, math.pow(2, 10), math.tau == 2 * math.pi)
    """,
    "math_more": """
        import math
        result = (math.ceil(10 / 3) * 3, math.floor(7.9999), math.log(1), math.sqrt(2) ** 2 == 2,
                  math.isclose(math.sqrt(2) ** 2, 2),
                  math.gcd(0, 5), math.gcd(*[12, 18, 24]), math.prod(range(1, 6)), math.prod([1.5, 2]),
                  math.prod([], start=5),
                  math.isqrt(10**10), math.exp(0), math.log(100, 10), math.atan2(1, 1) * 4 == math.pi,
                  math.dist((0, 0), (3, 4)),
                  math.erf(0), math.inf - 1, -math.inf, math.floor(1e300) > 0, math.ceil(5), math.trunc(5.9),
                  math.remainder(7, 2))
    """,
    "string_methods_for_names": """
        s = "  ResNet50_v1.5  "
        key = "layer1.0.conv1.weight"
        result = (s.strip().lower(), key.split(".", 1), key.rsplit(".", 1), key.partition("."), key.rpartition("."),
                  key.startswith(("layer", "fc")), key.endswith("weight"), key.replace(".", "/"), key.count("."),
                  "_".join(key.split(".")[:-1]), "conv".upper().center(10, "-"), "a\\tb".expandtabs(4),
                  "BatchNorm2d".removeprefix("Batch"), "conv.weight".removesuffix(".weight"),
                  "Hello World".swapcase(), "hello world".title(), "abc".isalpha(), "12".isdigit(), " ".isspace(),
                  "x".join("abc"), "a b  c".split(), "a,b,,c".split(",", 2), "line1\\nline2\\n".splitlines(),
                  "relu6".rstrip("0123456789"), "0042".lstrip("0"), "ab".zfill(5), "-42".zfill(6),
                  "%-6s|%6.2f|%x|%r" % ("ab", 3.14159, 255, "q"), "%(a)s-%(b)d" % {"a": "x", "b": 3})
    """,
    "bytes_ints_and_misc_literals": """
        result = (b"ab" + b"c", b"abc"[1], b"abc".decode(), "é".encode(), 0b1010, 0o17, 0xFF, 1_000_000, 1e-3,
                  3j * 2, complex(1, 2).real, (1).bit_length(), (255).to_bytes(2, "big"),
                  int.from_bytes(b"\\x01\\x00", "big"),
                  True + True, None or "x", ... is Ellipsis, [1, 2][-1:] == [2])
    """,
    "str_join_and_table_building": """
        rows = [("conv1", (1, 8, 30, 30), 224), ("fc", (1, 10), 401000)]
        header = f"{'Layer':<10}{'Output':>18}{'Params':>10}"
        lines = [header, "-" * len(header)]
        for name, shape, params in rows:
            lines.append(f"{name:<10}{str(list(shape)):>18}{params:>10,}")
        lines.append(f"{'Total':<10}{'':>18}{sum(r[2] for r in rows):>10,}")
        result = "\\n".join(lines)
    """,
    "slicing_negative_steps": """
        s = list(range(10))
        t = "abcdefgh"
        result = (s[::-1], s[-1:-5:-1], s[8:2:-2], s[-3::-3], s[:-11:-1], s[2:8][::-1], t[::-2],
                  t[-2::-1], t[5:1:-1], s[100:], s[-100:3], tuple(s)[::4], s[slice(None, None, -4)])
    """,
    "format_with_kwargs_and_objects": """
        class P:
            def __init__(self): self.x = 3; self.items = [1, 2]
            def __format__(self, spec):
                return f"P<{spec}>"
        p = P()
        result = ("{0.x} {0.items[1]}".format(p), "{name:>{w}}|".format(name="ab", w=5), "{:*^9}".format("mid"),
                  f"{p:abc}", format(p, "q"), "{!r:>10}".format("s"), "{0}{1}{0}".format("a", "b"), "{:d}".format(True),
                  "%s|%5.1f|%-4d|%%" % ("x", 2.25, 7), "{:.2%}".format(1 / 3), "{:e}".format(12345.678))
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_result_as_cpython(name):
    source = textwrap.dedent(PROGRAMS[name])
    expected: dict = {"__name__": name}
    exec(compile(source, f"<{name}>", "exec", dont_inherit=True), expected)
    namespace = run_source(source, f"{name}.py", modules={})
    assert namespace["result"] == expected["result"]
