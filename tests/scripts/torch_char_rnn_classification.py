"""
Which language does a surname come from? A character-level RNN written with two Linear layers.

data/names/<Language>.txt holds one surname per line; the languages are the file names.
"""

from io import open
import glob
import os
import random
import string
import time
import unicodedata

import matplotlib.pyplot as plt
import torch
import torch.nn as nn

ALPHABET = string.ascii_letters + " .,;'-"
n_letters = len(ALPHABET)


def to_ascii(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn" and c in ALPHABET)


def read_names(path):
    with open(path, encoding="utf-8") as handle:
        return [to_ascii(line) for line in handle.read().strip().split("\n")]


names_by_language = {}
languages = []
for path in sorted(glob.glob("data/names/*.txt")):
    language = os.path.splitext(os.path.basename(path))[0]
    languages.append(language)
    names_by_language[language] = read_names(path)
n_categories = len(languages)
print(f"{n_categories} languages, {sum(len(v) for v in names_by_language.values())} names")


def letter_index(letter):
    return ALPHABET.find(letter)


def name_to_tensor(name):
    """One-hot, shaped (length, 1, n_letters)."""
    tensor = torch.zeros(len(name), 1, n_letters)
    for i, letter in enumerate(name):
        tensor[i][0][letter_index(letter)] = 1
    return tensor


class CharRNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(CharRNN, self).__init__()
        self.hidden_size = hidden_size
        self.in_to_hidden = nn.Linear(input_size + hidden_size, hidden_size)
        self.in_to_out = nn.Linear(input_size + hidden_size, output_size)
        self.log_softmax = nn.LogSoftmax(dim=1)

    def forward(self, letter, hidden):
        combined = torch.cat((letter, hidden), 1)
        return self.log_softmax(self.in_to_out(combined)), torch.tanh(self.in_to_hidden(combined))

    def init_hidden(self):
        return torch.zeros(1, self.hidden_size)


n_hidden = 128
rnn = CharRNN(n_letters, n_hidden, n_categories)

# one step on the letter 'B'
output, next_hidden = rnn(name_to_tensor("B")[0], rnn.init_hidden())
print(output.shape)


def random_example():
    language = random.choice(languages)
    name = random.choice(names_by_language[language])
    return language, name, torch.tensor([languages.index(language)]), name_to_tensor(name)


criterion = nn.NLLLoss()
learning_rate = 0.005


def train_step(target, name_tensor):
    hidden = rnn.init_hidden()
    rnn.zero_grad()
    for i in range(name_tensor.size()[0]):
        output, hidden = rnn(name_tensor[i], hidden)
    loss = criterion(output, target)
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


losses, running = [], 0.0
start = time.time()
for step in range(1, 100001):
    language, name, target, name_tensor = random_example()
    output, loss = train_step(target, name_tensor)
    running += loss
    if step % 5000 == 0:
        guess = languages[output.topk(1)[1][0].item()]
        print(f"{step} {time.time() - start:.0f}s {loss:.4f} {name} -> {guess} ({'ok' if guess == language else language})")
    if step % 1000 == 0:
        losses.append(running / 1000)
        running = 0.0

plt.figure()
plt.plot(losses)
torch.save(rnn, "char-rnn-classification.pt")
