"""Library sources read statically: every builder of ``torchvision.models`` and fifty of timm's best-known
architectures, analysed by nncalc straight from the libraries' own installed ``.py`` files (nothing imported,
nothing executed; torch itself stays symbolic), against the real libraries building the same models on the
meta device. Exact totals, trainable split and output shapes, or a refusal (exit 2) — never a wrong number.

The refusals are listed in ``docs/libraries.md``, which ``tests/live/library_table.py`` writes from the same
runs; a builder that starts or stops being refused fails here until the table is regenerated. Runs in the
vision environment (README's ``vision-test-command``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

REQUIRED = os.environ.get("NNCALC_REQUIRE_TORCHVISION") == "1"
try:
    import timm
    import torch
    import torchvision
except ImportError as error:  # pragma: no cover - depends on the environment
    if REQUIRED:
        raise RuntimeError(f"NNCALC_REQUIRE_TORCHVISION=1 but the vision stack is missing: {error}") from error
    pytest.skip(f"torchvision/timm not importable ({error}); run README's vision-test-command", allow_module_level=True)

import library_runs  # noqa: E402

TABLE = Path(__file__).resolve().parents[2] / "docs" / "libraries.md"


def documented_refusals() -> set[str]:
    """The builders ``docs/libraries.md`` lists as refused."""
    return set(re.findall(r"^\| `([\w.]+)` \| refused", TABLE.read_text(), re.M))


REFUSED = documented_refusals()


@pytest.mark.parametrize("name", library_runs.torchvision_builders())
def test_torchvision_builder(name, tmp_path):
    check(library_runs.run_torchvision(name, tmp_path), name)


@pytest.mark.parametrize("name", library_runs.TIMM_MODELS)
def test_timm_model(name, tmp_path):
    check(library_runs.run_timm(name, tmp_path), f"timm.{name}")


def check(row: dict, key: str) -> None:
    if row["refused"]:
        assert key in REFUSED, f"{key} is refused but docs/libraries.md lists it as exact: {row['refused']}"
        return
    assert key not in REFUSED, f"{key} is exact now: regenerate docs/libraries.md (tests/live/library_table.py)"
    assert row["static"] == row["real"], row


def test_timm_covers_fifty_architectures():
    exact = [n for n in library_runs.TIMM_MODELS if f"timm.{n}" not in REFUSED]
    assert len(exact) >= 50, f"only {len(exact)} timm architectures exact"
