"""Fixtures for the converter tests: every model file of tests/models converted once per session, and the
converted files run by the real framework (tests/oracle.py, one forked process per file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import oracle
from nncalc.convert import Conversion, convert
from nncalc.errors import NncalcError

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def target_of(path: Path) -> str:
    """The other framework: tests/models names its files torch_… / keras_… (seed_torch, seed_keras)."""
    return "keras" if "torch" in path.name else "pytorch"


@dataclass
class Converted:
    source: Path
    out: Path | None
    conversion: Conversion | None
    error: NncalcError | None


def convert_file(path: Path, out_dir: Path) -> Converted:
    directives = oracle.read_directives(path)
    try:
        result = convert(path, target_of(path), model=directives.model, input_shapes=directives.input_shapes)
    except NncalcError as error:
        return Converted(path, None, None, error)
    out = out_dir / path.name
    out.write_text(result.code, encoding="utf-8")
    return Converted(path, out, result, None)


class ConvertedModels:
    """Conversions of tests/models and examples, and the real framework's account of the converted files."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.items: dict[str, Converted] = {}
        self.real: dict[Path, dict | Exception] = {}

    def get(self, path: Path) -> Converted:
        if path.name not in self.items:
            sources = oracle.model_files() + [EXAMPLES / "simple_cnn_keras.py", EXAMPLES / "simple_cnn_torch.py"]
            for source in sources:
                self.items.setdefault(source.name, convert_file(source, self.out_dir))
        return self.items[path.name]

    def run(self, path: Path) -> dict:
        """The oracle's dict for the converted file of ``path`` (all complete conversions run in one batch)."""
        item = self.get(path)
        if not self.real:
            done = [c.out for c in self.items.values() if c.out is not None and not c.conversion.problems]
            self.real = {p.name: r for p, r in oracle.run_batch(done).items()}
        result = self.real[item.out.name]
        if isinstance(result, Exception):
            raise result
        return result


@pytest.fixture(scope="session")
def converted(tmp_path_factory) -> ConvertedModels:
    return ConvertedModels(tmp_path_factory.mktemp("converted"))
