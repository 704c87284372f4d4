# nncalc: input-shape 24
# nncalc: dtype int64
"""A two-tower click model: the user's history and the candidate's tags are bags of ids (nn.EmbeddingBag),
the towers meet in a bilinear form (nn.Bilinear), a gated convolution reads the history in order, and the
sizes of the head are left to lazy modules (nn.LazyConv1d, nn.LazyLinear, nn.LazyBatchNorm1d), which the dry
run below materialises, as torch's documentation advises before counting parameters."""
import torch
from torch import nn


class TwoTower(nn.Module):
    def __init__(self, vocab=5000, dim=32, history=16, interactions=16):
        super().__init__()
        self.history = history
        self.user_bag = nn.EmbeddingBag(vocab, dim, mode="mean", padding_idx=0)
        self.item_bag = nn.EmbeddingBag(vocab, dim, mode="sum")
        self.interaction = nn.Bilinear(dim, dim, interactions)
        self.tokens = nn.Embedding(vocab, dim)
        self.conv = nn.LazyConv1d(2 * dim, kernel_size=3, padding=1)
        self.gate = nn.GLU(dim=1)
        self.pool = nn.AdaptiveMaxPool1d(1)
        self.head = nn.Sequential(
            nn.LazyLinear(128),
            nn.LazyBatchNorm1d(),
            nn.ReLU(),
            nn.Dropout(0.2),
            nn.LazyLinear(1),
        )

    def forward(self, ids):
        history, item = ids[:, : self.history], ids[:, self.history :]
        user = self.user_bag(history)
        candidate = self.item_bag(item)
        both = self.interaction(user, candidate)
        sequence = self.tokens(history).transpose(1, 2)
        order = self.pool(self.gate(self.conv(sequence))).flatten(1)
        features = torch.cat([user, candidate, both, order], dim=1)
        return torch.sigmoid(self.head(features))


model = TwoTower()
model(torch.zeros(2, 24, dtype=torch.long))  # the dry run: the lazy modules take their sizes
