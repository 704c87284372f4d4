"""The robustness fuzz job (``fuzz_job.py``) for a fixed number of cases: generated and mutated model files,
each analysed in a contained child process, must end in a result or a clean error: never an internal error,
and never reach the process limits (a hang, a crash, memory past the limit). About a minute; the hour-long
run and its record are in tests/README.md."""

from __future__ import annotations

import fuzz_job  # tests/fuzz is on sys.path (pytest's rootdir-less test directories)
import pytest

CASES = 1000


@pytest.mark.skipif(not fuzz_job.contain.available(), reason="this system cannot fork")
def test_a_thousand_cases_find_nothing(tmp_path):
    findings = fuzz_job.run(CASES, None, seed=0, out=tmp_path, log=lambda line: None)
    assert not findings, "\n\n".join(f"{name}: {result}\n{source}" for name, result, source in findings)
