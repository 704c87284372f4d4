"""
Node classification on a citation graph with a graph attention network (GAT).

The whole graph is one sample: node features are (N, F), the adjacency matrix (N, N); there is no batch.
Run: python torch_graph_attention.py --hidden 8 --heads 8
"""

from __future__ import print_function

import argparse
import time

import numpy as np
import scipy.sparse as sp
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

parser = argparse.ArgumentParser(description="GAT on Cora")
parser.add_argument("--epochs", type=int, default=500)
parser.add_argument("--lr", type=float, default=0.005)
parser.add_argument("--weight-decay", type=float, default=5e-4)
parser.add_argument("--hidden", type=int, default=8, help="units per attention head")
parser.add_argument("--heads", type=int, default=8)
parser.add_argument("--dropout", type=float, default=0.6)
parser.add_argument("--alpha", type=float, default=0.2, help="negative slope of the leaky relu")
args = parser.parse_args()


def one_hot(labels):
    classes = sorted(set(labels))
    lookup = {c: i for i, c in enumerate(classes)}
    return np.array([lookup[c] for c in labels], dtype=np.int64)


def row_normalize(matrix):
    sums = np.array(matrix.sum(1)).flatten()
    inverse = np.where(sums > 0, 1.0 / sums, 0.0)
    return sp.diags(inverse).dot(matrix)


def load_cora(path="data/cora/"):
    content = np.genfromtxt(path + "cora.content", dtype=np.dtype(str))
    features = sp.csr_matrix(content[:, 1:-1], dtype=np.float32)
    labels = one_hot(content[:, -1])
    ids = {j: i for i, j in enumerate(np.array(content[:, 0], dtype=np.int32))}
    edges = np.genfromtxt(path + "cora.cites", dtype=np.int32)
    edges = np.array([[ids[a], ids[b]] for a, b in edges], dtype=np.int32)
    adj = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(labels), len(labels)))
    adj = adj + adj.T + sp.eye(adj.shape[0])
    features = torch.FloatTensor(np.array(row_normalize(features).todense()))
    adj = torch.FloatTensor(np.array(row_normalize(adj).todense()))
    return adj, features, torch.LongTensor(labels)


class AttentionHead(nn.Module):
    """One head: a shared linear map, then attention over each node's neighbours."""

    def __init__(self, in_features, out_features, dropout, alpha, last=False):
        super(AttentionHead, self).__init__()
        self.dropout = dropout
        self.out_features = out_features
        self.last = last
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.attend = nn.Parameter(torch.empty(2 * out_features, 1))
        nn.init.xavier_uniform_(self.weight.data, gain=1.414)
        nn.init.xavier_uniform_(self.attend.data, gain=1.414)
        self.leaky = nn.LeakyReLU(alpha)

    def forward(self, nodes, adj):
        projected = torch.mm(nodes, self.weight)  # (N, out_features)
        source = projected @ self.attend[: self.out_features]
        target = projected @ self.attend[self.out_features :]
        scores = self.leaky(source + target.t())  # (N, N)
        scores = torch.where(adj > 0, scores, torch.full_like(scores, -9e15))
        weights = F.dropout(F.softmax(scores, dim=1), self.dropout, training=self.training)
        mixed = torch.matmul(weights, projected)
        return mixed if self.last else F.elu(mixed)


class GAT(nn.Module):
    def __init__(self, n_features, n_hidden, n_classes, dropout, alpha, n_heads):
        super(GAT, self).__init__()
        self.dropout = dropout
        self.heads = nn.ModuleList(
            [AttentionHead(n_features, n_hidden, dropout, alpha) for _ in range(n_heads)]
        )
        self.out = AttentionHead(n_hidden * n_heads, n_classes, dropout, alpha, last=True)

    def forward(self, x, adj):
        x = F.dropout(x, self.dropout, training=self.training)
        x = torch.cat([head(x, adj) for head in self.heads], dim=1)
        x = F.dropout(x, self.dropout, training=self.training)
        return F.log_softmax(F.elu(self.out(x, adj)), dim=1)


adj, features, labels = load_cora()
model = GAT(
    n_features=features.shape[1],
    n_hidden=args.hidden,
    n_classes=int(labels.max()) + 1,
    dropout=args.dropout,
    alpha=args.alpha,
    n_heads=args.heads,
)
optimizer = optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
train_nodes, val_nodes = torch.arange(140), torch.arange(200, 500)


def accuracy(output, target):
    return (output.argmax(1) == target).double().mean().item()


for epoch in range(args.epochs):
    start = time.time()
    model.train()
    optimizer.zero_grad()
    output = model(features, adj)
    loss = F.nll_loss(output[train_nodes], labels[train_nodes])
    loss.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        output = model(features, adj)
    print("epoch {:04d} loss {:.4f} val {:.4f} ({:.2f}s)".format(
        epoch, loss.item(), accuracy(output[val_nodes], labels[val_nodes]), time.time() - start))
