"""Formulas render as the seed writes them; expected strings are the seed's own lines."""

from nncalc.formula import ceil_div, exact_div, sym


def seed_conv1():
    return (sym("k_h", 3) * sym("k_w", 3) * sym("C_in", 3) + 1) * sym("filters", 8)


def test_seed_conv1_steps():
    # seed.md, Layer 1: (3 × 3 × 3 + 1) × 8 = (27 + 1) × 8 = 28 × 8 = 224
    f = seed_conv1()
    assert f.symbols() == "(k_h × k_w × C_in + 1) × filters"
    assert f.steps() == ["(3 × 3 × 3 + 1) × 8", "(27 + 1) × 8", "28 × 8", "224"]
    assert f.value == 224


def test_seed_conv2_and_dense():
    # seed.md, Layer 2: (3 × 3 × 8 + 1) × 16 = (72 + 1) × 16 = 73 × 16 = 1168; Layer 3: (3136 + 1) × 128 = 401536
    conv2 = (sym("k_h", 3) * sym("k_w", 3) * sym("C_in", 8) + 1) * sym("filters", 16)
    assert conv2.steps() == ["(3 × 3 × 8 + 1) × 16", "(72 + 1) × 16", "73 × 16", "1,168"]
    dense = (sym("inputs", 3136) + 1) * sym("outputs", 128)
    assert dense.value == 401536
    assert dense.worked() == "(inputs + 1) × outputs = (3,136 + 1) × 128 = 3,137 × 128 = 401,536"


def test_division_and_precedence():
    f = (sym("H_in", 32) - sym("k_h", 3)) // sym("s_h", 1) + 1
    assert f.symbols() == "⌊(H_in − k_h) / s_h⌋ + 1"
    assert f.value == 30
    assert ceil_div(sym("H_in", 15), sym("s", 2)).value == 8
    g = sym("a", 10) - (sym("b", 3) - sym("c", 1))
    assert g.symbols() == "a − (b − c)" and g.value == 8
    h = sym("k", 3) * exact_div(sym("C_in", 8), sym("groups", 4))
    assert h.symbols() == "k × C_in / groups" and h.value == 6


def test_unknown_stays_unknown():
    f = sym("N", None) * sym("C", 8)
    assert f.value is None
    assert f.numbers() == "N × 8"


def test_unknown_nested_stops_reducing():
    """A length of None inside a nested formula (a strided Conv1D over any length) ends the steps where it
    stands, in text and in LaTeX (it once looped forever)."""
    f = (sym("L_in", None) + 2 * sym("p", 1) - sym("k", 3)) // sym("s", 2) + 1
    assert f.value is None
    assert f.steps() == ["⌊(L_in + 2 × 1 − 3) / 2⌋ + 1", "⌊(L_in + 2 − 3) / 2⌋ + 1"]
    assert f.worked() == "⌊(L_in + 2 × p − k) / s⌋ + 1 = ⌊(L_in + 2 × 1 − 3) / 2⌋ + 1 = ⌊(L_in + 2 − 3) / 2⌋ + 1"
    assert len(f.latex_steps()) == 2


def test_latex():
    assert seed_conv1().latex_steps()[-1] == "224"
    assert "\\times" in seed_conv1().latex()
