"""A translation model on nn.Transformer: source and target token embeddings, a causal target mask from
nn.Transformer.generate_square_subsequent_mask, and a projection to the target vocabulary. Two inputs."""

# nncalc: input-shape 12; 9
# nncalc: dtype int64

import math

import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, src_vocab=1000, tgt_vocab=1200, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.d_model = d_model
        self.src_embed = nn.Embedding(src_vocab, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model)
        self.transformer = nn.Transformer(d_model, nhead, num_encoder_layers=layers, num_decoder_layers=layers,
                                          dim_feedforward=128, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        scale = math.sqrt(self.d_model)
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        out = self.transformer(self.src_embed(src) * scale, self.tgt_embed(tgt) * scale, tgt_mask=mask)
        return self.generator(out)


model = Translator()
