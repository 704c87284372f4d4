"""A PyTorch forward that takes its inputs without a batch dimension (a graph network on ``(N, F)`` node features
and an ``(N, N)`` adjacency): nncalc's own batch of 1 never turns into a shape error. The forward is traced on
the shapes whole, with a note (or on ``--unbatched``); counts and output shapes against real torch."""

from __future__ import annotations

import json
import runpy

import pytest

from tests.cli.test_input_forms import run
from tests.cli.test_seed import KERAS_SEED

GRAPH_LAYER = '''
import torch
import torch.nn as nn


class GraphConv(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x, adj):
        return torch.spmm(adj, torch.mm(x, self.weight)) + self.bias


class GCN(nn.Module):
    def __init__(self, n_features=16, n_hidden=32, n_classes=4):
        super().__init__()
        self.gc1 = GraphConv(n_features, n_hidden)
        self.gc2 = GraphConv(n_hidden, n_classes)

    def forward(self, x, adj):
        return torch.log_softmax(self.gc2(torch.relu(self.gc1(x, adj)), adj), dim=1)


if __name__ == "__main__":
    model = GCN()
    print(model(torch.randn(50, 16), torch.eye(50)).shape)
'''


@pytest.fixture
def gcn(tmp_path):
    path = tmp_path / "gcn.py"
    path.write_text(GRAPH_LAYER)
    return path


def real(path):
    torch = pytest.importorskip("torch")
    model = runpy.run_path(str(path))["GCN"]()
    output = model(torch.zeros(50, 16), torch.eye(50))
    with pytest.raises(RuntimeError, match="must be a matrix"):
        model(torch.zeros(1, 50, 16), torch.eye(50).unsqueeze(0))  # the batch nncalc would add: torch refuses it
    return sum(p.numel() for p in model.parameters()), list(output.shape)


@pytest.mark.parametrize("args", [
    (),  # the file's own call, model(torch.randn(50, 16), torch.eye(50)) in __main__
    ("--input-shape", "50,16", "--input-shape", "50,50"),  # nncalc's batch fails: the shapes are taken whole
    ("--unbatched", "--input-shape", "50,16", "--input-shape", "50,50"),
])
def test_an_unbatched_forward_is_read_whole(gcn, args):
    done = run("summary", gcn, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [report["total_params"], report["output_shape"]] == list(real(gcn))
    assert report["input_shapes"] == [[50, 16], [50, 50]]
    assert any("no batch dimension" in note for note in report["notes"]), report["notes"]
    table = run("summary", gcn, *args)
    assert "Activations (unbatched)" in table.stdout


def test_check_reads_it_whole_too(gcn):
    done = run("check", gcn)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "GCN (PyTorch, input 50×16, 50×50 unbatched): checked" in done.stdout
    assert "no batch dimension: GCN.forward fails on a batch" in done.stdout


def test_a_batch_asked_for_names_the_fix(gcn):
    done = run("summary", gcn, "--batch", "4", "--input-shape", "50,16", "--input-shape", "50,50")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "gcn.py:" in done.stderr and "self must be a matrix" in done.stderr
    assert "--unbatched --input-shape 50,16 --input-shape 50,50" in done.stderr


@pytest.mark.parametrize("args, words", [
    (("--unbatched",), "give each input's whole shape with --input-shape"),
    (("--unbatched", "--batch", "2", "--input-shape", "50,16"), "contradict"),
])
def test_unbatched_needs_whole_shapes(tmp_path, args, words):
    path = tmp_path / "gcn.py"
    path.write_text(GRAPH_LAYER.replace("print(model(torch.randn(50, 16), torch.eye(50)).shape)", "pass"))
    done = run("summary", path, *args)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_keras_model_always_has_a_batch():
    done = run("summary", KERAS_SEED, "--unbatched")
    assert done.returncode == 2 and "Keras model always takes a batch" in done.stderr, done.stderr
