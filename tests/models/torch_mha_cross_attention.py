"""Cross-attention with nn.MultiheadAttention whose keys and values come from a memory of another width
(kdim, vdim) and that learns an extra key and value (add_bias_kv). Two float inputs: 10 queries of 64
features and 7 memory items of 32 features."""

# nncalc: input-shape 10,64; 7,32

import torch.nn as nn


class CrossAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(64)
        self.attn = nn.MultiheadAttention(64, 8, dropout=0.1, kdim=32, vdim=32, add_bias_kv=True,
                                          batch_first=True)
        self.out = nn.Linear(64, 16)

    def forward(self, queries, memory):
        attended, weights = self.attn(self.norm(queries), memory, memory, average_attn_weights=False)
        return self.out(attended + queries)


model = CrossAttention()
