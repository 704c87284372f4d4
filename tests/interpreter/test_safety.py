"""Escape attempts: each must end in an NncalcError (never a Python exception, never success), and nothing
may happen outside the interpreter."""

from __future__ import annotations

import os
import subprocess
import textwrap
import types
import uuid

import pytest

from nncalc.errors import NncalcError, UnsupportedSyntax
from nncalc.interpreter import Unknown, run_source

ESCAPES = {
    "subclasses_via_class": "x = ().__class__.__bases__[0].__subclasses__()",
    "subclasses_of_object": "x = object.__subclasses__()",
    "getattr_globals": "def f():\n    pass\nx = getattr(f, '__globals__')",
    "getattr_dunder_dynamic": "def f():\n    pass\nname = '__' + 'glob' + 'als__'\nx = getattr(f, name)",
    "function_code": "f = lambda: 0\nx = f.__code__",
    "function_internals": "def f():\n    pass\nx = f._interp",
    "function_closure_frame": "def f():\n    pass\nx = f._closure.vars",
    "bound_method_internals": "class A:\n    def m(self):\n        pass\nx = A().m._func",
    "bound_method_func": "class A:\n    def m(self):\n        pass\nx = A().m.__func__",
    "format_attribute": "x = '{0.__class__.__bases__}'.format(1)",
    "format_deep": "x = '{0.__class__.__mro__[1].__subclasses__}'.format(1)",
    "format_map": "x = '{a.__class__.__mro__}'.format_map({'a': 1})",
    "format_via_class": "x = str.format('{0.__class__.__base__}', 1)",
    "format_init_globals": "class A:\n    pass\nx = '{0.__init__.__globals__}'.format(A)",
    "type_bases": "x = type(1).__bases__",
    "class_of_class": "class A:\n    pass\nx = A.__class__",
    "name_of_host_leak": "x = len.__self__.__name__",
    "type_of_type": "x = type(type(1))",
    "type_three_args": "X = type('X', (object,), {})",
    "type_mro": "x = type(1).mro()",
    "mod_method": "x = str.__mod__('%s', 1)",
    "dict_of_class": "class A:\n    pass\nx = A.__dict__",
    "dict_of_function": "def f():\n    pass\nx = f.__dict__",
    "vars_of_class": "class A:\n    pass\nx = vars(A)",
    "vars_of_plain_data": "x = vars(1)",
    "traceback_frame": "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__traceback__",
    "exception_class": "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__class__.__subclasses__()",
    "generator_frame": "g = map(abs, [1])\nx = g.gi_frame",
    "generator_code": "g = filter(None, [1])\nx = g.gi_code",
    "genexpr_frame": "g = (i for i in [1])\nx = g.gi_frame",
    "super_getattribute": "class A:\n    def f(self):\n        return super().__getattribute__('__dict__')\nA().f()",
    "super_setattr": "class A:\n    def f(self):\n        super().__setattr__('__class__', int)\nA().f()",
    "super_of_builtin": "x = super(int, 1)",
    "object_setattr_dict": "class A:\n    pass\nobject.__setattr__(A(), '__dict__', {})",
    "object_getattribute": "class A:\n    pass\nx = object.__getattribute__(A(), '__class__')",
    "builtins_name": "x = __builtins__",
    "import_builtins_attr": "import builtins\nx = builtins.open('/etc/passwd').read()\nif x:\n    pass",
    "setattr_dunder": "class A:\n    pass\nsetattr(A(), '__class__', int)",
    "setattr_builtin_type": "setattr(int, 'x', 1)",
    "assign_builtin_type_attr": "list.append = None",
    "hasattr_dunder": "x = hasattr(1, '__globals__')",
    "delattr_dunder": "class A:\n    pass\ndelattr(A, '__init__')",
    "operator_attrgetter": "import operator\nx = operator.attrgetter('__class__.__bases__')(1)",
    "reduce_getattr": "import functools\nx = functools.reduce(getattr, ['__class__', '__bases__'], 1)",
    "map_getattr": "x = list(map(getattr, [1], ['__dict__']))",
    "sorted_key_getattr": "x = sorted([1, 2], key=lambda v: getattr(v, '__class__'))",
    "builtin_self": "x = len.__self__",
    "math_module_internals": "import math\nx = math.__dict__",
    "module_loader": "import math\nx = math.__loader__",
    "unknown_internals": "import mylib\nx = mylib._origin",
    "special_method_internals": "class A:\n    pass\nx = object.__init__._func",
    "super_builtin_internals": "x = super._nncalc_internal",
    "name_mangled": "class A:\n    __x = 1\n    def f(self):\n        return self.__x\nA().f()",
    "partial_of_join_func_globals": "j = ''.join\nx = j.func.__globals__",
    "class_attribute_of_stdlib_class": "from collections import OrderedDict\nx = OrderedDict.__dict__",
    "abc_register": "from collections.abc import Iterable\nIterable.register(int)",
    "str_translate": "x = 'a'.translate({97: 'b'})",
    "object_init_on_host": "import math\nobject.__init__(math)",
    "eval_via_getattr": "x = getattr(__builtins__, 'eval')",
    "dunder_in_except_handler": "try:\n    raise ValueError('x')\nexcept ValueError as e:\n    t = e.__traceback__.tb_frame.f_globals",
    "raise_base_exception": "class E(BaseException):\n    pass",
    "catch_limit_error": "while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_escape_is_refused(name):
    source = ESCAPES[name]
    try:
        namespace = run_source(textwrap.dedent(source), "evil.py", modules={})
    except NncalcError:
        return
    except BaseException as exc:  # pragma: no cover - the failure being tested for
        pytest.fail(f"{name}: a Python {type(exc).__name__} escaped the interpreter: {exc}")
    pytest.fail(f"{name}: succeeded: {namespace.get('x')!r}")


class Host:
    """A careless host module: it exposes the standard library by accident."""


def careless_host():
    host = Host()
    host.os = os
    host.system = os.system
    host.run = subprocess.run
    host.Popen = subprocess.Popen
    host.getenv = os.getenv
    host.FunctionType = types.FunctionType
    host.code = (lambda: 0).__code__
    host.gen = (i for i in range(3))
    host.evaluate = eval
    return {"torch": host}


@pytest.mark.parametrize(
    "source",
    [
        "import torch\ntorch.os.system('true')",
        "import torch\ntorch.system('true')",
        "import torch\ntorch.run(['true'])",
        "import torch\ntorch.Popen(['true'])",
        "import torch\nx = torch.getenv('HOME')",
        "import torch\nx = torch.FunctionType",
        "import torch\nx = torch.code",
        "import torch\nx = torch.gen.gi_frame",
        "import torch\nx = torch.evaluate('1')",
        "from torch import system",
        "from torch import *\nx = system",
    ],
)
def test_careless_host_leaks_nothing(source):
    with pytest.raises(NncalcError):
        run_source(source, "evil.py", modules=careless_host())


def test_the_class_of_a_function_is_a_stand_in_that_makes_nothing():
    ns = run_source("x = (lambda: 0).__class__\nname = x.__name__\n", "evil.py", modules={})
    assert ns["name"] == "function" and ns["x"].__module__ == "nncalc.interpreter.objects"
    with pytest.raises(NncalcError, match="cannot create 'function' instances"):
        run_source("f = type(lambda: 0)(1, 2)\n", "evil.py", modules={})


def test_private_names_of_a_host_module_are_unknown_never_its_values():
    host = careless_host()
    host["torch"]._private = os.system
    ns = run_source("import torch\nx = torch._private\n", "evil.py", modules=host)
    assert isinstance(ns["x"], Unknown) and "private part of the framework" in ns["x"]._describe()


def test_no_side_effects(tmp_path):
    target = tmp_path / f"pwned-{uuid.uuid4().hex}"
    attempts = [
        f"import os\nos.system('touch {target}')",
        f"import subprocess\nsubprocess.run(['touch', '{target}'])",
        f"import pathlib\npathlib.Path('{target}').write_text('x')",
        f"from os import system as s\ns('touch {target}')",
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w').write('x')",
        f"exec(\"open('{target}', 'w')\")",
        f"import shutil\nshutil.copy('/etc/hostname', '{target}')",
        f"import torch\ntorch.os.system('touch {target}')",
        f"import torch\ntorch.system('touch {target}')",
    ]
    for source in attempts:
        try:
            run_source(source, "evil.py", modules=careless_host())
        except NncalcError:
            pass
        assert not target.exists(), source


def test_unknown_modules_are_inert():
    ns = run_source("import os\nresult = os.system('rm -rf /')\n", "evil.py", modules={})
    assert isinstance(ns["result"], Unknown)


def test_type_gives_plain_and_user_classes():
    ns = run_source(
        "class A:\n    pass\nt = (type(1), type('s'), type([]), type(A()), type(1)(7), type([])((1, 2)))\n",
        "m.py",
        modules={},
    )
    assert ns["t"][:3] == (int, str, list) and ns["t"][3] is ns["A"] and ns["t"][4:] == (7, [1, 2])


def test_private_attributes_of_user_objects_are_fine():
    ns = run_source(
        "class A:\n    def __init__(self):\n        self._hidden = 4\n    def _helper(self):\n        return self._hidden\n"
        "x = A()._helper()\n",
        "m.py",
        modules={},
    )
    assert ns["x"] == 4


class HostBase:
    """A host base class that keeps its own state in the instance dict."""

    __nncalc_subclassable__ = True

    def __init__(self):
        self._registry = {"secret": 1}


@pytest.mark.parametrize("read", ["n.__dict__", "vars(n)", "n.__dict__['_registry']"])
def test_instance_dict_of_a_host_derived_class_is_refused(read):
    source = f"import host\nclass Net(host.Base):\n    pass\nn = Net()\nx = {read}\n"
    with pytest.raises(UnsupportedSyntax):
        run_source(source, "evil.py", modules={"host": types.SimpleNamespace(Base=HostBase)})


def test_descriptive_dunders_are_text_or_plain_classes():
    ns = run_source(
        "class A:\n    '''Doc.'''\nclass B(A):\n    pass\n"
        "x = (B().__class__, B.__name__, B.__qualname__, A.__doc__, (1).__class__, len.__name__, B().__dict__)\n",
        "m.py",
        modules={},
    )
    assert ns["x"] == (ns["B"], "B", "B", "Doc.", int, "len", {})
