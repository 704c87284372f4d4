"""Every layer-rule row of ``torch_rows.py`` and ``keras_rows.py`` through nncalc alone, against the numbers the
real framework computed for it once, stored beside the rows with the framework's version (``torch_rows.json``,
``keras_rows.json``). Nothing here imports torch or Keras, so an install with pytest alone tests every rule; the
oracle tests (``test_torch_*.py``, ``test_keras_api.py``) run the same rows against the real frameworks.

``NNCALC_UPDATE_GOLDEN=1 pytest tests/frameworks/test_rule_rows.py`` runs every row through real torch and
Keras and rewrites both files (the same switch as the golden files); read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras_rows
import pytest
import torch_rows

from nncalc.frameworks.torch import new_session
from nncalc.frameworks.torch.module import BUILTIN_CLASSES
from nncalc.frameworks.torch.namespaces import load_families

HERE = Path(__file__).resolve().parent
UPDATE = bool(os.environ.get("NNCALC_UPDATE_GOLDEN"))
TORCH_ROWS = torch_rows.every_row()
KERAS_ROWS = keras_rows.every_row()
SESSION = new_session()


def _torch_versions() -> dict:
    import torch

    return {"torch": torch.__version__}


def _keras_versions() -> dict:
    import keras
    import torch

    return {"keras": keras.__version__, "backend": keras.backend.backend(), "torch": torch.__version__}


STORES = {
    "torch": (HERE / "torch_rows.json", TORCH_ROWS, lambda row: torch_rows.torch_facts(*row), _torch_versions),
    "keras": (HERE / "keras_rows.json", KERAS_ROWS, lambda row: keras_rows.keras_facts(*row), _keras_versions),
}
_stored: dict[str, dict] = {}


def _plain(value):
    """``value`` as JSON reads it back: tuples become lists."""
    return json.loads(json.dumps(value))


def _write(path: Path, versions: dict, rows: dict) -> None:
    """One row a line, so that a changed row is a one-line diff."""
    lines = [f"  {json.dumps(key)}: {json.dumps(facts)}" for key, facts in sorted(rows.items())]
    head = {"generated_by": "NNCALC_UPDATE_GOLDEN=1 pytest tests/frameworks/test_rule_rows.py", "framework": versions}
    path.write_text(json.dumps(head)[:-1] + ', "rows": {\n' + ",\n".join(lines) + "\n}}\n", encoding="utf-8")


def stored(framework: str) -> dict:
    """The stored numbers of ``framework``'s rows by key; rewritten first, from the real framework, on update."""
    if framework not in _stored:
        path, rows, compute, versions = STORES[framework]
        if UPDATE:
            _write(path, versions(), {key: compute(row) for key, row in rows.items()})
        _stored[framework] = json.loads(path.read_text(encoding="utf-8"))
    return _stored[framework]


def _expected(framework: str, key: str) -> dict:
    rows = stored(framework)["rows"]
    assert key in rows, f"no stored numbers for {key}: run NNCALC_UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    return rows[key]


@pytest.mark.parametrize("key", TORCH_ROWS)
def test_torch_row_matches_stored_torch_numbers(key):
    expected = _expected("torch", key)
    got = _plain(torch_rows.nncalc_facts(SESSION, *TORCH_ROWS[key]))
    if "formula" in got:
        assert got.pop("formula") == expected["params"]
    assert got == expected


@pytest.mark.parametrize("key", KERAS_ROWS)
def test_keras_row_matches_stored_keras_numbers(key):
    expected = _expected("keras", key)
    got = _plain(keras_rows.nncalc_facts(*KERAS_ROWS[key]))
    if "formula" in got:
        assert got.pop("formula") == expected["params"]
    assert got == expected


@pytest.mark.parametrize("framework", sorted(STORES))
def test_stored_rows_are_the_tables_rows(framework):
    """A row added without its numbers, or numbers left of a row removed, fail here; every key is one row."""
    path, rows, _, _ = STORES[framework]
    assert sorted(stored(framework)["rows"]) == sorted(rows), f"run NNCALC_UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    tables = (torch_rows.LAYERS, torch_rows.MORE, torch_rows.MULTI, torch_rows.RECURRENT, torch_rows.ATTENTION) \
        if framework == "torch" else (keras_rows.ROWS, keras_rows.MERGE_ROWS, keras_rows.SEQUENCE_ROWS)
    assert len(rows) == sum(map(len, tables)), "two rows of one table share a test id"
    assert stored(framework)["framework"], path.name


NOT_ROWS = {
    "Module": "the base class: tests/frameworks/test_torch_module.py",
    "Container": "torch's deprecated base class",
    "RNNBase": "the base class of RNN, LSTM and GRU",
    "RNNCellBase": "the base class of the cells",
    "Sequential": "a container: test_torch_module.py and every model file",
    "ModuleList": "a container: test_torch_module.py",
    "ModuleDict": "a container: test_torch_module.py",
    "ParameterList": "a container of parameters: test_torch_attention.py",
    "ParameterDict": "a container of parameters: test_torch_attention.py",
    "AdaptiveLogSoftmaxWithLoss": "its forward depends on the target's values: test_classifier_heads_with_their_loss",
    "QuantStub": "torch.ao.quantization's, not torch.nn's (no test yet)",
    "DeQuantStub": "torch.ao.quantization's, not torch.nn's (no test yet)",
    "FloatFunctional": "torch.ao.nn.quantized's, not torch.nn's, and never called (no test yet)",
}


def test_every_torch_module_class_has_a_row():
    """Every module class nncalc implements for torch has a row above (so real torch checks it in the oracle
    tests, and its stored numbers here), or is listed with the reason it has none: a class added without a
    row fails here."""
    nn = SESSION.modules["torch.nn"]
    load_families()  # the families a file imports on first use: all of them
    implemented = {cls.__name__ for cls in BUILTIN_CLASSES} | {
        name for name in dir(nn) if getattr(nn, name, None) in BUILTIN_CLASSES}
    covered = {row[0] for row in TORCH_ROWS.values()}
    assert sorted(implemented - covered - set(NOT_ROWS)) == []
    assert set(NOT_ROWS) <= implemented and not set(NOT_ROWS) & covered


def test_every_rule_has_rows_whose_weights_its_formula_counts():
    """Every registered rule of a layer (:mod:`nncalc.layers.rule`) is used by a layer of some torch or Keras row,
    and each layer made from one holds exactly the weights the rule's formula counts (torch's buffers of the rule's
    statistics too, as Keras counts them): a rule added without a row fails here. Keras's layers of several inputs
    (``MultiHeadAttention``) are checked in their sequence rows, their spec made from all their inputs' shapes; a
    torch module made from a rule but not a ``RuleModule`` (``nn.MultiheadAttention``, whose projections torch
    packs, its output projection a child) holds, children included, what the rule counts.
    (A rule of functions, ``torch.ops.*``, has its rows in ``tests/live/test_library_sources.py``.)"""
    from nncalc.frameworks.torch.rules import RuleModule, torch_weight
    from nncalc.layers.rule import all_rules

    RULES = all_rules()  # noqa: N806 - every family imported: every rule registered

    checked, problems = set(), []
    for key, (name, args, kwargs, *_) in TORCH_ROWS.items():
        for module in torch_rows.built(SESSION.modules["torch.nn"], name, args, kwargs).modules():
            rule = getattr(module, "_rule", None)
            if rule is None:
                continue
            checked.add(rule.name)
            if isinstance(module, RuleModule):
                names = {torch_weight(t.role, t.shape)[0] for t in rule.terms(module._spec)}
                tensors = [*module.named_parameters(recurse=False), *module.named_buffers(recurse=False)]
                weights = sum(p.numel() for n, p in tensors if n in names)
            else:  # the rule's weights laid out otherwise, in children too (MultiheadAttention's in_proj, out_proj)
                weights = sum(p.numel() for p in module.parameters())
            if RULES.get(rule.name) is not rule or rule.check(module._spec) or _counted(rule, module._spec) != weights:
                problems.append(f"{key}: {rule.name}: {rule.check(module._spec) or 'not registered or not its weights'}")
    for key, (kind, values) in KERAS_ROWS.items():
        if kind == "merge":
            continue
        k = keras_rows.new_session().keras
        if kind == "layer":
            name, args, kwargs, shape, dtype = values
            layer = keras_rows.built(k.layers, name, args, kwargs)
            k.Sequential([k.Input(shape=shape, dtype=dtype), layer])
        else:  # a layer called on several inputs (MultiHeadAttention) or returning several outputs
            layer = keras_rows.sequence_layer(k, *values)[1]
        for part in [layer, *layer._sublayers()]:
            rule = type(part)._rule if getattr(type(part), "_builtin", False) else None
            if rule is None or not part._records:
                continue
            checked.add(rule.name)
            shapes = [tuple(tensor.shape) for tensor in part._records[0].inputs]
            spec = part._spec(shapes[0] if len(shapes) == 1 else shapes)
            roles = {term.role for term in rule.terms(spec)}  # a subclass may add its own (ReversibleEmbedding)
            weights = sum(w.numel for w, _ in part._own_weights if w.name in roles)
            if RULES.get(rule.name) is not rule or rule.check(spec) or _counted(rule, spec) != weights:
                problems.append(f"{key}: {rule.name}: {rule.check(spec) or 'not registered or not its weights'}")
    assert not problems, "\n".join(problems)
    layer_rules = {name for name, rule in RULES.items() if not rule.functions}
    assert sorted(layer_rules - checked) == [], "rules without a row"


def _counted(rule, spec) -> int:
    """The weights ``rule``'s formula counts for ``spec`` (0 without a formula: an instance norm without weights)."""
    formula = rule.formula(spec)
    return 0 if formula is None else formula.value
