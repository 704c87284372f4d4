"""Stacked GRUs over token embeddings — the architecture of keras_gru_reset_after.py. PyTorch's GRU has two
bias vectors per gate, 3 × (H·(I + H) + 2·H), like Keras's default GRU(reset_after=True): both files hold
the same number of parameters (Keras's reset_after=False has one bias vector: keras_gru_reset_before.py)."""
import torch.nn as nn

# nncalc: input-shape 50
# nncalc: dtype int64


class GRUClassifier(nn.Module):
    def __init__(self, vocab_size=5000, embed_dim=64, n_classes=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.gru1 = nn.GRU(embed_dim, 96, batch_first=True, dropout=0.0)
        self.dropout = nn.Dropout(0.1)
        self.gru2 = nn.GRU(96, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, n_classes), nn.Softmax(dim=-1))

    def forward(self, tokens):
        x = self.embedding(tokens)
        x, _ = self.gru1(x)
        _, h = self.gru2(self.dropout(x))
        return self.head(h[-1])
