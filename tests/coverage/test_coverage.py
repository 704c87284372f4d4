"""The coverage list (``docs/coverage.md``) against the installed frameworks, quickly.

The walk itself (``coverage_list.py``, under a minute) runs every recipe both ways; these tests only check
that its record is current: every name the installed torch and Keras have is classified, the record agrees
with the recipe and not-a-model-op tables, the page is generated from the record, and a sample of the names
recorded *exact* are still exact when nncalc and the framework run their snippets again. The ``tf.*`` namespaces'
names and sample need TensorFlow: ``test_coverage_tf.py``, in an environment of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import coverage_list  # noqa: E402
import coverage_names  # noqa: E402

REGENERATE = f"regenerate with `{coverage_list.COMMAND}`"
SAMPLE_EVERY = 25
"""Re-run every 25th exact name (about 30 snippets, a few seconds)."""


@pytest.fixture(scope="module")
def record() -> dict:
    return coverage_list.load()


def unclassified(record, namespace: str, regenerate: str) -> str | None:
    """Why the record does not classify exactly the names the installed framework has, or None."""
    current = set(coverage_names.names(namespace))
    recorded = set(record["namespaces"].get(namespace, {}))
    new, gone = sorted(current - recorded), sorted(recorded - current)
    if new:
        return (f"{namespace} has names the coverage list does not classify: {new}; give each a recipe "
                f"(coverage_recipes.py) or a reason (coverage_table.py), then {regenerate}")
    return f"{namespace} no longer has {gone}; {regenerate}" if gone else None


@pytest.mark.parametrize("namespace", coverage_names.NAMESPACES)
def test_every_name_of_the_framework_is_classified(record, namespace):
    problem = unclassified(record, namespace, REGENERATE)
    assert problem is None, problem


def test_the_record_agrees_with_the_tables(record):
    stale = []
    for namespace, records in record["namespaces"].items():
        for name, entry in records.items():
            expected = coverage_list.classify(namespace, name)
            if "family" in expected:
                if entry.get("family") != expected["family"]:
                    stale.append(f"{namespace}.{name}: recipe {expected['family']}, recorded {entry}")
            elif entry != expected:
                stale.append(f"{namespace}.{name}: {expected}, recorded {entry}")
    assert not stale, f"the tables changed after the record was made ({REGENERATE}):\n" + "\n".join(stale[:20])


def test_the_page_is_generated_from_the_record(record):
    assert coverage_list.DOC.read_text(encoding="utf-8") == coverage_list.markdown(record), (
        f"docs/coverage.md is not the record's page; {REGENERATE}")


def sample(record, namespaces, every: int = SAMPLE_EVERY, backend: str | None = None) -> list[tuple[str, str]]:
    """Every ``every``-th name recorded exact in ``namespaces`` (checked on Keras's ``backend``: None for the
    environment's own, ``"tensorflow"`` for the layers only Keras on TensorFlow builds)."""
    exact = [(ns, name) for ns, records in record["namespaces"].items() for name, entry in records.items()
             if entry["status"] == "exact" and ns in namespaces and entry.get("backend") == backend]
    return exact[::every]


def still_exact(record, namespaces, every: int = SAMPLE_EVERY, backend: str | None = None) -> list[str]:
    """The sampled names that are no longer exact, with why."""
    changed = []
    for namespace, name in sample(record, namespaces, every, backend):
        entry = coverage_list.check(namespace, name)
        if entry["status"] != "exact":
            changed.append(f"{namespace}.{name}: {entry['status']}: {entry.get('reason')}")
    return changed


def test_a_sample_of_exact_names_is_still_exact(record):
    changed = still_exact(record, coverage_names.NAMESPACES)
    assert not changed, "recorded exact, no longer exact:\n" + "\n".join(changed)
