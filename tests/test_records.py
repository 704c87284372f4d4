"""nncalc's record classes (:mod:`nncalc.records`) against :mod:`dataclasses`: the same calls make the same fields
or fail the same way, with the generic ``__init__`` of a class's first instances and with the compiled one after."""

from __future__ import annotations

import dataclasses

import pytest

from nncalc import records


def _classes(make, field):
    @make
    class Spec:
        name: str
        size: int = 3
        tags: list = field(default_factory=list)

        def __post_init__(self):
            self.tags.append(self.size)

    @make(frozen=True)
    class Frozen:
        a: int
        b: tuple = ()

    return Spec, Frozen


CALLS = [
    ("Spec", ("conv",), {}),
    ("Spec", ("conv", 5), {}),
    ("Spec", (), {"name": "x", "tags": [1]}),
    ("Spec", ("conv",), {"size": 7}),
    ("Spec", (), {}),  # missing a required field
    ("Spec", ("a", 1, [], "extra"), {}),  # too many positionals
    ("Spec", ("a",), {"name": "b"}),  # given twice
    ("Spec", ("a",), {"colour": 1}),  # no such field
    ("Frozen", (1,), {}),
    ("Frozen", (), {"a": 2, "b": (1,)}),
]


def _outcome(cls, args, kwargs):
    try:
        made = cls(*args, **kwargs)
    except TypeError:
        return TypeError
    return {name: getattr(made, name) for name in ("name", "size", "tags", "a", "b") if hasattr(made, name)}


@pytest.mark.parametrize("rounds", [1, records.COMPILE_AFTER + 2])
def test_records_make_what_dataclasses_make(rounds):
    ours = dict(zip(("Spec", "Frozen"), _classes(records.dataclass, records.field)))
    theirs = dict(zip(("Spec", "Frozen"), _classes(dataclasses.dataclass, dataclasses.field)))
    for _ in range(rounds):  # past COMPILE_AFTER instances the classes have their compiled __init__
        for name, args, kwargs in CALLS:
            assert _outcome(ours[name], args, dict(kwargs)) == _outcome(theirs[name], args, dict(kwargs)), (name, args)
    compiled = ours["Spec"].__init__.__code__.co_filename == "<string>"
    assert compiled == (rounds > 1)
