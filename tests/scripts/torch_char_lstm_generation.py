"""
Character-level text generation with an LSTM (batch_first), trained on a plain text file.

    python torch_char_lstm_generation.py --file data/shakespeare.txt --epochs 20
"""

import argparse
import string
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--file", type=str, default="data/input.txt")
parser.add_argument("--hidden", type=int, default=256)
parser.add_argument("--layers", type=int, default=2)
parser.add_argument("--seq-length", type=int, default=100)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--lr", type=float, default=0.002)
args = parser.parse_args()

vocabulary = string.printable
n_chars = len(vocabulary)
char_to_index = {c: i for i, c in enumerate(vocabulary)}

with open(args.file) as f:
    text = f.read()
encoded = np.array([char_to_index[c] for c in text if c in char_to_index])


def one_hot(indices, size):
    out = np.zeros((indices.size, size), dtype=np.float32)
    out[np.arange(indices.size), indices.flatten()] = 1.0
    return out.reshape((*indices.shape, size))


def batches(data, batch_size, seq_length):
    per_batch = batch_size * seq_length
    data = data[: (len(data) // per_batch) * per_batch].reshape((batch_size, -1))
    for start in range(0, data.shape[1] - seq_length, seq_length):
        x = data[:, start : start + seq_length]
        y = data[:, start + 1 : start + seq_length + 1]
        yield x, y


class CharLSTM(nn.Module):
    def __init__(self, n_chars, n_hidden=256, n_layers=2, drop_prob=0.5):
        super().__init__()
        self.n_hidden = n_hidden
        self.n_layers = n_layers
        self.lstm = nn.LSTM(n_chars, n_hidden, n_layers, dropout=drop_prob, batch_first=True)
        self.dropout = nn.Dropout(drop_prob)
        self.fc = nn.Linear(n_hidden, n_chars)

    def forward(self, x, hidden):
        out, hidden = self.lstm(x, hidden)
        out = self.dropout(out).contiguous().view(-1, self.n_hidden)
        return self.fc(out), hidden

    def init_hidden(self, batch_size):
        weight = next(self.parameters()).data
        return (weight.new(self.n_layers, batch_size, self.n_hidden).zero_(),
                weight.new(self.n_layers, batch_size, self.n_hidden).zero_())


net = CharLSTM(n_chars, args.hidden, args.layers)
print(net)
optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
criterion = nn.CrossEntropyLoss()

for epoch in range(args.epochs):
    start = time.time()
    hidden = net.init_hidden(args.batch_size)
    for x, y in batches(encoded, args.batch_size, args.seq_length):
        inputs = torch.from_numpy(one_hot(x, n_chars))
        targets = torch.from_numpy(y).long()
        hidden = tuple(h.detach() for h in hidden)
        net.zero_grad()
        output, hidden = net(inputs, hidden)
        loss = criterion(output, targets.view(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5)
        optimizer.step()
    print("epoch {} loss {:.4f} ({:.0f}s)".format(epoch + 1, loss.item(), time.time() - start))


def sample(net, size, prime="The", top_k=5):
    net.eval()
    hidden = net.init_hidden(1)
    chars = list(prime)
    for _ in range(size):
        x = torch.from_numpy(one_hot(np.array([[char_to_index[chars[-1]]]]), n_chars))
        out, hidden = net(x, hidden)
        p, top = F.softmax(out, dim=1).topk(top_k)
        p, top = p.numpy().squeeze(), top.numpy().squeeze()
        chars.append(vocabulary[np.random.choice(top, p=p / p.sum())])
    return "".join(chars)


print(sample(net, 200))
