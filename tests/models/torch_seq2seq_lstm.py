"""A translation model: an LSTM encoder over the source tokens hands its final (h, c) to an LSTM decoder over
the target tokens (teacher forcing), a linear layer predicts the next target token at every step. Two inputs:
source and target token ids."""
import torch
import torch.nn as nn

# nncalc: input-shape 20; 18
# nncalc: dtype int64


class Encoder(nn.Module):
    def __init__(self, vocab, embed, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed, padding_idx=0)
        self.rnn = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True, dropout=0.1)

    def forward(self, src):
        _, (hidden, cell) = self.rnn(self.embedding(src))
        return hidden, cell


class Decoder(nn.Module):
    def __init__(self, vocab, embed, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed, padding_idx=0)
        self.rnn = nn.LSTM(embed, hidden, num_layers=layers, batch_first=True, dropout=0.1)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, tgt, hidden, cell):
        output, (hidden, cell) = self.rnn(self.embedding(tgt), (hidden, cell))
        return self.out(output)


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=8000, tgt_vocab=6000, embed=256, hidden=512, layers=2):
        super().__init__()
        self.encoder = Encoder(src_vocab, embed, hidden, layers)
        self.decoder = Decoder(tgt_vocab, embed, hidden, layers)

    def forward(self, src, tgt):
        hidden, cell = self.encoder(src)
        return self.decoder(tgt, hidden, cell)
