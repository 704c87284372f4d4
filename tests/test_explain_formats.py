"""``nncalc explain`` in Markdown and LaTeX: the worked lines stay one code block in Markdown, no step is written
twice, names are upright text in LaTeX, ``--standalone`` is a document pdflatex compiles, and a model with
several inputs shows each of them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import nncalc
from nncalc.render import format_shape

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "tests" / "models"
KERAS_SEED = ROOT / "examples" / "simple_cnn_keras.py"
DOCUMENTS = [KERAS_SEED, MODELS / "torch_transformer_tutorial.py", MODELS / "keras_conv1d_any_length.py",
             MODELS / "keras_lstm_attention_seq2seq.py", MODELS / "torch_gpt2_nanogpt.py",
             MODELS / "torch_unet.py"]


def analyze(path: Path):
    text = path.read_text()
    shape = re.search(r"^# nncalc: input-shape (\S+)", text, re.M)
    dtype = re.search(r"^# nncalc: dtype (\S+)", text, re.M)
    model = re.search(r"^# nncalc: model (\S+)", text, re.M)
    return nncalc.analyze(path, input_shape=tuple(map(int, shape[1].split(","))) if shape else None,
                          dtype=dtype[1] if dtype else None, model=model[1] if model else None)


def test_markdown_keeps_every_worked_line_in_the_code_block():
    text = analyze(KERAS_SEED).explain("markdown")
    body = [line for line in text.split("### Layer 1", 1)[1].splitlines()[1:]
            if line and not line.startswith(("### ", "- Note"))]
    assert body and all(line.startswith("    ") for line in body), [b for b in body if not b.startswith("    ")]
    assert "    Params = 0 (no weights)" in text


def test_latex_writes_no_step_twice():
    latex = analyze(KERAS_SEED).to_latex()
    for block in re.findall(r"\$\$(.*?)\$\$", latex):
        parts = [p.strip() for p in re.split(r"&?=", block.replace("\\\\", ""))]
        assert all(a != b for a, b in zip(parts, parts[1:])), block
    assert r"\text{features} = 14 \times 14 \times 16 = 3{,}136" in latex


def test_latex_names_are_upright_text():
    report = analyze(MODELS / "torch_transformer_tutorial.py")
    latex = report.to_latex()
    assert r"\text{input\_dim} \times \text{output\_dim}" in latex and "input_{" not in latex
    assert r"C_{\text{in}}" in analyze(KERAS_SEED).to_latex()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_standalone_is_a_whole_document(path, tmp_path):
    document = analyze(path).to_latex(standalone=True)
    assert document.startswith("\\documentclass") and document.rstrip().endswith("\\end{document}")
    assert document.isascii() or all(ord(c) < 256 for c in document)
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: the document's structure is checked, not its compilation")
    (tmp_path / "doc.tex").write_text(document)
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "doc.pdf").stat().st_size > 0


def test_explain_shows_every_input():
    """The real Keras model's inputs, each in the explanation (text, Markdown and LaTeX)."""
    import keras

    path = MODELS / "keras_lstm_attention_seq2seq.py"
    keras.backend.clear_session()
    namespace: dict = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # the oracle runs the repository's model file
    shapes = [format_shape(tuple(t.shape), "keras") for t in namespace["model"].inputs]
    assert len(shapes) == 2
    report = analyze(path)
    for text in (report.explain(), report.explain("markdown")):
        line = next(line for line in text.splitlines() if line.startswith("Inputs: "))
        assert [part.split(", ", 1)[1] for part in line.removeprefix("Inputs: ").split("; ")] == shapes
    assert "Inputs: 1." in report.to_latex()
