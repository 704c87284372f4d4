"""A sensor-sequence regressor: a 2-layer GRU over 50 steps of 16 features (batch_first), dropout between the
layers, a linear head on the last step. PyTorch GRU: 3 × (H·(I + H) + 2·H) per layer, like Keras's default
GRU(reset_after=True)."""
import torch
import torch.nn as nn

# nncalc: input-shape 50,16


class GRURegressor(nn.Module):
    def __init__(self, n_features=16, hidden=64, n_layers=2, horizon=3):
        super().__init__()
        self.gru = nn.GRU(n_features, hidden, num_layers=n_layers, batch_first=True, dropout=0.2)
        self.head = nn.Sequential(nn.Linear(hidden, 32), nn.ReLU(), nn.Linear(32, horizon))

    def forward(self, x):
        out, h_n = self.gru(x)
        return self.head(out[:, -1, :])
