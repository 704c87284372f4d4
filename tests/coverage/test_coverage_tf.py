"""The ``tf.*`` part of the coverage list against the installed TensorFlow, which the main test environment has
not: these tests run in an environment of their own (README's TensorFlow command, ``KERAS_BACKEND=tensorflow``);
elsewhere they skip, and with ``NNCALC_REQUIRE_TENSORFLOW=1`` (set by that command) a missing TensorFlow is a
failure instead.

Every function of ``tf``, ``tf.math``, ``tf.nn``, ``tf.random``, ``tf.linalg``, ``tf.image`` and ``tf.signal`` must
be classified in the record, and every name recorded *exact* must still be exact: each recipe run again eagerly by
TensorFlow and read by nncalc (under a minute for the ~450 names). So must the Keras layers only Keras on TensorFlow
builds (``StringLookup``, ``TextVectorization``, the hashing layers), their recipes run by Keras on TensorFlow.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

if os.environ.get("NNCALC_REQUIRE_TENSORFLOW") != "1":
    pytest.importorskip("tensorflow", reason="TensorFlow runs in its own environment (README's TensorFlow command)")

import tensorflow  # noqa: E402,F401 - here a missing TensorFlow is the failure NNCALC_REQUIRE_TENSORFLOW asks for

import coverage_list  # noqa: E402
import coverage_names  # noqa: E402
from test_coverage import still_exact, unclassified  # noqa: E402

REGENERATE = f"regenerate with `{coverage_list.TF_COMMAND}` where TensorFlow is installed"


@pytest.fixture(scope="module")
def record() -> dict:
    return coverage_list.load()


def test_keras_runs_on_tensorflow():
    import keras

    assert keras.backend.backend() == "tensorflow", "run with KERAS_BACKEND=tensorflow (README's TensorFlow command)"


def test_the_record_is_of_this_tensorflow(record):
    assert record["versions"].get("tensorflow") == tensorflow.__version__, (
        f"the record's tf.* part is of TensorFlow {record['versions'].get('tensorflow')}, this is "
        f"{tensorflow.__version__}; {REGENERATE}")


@pytest.mark.parametrize("namespace", coverage_names.TF_NAMESPACES)
def test_every_name_of_tensorflow_is_classified(record, namespace):
    problem = unclassified(record, namespace, REGENERATE)
    assert problem is None, problem


def test_every_exact_tf_name_is_still_exact(record):
    changed = still_exact(record, coverage_names.TF_NAMESPACES, every=1)
    assert not changed, "recorded exact, no longer exact:\n" + "\n".join(changed)


def test_the_layers_only_keras_on_tensorflow_builds_are_exact(record):
    names = [(ns, name) for ns, names in coverage_list.recipes.TENSORFLOW_BACKEND.items() for name in sorted(names)]
    not_recorded = [f"{ns}.{name}: {record['namespaces'][ns][name]}" for ns, name in names
                    if record["namespaces"][ns][name].get("backend") != "tensorflow"]
    assert not not_recorded, f"not checked on TensorFlow ({REGENERATE}):\n" + "\n".join(not_recorded)
    changed = still_exact(record, tuple(coverage_list.recipes.TENSORFLOW_BACKEND), every=1, backend="tensorflow")
    assert not changed, "recorded exact, no longer exact:\n" + "\n".join(changed)
