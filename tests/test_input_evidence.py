"""The input a model file uses, read from the file (never run), is the input nncalc analyses: a ``test()`` or
``__main__`` call on ``torch.randn(…)``, a dummy forward in ``__init__``, a docstring or comment, a dataset.

The files of ``tests/models/evidence`` carry no ``# nncalc: input-shape`` line: each is analysed as a user
would run it, and the real torch, run on the shape the file itself uses, must agree on the totals, the output
shape and the MACs (torch's ``FlopCounterMode``). Run as ``python tests/test_input_evidence.py FILE=3,32,32 …``
it prints the real torch's facts as JSON (the tests run it in a fresh process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _path in (HERE, HERE / "frameworks", HERE.parent / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import nncalc  # noqa: E402
import oracle  # noqa: E402
from nncalc.errors import ModelNotFound  # noqa: E402
from nncalc.evidence import FileEvidence  # noqa: E402

EVIDENCE = HERE / "models" / "evidence"
# file → (the input it uses, without the batch; where the note says it comes from)
FILES = {
    "torch_cifar_resnet18.py": ((3, 32, 32), "from `net(torch.randn(1, 3, 32, 32))` in test() (line 77)"),
    "torch_dummy_forward_in_init.py": (
        (1, 50, 50), "from the forward the file runs while building the model: `self.conv1(x)` in Net.convs() "
        "(line 23) receives a 1×1×50×50 tensor"),
    "torch_docstring_size.py": ((3, 96, 96), "from the docstring “Input: 3x96x96 images, normalised per channel.” "
                                "(line 3)"),
    "torch_cifar10_dataset.py": ((3, 32, 32), "from `torchvision.datasets.CIFAR10` (line 33): its images are 3×32×32"),
    "torch_gan_resized_mnist.py": ((1, 32, 32), "from `transforms.Resize(opt.img_size)` (line 49) on MNIST images "
                                   "(line 44)"),
    "torch_style_transfer_args.py": ((3, 64, 64), "from `transforms.CenterCrop(args.image_size)` (line 50)"),
}


# ----- the child: the real torch on the file's own input ---------------------------------------------------------
def _stub_torchvision() -> None:
    """Model files import torchvision for their data; it is not installed, and no data is loaded here."""

    class Anything:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, *args, **kwargs):
            return Anything()

        def __getattr__(self, name):
            return Anything()

    def attribute(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return Anything

    for name in ("torchvision", "torchvision.datasets", "torchvision.transforms"):
        module = types.ModuleType(name)
        module.__getattr__ = attribute
        sys.modules[name] = module
    sys.modules["torchvision"].datasets = sys.modules["torchvision.datasets"]
    sys.modules["torchvision"].transforms = sys.modules["torchvision.transforms"]


def measure(path: Path, shape: tuple) -> dict:
    """Totals, output shape and MACs of the file's model, by the real torch, on one input of ``shape``."""
    import torch

    from torch_helpers import real_namespace
    from torch_real import choose_model, run

    _stub_torchvision()
    source = path.read_text()
    sys.argv = [str(path)]  # the file's own argparse sees the command line a user runs it with
    model = choose_model(real_namespace(source, str(path)), torch.nn.Module, source).eval()
    described = oracle._describe_torch(model, [shape], None)
    _, macs = run(model, oracle.torch_inputs([shape], None))
    return {key: described[key] for key in ("total_params", "trainable_params", "output_shape")} | {"macs": macs}


def main(arguments: list[str]) -> int:
    out = {}
    for argument in arguments:
        path, shape = argument.split("=")
        try:
            out[Path(path).name] = measure(Path(path), tuple(int(d) for d in shape.split(",")))
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
            out[Path(path).name] = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(out))
    return 0


# ----- the files, against the real torch -------------------------------------------------------------------------
def analyze(name: str, **options):
    """nncalc's report on an evidence file, with its ``# nncalc: model`` line (as the command line reads it)."""
    model = oracle.read_directives(EVIDENCE / name).model
    return nncalc.analyze(EVIDENCE / name, model=model, **options)


@pytest.fixture(scope="module")
def real() -> dict:
    pytest.importorskip("torch")
    arguments = [f"{EVIDENCE / name}={','.join(map(str, shape))}" for name, (shape, _) in FILES.items()]
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *arguments], capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("name", FILES)
def test_the_files_own_input_matches_torch(name, real):
    shape, where = FILES[name]
    assert "error" not in real[name], real[name]["error"]
    report = analyze(name)
    assert report.input_shape == (1, *shape)
    assert report.notes[0].startswith(f"input shape {'×'.join(map(str, shape))} {where}; pass --input-shape")
    assert report.total_params == real[name]["total_params"]
    assert report.trainable_params == real[name]["trainable_params"]
    assert list(report.output_shape) == real[name]["output_shape"]
    assert report.total_macs == real[name]["macs"]


def test_cifar_resnet_is_no_longer_the_smallest_that_fits():
    """Before, the ResNet was analysed at 3×25×25, the smallest size its 4×4 average pool accepts."""
    used = analyze("torch_cifar_resnet18.py").total_macs
    assert used == analyze("torch_cifar_resnet18.py", input_shape=(3, 32, 32)).total_macs
    assert used != analyze("torch_cifar_resnet18.py", input_shape=(3, 25, 25)).total_macs


def test_check_uses_the_files_input():
    from nncalc.check import check_file

    result = check_file(EVIDENCE / "torch_dummy_forward_in_init.py")
    assert result.models[0].input_shapes == [(1, 1, 50, 50)]
    assert "self.conv1(x)" in result.models[0].note


# ----- evidence against the layers, batch, options ---------------------------------------------------------------
LENET = """
import torch
import torch.nn as nn
import torch.nn.functional as F

class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc = nn.Linear(16 * 5 * 5, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))

"""


def test_evidence_the_layers_refuse_falls_back_to_inference():
    report = nncalc.analyze(LENET + "def test():\n    print(LeNet()(torch.randn(1, 1, 28, 28)))\n")
    assert report.input_shape == (1, 1, 32, 32)
    assert report.notes[0].startswith("the input 1×28×28 from `LeNet()(torch.randn(1, 1, 28, 28))` in test() "
                                      "(line 19) does not fit the model (")
    assert report.notes[0].endswith("), so it is inferred")
    assert report.notes[1].startswith("input shape inferred as 1×32×32")


DROPS_LAYERS = """
import torch
import torch.nn as nn


class Patches(nn.Module):
    def __init__(self, depth=4, layer_dropout=0.1):
        super().__init__()
        self.embed = nn.Linear(48, 32)
        self.blocks = nn.ModuleList([nn.Linear(32, 32) for _ in range(depth)])
        self.layer_dropout = layer_dropout

    def forward(self, img):
        b, c, h, w = img.shape
        x = self.embed(img.reshape(b, c, h // 4, 4, w // 4, 4).permute(0, 2, 4, 3, 5, 1).reshape(b, -1, 48))
        keep = torch.zeros(len(self.blocks)).uniform_(0.0, 1.0) >= self.layer_dropout
        if all(keep):
            return x
        return x


model = Patches()
img = torch.randn(1, 3, 16, 16)
out = model(img)
"""


def test_the_files_input_meeting_what_nncalc_cannot_read_is_the_reason_given():
    """The input the file gives fits; the forward decides on random values (CaiT's layer dropout): that is the
    message, not a failed guess of the input from the first Linear."""
    with pytest.raises(nncalc.NncalcError) as caught:
        nncalc.analyze(DROPS_LAYERS)
    assert "the value of a tensor is not known" in caught.value.message
    assert caught.value.location.line == 17


def test_the_first_evidence_that_fits_wins():
    source = LENET + ("# input: 1x28x28 digits\n"
                      "if __name__ == '__main__':\n    net = LeNet()\n    net(torch.zeros(4, 1, 32, 32))\n")
    report = nncalc.analyze(source)
    assert report.input_shape == (1, 1, 32, 32)
    assert report.notes[0].startswith("input shape 1×32×32 from `net(torch.zeros(4, 1, 32, 32))` in the __main__ "
                                      "block (line 21); the file uses batch 4, shown for batch 1 (--batch 4 for "
                                      "that)")


def test_batch_given_is_used_and_not_remarked():
    source = LENET + "def test():\n    LeNet()(torch.randn(2, 1, 32, 32))\n"
    report = nncalc.analyze(source, batch=3)
    assert report.input_shape == (3, 1, 32, 32)
    assert "batch" not in report.notes[0]


def test_an_explicit_input_shape_wins_over_the_file():
    report = analyze("torch_docstring_size.py", input_shape=(3, 64, 64))
    assert report.input_shape == (1, 3, 64, 64)
    assert not any("docstring" in note for note in report.notes)


def test_no_evidence_and_no_inference_says_what_was_refused():
    source = """
import torch
import torch.nn as nn

class Pool(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.conv(x))

def test():
    Pool()(torch.randn(1, 4, 32, 32))
"""
    with pytest.raises(ModelNotFound) as caught:
        nncalc.analyze(source)
    assert "the input 4×32×32 from `Pool()(torch.randn(1, 4, 32, 32))` in test() (line 15) does not fit" in str(
        caught.value)


def test_mnist_images_flattened_for_a_linear_first_layer():
    source = """
import torch.nn as nn
from torchvision import datasets, transforms

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())

def main():
    data = datasets.MNIST("data", download=True, transform=transforms.ToTensor())
"""
    report = nncalc.analyze(source)
    assert report.input_shape == (1, 784)
    assert report.notes[0].startswith("input shape (784,) from `datasets.MNIST` (line 15): its images are 1×28×28, "
                                      "flattened to the 784 features of `nn.Linear(784, 64)` (line 8)")


def test_token_indices_with_their_sequence_length():
    source = """
import torch
import torch.nn as nn

class LM(nn.Module):
    def __init__(self, vocab=1000, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        return self.head(self.emb(idx))

if __name__ == "__main__":
    model = LM()
    idx = torch.randint(0, 1000, (1, 128))
    logits = model(idx)
"""
    report = nncalc.analyze(source)
    assert report.input_shape == (1, 128)
    assert report.output_shape == (1, 128, 1000)
    assert report.notes[0].startswith("input shape (128,) from `model(idx)` in the __main__ block (line 17), with "
                                      "idx = `torch.randint(0, 1000, (1, 128))` (line 16)")


def test_a_call_at_module_level_is_seen_as_the_interpreter_runs_it():
    source = ("import torch\nimport torch.nn as nn\n"
              "model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))\n"
              "out = model(torch.zeros(1, 3, 40, 40))\n")
    report = nncalc.analyze(source)
    assert report.input_shape == (1, 3, 40, 40)
    assert report.notes[0].startswith("input shape 3×40×40 from `model(torch.zeros(1, 3, 40, 40))` at module level "
                                      "(line 4)")


def test_inputs_of_different_dtypes_keep_theirs():
    source = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
              "model = nn.MaxUnpool2d(2)\n"
              "y, i = F.max_pool2d(torch.randn(2, 3, 8, 8), 2, return_indices=True)\n"
              "out = model(y, i)\n")
    report = nncalc.analyze(source, model="model")
    assert report.output_shape == (1, 3, 8, 8)
    assert report.notes[0].startswith("input shape 3×4×4 and 3×4×4 from `model(y, i)` at module level (line 6)")


# ----- what the reader finds, in the syntax tree alone -----------------------------------------------------------
def first(source: str, *names: str):
    found = FileEvidence(textwrap.dedent(source), set(names)).candidates
    return (found[0].shapes, found[0].batch, found[0].dtype) if found else None


@pytest.mark.parametrize("source, expected", [
    ("def test():\n    net = Net()\n    y = net(torch.randn(2, 3, 32, 32))\n", ([(3, 32, 32)], 2, None)),
    ("def test():\n    y = Net().forward(torch.rand((1, 3, 64, 64)))\n", ([(3, 64, 64)], 1, None)),
    ("B, S = 8, 28\nx = torch.ones(B, 1, S, S).cuda()\nnet = Net().to('cuda')\nnet.eval()\nnet(x)\n",
     ([(1, 28, 28)], 8, None)),
    ("def f():\n    x = torch.randn(50, 50).view(-1, 1, 50, 50)\n    Net()(x)\n", ([(1, 50, 50)], 1, None)),
    ("def f():\n    Net()(torch.randn(3, 32, 32).unsqueeze(0))\n", ([(3, 32, 32)], 1, None)),
    ("def f():\n    x = torch.randn(28, 28)\n    x = x.view(1, 1, 28, 28)\n    Net()(x)\n", ([(1, 28, 28)], 1, None)),
    ("def f():\n    Net()(torch.zeros(1, 16, dtype=torch.long))\n", ([(16,)], 1, "int64")),
    ("def f():\n    Net()(torch.randn(1, 3, 32, 32), torch.randn(1, 10))\n", ([(3, 32, 32), (10,)], 1, None)),
    ("from torchsummary import summary\nsummary(Net(), (3, 32, 32))\n", ([(3, 32, 32)], None, None)),
    ("from torchinfo import summary\nsummary(Net(), input_size=(16, 3, 32, 32))\n", ([(3, 32, 32)], 16, None)),
    ("import torchinfo\ntorchinfo.summary(Net(), (2, 1, 28, 28))\n", ([(1, 28, 28)], 2, None)),
    ("x = torch.randn(1, 3, 224, 224)\ntorch.onnx.export(Net(), x, 'net.onnx')\n", ([(3, 224, 224)], 1, None)),
    ("get_model_complexity_info(Net(), (3, 224, 224), as_strings=True)\n", ([(3, 224, 224)], None, None)),
    ("# input: 3x224x224\n", ([(3, 224, 224)], None, None)),
    ('"""Classifies 64x64 images."""\n', ([(None, 64, 64)], None, None)),
    ("# input images are 224x224x3 (channels last on disk)\n", ([(3, 224, 224)], None, None)),
    ("# input of shape (N, 1, 28, 28)\n", ([(1, 28, 28)], None, None)),
    ("train = datasets.CIFAR100('data')\n", ([(3, 32, 32)], None, None)),
    ("tf = T.Compose([T.Resize(256), T.CenterCrop(224)])\ndata = ImageFolder('x', tf)\n",
     ([(None, 224, 224)], None, None)),
    ("tf = T.Compose([T.Resize((64, 48)), T.ToTensor()])\nds = MNIST('d', transform=tf)\n", ([(1, 64, 48)], None,
                                                                                              None)),
])
def test_reader_finds(source, expected):
    assert first(source, "Net", "net") == expected


@pytest.mark.parametrize("source", [
    "# a 3x3 convolution on the input\n",  # a kernel, not an input
    "# output: 3x32x32\n",  # says nothing of the input
    "def f():\n    other = Other()\n    other(torch.randn(1, 3, 32, 32))\n",  # another model
    "def f(net):\n    net(images)\n",  # data from a loader: no size
    "def f():\n    Net()(torch.randn(n, 3, 32, 32))\n",  # a size the file does not give
    "def f():\n    net = Other()\n    net(torch.randn(1, 3, 32, 32))\n",  # a local `net` is not the model
    "x = torch.Tensor([1, 2, 3])\nNet()(x)\n",  # values, not a shape
])
def test_reader_ignores(source):
    assert first(source, "Net", "net") is None


def test_reader_survives_a_file_it_cannot_parse():
    assert FileEvidence("def (:", {"Net"}).candidates == []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
