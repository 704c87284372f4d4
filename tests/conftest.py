"""pytest setup for nncalc: Keras on the torch backend, nncalc from src/, one oracle run per session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("NNCALC_NO_CACHE", "1")  # every test analyses afresh; tests/cli/test_result_cache.py turns it on

TESTS_DIR = Path(__file__).resolve().parent
SRC_DIR = TESTS_DIR.parent / "src"
for _path in (SRC_DIR, TESTS_DIR):
    if _path.is_dir() and str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import pytest  # noqa: E402

import oracle  # noqa: E402


class OracleResults:
    """The real framework's account of each model file, computed once per session.

    The first request runs every model file of ``tests/models`` in one batch (one framework import, a
    fresh forked process per file); later requests read the cache.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, dict | Exception] = {}

    def __call__(self, path: str | os.PathLike) -> dict:
        path = Path(path).resolve()
        if path not in self._cache:
            pending = [path] + [p for p in oracle.model_files() if p != path and p not in self._cache]
            try:
                self._cache.update(oracle.run_batch(pending))
            except Exception as error:  # noqa: BLE001 - remembered so the batch is not retried per test
                self._cache.update(dict.fromkeys(pending, error))
        result = self._cache[path]
        if isinstance(result, Exception):
            raise result
        return result


@pytest.fixture(scope="session")
def oracle_result() -> OracleResults:
    """Call with a model file's path to get the oracle's dict for it (see ``tests/oracle.py``)."""
    return OracleResults()
