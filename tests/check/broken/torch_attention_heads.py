# 100-dimensional embeddings cannot be split into 8 heads; the classifier head is sized wrongly too.
# nncalc: input-shape 16,100
# expect: line 14 attention-heads
# expect: line 15 linear-in-features 100
# fixed: line 14:         self.attn = nn.MultiheadAttention(100, 10, batch_first=True)
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(100)
        self.attn = nn.MultiheadAttention(100, 8, batch_first=True)
        self.head = nn.Linear(128, 5)

    def forward(self, x):
        x = self.norm(x)
        y, _ = self.attn(x, x, x)
        return self.head(y.mean(dim=1))
