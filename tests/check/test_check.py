"""``nncalc check`` on a corpus of broken models, each confirmed broken by the real framework.

Every file of ``broken/`` declares what ``nncalc check`` must report (``# expect: line N CODE [FIX]``: the
line, the diagnostic's code and, for a layer argument, the replacement text) and, where nncalc cannot write
the fix itself, a hand-made one (``# fixed: line N: TEXT``). The real PyTorch / Keras must reject every broken
file, and accept it once nncalc's fixes and the hand-made ones are applied; ``nncalc check`` must then find
nothing, as it must in every correct model of ``tests/models/``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nncalc.check import check_file
from nncalc.cli import main

HERE = Path(__file__).resolve().parent
BROKEN = sorted((HERE / "broken").glob("*.py"))
MODELS = sorted((HERE.parent / "models").glob("*.py"))
EXPECT = re.compile(r"^# expect: line (\d+) ([\w-]+)(?: (.+?))?\s*$", re.M)
FIXED = re.compile(r"^# fixed: line (\d+): (.*)$", re.M)


def expected(path: Path) -> list[tuple[int, str, str | None]]:
    return [(int(m[1]), m[2], m[3]) for m in EXPECT.finditer(path.read_text(encoding="utf-8"))]


def errors(result) -> list:
    return [d for d in result.diagnostics if d.severity == "error"]


def real_verdicts(paths: list[Path]) -> dict:
    """The real frameworks' verdict on each file, from a fresh process (see real_run.py)."""
    command = [sys.executable, str(HERE / "real_run.py"), *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False,
                          env=dict(os.environ, KERAS_BACKEND="torch"))
    assert done.returncode == 0, done.stderr[-3000:]
    return {Path(k).name: v for k, v in json.loads(done.stdout).items()}


def fixed_text(path: Path) -> str:
    """The file with nncalc's replacements applied (last first, so earlier ranges stay valid), then the
    hand-made line fixes."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fixes = [d.fix for d in errors(check_file(path)) if d.fix is not None]
    for fix in sorted(fixes, key=lambda f: (f.span.line, f.span.column), reverse=True):
        span = fix.span
        assert span.line == span.end_line, "the corpus has one-line arguments"
        row = lines[span.line - 1]
        lines[span.line - 1] = row[: span.column - 1] + fix.text + row[span.end_column - 1:]
    for number, text in FIXED.findall("\n".join(lines)):
        lines[int(number) - 1] = text
    return "\n".join(lines)


# ----- nncalc check finds every error, with its line and fix ---------------------------------------------------
@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_check_finds_every_error_with_its_line_and_fix(path):
    result = check_file(path)
    wanted = expected(path)
    assert wanted, f"{path.name} declares no '# expect:'"
    found = errors(result)
    assert sorted((d.line, d.code) for d in found) == sorted((line, code) for line, code, _ in wanted)
    for line, code, replacement in wanted:
        (diagnostic,) = [d for d in found if (d.line, d.code) == (line, code)]
        assert diagnostic.file == str(path)
        assert diagnostic.message and (diagnostic.fix is not None or diagnostic.hint)
        if replacement is not None:
            assert diagnostic.fix is not None and diagnostic.fix.text == replacement
            assert f"use `{diagnostic.fix.call}`" in diagnostic.message
    assert result.exit_code == 1


def test_the_corpus_covers_every_kind_of_error_in_both_frameworks():
    assert len(BROKEN) >= 20
    codes = {code for path in BROKEN for _, code, _ in expected(path)}
    assert {"linear-in-features", "conv-in-channels", "norm-num-features", "reshape", "broadcast", "concat",
            "window-too-small", "attention-heads", "layer-reuse", "rank"} <= codes
    for prefix in ("torch_", "keras_"):
        files = [p for p in BROKEN if p.name.startswith(prefix)]
        assert len(files) >= 8
        assert any(len(expected(p)) >= 3 for p in files), f"no {prefix} file with several errors"


def test_the_seed_message_names_the_line_and_the_flattened_size():
    (diagnostic,) = errors(check_file(HERE / "broken" / "torch_seed_flatten.py"))
    assert diagnostic.line == 16  # self.fc1 = nn.Linear(16 * 13 * 13, 128)
    assert "3,136 = 16 × 14 × 14" in diagnostic.message
    assert "use `nn.Linear(16 * 14 * 14, 128)`" in diagnostic.message
    assert (diagnostic.received, diagnostic.expected) == (3136, 16 * 13 * 13)


# ----- the real frameworks agree ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_broken() -> dict:
    return real_verdicts(BROKEN)


@pytest.fixture(scope="module")
def fixed_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("fixed")
    out = []
    for path in BROKEN:
        target = folder / path.name
        target.write_text(fixed_text(path), encoding="utf-8")
        out.append(target)
    return out


@pytest.fixture(scope="module")
def real_fixed(fixed_files) -> dict:
    return real_verdicts(fixed_files)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_the_real_framework_rejects_every_broken_file(path, real_broken):
    verdict = real_broken[path.name]
    failures = [verdict["error"]] if verdict["error"] else [v for v in verdict["models"].values() if v != "ok"]
    assert failures, f"{path.name} runs fine in the real framework: {verdict}"
    if path.name.startswith("keras_"):  # Keras stops at the first bad layer, where nncalc reports it
        first = min(line for line, _, _ in expected(path))
        lines = {first, statement_start(path, first)}  # a Sequential([...]) fails at its statement's first line
        assert any(failures[0].endswith(f"(line {line})") for line in lines), failures[0]


def statement_start(path: Path, line: int) -> int:
    """The first line of the module-level statement that spans ``line``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if node.lineno <= line <= node.end_lineno:
            return node.lineno
    return line


@pytest.mark.parametrize("index", range(len(BROKEN)), ids=[p.stem for p in BROKEN])
def test_once_fixed_the_real_framework_accepts_it_and_check_finds_nothing(index, fixed_files, real_fixed):
    path = fixed_files[index]
    unfixed = [d for d in errors(check_file(BROKEN[index])) if d.fix is None]
    if unfixed:
        assert FIXED.search(path.read_text(encoding="utf-8")), f"{path.name}: no fix for {unfixed[0].message}"
    verdict = real_fixed[path.name]
    assert verdict["error"] is None and verdict["models"], verdict
    assert set(verdict["models"].values()) == {"ok"}, verdict
    result = check_file(path)
    assert errors(result) == [] and result.exit_code == 0


# ----- no false alarms ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_no_error_in_the_correct_models(path):
    result = check_file(path)
    assert [d.message for d in errors(result)] == []
    assert result.models and all(m.ok for m in result.models)
    assert result.exit_code == 0


# ----- the command line ---------------------------------------------------------------------------------------
SEED = HERE / "broken" / "torch_seed_flatten.py"


def test_exit_codes(tmp_path, capsys):
    unreadable = tmp_path / "bad.py"
    unreadable.write_text("model = (\n", encoding="utf-8")
    assert main(["check", str(HERE.parent / "models" / "seed_torch.py")]) == 0
    assert main(["check", str(SEED)]) == 1
    assert main(["check", str(unreadable)]) == 2
    assert main(["check", str(tmp_path / "missing.py")]) == 2
    assert main(["check", str(SEED), str(unreadable)]) == 2  # the worst problem decides
    out = capsys.readouterr().out
    assert "bad.py:1" in out and "missing.py" in out


def test_all_errors_of_all_files_in_one_run(capsys):
    several = HERE / "broken" / "torch_several_errors.py"
    assert main(["check", str(SEED), str(several)]) == 1
    out = capsys.readouterr().out
    for path in (SEED, several):
        for line, code, _ in expected(path):
            assert f"{path}:{line}:" in out and f"[{code}]" in out
    assert out.rstrip().endswith("4 errors (2 models in 2 files)")


def test_json_has_what_an_editor_or_a_bot_needs(capsys):
    assert main(["check", "--format", "json", str(SEED)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["exit_code"] == 1
    (entry,) = payload["files"]
    (diagnostic,) = [d for d in entry["diagnostics"] if d["severity"] == "error"]
    source = SEED.read_text(encoding="utf-8").split("\n")[15]
    start = source.index("nn.Linear")
    assert diagnostic | {"message": None, "hint": None, "fix": None} == {
        "file": str(SEED), "line": 16, "column": start + 1, "end_line": 16,
        "end_column": source.index(")  #") + 2, "severity": "error", "code": "linear-in-features",
        "message": None, "hint": None, "layer": "nn.Linear(16 * 13 * 13, 128)", "received": 3136, "expected": 2704,
        "fix": None,
    }
    assert diagnostic["fix"] == {
        "message": "use `nn.Linear(16 * 14 * 14, 128)`", "replacement": "16 * 14 * 14", "line": 16,
        "column": start + len("nn.Linear(") + 1, "end_line": 16,
        "end_column": start + len("nn.Linear(16 * 13 * 13") + 1,
    }
    assert entry["models"] == [{"name": "SimpleCNN", "framework": "pytorch", "line": 8,
                                "input_shapes": [[1, 3, 32, 32]], "batched": True, "note": None, "complete": True}]


def test_github_annotations(capsys):
    assert main(["check", "--format", "github", str(HERE / "broken" / "keras_add_mismatch.py")]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"::error file={HERE / 'broken' / 'keras_add_mismatch.py'},line=14,col=5,endLine=14,"
                           "endColumn=32,title=nncalc broadcast::`Add()` (layer 'add') receives (None, 32, 32, 64)")
    assert "%0Ahint: make the branches agree" in line


def test_outside_check_the_first_error_still_raises():
    from nncalc.analysis import analyze
    from nncalc.errors import ShapeError

    with pytest.raises(ShapeError, match=r"nn.Linear\(2704, 128\)` \(line 16\) receives 3136 features"):
        analyze(SEED, input_shape=(3, 32, 32))


# ----- inference: which inputs a PyTorch file without an input shape accepts ------------------------------------
FAMILIES = [
    (HERE.parents[1] / "examples" / "simple_cnn_torch.py", 3, "H = W ∈ {32, 33}"),
    (HERE / "inputs" / "torch_global_pool.py", 3, "any H = W ≥ 32"),
    (HERE / "inputs" / "torch_skip_connections.py", 1, "any H = W = 4 + 4k"),
    (HERE / "inputs" / "torch_lenet5.py", 1, "32 ≤ H = W ≤ 35"),
]


def claimed_sizes(text: str, last: int) -> list[int]:
    if match := re.fullmatch(r"any H = W ≥ (\d+)", text):
        return list(range(int(match[1]), last + 1))
    if match := re.fullmatch(r"any H = W = (\d+) \+ (\d+)k", text):
        return list(range(int(match[1]), last + 1, int(match[2])))
    if match := re.fullmatch(r"(\d+) ≤ H = W ≤ (\d+)", text):
        return list(range(int(match[1]), int(match[2]) + 1))
    match = re.fullmatch(r"H = W ∈ \{([\d, ]+)\}", text)
    return [int(s) for s in match[1].split(", ")]


@pytest.fixture(scope="module")
def families() -> list:
    """nncalc's claim for each file (the note, the checked model, the sizes tried) and real torch's verdict on
    every size up to the last one nncalc tried, from one fresh process."""
    claims = []
    for path, channels, _ in FAMILIES:
        result = check_file(path)
        (model,) = result.models
        claim = re.search(r"it accepts (.+?) \(tried up to (\d+)\)", model.note)
        claims.append((result, model, claim[1], int(claim[2])))
    jobs = [[str(path), channels, 2, list(range(1, last + 1))]
            for (path, channels, _), (_, _, _, last) in zip(FAMILIES, claims)]
    jobs.append([str(NO_FIT), 3, 2, list(range(1, 137))])
    done = subprocess.run([sys.executable, str(HERE / "real_run.py"), "--sizes", json.dumps(jobs)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [(claim or ()) + (real,) for claim, real in zip(claims + [None], json.loads(done.stdout))]


NO_FIT = HERE / "inputs" / "torch_no_square_fits.py"


def test_a_layer_that_no_square_input_fits_is_an_error_at_its_line(families):
    (diagnostic,) = errors(result := check_file(NO_FIT))
    assert (diagnostic.line, diagnostic.code, result.exit_code) == (12, "no-input-fits", 1)
    assert "3×33×33 gives it 3136 features, 3×34×34 gives it 3600; it takes 3200" in diagnostic.message
    assert families[-1][-1] == []  # real torch: no square input from 1×1 to 136×136 fits


@pytest.mark.parametrize("index", range(len(FAMILIES)), ids=[p.stem for p, _, _ in FAMILIES])
def test_the_inputs_a_model_accepts_are_those_real_torch_accepts(index, families):
    result, model, text, last, real = families[index]
    _, channels, family = FAMILIES[index]
    assert text == family
    (note,) = [d for d in result.diagnostics if d.severity == "note"]
    assert model.note in note.message
    assert claimed_sizes(family, last) == real
    assert model.input_shapes == [(1, channels, real[0], real[0])]  # checked with the smallest
