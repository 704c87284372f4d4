"""A sentiment classifier: token embedding, a 2-layer bidirectional LSTM, a linear head on the last layer's
final forward and backward states — the architecture of keras_lstm_text_classifier.py. PyTorch's LSTM has two
bias vectors per gate (bias_ih, bias_hh): 4 × (H·(I + H) + 2·H), so this model has 1,024 parameters more than
the Keras one (2 layers × 2 directions × 4 gates × 64)."""
import torch
import torch.nn as nn

# nncalc: input-shape 200
# nncalc: dtype int64

max_features = 20000


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size=max_features, embed_dim=128, hidden=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, 1)

    def forward(self, x):
        embedded = self.embedding(x)
        out, (h, c) = self.lstm(embedded)
        last = torch.cat((h[-2], h[-1]), dim=1)
        return torch.sigmoid(self.fc(last))
