"""What nncalc does not know: unknown imports stay opaque until a value is needed and then name the import
and both lines; unknown decorators are the identity with a warning; a host module's own error for a
misspelled name (``from keras.layers import Conv2d``) reaches the user at the import."""

from __future__ import annotations

import textwrap
import types

import pytest

from nncalc.errors import InterpreterError, Location, UnknownLayer
from nncalc.interpreter import Unknown, run_source


class HostAttributeError(InterpreterError, AttributeError):
    """What the torch and Keras namespaces raise for a name they do not have."""


class Layers(types.SimpleNamespace):
    """A fake ``keras.layers``: a name it does not have is an error that suggests the right one."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        close = [known for known in vars(self) if known.lower() == name.lower()]
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise HostAttributeError(f"keras.layers has no attribute {name!r}{hint}")


class Dense:
    def __init__(self, units):
        if not isinstance(units, int):
            raise HostAttributeError(f"Dense: units must be an int. Received: units={units!r}")
        self.units = units


def make_host():
    layers = Layers(Conv2D=object, Dense=Dense)
    return {"keras": types.SimpleNamespace(layers=layers), "keras.layers": layers}


def run(source):
    return run_source(textwrap.dedent(source), "model.py", modules=make_host())


def fails(source) -> InterpreterError:
    with pytest.raises(InterpreterError) as info:
        run(source)
    return info.value


# ----- unknown imports ---------------------------------------------------------------------------------------
def test_unknown_import_names_the_import_and_both_lines():
    err = fails(
        """
        import math
        import mylib

        cfg = mylib.config()
        width = 64
        hidden = [0, 1][cfg.hidden]
        """
    )
    assert err.message.startswith("an integer use at line 7 needs the value of `cfg.hidden`, where `cfg` (line 5) = "
                                  "`mylib.config(...)`, from `import mylib` (line 3), which nncalc does not read")
    assert err.message.endswith("give it a value with --set cfg.hidden=… (or `# nncalc: set cfg.hidden=…` in the file)")
    assert err.location == Location("model.py", 7, 0)


@pytest.mark.parametrize(
    "statement, name",
    [
        ("from mylib import cfg", "cfg.hidden"),
        ("from mylib import config as cfg", "cfg.hidden"),
        ("import mylib.configs as cfg", "cfg.hidden"),
        ("from .configs import cfg", "cfg.hidden"),
    ],
)
def test_the_unknown_is_named_as_the_file_names_it(statement, name):
    err = fails(f"{statement}\n\nfor _ in range(cfg.hidden):\n    pass\n")
    assert err.message.startswith(f"`{name}` comes from `{statement}` (line 1)")
    assert "at line 3 needs its value" in err.message and err.location.line == 3


def test_unknown_values_are_inert_until_needed():
    ns = run(
        """
        import torchvision
        from mylib import cfg, register
        backbone = torchvision.models.resnet18(weights=None)
        scale = cfg.width * 2 + 1
        register("net")
        settings = {"width": cfg.width, "layers": [cfg.a, cfg.b]}
        """
    )
    assert all(isinstance(ns[n], Unknown) for n in ("backbone", "scale"))
    assert isinstance(ns["settings"]["layers"][1], Unknown)


@pytest.mark.parametrize(
    "use, what",
    [
        ("if cfg.deep:\n    pass", "a truth test"),
        ("n = [0, 1][len(cfg.blocks)]", "an integer use"),
        ("x = [0, 1][cfg.i]", "an integer use"),
        ("ok = 3 in cfg.sizes", "`in`"),
    ],
)
def test_each_use_that_needs_the_value_says_what_needed_it(use, what):
    err = fails(f"from mylib import cfg\n{use}\n")
    assert what in err.message and "line 1" in err.message and err.location.line == 2


def test_a_host_error_about_an_unknown_argument_names_the_import():
    err = fails(
        """
        from keras import layers
        from settings import cfg

        head = layers.Dense(cfg.hidden)
        """
    )
    assert "units must be an int" in err.message
    assert "(`cfg.hidden` comes from `from settings import cfg` (line 3), which nncalc does not read" in err.message
    assert err.location.line == 5


def test_a_name_a_provided_module_lacks_says_so_and_suggests():
    err = fails("from collections import OrderDict\nd = OrderDict()\nfor k in d:\n    pass\n")
    assert "nncalc's `collections` has no `OrderDict` (did you mean `OrderedDict`?)" in err.message
    assert "line 1" in err.message and err.location.line == 3


# ----- decorators --------------------------------------------------------------------------------------------
def test_unknown_decorators_are_identity_with_a_warning():
    ns = run(
        """
        import functools
        from timm.models.registry import register_model
        import mylib

        @register_model
        def resnet(depth=18):
            return depth * 2

        @mylib.experimental("v2")
        @functools.lru_cache
        def width(x):
            return x * 8

        @functools.lru_cache(maxsize=None)
        def blocks(n):
            return [n] * 2

        @register_model
        class Config:
            depth = 3

        result = (resnet(), width(2), blocks(3), Config.depth)
        """
    )
    assert ns["result"] == (36, 16, [3, 3], 3)
    messages = {w.location.line: w.message for w in ns.warnings}
    assert "decorator `register_model` (from `from timm.models.registry import register_model`, line 3)" in messages[6]
    assert "treated as identity" in messages[6] and "mylib" in messages[10] and 19 in messages


def test_a_decorator_returning_an_unknown_keeps_the_function():
    ns = run(
        """
        import mylib
        def traced(fn):
            return mylib.trace(fn)
        @traced
        def double(x):
            return 2 * x
        y = double(4)
        """
    )
    assert ns["y"] == 8
    assert any("`traced` returns" in w.message and w.location.line == 5 for w in ns.warnings)


def test_context_manager_decorators_like_no_grad():
    class NoGrad:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    class CallableNoGrad(NoGrad):
        def __call__(self, fn):
            return fn

    torch = types.SimpleNamespace(no_grad=NoGrad, inference_mode=CallableNoGrad)
    ns = run_source(
        textwrap.dedent(
            """
            import torch
            @torch.no_grad()
            def predict(x):
                return x + 1
            @torch.inference_mode()
            def infer(x):
                return x * 3
            result = (predict(1), infer(2))
            """
        ),
        "model.py",
        modules={"torch": torch},
    )
    assert ns["result"] == (2, 6)
    assert [w.location.line for w in ns.warnings] == [3]


def test_a_decorator_that_is_not_callable_is_still_an_error():
    with pytest.raises(InterpreterError, match="'int' object is not callable"):
        run("@3\ndef f():\n    pass\n")


# ----- host errors at imports --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source, line",
    [
        ("from keras.layers import Conv2d\nx = Conv2d(8, 3)\n", 1),
        ("import math\nfrom keras.layers import Dense, Conv2d\n", 2),
        ("from keras.layers import conv2d as conv\n", 1),
    ],
)
def test_a_host_error_for_a_misspelled_name_passes_at_the_import(source, line):
    with pytest.raises(HostAttributeError, match="has no attribute '(Conv2d|conv2d)'; did you mean 'Conv2D'") as info:
        run(source)
    assert info.value.location == Location("model.py", line, 0)


def test_other_host_errors_at_import_pass_too():
    class Applications:
        @property
        def ResNet50(self):
            raise UnknownLayer("nncalc has no rule for keras.applications.ResNet50 yet")

    with pytest.raises(UnknownLayer) as info:
        run_source(
            "import os\nfrom keras.applications import ResNet50\n",
            "model.py",
            modules={"keras.applications": Applications()},
        )
    assert info.value.location.line == 2


def test_a_plain_attribute_error_of_a_host_module_still_gives_an_unknown():
    ns = run_source("from fakehost import missing\n", "model.py", modules={"fakehost": types.SimpleNamespace()})
    assert isinstance(ns["missing"], Unknown)
    assert "nncalc's `fakehost` has no `missing`" in ns.warnings[0].message


def test_a_model_library_found_in_no_library_folder_says_how_to_get_its_source(tmp_path):
    """``import torchvision`` where no library folder holds it: the message says nncalc reads its source and how
    to install that source (here the library folders are an empty one, as on a machine without it)."""
    from nncalc.interpreter.project import ProjectLoader

    (tmp_path / "libs").mkdir()
    main = tmp_path / "train.py"
    main.write_text("import torchvision\n\nfor block in torchvision.models.resnet18().children():\n    pass\n")
    with pytest.raises(InterpreterError) as info:
        run_source(main.read_text(), str(main), modules=make_host(),
                   loader=ProjectLoader(str(main), str(tmp_path), [str(tmp_path / "libs")]))
    message = str(info.value)
    assert "`import torchvision` (line 1), which is not installed here" in message
    assert "pip install --no-deps torchvision" in message and "--source-path" in message
