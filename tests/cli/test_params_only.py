"""``--params-only``: the parameters of a PyTorch module tree without running forward (what torchinfo lists
without an input), for models whose forward depends on the data. Counts against real torch building the same
file; every format says what is not known rather than showing a zero."""

from __future__ import annotations

import json
import runpy

import pytest

from tests.cli.test_input_forms import run
from tests.cli.test_seed import KERAS_SEED, TORCH_SEED

DETECTOR = '''
import torch
import torch.nn as nn


class Detector(nn.Module):
    """Keeps the anchors whose score passes a threshold: how many depends on the image."""

    def __init__(self, classes=5, anchors=9):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.score = nn.Conv2d(16, anchors, 1)
        self.box = nn.Conv2d(16, anchors * 4, 1)
        self.classify = nn.Linear(16, classes)
        self.classify.weight.requires_grad_(False)

    def forward(self, images):
        features = self.backbone(images)
        scores = self.score(features).flatten()
        keep = torch.nonzero(scores > 0.5).squeeze(1)
        boxes = self.box(features).reshape(-1, 4)[keep]
        count = int(keep.numel())
        return boxes, self.classify(features.mean((2, 3))).expand(count, -1)


model = Detector()
'''


def real_counts(path, name: str | None = None) -> tuple[int, int, int]:
    """Total, trainable and buffer values of the file's ``model`` (or a new ``name``), built by real torch."""
    import torch

    # the seed is a snippet: the names its file takes for granted
    names = runpy.run_path(str(path), init_globals={"torch": torch, "nn": torch.nn})
    model = names[name]() if name else names["model"]
    params = list(model.parameters())
    return (sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad),
            sum(b.numel() for b in model.buffers()))


@pytest.fixture
def detector(tmp_path):
    path = tmp_path / "detector.py"
    path.write_text(DETECTOR)
    return path


def test_a_data_dependent_forward_is_refused_and_params_only_counts_it(detector):
    refused = run("summary", detector, "--input-shape", "3,32,32")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    done = run("summary", detector, "--params-only", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["total_params"], report["trainable_params"], report["buffers"]) == real_counts(detector)
    assert report["forward"] is False and report["total_macs"] is None and report["output_shapes"] == []
    assert (report["memory"]["activations"], report["memory"]["inference"], report["memory"]["training"]) == (
        None, None, None)
    assert all(row["output_shape"] is None and row["macs"] is None for row in report["layers"])


def test_the_seed_counts_the_same_with_and_without_forward():
    full = json.loads(run("summary", TORCH_SEED, "--format", "json").stdout)
    tree = json.loads(run("summary", TORCH_SEED, "--params-only", "--format", "json").stdout)
    assert tree["total_params"] == full["total_params"] == real_counts(TORCH_SEED, "SimpleCNN")[0]
    assert [(r["name"], r["params"]) for r in tree["layers"]] == [(r["name"], r["params"]) for r in full["layers"]]


@pytest.mark.parametrize("command, fmt", [("summary", "table"), ("summary", "markdown"), ("summary", "html"),
                                          ("explain", "text"), ("explain", "markdown"), ("explain", "latex")])
def test_every_format_says_forward_was_not_run(command, fmt):
    done = run(command, TORCH_SEED, "--params-only", "--format", fmt)
    assert done.returncode == 0, done.stderr
    text = done.stdout.replace("{,}", ",").replace("-{}-", "--")  # LaTeX's thousands separator and dashes
    assert "404,218" in text and "--params-only" in text
    assert not any(word in text for word in ("MACs:", "MACs*", "FLOPs", "Activations", "Output = ", "Output shape"))


@pytest.mark.parametrize("args, says", [
    ((KERAS_SEED, "--params-only"), "--params-only reads PyTorch module trees"),
    ((TORCH_SEED, "--params-only", "--run"), "--params-only reads the source"),
])  # fmt: skip
def test_what_params_only_cannot_do_is_said(args, says):
    done = run("summary", *args)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
