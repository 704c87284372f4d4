"""A speech-style acoustic model: a 3-layer LSTM with projections (proj_size, as in LSTMP) over sequence-first
input (batch_first=False, so the batch-first features are transposed first), and an RNN with ReLU over the
projected outputs. weight_hr_l{k} (P, H) projects h; the next layer reads P features."""
import torch
import torch.nn as nn

# nncalc: input-shape 100,40


class AcousticModel(nn.Module):
    def __init__(self, n_mels=40, hidden=256, proj=64, n_phones=42):
        super().__init__()
        self.lstm = nn.LSTM(n_mels, hidden, num_layers=3, proj_size=proj)
        self.rnn = nn.RNN(proj, 32, nonlinearity="relu", bias=False)
        self.classifier = nn.Linear(32 + proj, n_phones)

    def forward(self, x):
        x = x.transpose(0, 1)  # (time, batch, features)
        out, (h, c) = self.lstm(x)
        out2, h2 = self.rnn(out)
        features = torch.cat([out2[-1], h[-1]], dim=1)
        return self.classifier(features)
