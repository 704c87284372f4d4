"""
A set-prediction detector trained with one script, written the way DETR-style repositories write theirs: a
parent argument parser shared by the training and evaluation entry points, the distributed helpers every such
repository carries (one process: world size 1, rank 0), and the model built from the parsed options.
"""

import argparse
import datetime
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn


def get_args_parser():
    parser = argparse.ArgumentParser("Set detector", add_help=False)
    parser.add_argument("--lr", default=1e-4, type=float)
    parser.add_argument("--batch_size", default=2, type=int)
    parser.add_argument("--epochs", default=300, type=int)
    # model
    parser.add_argument("--hidden_dim", default=128, type=int)
    parser.add_argument("--nheads", default=8, type=int)
    parser.add_argument("--enc_layers", default=2, type=int)
    parser.add_argument("--dec_layers", default=2, type=int)
    parser.add_argument("--num_queries", default=50, type=int)
    parser.add_argument("--num_classes", default=91, type=int)
    parser.add_argument("--aux_loss", action="store_false", dest="aux_loss")
    parser.add_argument("--output_dir", default="")
    parser.add_argument("--device", default="cuda")
    return parser


def is_dist_avail_and_initialized():
    if not dist.is_available():
        return False
    if not dist.is_initialized():
        return False
    return True


def get_world_size():
    if not is_dist_avail_and_initialized():
        return 1
    return dist.get_world_size()


def is_main_process():
    return not is_dist_avail_and_initialized() or dist.get_rank() == 0


class MLP(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, num_layers):
        super().__init__()
        self.num_layers = num_layers
        h = [hidden_dim] * (num_layers - 1)
        self.layers = nn.ModuleList(nn.Linear(n, k) for n, k in zip([input_dim] + h, h + [output_dim]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = F.relu(layer(x)) if i < self.num_layers - 1 else layer(x)
        return x


class SetDetector(nn.Module):
    def __init__(self, args):
        super().__init__()
        d = args.hidden_dim
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
            nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.BatchNorm2d(128), nn.ReLU(inplace=True),
            nn.Conv2d(128, 256, 3, stride=2, padding=1), nn.BatchNorm2d(256), nn.ReLU(inplace=True),
        )
        self.input_proj = nn.Conv2d(256, d, kernel_size=1)
        self.transformer = nn.Transformer(d, args.nheads, args.enc_layers, args.dec_layers, dim_feedforward=4 * d,
                                          batch_first=True)
        self.query_embed = nn.Embedding(args.num_queries, d)
        self.class_embed = nn.Linear(d, args.num_classes + 1)
        self.bbox_embed = MLP(d, d, 4, 3)
        self.aux_loss = args.aux_loss

    def forward(self, samples):
        src = self.input_proj(self.backbone(samples)).flatten(2).transpose(1, 2)
        queries = self.query_embed.weight.unsqueeze(0).repeat(src.shape[0], 1, 1)
        hs = self.transformer(src, queries)
        return {"pred_logits": self.class_embed(hs), "pred_boxes": self.bbox_embed(hs).sigmoid()}


def build_model(args):
    device = torch.device(args.device)
    model = SetDetector(args)
    criterion = nn.CrossEntropyLoss()
    return model, criterion, device


def main(args):
    model, criterion, device = build_model(args)
    model.to(device)
    n_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print("number of params:", n_parameters, "world size:", get_world_size())
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    start_time = time.time()
    for epoch in range(args.epochs):
        if is_main_process():
            print("epoch", epoch)
    print("Training time", str(datetime.timedelta(seconds=int(time.time() - start_time))))


if __name__ == "__main__":
    parser = argparse.ArgumentParser("Set detector training and evaluation script", parents=[get_args_parser()])
    args = parser.parse_args()
    main(args)
