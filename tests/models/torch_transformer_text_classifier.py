"""A text classifier on nn.TransformerEncoder: token and learned position embeddings (an nn.Parameter of
zeros), two batch-first encoder layers with GELU and pre-norm, a final LayerNorm, mean pooling, a linear head.
The padding mask and the loss are there as in training code; the loss is ignored."""

# nncalc: input-shape 40
# nncalc: dtype int64

import torch
import torch.nn as nn
import torch.nn.functional as F


class TextClassifier(nn.Module):
    def __init__(self, vocab_size=5000, d_model=128, nhead=4, num_layers=2, num_classes=5, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model),
                                             enable_nested_tensor=False)
        self.head = nn.Linear(d_model, num_classes)
        self.loss = nn.CrossEntropyLoss()

    def forward(self, tokens, labels=None):
        padding = tokens == 0
        x = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        x = self.encoder(x, src_key_padding_mask=padding)
        logits = self.head(x.mean(dim=1))
        if labels is not None:
            return logits, F.cross_entropy(logits, labels)
        return logits


model = TextClassifier()
