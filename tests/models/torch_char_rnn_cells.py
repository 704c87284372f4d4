"""A character-level language model stepped by hand: an embedding, two stacked LSTMCells and a GRUCell
called in a Python loop over the time steps, a linear decoder at every step. Each cell's MACs count at every
call: g × H·(I + H) per step."""
import torch
import torch.nn as nn

# nncalc: input-shape 32
# nncalc: dtype int64


class CharRNN(nn.Module):
    def __init__(self, n_chars=96, embed=32, hidden=128):
        super().__init__()
        self.hidden = hidden
        self.embed = nn.Embedding(n_chars, embed)
        self.cell1 = nn.LSTMCell(embed, hidden)
        self.cell2 = nn.LSTMCell(hidden, hidden)
        self.cell3 = nn.GRUCell(hidden, hidden, bias=False)
        self.decoder = nn.Linear(hidden, n_chars)

    def forward(self, tokens):
        x = self.embed(tokens)
        batch = x.size(0)
        h1 = torch.zeros(batch, self.hidden)
        c1 = torch.zeros(batch, self.hidden)
        h2, c2 = torch.zeros(batch, self.hidden), torch.zeros(batch, self.hidden)
        h3 = torch.zeros(batch, self.hidden)
        logits = []
        for t in range(x.size(1)):
            h1, c1 = self.cell1(x[:, t, :], (h1, c1))
            h2, c2 = self.cell2(h1, (h2, c2))
            h3 = self.cell3(h2, h3)
            logits.append(self.decoder(h3))
        return torch.stack(logits, dim=1)
