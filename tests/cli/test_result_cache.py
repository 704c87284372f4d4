"""The result cache (nncalc.result_cache): a command run again on unchanged files replays the first run's
output without analysing; anything it read that changed, or a file added where it looked for a module, makes
it analyse again. Every replay is compared with a fresh analysis of the same files (``NNCALC_NO_CACHE=1``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TORCH_SEED = ROOT / "examples" / "simple_cnn_torch.py"


def nncalc(*args, cwd: Path, cache: Path | None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``python -X importtime -m nncalc ARGS`` with the cache in ``cache`` (None: ``NNCALC_NO_CACHE=1``); its
    stderr tells whether the command was replayed."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="120", NNCALC_NO_CACHE="0" if cache else "1")
    env.pop("NNCALC_IN_PROCESS", None)
    if cache is not None:
        env["NNCALC_CACHE"] = str(cache)
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "nncalc", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120, input=stdin)


def analysed(done: subprocess.CompletedProcess) -> bool:
    """Did the command parse its arguments and analyse (a replay imports neither the parser nor the analysis)?"""
    return "nncalc.arguments" in done.stderr


def messages(done: subprocess.CompletedProcess) -> str:
    return "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))


@pytest.fixture()
def project(tmp_path):
    """A copy of the PyTorch seed in a project folder (a pyproject.toml marks its root), and a cache folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    shutil.copy(TORCH_SEED, folder / "model.py")
    return folder, tmp_path / "cache"


def same_as_fresh(done, *args, cwd) -> None:
    fresh = nncalc(*args, cwd=cwd, cache=None)
    assert (done.returncode, done.stdout, messages(done)) == (fresh.returncode, fresh.stdout, messages(fresh))


def test_a_second_run_replays_the_first(project):
    folder, cache = project
    first = nncalc("summary", "model.py", cwd=folder, cache=cache)
    second = nncalc("summary", "model.py", cwd=folder, cache=cache)
    assert first.returncode == second.returncode == 0, first.stderr
    assert analysed(first) and not analysed(second)
    assert second.stdout == first.stdout
    same_as_fresh(second, "summary", "model.py", cwd=folder)


def test_other_options_are_another_entry(project):
    folder, cache = project
    nncalc("summary", "model.py", cwd=folder, cache=cache)
    other = nncalc("summary", "model.py", "--format", "json", cwd=folder, cache=cache)
    assert analysed(other)
    same_as_fresh(other, "summary", "model.py", "--format", "json", cwd=folder)


def test_an_edit_of_the_same_size_is_seen(project):
    """The file's bytes are hashed: an edit within the file system's time resolution is not missed."""
    folder, cache = project
    model = folder / "model.py"
    nncalc("summary", "model.py", cwd=folder, cache=cache)
    text = model.read_text()
    assert "nn.Linear(128, 10)" in text
    model.write_text(text.replace("nn.Linear(128, 10)", "nn.Linear(128, 20)"))
    edited = nncalc("summary", "model.py", cwd=folder, cache=cache)
    assert analysed(edited)
    same_as_fresh(edited, "summary", "model.py", cwd=folder)


def test_a_changed_sibling_module_is_seen(project):
    folder, cache = project
    (folder / "blocks.py").write_text("import torch.nn as nn\n\ndef head():\n    return nn.Linear(128, 10)\n")
    model = folder / "model.py"
    model.write_text("from blocks import head\n" + model.read_text().replace("nn.Linear(128, 10)", "head()"))
    first = nncalc("summary", "model.py", cwd=folder, cache=cache)
    assert first.returncode == 0, first.stderr
    (folder / "blocks.py").write_text("import torch.nn as nn\n\ndef head():\n    return nn.Linear(128, 7)\n")
    second = nncalc("summary", "model.py", cwd=folder, cache=cache)
    assert analysed(second) and second.stdout != first.stdout
    same_as_fresh(second, "summary", "model.py", cwd=folder)


def test_a_module_added_where_an_import_looked_is_seen(project, tmp_path):
    """``from blocks import head`` found in a --source-path folder; a blocks.py added beside the model is found
    first by the next run, as Python's import would."""
    folder, cache = project
    library = tmp_path / "library"
    library.mkdir()
    (library / "blocks.py").write_text("import torch.nn as nn\n\ndef head():\n    return nn.Linear(128, 10)\n")
    model = folder / "model.py"
    model.write_text("from blocks import head\n" + model.read_text().replace("nn.Linear(128, 10)", "head()"))
    args = ("summary", "model.py", "--source-path", str(library))
    first = nncalc(*args, cwd=folder, cache=cache)
    assert first.returncode == 0, first.stderr
    (folder / "blocks.py").write_text("import torch.nn as nn\n\ndef head():\n    return nn.Linear(128, 3)\n")
    second = nncalc(*args, cwd=folder, cache=cache)
    assert analysed(second) and second.stdout != first.stdout
    same_as_fresh(second, *args, cwd=folder)


def test_a_shape_error_is_replayed_with_its_exit_code(project):
    folder, cache = project
    model = folder / "model.py"
    model.write_text(model.read_text().replace("nn.Linear(128, 10)", "nn.Linear(64, 10)"))
    first = nncalc("summary", "model.py", "--input-shape", "3,32,32", cwd=folder, cache=cache)
    second = nncalc("summary", "model.py", "--input-shape", "3,32,32", cwd=folder, cache=cache)
    assert first.returncode == second.returncode == 1
    assert not analysed(second)
    same_as_fresh(second, "summary", "model.py", "--input-shape", "3,32,32", cwd=folder)


@pytest.mark.parametrize("turned_off", ["flag", "environment", "standard input", "refusal"])
def test_what_is_never_replayed(project, turned_off):
    folder, cache = project
    args, stdin = ["summary", "model.py"], None
    if turned_off == "flag":
        args.append("--no-cache")
    elif turned_off == "standard input":
        args, stdin = ["summary", "-"], (folder / "model.py").read_text()
    elif turned_off == "refusal":  # exit 2: some refusals come from a time or memory limit
        (folder / "model.py").write_text("import torch\nmodel = torch.nn.Linear(\n")
    for _ in range(2):
        if turned_off == "environment":
            done = nncalc(*args, cwd=folder, cache=None, stdin=stdin)
            done = nncalc(*args, cwd=folder, cache=None, stdin=stdin)
        else:
            done = nncalc(*args, cwd=folder, cache=cache, stdin=stdin)
        assert analysed(done)
    assert not (cache / "results").exists() or not any((cache / "results").iterdir())


def test_a_damaged_entry_is_ignored(project):
    folder, cache = project
    first = nncalc("summary", "model.py", cwd=folder, cache=cache)
    (entry,) = (cache / "results").iterdir()
    entry.write_bytes(entry.read_bytes()[:-20])
    again = nncalc("summary", "model.py", cwd=folder, cache=cache)
    assert analysed(again) and again.stdout == first.stdout
