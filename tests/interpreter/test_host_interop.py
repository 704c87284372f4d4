"""Interpreted code and host objects together: a fake host ``nn`` with a subclassable ``Module`` that registers
attributes, calls ``forward``, and records where each layer was created."""

from __future__ import annotations

import inspect
import textwrap
import types

import pytest

from nncalc import location
from nncalc.errors import InterpreterError, Location, NncalcError, ShapeError, UnsupportedSyntax
from nncalc.interpreter import Unknown, run_source


class HostTypeError(InterpreterError, TypeError):
    """A host error that user code may catch as TypeError (as the torch API does)."""


class Module:
    __nncalc_subclassable__ = True

    def __init__(self):
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "created_at", location.current_location())

    def __setattr__(self, name, value):
        if isinstance(value, Module):
            if "_modules" not in self.__dict__:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, x):
        raise NotImplementedError

    def children(self):
        return list(self._modules.values())


class Linear(Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        if not isinstance(in_features, int):
            raise HostTypeError(f"Linear(): in_features must be an int, not {type(in_features).__name__}")
        self.in_features = in_features
        self.out_features = out_features

    def forward(self, x):
        if x != self.in_features:
            raise ShapeError(f"Linear({self.in_features}, {self.out_features}) receives {x} features")
        return self.out_features


class Sealed:
    """A host class that does not allow subclassing."""


def relu(x):
    return x


class NoGrad:
    entered = 0
    exited = 0

    def __enter__(self):
        NoGrad.entered += 1
        return self

    def __exit__(self, *exc):
        NoGrad.exited += 1
        return False


def make_host():
    nn = types.SimpleNamespace(Module=Module, Linear=Linear, Sealed=Sealed)
    torch = types.SimpleNamespace(nn=nn, relu=relu, no_grad=NoGrad)
    return {"torch": torch, "torch.nn": nn}


def run(source, **kwargs):
    return run_source(textwrap.dedent(source), "net.py", modules=make_host(), **kwargs)


NET = """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self, hidden=8):
            super().__init__()
            self.fc1 = nn.Linear(4, hidden)
            self.fc2 = nn.Linear(hidden, 2)

        def forward(self, x):
            x = torch.relu(self.fc1(x))
            return self.fc2(x)

    class Old(nn.Module):
        def __init__(self):
            super(Old, self).__init__()
            self.inner = Net(hidden=3)

        def forward(self, x):
            return self.inner(x) * 10

    model = Net()
"""


def test_subclass_registers_layers_through_host_setattr():
    ns = run(NET)
    model = ns["model"]
    assert isinstance(model, Module)
    assert [type(c).__name__ for c in model.children()] == ["Linear", "Linear"]
    assert model.fc1.out_features == 8


def test_host_calls_interpreted_forward():
    ns = run(NET)
    assert ns["model"](4) == 2
    assert ns["Old"]()(4) == 20


def test_location_seen_by_host_is_the_users_line():
    ns = run(NET)
    fc1, fc2 = ns["model"].children()
    assert fc1.created_at == Location("net.py", 8, 19)
    assert fc2.created_at.line == 9
    assert location.current_location() is None


def test_host_shape_error_passes_through_with_the_call_location():
    ns = run(NET)
    with pytest.raises(ShapeError) as info:
        ns["model"](5)
    assert info.value.location == Location("net.py", 12, 23)


def test_uncaught_user_exception_in_forward_called_by_host():
    ns = run(
        """
        import torch.nn as nn
        class Bad(nn.Module):
            def forward(self, x):
                raise ValueError(f"bad input {x}")
        m = Bad()
        """
    )
    with pytest.raises(InterpreterError, match="ValueError: bad input 3") as info:
        ns["m"](3)
    assert info.value.location.line == 5


def test_host_type_error_catchable_as_type_error():
    ns = run(
        """
        import torch.nn as nn
        try:
            nn.Linear("4", 2)
            caught = None
        except TypeError as e:
            caught = e.args[0]
        """
    )
    assert ns["caught"] == "Linear(): in_features must be an int, not str"


def test_host_type_error_uncaught_keeps_class_and_location():
    with pytest.raises(HostTypeError) as info:
        run("import torch.nn as nn\nx = 1\nlayer = nn.Linear('4', 2)\n")
    assert info.value.location == Location("net.py", 3, 8)


def test_python_type_error_from_host_call_becomes_interpreter_error():
    with pytest.raises(InterpreterError) as info:
        run("import torch.nn as nn\nlayer = nn.Linear(4)\n")
    assert "missing 1 required positional argument: 'out_features'" in info.value.message
    assert info.value.location == Location("net.py", 2, 8)


def test_signature_of_interpreted_methods():
    ns = run(NET)
    assert list(inspect.signature(ns["Net"].__init__).parameters) == ["self", "hidden"]
    assert list(inspect.signature(ns["model"].forward).parameters) == ["x"]
    assert inspect.signature(ns["Net"].__init__).parameters["hidden"].default == 8


def test_assignment_before_super_init_is_the_host_error():
    with pytest.raises(InterpreterError, match="before Module.__init__"):
        run(
            """
            import torch.nn as nn
            class Net(nn.Module):
                def __init__(self):
                    self.fc = nn.Linear(1, 1)
                    super().__init__()
            Net()
            """
        )


def test_old_style_base_init_call():
    ns = run(
        """
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                nn.Module.__init__(self)
                self.fc = nn.Linear(2, 3)
        net = Net()
        """
    )
    assert len(ns["net"].children()) == 1


def test_base_init_cannot_reinitialise_host_objects():
    with pytest.raises(InterpreterError, match="needs an instance of a class defined in the file"):
        run("import torch.nn as nn\nlayer = nn.Linear(1, 1)\nnn.Module.__init__(layer)\n")


def test_subclassing_a_sealed_host_class_is_refused():
    with pytest.raises(UnsupportedSyntax, match="does not allow as a base") as info:
        run("import torch.nn as nn\nclass X(nn.Sealed):\n    pass\n")
    assert info.value.location.line == 2


def test_subclassing_builtin_types_is_refused():
    for base in ("int", "dict", "list", "str", "type"):
        with pytest.raises(UnsupportedSyntax):
            run(f"class X({base}):\n    pass\n")


def test_host_context_manager():
    NoGrad.entered = NoGrad.exited = 0
    ns = run(
        """
        import torch
        with torch.no_grad():
            y = 1
        try:
            with torch.no_grad() as g:
                raise KeyError("k")
        except KeyError:
            y = 2
        """
    )
    assert ns["y"] == 2
    assert (NoGrad.entered, NoGrad.exited) == (2, 2)


def test_unknown_import_is_opaque_until_used():
    ns = run(
        """
        import torchvision
        from mylib import Block
        from .local import helper
        import pandas.io
        backbone = torchvision.models.resnet18(pretrained=True)
        b = Block(3) + 1
        """
    )
    assert isinstance(ns["backbone"], Unknown)
    assert repr(ns["backbone"]) == "<unknown torchvision.models.resnet18(...)>"
    assert isinstance(ns["b"], Unknown) and isinstance(ns["helper"], Unknown) and isinstance(ns["pandas"], Unknown)


def test_unknown_needed_concretely_names_the_import():
    with pytest.raises(InterpreterError) as info:
        run("import torch\nfrom mylib import CFG\n\nfor n in CFG.sizes:\n    pass\n")
    assert "mylib" in info.value.message and "line 2" in info.value.message and "iterating" in info.value.message
    assert info.value.location.line == 4
    with pytest.raises(InterpreterError, match="truth test"):
        run("import mylib\nif mylib.flag:\n    pass\n")


def test_unknown_passed_to_host_code_fails_in_host_terms():
    with pytest.raises(InterpreterError, match="in_features must be an int"):
        run("import torch.nn as nn\nimport cfg\nlayer = nn.Linear(cfg.width, 2)\n")


def test_unknown_decorator_is_identity_with_warning():
    ns = run(
        """
        import torch.jit_like as jit
        from somewhere import magic
        @magic
        def f(x):
            return x + 1
        y = f(1)
        """
    )
    assert ns["y"] == 2
    assert any("magic" in w.message and w.location.line == 4 for w in ns.warnings)


def test_import_forms():
    host = make_host()
    ns = run(
        """
        import torch
        import torch.nn
        import torch.nn as nn
        from torch import nn as nn2
        from torch import relu
        """
    )
    assert ns["torch"] is host["torch"].__class__ or ns["torch"].nn.Linear is Linear
    assert ns["nn"].Linear is Linear and ns["nn2"].Linear is Linear and ns["relu"] is relu


def test_star_import_binds_public_names():
    nn = types.SimpleNamespace(Linear=Linear, _private=1, __all__=["Linear"])
    ns = run_source("from torch.nn import *\nx = Linear\n", "m.py", modules={"torch.nn": nn})
    assert ns["x"] is Linear and "_private" not in ns


def test_package_provided_only_through_submodules():
    keras = types.SimpleNamespace(Dense=Linear)
    ns = run_source("import tensorflow.keras\nfrom tensorflow import keras as k\nd = tensorflow.keras.Dense\n",
                    "m.py", modules={"tensorflow.keras": keras})
    assert ns["d"] is Linear and ns["k"] is keras


def test_prelude_and_main_guard():
    ns = run_source(
        "ran = False\nif __name__ == '__main__':\n    ran = True\nlayer = nn.Linear(1, 2)\n",
        "snippet.py",
        modules={},
        prelude={"nn": make_host()["torch.nn"]},
    )
    assert ns["ran"] is False and ns["layer"].out_features == 2
    assert "__name__" not in ns and "len" not in ns


def test_namespace_has_only_file_names():
    ns = run("import torch\nx = 1\ndef f():\n    pass\n")
    assert set(ns) == {"torch", "x", "f"}


def test_assigning_to_a_module_is_ignored_with_a_warning():
    ns = run("import torch\ntorch.flag = True\nimport math\nmath.pi = 3\n")
    assert not hasattr(make_host()["torch"], "flag")
    assert len(ns.warnings) == 2


def test_functions_keep_working_after_the_run():
    ns = run("def f(n):\n    return [i * 2 for i in range(n)]\n")
    assert ns["f"](3) == [0, 2, 4]
    with pytest.raises(InterpreterError, match="ZeroDivisionError") as info:
        run("def g():\n    return 1 / 0\n")["g"]()
    assert info.value.location.line == 2


def test_nncalc_errors_are_never_caught_by_user_code():
    with pytest.raises(ShapeError):
        run(
            """
            import torch.nn as nn
            layer = nn.Linear(3, 4)
            try:
                layer(5)
            except Exception:
                pass
            """
        )


def test_error_inside_nested_interpreted_calls_keeps_innermost_location():
    with pytest.raises(NncalcError) as info:
        run(
            """
            import torch.nn as nn
            def build(n):
                return nn.Linear(n, 2)
            def outer():
                return build("x")
            outer()
            """
        )
    assert info.value.location.line == 4


class DType:
    __nncalc_mutable__ = False


def test_assignments_to_host_objects():
    host = make_host()
    host["torch"].float32 = DType()
    ns = run_source(
        "import torch.nn as nn\nlayer = nn.Linear(1, 2)\nlayer.trainable = False\n", "m.py", modules=host
    )
    assert ns["layer"].trainable is False
    for source in (
        "import torch\ntorch.float32.bits = 64\n",
        "import torch.nn as nn\nnn.Linear.forward = None\n",
        "import torch\ntorch.relu.cache = {}\n",
        "import torch.nn as nn\nlayer = nn.Linear(1, 2)\nlayer._modules = {}\n",
    ):
        with pytest.raises(UnsupportedSyntax):
            run_source(source, "m.py", modules=host)
