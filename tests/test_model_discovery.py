"""Which model a file means when it assigns none at module level: a factory function callable without
arguments (``def ResNet18(): return ResNet(BasicBlock, [2, 2, 2, 2])``) before classes that need arguments;
when only such classes exist, their constructors and a ready ``--model "Net(…)"``. ``nncalc check`` checks
what ``summary`` would pick. Counts are the real framework's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nncalc
from nncalc.errors import ModelNotFound

ROOT = Path(__file__).resolve().parents[1]

RESNET = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(BasicBlock, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion * planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super(ResNet, self).__init__()
        self.in_planes = 16
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._make_layer(block, 16, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 32, num_blocks[1], stride=2)
        self.linear = nn.Linear(32 * block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer2(self.layer1(out))
        out = F.adaptive_avg_pool2d(out, 1)
        out = out.view(out.size(0), -1)
        return self.linear(out)

'''
ONE_FACTORY = RESNET + '''
def ResNet18():
    return ResNet(BasicBlock, [2, 2])


def test():
    net = ResNet18()
    y = net(torch.randn(2, 3, 32, 32))
    print(y.size())
'''
TWO_FACTORIES = ONE_FACTORY + '''

def ResNet34(num_classes=10):
    return ResNet(BasicBlock, [3, 4], num_classes=num_classes)
'''
NO_FACTORY = RESNET
UNET = '''
import torch.nn as nn


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False):
        super().__init__()
        self.inc = nn.Conv2d(n_channels, 8, 3, padding=1)
        self.outc = nn.Conv2d(8, n_classes, 1)

    def forward(self, x):
        return self.outc(self.inc(x))
'''
KERAS_FACTORY = '''
import keras
from keras import layers


def build_model(num_classes=10):
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
'''
WITH_HELPER = '''
import torch.nn as nn


class Head(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.fc = nn.Linear(features, 2)

    def forward(self, x):
        return self.fc(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(6, 4)

    def forward(self, x):
        return self.body(x)
'''


def write(tmp_path: Path, text: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run_cli(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "nncalc.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)


def real_torch(text: str, name: str):
    import torch

    namespace: dict = {"__name__": "model"}
    exec(compile(text, "<model>", "exec"), namespace)  # the test's own model source, run by real torch
    model = namespace[name]()
    return sum(p.numel() for p in model.parameters()), tuple(model(torch.zeros(1, 3, 32, 32)).shape)


def test_a_factory_function_is_the_model(tmp_path):
    report = nncalc.analyze(write(tmp_path, ONE_FACTORY), input_shape=(3, 32, 32))
    params, output = real_torch(ONE_FACTORY, "ResNet18")
    assert (report.model_name, report.total_params, report.output_shape) == ("ResNet", params, output)


def test_check_finds_no_model_not_found_in_a_correct_file(tmp_path):
    done = run_cli("check", write(tmp_path, ONE_FACTORY), "--input-shape", "3,32,32", "--format", "json")
    assert done.returncode == 0, done.stderr
    (checked,) = json.loads(done.stdout)["files"]
    assert [m["name"] for m in checked["models"]] == ["ResNet18"]
    assert not [d for d in checked["diagnostics"] if d["severity"] == "error"]


def test_several_factories_are_named(tmp_path):
    path = write(tmp_path, TWO_FACTORIES)
    with pytest.raises(ModelNotFound) as caught:
        nncalc.analyze(path, input_shape=(3, 32, 32))
    assert "several models could be meant: ResNet18, ResNet34" in caught.value.message
    assert "--model ResNet34" in caught.value.hint
    report = nncalc.analyze(path, input_shape=(3, 32, 32), model="ResNet34")
    assert report.total_params == real_torch(TWO_FACTORIES, "ResNet34")[0]
    done = run_cli("check", path, "--input-shape", "3,32,32")
    assert done.returncode == 0 and "2 models" in done.stdout, done.stdout + done.stderr


def test_classes_needing_arguments_show_their_constructor(tmp_path):
    done = run_cli("summary", write(tmp_path, UNET))
    assert done.returncode == 2
    assert "no model builds without arguments: UNet(n_channels, n_classes, bilinear=False)" in done.stderr
    assert '--model "UNet(n_channels=…, n_classes=…)"' in done.stderr
    resnet = run_cli("check", write(tmp_path, NO_FACTORY, "resnet.py"))
    assert resnet.returncode == 2 and "ResNet(block, num_blocks, num_classes=10)" in resnet.stdout
    assert '--model "ResNet(block=…, num_blocks=…)"' in resnet.stdout and "several models" not in resnet.stdout


def test_a_keras_factory_function(tmp_path):
    import keras

    report = nncalc.analyze(write(tmp_path, KERAS_FACTORY))
    namespace: dict = {}
    exec(compile(KERAS_FACTORY, "<model>", "exec"), namespace)  # the test's own model source, real Keras
    real = namespace["build_model"]()
    assert report.total_params == real.count_params() and report.output_shape == tuple(real.output.shape)
    assert isinstance(real, keras.Model)


def test_the_class_that_builds_is_preferred_to_a_helper_needing_arguments(tmp_path):
    report = nncalc.analyze(write(tmp_path, WITH_HELPER), input_shape=(6,))
    assert report.model_name == "Net" and report.total_params == (6 + 1) * 4


def test_run_finds_the_factory_too(tmp_path):
    done = run_cli("summary", "--run", write(tmp_path, ONE_FACTORY), "--input-shape", "3,32,32", "--format",
                   "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_params"] == real_torch(ONE_FACTORY, "ResNet18")[0]
