"""A container's MACs are those of every call made inside it, one number in the report that every output
shows: ``Row.macs``, the JSON, the table's MACs column and the web page's rows. The oracle is torch's own
``FlopCounterMode``, which counts per module (two flops per multiply-accumulate)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import nncalc
import oracle
from nncalc.render import format_si, visible_rows
from nncalc.web.payload import report_payload

MODELS = Path(__file__).resolve().parent / "models"
sys.path.insert(0, str(Path(__file__).resolve().parent / "frameworks"))


def real_module_macs(path: Path) -> dict[str, int]:
    """torch's count per module path (``layer1.0``), for the model the file names."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    from torch_helpers import real_namespace
    from torch_real import choose_model

    source = path.read_text()
    model = choose_model(real_namespace(source, str(path)), torch.nn.Module, source).eval()
    directives = oracle.read_directives(path)
    counter = FlopCounterMode(display=False)
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
        model(*oracle.torch_inputs(directives.input_shapes, directives.dtype))
    root = type(model).__name__
    return {name.partition(".")[2]: sum(counts.values()) // 2
            for name, counts in counter.get_flop_counts().items() if name.startswith(root + ".")}


@pytest.fixture(scope="module", params=["torch_resnet18.py", "torch_unet.py"])
def case(request):
    path = MODELS / request.param
    directives = oracle.read_directives(path)
    report = nncalc.analyze(path, input_shapes=directives.input_shapes, model=directives.model, batch=1)
    return report, real_module_macs(path)


def test_rows_hold_what_torch_counts_per_module(case):
    report, real = case
    containers = [row for row in report.layers if not row.is_leaf and not row.shared]
    assert containers and any(real.get(row.name) for row in containers)
    for row in report.layers:
        if not row.shared:
            assert row.macs == real.get(row.name, 0), row.name
    assert sum(row.own_macs for row in report.layers) == report.total_macs


def test_every_output_shows_the_same_number(case):
    report, _ = case
    rows = report.layers
    assert [layer["macs"] for layer in report.to_dict()["layers"]] == [row.macs for row in rows]
    assert [item.macs for item in visible_rows(report)] == [row.macs for row in rows]
    page = report_payload(report)["rows"]
    assert [r["macs"] for r in page if r["macs"] != "--"] == [format_si(row.macs) for row in rows
                                                              if row.called or row.macs]


def test_a_container_never_called_sums_its_children():
    """A ``ModuleList`` is never called itself: its row sums the calls of what it holds, everywhere."""
    source = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x
"""
    report = nncalc.analyze(source, input_shape=(8,))
    blocks = next(row for row in report.layers if row.name == "blocks")
    assert not blocks.called and blocks.macs == report.total_macs == 3 * 8 * 8
    assert report.to_dict()["layers"][0]["macs"] == blocks.macs
    assert report_payload(report)["rows"][0]["macs"] == format_si(blocks.macs)
