import argparse
import sys

import torch
from nets import SegNet, segnet_small

parser = argparse.ArgumentParser()
parser.add_argument("--weights", required=True)
parser.add_argument("--classes", type=int, default=21)
parser.add_argument("--preset", default="base", choices=["small", "base"])
args = parser.parse_args()

model = SegNet(num_classes=args.classes, preset=args.preset)
state = torch.load(args.weights, map_location="cpu")
model.load_state_dict(state)
model.eval()
for path in sys.argv[1:]:
    print(path)
