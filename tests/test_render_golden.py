"""Every format of :data:`nncalc.render.FORMATS` on a handful of models, compared with golden files to the
character: the seed in both frameworks, a ResNet (torch), and a Keras functional model whose length is None.

``NNCALC_UPDATE_GOLDEN=1 pytest tests/test_render_golden.py`` rewrites the golden files (the same switch as
``tests/test_render_plain_table.py``); read the diff before committing it. A format added to the registry
fails here until its golden files are written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from oracle import read_directives

from nncalc import __version__
from nncalc.analysis import analyze
from nncalc.render import FORMATS, RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "formats"
UPDATE = bool(os.environ.get("NNCALC_UPDATE_GOLDEN"))
MODELS = ("seed_torch", "seed_keras", "torch_resnet18", "keras_text_any_length")
EXTENSIONS = {"json": "json", "markdown": "md", "html": "html", "explain-markdown": "md", "explain-latex": "tex"}
VERSION = '"nncalc_version": "<version>"'
_reports: dict[str, object] = {}


def report_of(model: str):
    """The model's report, read with its file's directives from a path relative to the repository (the JSON
    names the file)."""
    if model not in _reports:
        path = Path("tests") / "models" / f"{model}.py"
        found = read_directives(ROOT / path)
        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            _reports[model] = analyze(path, input_shapes=list(found.input_shapes) if found.input_shapes else None,
                                      model=found.model, dtype=found.dtype)
        finally:
            os.chdir(cwd)
    return _reports[model]


def options_for(fmt: str) -> RenderOptions:
    """The table at a fixed width, written to a stream that is no terminal (no colours)."""
    if fmt in ("table", "plain"):
        return RenderOptions(width=100, stream=io.StringIO(), columns=("output_shape", "params", "formula", "macs"))
    return RenderOptions(standalone=fmt == "explain-latex")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("model", MODELS)
def test_golden(model, fmt, monkeypatch):
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    text = render(report_of(model), fmt, options_for(fmt))
    text = text.replace(f'"nncalc_version": "{__version__}"', VERSION)  # a release does not change the golden file
    golden = GOLDEN / f"{model}.{fmt}.{EXTENSIONS.get(fmt, 'txt')}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with NNCALC_UPDATE_GOLDEN=1 and read it"
    assert text == golden.read_text(encoding="utf-8")


def test_every_format_ends_in_one_newline():
    report = report_of("seed_torch")
    for fmt in FORMATS:
        text = render(report, fmt, options_for(fmt))
        assert text.endswith("\n") and not text.endswith("\n\n"), fmt


def test_report_methods_match_the_registry():
    """``str(report)``, ``to_markdown()``, ``explain()`` and ``to_latex()`` are the registry's formats."""
    report = report_of("seed_keras")
    assert str(report) == render(report, "plain")
    assert report.to_markdown() == render(report, "markdown")
    assert report.to_html() + "\n" == render(report, "html")
    assert report.explain("markdown") == render(report, "explain-markdown")
    assert report.to_latex(standalone=True) == render(report, "explain-latex", RenderOptions(standalone=True))
    assert report.to_json() + "\n" == render(report, "json")
