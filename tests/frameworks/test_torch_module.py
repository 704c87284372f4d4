"""``nn.Module`` semantics and the traced graph: registration, naming, calls, shared weights, the seed."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from nncalc.errors import Location, ModelNotFound
from nncalc.frameworks.torch import InputShapeNeeded, infer_input_shapes, new_session
from nncalc.location import set_location

SESSION = new_session()
torch = SESSION.modules["torch"]
nn = SESSION.modules["torch.nn"]
F = SESSION.modules["torch.nn.functional"]


class SimpleCNN(nn.Module):
    """The seed, exactly as the interpreter will create it: a plain subclass of the host nn.Module."""

    def __init__(self):
        super(SimpleCNN, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3, stride=1, padding=0)
        self.conv2 = nn.Conv2d(in_channels=8, out_channels=16, kernel_size=3, stride=1, padding=0)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.fc1 = nn.Linear(14 * 14 * 16, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = self.pool(x)
        x = torch.flatten(x, start_dim=1)
        x = torch.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def params(node) -> int:
    return sum(w.numel for w in node.weights if w.is_param)


def test_seed_end_to_end():
    graph = SESSION.trace(SimpleCNN(), [(3, 32, 32)], None, None)
    assert graph.framework == "pytorch" and graph.model_name == "SimpleCNN"
    assert graph.input_shapes == [(1, 3, 32, 32)] and graph.output_shapes == [(1, 10)]
    rows = [(c.node.name, c.output_shapes[0], params(c.node)) for c in graph.calls]
    assert rows == [
        ("", (1, 10), 0),
        ("conv1", (1, 8, 30, 30), 224),
        ("conv2", (1, 16, 28, 28), 1168),
        ("pool", (1, 16, 14, 14), 0),
        ("fc1", (1, 128), 401536),
        ("fc2", (1, 10), 1290),
    ]
    assert sum(w.numel for w in graph.root.all_weights()) == 404_218
    assert [n.type for n in graph.root.children] == ["Conv2d", "Conv2d", "MaxPool2d", "Linear", "Linear"]
    assert graph.root.type == "SimpleCNN" and graph.root.name == ""
    fc1 = graph.root.children[3]
    assert fc1.params_formula.steps() == ["(3,136 + 1) × 128", "3,137 × 128", "401,536"]
    assert [c.macs for c in graph.calls] == [0, 30 * 30 * 8 * 27, 28 * 28 * 16 * 72, 0, 3136 * 128, 1280]
    assert all(c.parent is graph.calls[0] for c in graph.calls[1:])


def test_seed_input_is_inferred():
    shapes, note = infer_input_shapes(SimpleCNN())
    assert shapes == [(3, 32, 32)]
    assert note.startswith("input shape inferred as 3×32×32: the smallest input that fits `nn.Linear(3136, 128)`")
    graph = SESSION.trace(SimpleCNN(), None, None, None)
    assert graph.input_shapes == [(1, 3, 32, 32)] and graph.notes == [note]


def test_parameters_like_torch():
    model = SimpleCNN()
    assert sum(p.numel() for p in model.parameters()) == 404_218
    assert [name for name, _ in model.named_parameters()][:3] == ["conv1.weight", "conv1.bias", "conv2.weight"]
    for p in model.conv1.parameters():
        p.requires_grad = False
    graph = SESSION.trace(model, [(3, 32, 32)], None, None)
    conv1 = graph.root.children[0]
    assert [w.trainable for w in conv1.weights] == [False, False]
    assert all(w.trainable for w in graph.root.children[1].weights)


def test_modes_and_placement_return_self():
    model = SimpleCNN()
    assert model.train() is model and model.eval() is model and not model.training and not model.fc1.training
    assert model.to(torch.device("cpu")) is model and model.cuda() is model and model.cpu() is model
    assert model.to("cuda") is model
    model.half()
    assert SESSION.trace(model, [(3, 32, 32)], None, None).root.children[0].weights[0].dtype == "float16"


def test_sequential_names_indexing_and_iteration():
    features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2))
    named = nn.Sequential(OrderedDict([("conv", nn.Conv2d(3, 4, 1)), ("act", nn.ReLU())]))
    assert len(features) == 3 and isinstance(features[0], nn.Conv2d) and isinstance(features[-1], nn.MaxPool2d)
    assert [type(m).__name__ for m in features] == ["Conv2d", "ReLU", "MaxPool2d"]
    assert len(features[1:]) == 2
    assert [name for name, _ in named.named_children()] == ["conv", "act"]

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = features
            self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 15 * 15, 2))

        def forward(self, x):
            return self.head(self.features(x))

    graph = SESSION.trace(Net(), [(3, 32, 32)], 4, None)
    assert [c.node.name for c in graph.calls] == [
        "", "features", "features.0", "features.1", "features.2", "head", "head.0", "head.1",
    ]
    assert graph.calls[2].parent is graph.calls[1] and graph.calls[1].parent is graph.calls[0]
    assert graph.calls[6].input_shapes == [(4, 8, 15, 15)] and graph.output_shapes == [(4, 2)]
    assert graph.calls[6].shape_formulas[0][1].worked() == "8 × 15 × 15 = 1,800"
    assert [n.type for n in graph.root.children[0].children] == ["Conv2d", "ReLU", "MaxPool2d"]


def test_shared_module_is_one_node_with_two_calls_and_tied_weights_count_once():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = nn.Linear(8, 8)
            self.encoder = nn.Linear(8, 4)
            self.decoder = nn.Linear(4, 8, bias=False)
            self.decoder.weight = nn.Parameter(torch.zeros(8, 4))
            self.unused = nn.Linear(100, 100)  # registered, never called: still a node, still counted

        def forward(self, x):
            return self.decoder(self.encoder(self.block(self.block(x))))

    model = Net()
    model.encoder.weight = model.decoder.weight  # shapes differ in torch terms, but identity is what counts
    graph = SESSION.trace(model, [(8,)], None, None)
    block = graph.root.children[0]
    assert [c.node for c in graph.calls[1:3]] == [block, block] and len(block.calls) == 2
    assert graph.root.children[1].weights[0] is graph.root.children[2].weights[0]
    assert [n.name for n in graph.root.children] == ["block", "encoder", "decoder", "unused"]
    assert graph.root.children[3].calls == []
    torch_total = sum(p.numel() for p in model.parameters())
    assert sum(w.numel for w in graph.root.all_weights() if w.is_param) == torch_total


def test_parameter_and_buffer_on_a_user_module():
    class ViTStub(nn.Module):
        def __init__(self):
            super().__init__()
            self.cls_token = nn.Parameter(torch.zeros(1, 1, 768))
            self.register_buffer("position_ids", torch.arange(197).unsqueeze(0))
            self.head = nn.Linear(768, 10)

        def forward(self, x):
            x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
            return self.head(x[:, 0])

    graph = SESSION.trace(ViTStub(), [(196, 768)], 2, None)
    root = graph.root
    assert [(w.name, w.shape, w.is_param) for w in root.weights] == [
        ("cls_token", (1, 1, 768), True), ("position_ids", (1, 197), False),
    ]
    assert root.params_formula.worked() == "1 × 1 × 768 = 768"
    assert graph.output_shapes == [(2, 10)]


def test_location_is_where_the_module_was_built():
    previous = set_location(Location("model.py", 12, 4))
    try:
        conv = nn.Conv2d(3, 8, 3)
    finally:
        set_location(previous)
    graph = SESSION.trace(nn.Sequential(conv), [(3, 8, 8)], None, None)
    assert graph.root.children[0].location == Location("model.py", 12, 4)


def test_tuple_output_gives_every_tensor():
    class TwoHeads(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(4, 2), nn.Linear(4, 3)

        def forward(self, x):
            return self.a(x), {"b": self.b(x)}

    assert SESSION.trace(TwoHeads(), [(4,)], None, None).output_shapes == [(1, 2), (1, 3)]


def test_module_built_inside_forward_is_a_loose_call_with_a_note():
    class Lazy(nn.Module):
        def forward(self, x):
            return nn.Linear(4, 2)(nn.ReLU()(x))

    graph = SESSION.trace(Lazy(), [(4,)], None, None)
    assert [c.node.type for c in graph.calls] == ["Lazy", "ReLU", "Linear"]
    assert graph.root.children == []
    assert len(graph.notes) == 1 and "not registered" in graph.notes[0]


def test_matmul_work_is_charged_to_the_calling_module():
    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(16, 48)

        def forward(self, x):
            q, k, v = self.qkv(x).chunk(3, dim=-1)
            scores = (q @ k.transpose(-2, -1)) * 0.25
            return torch.matmul(scores.softmax(dim=-1), v)

    graph = SESSION.trace(Attention(), [(10, 16)], None, None)
    assert graph.output_shapes == [(1, 10, 16)]
    assert graph.calls[0].macs == 2 * 10 * 10 * 16 and graph.calls[1].macs == 10 * 16 * 48


def test_module_api_surface():
    model = nn.Sequential(nn.Linear(2, 3), nn.ModuleList([nn.ReLU(), nn.Tanh()]), nn.ModuleDict({"out": nn.Linear(3, 1)}))
    assert [name for name, _ in model.named_modules()] == ["", "0", "1", "1.0", "1.1", "2", "2.out"]
    assert len(list(model.modules())) == 7 and len(list(model.children())) == 3
    seen = []
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen[-1] == "Sequential" and seen[0] == "Linear"
    model.add_module("extra", nn.Identity())
    assert model.get_submodule("2.out").out_features == 1 and "extra" in dict(model.named_children())
    assert list(model.state_dict())[:2] == ["0.weight", "0.bias"]
    with torch.no_grad():
        pass
    assert "Sequential(" in repr(model)


def test_model_recognition():
    assert SESSION.is_model(SimpleCNN()) and SESSION.is_model(nn.Linear(2, 2))
    assert SESSION.is_model_class(SimpleCNN)
    assert not SESSION.is_model_class(nn.Conv2d) and not SESSION.is_model_class(nn.Module)
    assert not SESSION.is_model_class(nn.LSTM) and not SESSION.is_model_class(int)
    assert SESSION.is_auxiliary(nn.CrossEntropyLoss()) and SESSION.is_auxiliary(nn.MSELoss)
    assert not SESSION.is_auxiliary(SimpleCNN())
    loss = nn.CrossEntropyLoss(label_smoothing=0.1)(torch.zeros(2, 10), torch.zeros(2).long())
    assert loss.shape == () and loss.dim() == 0


def test_namespaces_and_snippet_names():
    assert set(SESSION.modules) >= {"torch", "torch.nn", "torch.nn.functional", "torch.nn.init"}
    assert SESSION.modules["torch"].nn is nn and nn.functional is F and SESSION.snippet_names["F"] is F
    assert set(SESSION.snippet_names) == {"torch", "nn", "F"}
    assert torch.float32.is_floating_point and repr(torch.long) == "torch.int64"
    assert torch.cuda.is_available() is False and str(torch.device("cuda:0")) == "cuda:0"
    assert nn.init.kaiming_normal_(nn.Linear(2, 2).weight, mode="fan_out").shape == (2, 2)


# ----- input inference ------------------------------------------------------------------------------------
def test_linear_first_model_takes_its_features():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    shapes, note = infer_input_shapes(model)
    assert shapes == [(784,)] and "`nn.Linear(784, 128)`" in note


def test_global_pooling_model_needs_an_input_shape():
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    with pytest.raises(ModelNotFound) as info:
        infer_input_shapes(model)
    assert isinstance(info.value, InputShapeNeeded)
    assert info.value.hint == "pass --input-shape C,H,W, e.g. --input-shape 3,224,224"


def test_no_square_input_fits():
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(1000, 2))
    with pytest.raises(InputShapeNeeded, match=r"no 3×S×S input fits `nn.Linear\(1000, 2\)` \(3×13×13 gives it 968 features, 3×14×14 gives it 1152; it takes 1000\)"):
        infer_input_shapes(model)


def test_a_size_independent_error_is_raised_as_is():
    from nncalc.errors import ShapeError

    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(4, 8, 3), nn.Flatten(), nn.Linear(8, 2))
    with pytest.raises(ShapeError, match="receives 8 channels; use `nn.Conv2d\\(8, 8, 3\\)`"):
        infer_input_shapes(model)


def test_an_error_after_the_first_layer_is_the_models_own():
    from nncalc.errors import ShapeError

    model = nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))
    with pytest.raises(ShapeError):
        infer_input_shapes(model)


PATCHES = """
import torch.nn as nn


class Patches(nn.Module):
    \"\"\"Cut an image into 4×4 patches before the first linear layer (a ViT's patch embedding).\"\"\"

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(48, 64)

    def forward(self, img):
        b, c, h, w = img.shape
        x = img.reshape(b, c, h // 4, 4, w // 4, 4).permute(0, 2, 4, 3, 5, 1).reshape(b, -1, 48)
        return self.embed(x)


model = Patches()
"""


def test_a_guess_that_fails_before_the_first_layer_asks_for_the_input_shape():
    """The (48,) input guessed from `embed` never reaches it: no shape error of the model, a question."""
    from nncalc import analyze

    with pytest.raises(InputShapeNeeded, match=r"a \(48,\) input, guessed from its first layer `nn.Linear\(48, 64\)`"
                                               r" \(line 10\), fails before reaching it"):
        analyze(PATCHES)
    assert [row.type for row in analyze(PATCHES, input_shapes=[(3, 16, 16)]).layers][-1] == "Linear"  # given, it reads


def test_conv1d_and_conv3d_inference():
    audio = nn.Sequential(nn.Conv1d(2, 4, 5, stride=2), nn.Flatten(), nn.Linear(4 * 10, 1))
    assert infer_input_shapes(audio)[0] == [(2, 23)]
    video = nn.Sequential(nn.Conv3d(3, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4 * 4, 1))
    assert infer_input_shapes(video)[0] == [(3, 6, 6, 6)]


# ----- cost -----------------------------------------------------------------------------------------------
def test_ten_thousand_layers_trace():
    """Ten thousand layers build and trace (their cost is measured in benchmarks/, not here)."""
    model = nn.Sequential(*[nn.Linear(8, 8) for _ in range(10_000)])
    graph = SESSION.trace(model, [(8,)], None, None)
    assert len(graph.calls) == 10_001
    assert SESSION.trace(nn.Linear(8, 8), [(4096, 4096, 8)], None, None).output_shapes == [(1, 4096, 4096, 8)]