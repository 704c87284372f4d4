"""The hardening corpus (tests/security/corpus: sandbox escapes and exhaustion attempts) sent to the API: each
gets a clean JSON answer below 500 that names no server path, nothing the file asked for happens, and the
server answers the seed correctly afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, seed

CORPUS = sorted((ROOT / "tests" / "security" / "corpus").glob("*.py"))


def test_corpus_is_there():
    assert len(CORPUS) > 40


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_escape_attempt_gets_a_clean_answer(client, path: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = path.read_text(encoding="utf-8")
    response = client.post("/api/analyze", json={"code": code, "filename": path.name})
    assert response.status_code in (200, 400, 413, 422), response.text[:300]
    text = json.dumps(response.json())
    assert "Traceback" not in text and str(ROOT) not in text and "site-packages" not in text
    assert list(tmp_path.iterdir()) == []  # the corpus tries to write ESCAPE_MARKER here
    assert client.post("/api/analyze", json={"code": seed("keras")}).json()["total_params"] == 404_218
