"""A forward that takes a state besides its input (``forward(self, input, hidden)`` of an RNN language model):
nncalc makes it with the model's own ``init_hidden(batch_size)``, as the script does, for the size the model
takes as its batch; without such a method the refusal names forward, the parameter and the fix. Against torch."""

from __future__ import annotations

import json
import runpy

import pytest

from tests.cli.test_input_forms import run

LANGUAGE_MODEL = '''
import torch
import torch.nn as nn


class WordRNN(nn.Module):
    def __init__(self, ntoken=500, ninp=32, nhid=48, nlayers=2):
        super().__init__()
        self.nlayers, self.nhid = nlayers, nhid
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers)  # (seq, batch, features)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input, hidden):
        output, hidden = self.rnn(self.encoder(input), hidden)
        return self.decoder(output).view(-1, self.decoder.out_features), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (weight.new_zeros(self.nlayers, bsz, self.nhid), weight.new_zeros(self.nlayers, bsz, self.nhid))
'''


@pytest.fixture
def language_model(tmp_path):
    path = tmp_path / "word_rnn.py"
    path.write_text(LANGUAGE_MODEL)
    return path


@pytest.mark.parametrize("args, shape, batch", [
    (("--input-shape", "35"), (1, 35), 35),  # nncalc's (1, 35) is one step of 35 sequences for this LSTM
    (("--unbatched", "--input-shape", "35,20"), (35, 20), 20),  # bptt 35, batch 20, as the script feeds it
])
def test_the_state_comes_from_the_models_init_hidden(language_model, args, shape, batch):
    torch = pytest.importorskip("torch")
    model = runpy.run_path(str(language_model))["WordRNN"]()
    output, _ = model(torch.zeros(shape, dtype=torch.int64), model.init_hidden(batch))
    done = run("summary", language_model, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [report["total_params"], report["output_shape"]] == [sum(p.numel() for p in model.parameters()),
                                                               list(output.shape)]
    assert any(f"`hidden` of WordRNN.forward is `model.init_hidden({batch})` (line 18)" in note
               for note in report["notes"]), report["notes"]


def test_without_a_method_for_the_state_the_refusal_says_what_to_pass(tmp_path):
    path = tmp_path / "word_rnn.py"
    path.write_text(LANGUAGE_MODEL.replace("def init_hidden(", "def zeros_for("))
    done = run("summary", path, "--input-shape", "35")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "word_rnn.py:14:" in done.stderr  # the line of def forward
    assert "WordRNN.forward(input, hidden) needs `hidden`" in done.stderr
    assert "init_hidden(batch_size)" in done.stderr and "--input-shape" in done.stderr
