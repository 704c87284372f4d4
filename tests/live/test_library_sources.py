"""Library sources read statically: every builder of ``torchvision.models`` and fifty of timm's best-known
architectures, analysed by nncalc straight from the libraries' own installed ``.py`` files (nothing imported,
nothing executed; torch itself stays symbolic), against the real libraries building the same models on the
meta device. Exact totals, trainable split and output shapes, or a refusal (exit 2) — never a wrong number.

The refusals are listed in ``docs/libraries.md``, which ``tests/live/library_table.py`` writes from the same
runs; a builder that starts or stops being refused fails here until the table is regenerated. Also: a user
file fine-tuning a torchvision backbone, and the libraries' wheels fetched from the package registry
(``pip download --no-deps``, cached in ``~/.cache/nncalc-test-wheels``) read by an nncalc that cannot import
torch, torchvision or timm. Runs in the vision environment (README's ``vision-test-command``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
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
from no_frameworks import cli_without  # noqa: E402

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


BACKBONE = """import torch.nn as nn
import torchvision

backbone = torchvision.models.resnet18()
backbone.fc = nn.Linear(512, 10)
model = backbone
"""


def test_a_torchvision_backbone_with_a_new_head(tmp_path):
    """The user's file builds a library model and replaces its classifier, as fine-tuning scripts do."""
    static, refused = library_runs._analyse(BACKBONE, tmp_path / "finetune.py", [(3, 224, 224)])
    assert refused is None, refused

    def build():
        backbone = torchvision.models.resnet18()
        backbone.fc = torch.nn.Linear(512, 10)
        return backbone

    assert static == library_runs._real(build, [(3, 224, 224)]) and static["output"] == [1, 10]


COMPILED_OPS = [
    pytest.param("""import torch
import torch.nn as nn
from torchvision.ops import DeformConv2d


class DeformBlock(nn.Module):
    def __init__(self, channels, groups=1):
        super().__init__()
        self.offset = nn.Conv2d(channels, 2 * groups * 3 * 3, 3, stride=2, padding=1)
        self.dcn = DeformConv2d(channels, 2 * channels, 3, stride=2, padding=1, groups=groups)

    def forward(self, x):
        return torch.relu(self.dcn(x, self.offset(x)))


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), DeformBlock(16), DeformBlock(32, groups=2),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
""", [(3, 32, 32)], id="torchvision.ops.deform_conv2d"),
    pytest.param("""import torch.nn as nn
from torchvision.ops import RoIAlign


class RoIHead(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.pool = RoIAlign(output_size=(7, 7), spatial_scale=0.25, sampling_ratio=2)
        self.fc = nn.Linear(64 * 7 * 7, num_classes)

    def forward(self, images, rois):
        return self.fc(self.pool(self.backbone(images), rois).flatten(1))


model = RoIHead()
""", [(3, 64, 64), (5,)], id="torchvision.ops.roi_align"),
]
"""Models using ops of a library's compiled extension (``torch.ops.torchvision.*``): one row per op, whose rule
(:mod:`nncalc.layers`) computes it; each checked against the real library running the same file on the CPU."""


def test_every_rule_of_a_compiled_op_has_a_row():
    from nncalc.layers.rule import all_rules

    RULES = all_rules()  # noqa: N806 - every family imported: every rule registered
    ops = {f.name.removeprefix("torch.ops.") for rule in RULES.values() for f in rule.functions}
    rows = {param.id.replace(".ops.", ".", 1) for param in COMPILED_OPS}
    assert sorted(ops - rows) == [], "a rule of a compiled op without a row in COMPILED_OPS"


@pytest.mark.parametrize("source, shapes", COMPILED_OPS)
def test_an_op_of_a_compiled_extension(source, shapes, tmp_path):
    static, refused = library_runs._analyse(source, tmp_path / "model.py", shapes)
    assert refused is None, refused
    namespace: dict = {"__name__": "model"}
    exec(compile(source, "model.py", "exec"), namespace)  # noqa: S102 - the row's own source
    model = namespace["model"].eval()
    with torch.no_grad():
        out = model(*[torch.zeros(1, *shape) for shape in shapes])
    assert static == library_runs._counts(model, list(out.shape))


WHEELS = Path(os.environ.get("NNCALC_TEST_WHEELS", Path.home() / ".cache" / "nncalc-test-wheels"))
NO_LIBRARIES = cli_without("torchvision", "timm")


@pytest.mark.parametrize("package, source", [
    (f"torchvision=={torchvision.__version__.split('+')[0]}", "import torchvision\nmodel = torchvision.models.resnet18()\n"),
    (f"timm=={timm.__version__}", "import timm\nmodel = timm.create_model('resnet18')\n"),
])  # fmt: skip
def test_library_source_from_the_registry_with_no_framework(tmp_path, package, source):
    """The library's wheel as the package registry serves it (``pip download --no-deps``, cached), read with
    ``--source-path`` by an nncalc that cannot import torch, torchvision or timm: the real library's count."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    name = package.split("==")[0]
    wheels = sorted(WHEELS.glob(f"{name}-{package.split('==')[1]}-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(WHEELS), package],
                       check=True, timeout=600)
        wheels = sorted(WHEELS.glob(f"{name}-{package.split('==')[1]}-*.whl"))
    path = tmp_path / "model.py"
    path.write_text(source)
    env = dict(os.environ, PYTHONPATH=str(Path(library_runs.SRC)), NNCALC_CACHE=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", NO_LIBRARIES, "summary", str(path), "--source-path", str(wheels[-1]),
                           "--input-shape", "3,224,224", "--format", "json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    real = library_runs._real(lambda: torchvision.models.resnet18() if name == "torchvision"
                              else timm.create_model("resnet18"), [(3, 224, 224)])
    report = json.loads(done.stdout)
    assert (report["total_params"], report["trainable_params"], report["output_shape"]) == (
        real["total"], real["trainable"], real["output"])
