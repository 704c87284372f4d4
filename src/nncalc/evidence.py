"""The input a model file uses, read from its syntax tree (never run): the evidence nncalc prefers to the
smallest input the layers accept.

Most files say which input their model takes. A ``test()`` function or a ``__main__`` block calls the model on
``torch.randn(2, 3, 32, 32)``; the file summarises or exports it (``summary(model, (3, 32, 32))``,
``torch.onnx.export(model, x, …)``); a docstring or comment names the size (``# input: 3x224x224``); it loads a
dataset whose images have a known size (``datasets.CIFAR10`` ⇒ 3×32×32) or resizes them
(``transforms.CenterCrop(224)``). :class:`FileEvidence` finds these and lists them strongest first. None of
that code runs: nncalc's interpreter never calls ``test()`` nor enters ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import ast
import re

MAX_CANDIDATES = 12
"""Pieces of evidence tried at most (each one is a trace of the model)."""
_MAX_DEPTH = 8  # variables followed from a call to the tensor it receives

CREATORS = {"randn", "rand", "zeros", "ones", "empty", "randint", "full", "eye", "Tensor", "FloatTensor",
            "LongTensor"}
_SAME_TENSOR = {"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "detach", "clone", "contiguous",
                "requires_grad_", "normal_", "uniform_", "Variable"}
_SAME_MODULE = {"to", "cuda", "cpu", "eval", "train", "float", "double", "half", "requires_grad_"}
_INT_DTYPES = {"long": "int64", "int64": "int64", "int": "int32", "int32": "int32", "int16": "int16",
               "uint8": "uint8", "LongTensor": "int64"}
_TO_TENSORS = {"export": 1, "trace": 1, "add_graph": 1, "profile": 1, "FlopCountAnalysis": 1, "flop_count": 1,
               "jit_trace": 1}  # tool(model, inputs): the position of the inputs
_TENSOR_KEYWORDS = ("inputs", "args", "example_inputs", "input_data", "input_to_model")

DATASETS = {
    "MNIST": (1, 28, 28), "FashionMNIST": (1, 28, 28), "KMNIST": (1, 28, 28), "EMNIST": (1, 28, 28),
    "QMNIST": (1, 28, 28), "CIFAR10": (3, 32, 32), "CIFAR100": (3, 32, 32), "SVHN": (3, 32, 32),
    "STL10": (3, 96, 96), "Omniglot": (1, 105, 105), "USPS": (1, 16, 16),
}
"""torchvision datasets whose images all have one size, as (C, H, W)."""
_CROPS = ("CenterCrop", "RandomCrop", "RandomResizedCrop", "FiveCrop", "TenCrop")
_RESIZES = ("Resize", "Scale")

_DIMS = re.compile(r"(?<![\w.])(\d{1,4})\s*[x×X*]\s*(\d{1,4})(?:\s*[x×X*]\s*(\d{1,4}))?(?![\w.])")
_TUPLE = re.compile(r"[(\[]\s*(?:[A-Za-z_]\w*|\d+)\s*,\s*(\d{1,4})\s*,\s*(\d{1,4})\s*,\s*(\d{1,4})\s*[)\]]")
_ABOUT_INPUT = re.compile(r"\b(inputs?|images?|imgs?|pictures?|photos?|frames?|resolution)\b", re.I)


class Evidence:
    """One hint of the input: per input its shape without the batch (``None`` first when only the spatial
    size is known: the channels come from the model), the batch the file uses (None when it does not say),
    the input dtype when the file gives one, where it was found (for the note), and its kind (``call``,
    ``tool``, ``text`` or ``dataset``)."""

    __slots__ = ("shapes", "batch", "dtype", "source", "kind")

    def __init__(self, shapes: list[tuple], batch: int | None, source: str, kind: str, dtype: str | None = None):
        self.shapes, self.batch, self.source, self.kind, self.dtype = shapes, batch, source, kind, dtype

    def __repr__(self) -> str:
        return f"Evidence({self.shapes!r}, batch={self.batch!r}, {self.source!r})"


class _Scope:
    """A function's (or the module's) assignments, to follow a name back to its value."""

    def __init__(self, label: str, parent: "_Scope | None"):
        self.label, self.parent = label, parent
        self.assigned: dict[str, list[tuple[int, ast.expr]]] = {}

    def lookup(self, name: str, line: int) -> ast.expr | None:
        """The value last assigned to ``name`` before ``line`` here, else in the enclosing scopes."""
        found = [value for at, value in self.assigned.get(name, ()) if at < line]
        if found:
            return found[-1]
        return self.parent.lookup(name, 1 << 30) if self.parent is not None else None


class _Reader(ast.NodeVisitor):
    """Every call with the scope it is made in and a label of where that is (``in test()``)."""

    def __init__(self):
        self.module = _Scope("at module level", None)
        self.scope = self.module
        self.label = "at module level"
        self.classes: list[str] = []
        self.calls: list[tuple[ast.Call, _Scope, str]] = []

    def visit_FunctionDef(self, node) -> None:
        name = f"{self.classes[-1]}.{node.name}()" if self.classes else f"{node.name}()"
        saved = self.scope, self.label
        self.scope, self.label = _Scope(f"in {name}", self.scope), f"in {name}"
        for statement in node.body:
            self.visit(statement)
        self.scope, self.label = saved

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node) -> None:
        self.classes.append(node.name)
        for statement in node.body:
            self.visit(statement)
        self.classes.pop()

    def visit_If(self, node) -> None:
        if self.scope is self.module and _is_main_test(node.test):
            saved, self.label = self.label, "in the __main__ block"
            for statement in node.body:
                self.visit(statement)
            self.label = saved
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_Assign(self, node) -> None:
        for target in node.targets:
            self._bind(target, node.value, node.lineno)
        self.generic_visit(node)

    def visit_AnnAssign(self, node) -> None:
        if node.value is not None:
            self._bind(node.target, node.value, node.lineno)
        self.generic_visit(node)

    def visit_Call(self, node) -> None:
        self.calls.append((node, self.scope, self.label))
        self.generic_visit(node)

    def _bind(self, target: ast.expr, value: ast.expr, line: int) -> None:
        if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
            for t, v in zip(target.elts, value.elts):
                self._bind(t, v, line)
        elif isinstance(target, (ast.Name, ast.Attribute)):
            self.scope.assigned.setdefault(ast.unparse(target), []).append((line, value))


def _is_main_test(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _name(func: ast.expr) -> str | None:
    """The called name: ``randn`` for ``torch.randn``, ``Net`` for ``Net``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


class FileEvidence:
    """The evidence of one file for the model called (or built by) ``names``: a variable, class or function
    name; see the module docstring. ``candidates`` lists it strongest first, at most one per shape."""

    def __init__(self, text: str, names: set[str], values: dict | None = None):
        self.text = text
        self.values = values or {}
        """The file's module-level values as the interpreter left them: ``opt.img_size`` of an argparse namespace
        in ``transforms.Resize(opt.img_size)`` is read there."""
        try:
            self.tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None
            self.candidates: list[Evidence] = []
            return
        reader = _Reader()
        try:
            reader.visit(self.tree)
        except RecursionError:  # nested too deeply to read: no evidence
            self.tree, self.candidates = None, []
            return
        self._reader = reader
        self.module = reader.module
        self.instances = {n for n in names if n in reader.module.assigned}
        self.factories = set(names) - self.instances
        self.imports = _imported_modules(self.tree)
        found = self._model_calls() + self._tool_calls() + self._texts() + self._datasets()
        self.candidates = unique(found)[:MAX_CANDIDATES]

    # ----- where a call is, for the notes ---------------------------------------------------------------------
    def call_at(self, line: int, col: int) -> tuple[str, str] | None:
        """The call at that place quoted, and where it is: ``("`self.conv1(x)`", "in Net.convs()")``."""
        if self.tree is None:
            return None
        for call, _, label in self._reader.calls:
            if call.lineno == line and call.col_offset == col:
                return self._quote(call), label
        return None

    def _quote(self, node: ast.AST, limit: int = 60) -> str:
        text = " ".join((ast.get_source_segment(self.text, node) or ast.unparse(node)).split())
        return f"`{text if len(text) <= limit else text[: limit - 1] + '…'}`"

    # ----- the model called on tensors ----------------------------------------------------------------------
    def _model_calls(self) -> list[Evidence]:
        found = []
        for call, scope, label in self._reader.calls:
            callee = call.func
            if isinstance(callee, ast.Attribute) and callee.attr == "forward":
                callee = callee.value
            if not call.args or not self._is_model(callee, scope, call.lineno, 0):
                continue
            tensors = [self._tensor(arg, scope, call.lineno, 0) for arg in call.args]
            evidence = self._from_tensors(tensors, f"{self._quote(call)} {label} (line {call.lineno})", "call")
            if evidence is not None:
                found.append(evidence)
        return found

    def _is_model(self, node: ast.expr, scope: _Scope, line: int, depth: int) -> bool:
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _SAME_MODULE:
                return self._is_model(func.value, scope, line, depth + 1)
            return _name(func) in self.factories
        if isinstance(node, (ast.Name, ast.Attribute)):
            key = ast.unparse(node)
            if key in self.instances and scope.lookup(key, line) is self.module.lookup(key, 1 << 30):
                return True  # the module-level variable the model was found in
            value = scope.lookup(key, line)
            return value is not None and self._is_model(value, scope, value.lineno, depth + 1)
        return False

    def _from_tensors(self, tensors: list, source: str, kind: str) -> Evidence | None:
        """One call's inputs, which all share their first (batch) dimension."""
        if not tensors or any(t is None or len(t[0]) < 2 for t in tensors):
            return None
        batches = {t[0][0] for t in tensors}
        if len(batches) != 1:
            return None
        details = [f"{name} = {quote} (line {line})" for _, _, name, quote, line in tensors if name]
        if details:
            source += ", with " + ", ".join(details)
        dtype = tensors[0][1]
        return Evidence([t[0][1:] for t in tensors], batches.pop(), source, kind, dtype)

    def _tensor(self, node: ast.expr, scope: _Scope, line: int, depth: int, via: str | None = None):
        """``(shape, dtype, variable, quoted creation, line)`` of a tensor the file makes with literal sizes,
        following variables and shape-keeping methods; None when it is not one."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            value = scope.lookup(node.id, line)  # followed from where it was assigned: `x = x.view(…)`
            return None if value is None else self._tensor(value, scope, value.lineno, depth + 1, via or node.id)
        if not isinstance(node, ast.Call):
            return None
        func, name = node.func, _name(node.func)
        if name in CREATORS and not (isinstance(func, ast.Attribute) and self._is_numpy(func.value)):
            shape = self._creation_shape(node, name, scope, line)
            if shape is None:
                return None
            return shape, self._dtype(node, name), via, self._quote(node), node.lineno
        if name == "Variable" and node.args:
            return self._tensor(node.args[0], scope, line, depth + 1, via)
        if not isinstance(func, ast.Attribute):
            return None
        inner = self._tensor(func.value, scope, line, depth + 1, via)
        if inner is None:
            return None
        shape, dtype, variable = inner[:3]
        if name in _INT_DTYPES:
            dtype = _INT_DTYPES[name]
        elif name in ("view", "reshape"):
            target = self._ints(node.args, scope, line)
            shape = _reshaped(shape, target) if target is not None else None
        elif name == "unsqueeze" and len(node.args) == 1:
            dim = self._int(node.args[0], scope, line, 0)
            shape = None if dim is None else _unsqueezed(shape, dim)
        elif name not in _SAME_TENSOR:
            return None
        return None if shape is None else (shape, dtype, variable, self._quote(node), node.lineno)

    def _is_numpy(self, node: ast.expr) -> bool:
        """``np.zeros(…)`` or ``np.random.rand(…)``: an array, not a tensor."""
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and (node.id == "np" or self.imports.get(node.id) == "numpy")

    def _creation_shape(self, node: ast.Call, name: str, scope: _Scope, line: int) -> tuple | None:
        args = list(node.args)
        size = next((k.value for k in node.keywords if k.arg == "size"), None)
        if name == "randint":
            sized = [a for a in args if isinstance(a, (ast.Tuple, ast.List))]
            return self._ints([size or (sized[-1] if sized else None)], scope, line)
        if name == "full":
            return self._ints([size or (args[0] if args else None)], scope, line)
        if name == "eye":  # torch.eye(n) is n×n (an adjacency with self-loops), torch.eye(n, m) n×m
            sizes = self._ints(args[:2], scope, line)
            return sizes * 2 if sizes is not None and len(sizes) == 1 else sizes
        if size is not None:
            return self._ints([size], scope, line)
        if name in ("Tensor", "FloatTensor", "LongTensor") and any(isinstance(a, (ast.List, ast.Tuple))
                                                                  for a in args):
            return None  # torch.Tensor([1, 2]) holds values, not a shape
        return self._ints(args, scope, line)

    def _dtype(self, node: ast.Call, name: str) -> str | None:
        if name in ("randint", "LongTensor"):
            return "int64"
        for keyword in node.keywords:
            if keyword.arg == "dtype" and isinstance(keyword.value, ast.Attribute):
                return _INT_DTYPES.get(keyword.value.attr)
        return None

    def _ints(self, args: list, scope: _Scope, line: int) -> tuple | None:
        if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            args = args[0].elts
        if not args or any(a is None or isinstance(a, ast.Starred) for a in args):
            return None
        values = tuple(self._int(a, scope, line, 0) for a in args)
        return None if None in values else values

    def _int(self, node: ast.expr, scope: _Scope, line: int, depth: int) -> int | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name):
            value = scope.lookup(node.id, line)
            return None if value is None else self._int(value, scope, value.lineno, depth + 1)
        if isinstance(node, ast.Attribute):
            value = _attribute_int(node, self.values)
            return value if value is not None else self._option_defaults().get(node.attr)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            value = self._int(node.operand, scope, line, depth + 1)
            return None if value is None else -value
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv)):
            left, right = (self._int(n, scope, line, depth + 1) for n in (node.left, node.right))
            if left is None or right is None or (isinstance(node.op, ast.FloorDiv) and right == 0):
                return None
            result = {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(type(node.op))
            return left // right if result is None else result
        return None

    def _option_defaults(self) -> dict[str, int]:
        """The int default of each command-line option the file declares once (``add_argument("--image-size",
        type=int, default=256)`` → ``image_size``: 256), for ``args.image_size`` where ``args`` is a parameter
        of a function the file calls from ``main()``, which nncalc does not run."""
        if getattr(self, "_defaults", None) is None:
            found: dict[str, set] = {}
            for node in ast.walk(self.tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "add_argument"):
                    continue
                options = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                dest = keywords.get("dest")
                name = dest.value if isinstance(dest, ast.Constant) else next(
                    (o.lstrip("-") for o in options if o.startswith("--")), options[0].lstrip("-") if options else None)
                default = keywords.get("default")
                if isinstance(name, str) and isinstance(default, ast.Constant) and type(default.value) is int:
                    found.setdefault(name.replace("-", "_"), set()).add(default.value)
            self._defaults = {name: values.pop() for name, values in found.items() if len(values) == 1}
        return self._defaults

    # ----- tools given the model and its input --------------------------------------------------------------
    def _tool_calls(self) -> list[Evidence]:
        found = []
        for call, scope, label in self._reader.calls:
            name = _name(call.func)
            model = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "model"), None)
            if name is None or model is None or not self._is_model(model, scope, call.lineno, 0):
                continue
            source = f"{self._quote(call)} {label} (line {call.lineno})"
            if name in ("summary", "get_model_complexity_info"):
                evidence = self._sized(call, name, scope, source)
            elif name in _TO_TENSORS:
                evidence = self._tensors_given(call, _TO_TENSORS[name], scope, source)
            else:
                continue
            if evidence is not None:
                found.append(evidence)
        return found

    def _sized(self, call: ast.Call, name: str, scope: _Scope, source: str) -> Evidence | None:
        """``summary(model, (3, 32, 32))``: torchsummary and ptflops give no batch, torchinfo does."""
        keywords = {k.arg: k.value for k in call.keywords}
        if "input_data" in keywords:
            return self._tensors_given(call, None, scope, source)
        size = call.args[1] if len(call.args) > 1 else keywords.get("input_size") or keywords.get("input_res")
        if size is None:
            return None
        sizes = size.elts if isinstance(size, (ast.List, ast.Tuple)) and size.elts and all(
            isinstance(e, (ast.Tuple, ast.List)) for e in size.elts) else [size]
        shapes = [self._ints([s], scope, call.lineno) for s in sizes]
        if not shapes or None in shapes:
            return None
        with_batch = name == "summary" and self._torchinfo(call.func)
        if with_batch:
            if any(len(s) < 2 for s in shapes) or len({s[0] for s in shapes}) != 1:
                return None
            return Evidence([s[1:] for s in shapes], shapes[0][0], source, "tool")
        return Evidence(shapes, None, source, "tool")

    def _torchinfo(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return func.value.id == "torchinfo"
        return "torchinfo" in self.imports.values() and "torchsummary" not in self.imports.values()

    def _tensors_given(self, call: ast.Call, position: int | None, scope: _Scope, source: str) -> Evidence | None:
        keywords = {k.arg: k.value for k in call.keywords}
        given = call.args[position] if position is not None and len(call.args) > position else next(
            (keywords[k] for k in _TENSOR_KEYWORDS if k in keywords), None)
        if given is None:
            return None
        items = given.elts if isinstance(given, (ast.Tuple, ast.List)) else [given]
        tensors = [self._tensor(item, scope, call.lineno, 0) for item in items]
        return self._from_tensors(tensors, source, "tool")

    # ----- docstrings and comments --------------------------------------------------------------------------
    def _texts(self) -> list[Evidence]:
        found = []
        for line, text, kind in self._documentation():
            if not _ABOUT_INPUT.search(text):
                continue
            shape = _size_in(text)
            if shape is not None:
                shown = " ".join(text.split())
                shown = shown if len(shown) <= 70 else shown[:69] + "…"
                found.append(Evidence([shape], None, f"the {kind} “{shown}” (line {line})", "text"))
        return found

    def _documentation(self):
        """``(line, text, "docstring" | "comment")`` in file order: docstring lines and ``#`` comments."""
        found = []
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
                first = node.body[0]
                if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                        and isinstance(first.value.value, str)):
                    for offset, text in enumerate(first.value.value.splitlines()):
                        found.append((first.lineno + offset, text.strip(), "docstring"))
        for number, line in enumerate(self.text.splitlines(), start=1):
            at = line.find("#")
            if at >= 0 and not line.lstrip().startswith(("# nncalc:", "#!")):
                found.append((number, line[at:].strip(), "comment"))
        return sorted(found, key=lambda item: item[0])

    # ----- datasets and their transforms --------------------------------------------------------------------
    def _datasets(self) -> list[Evidence]:
        datasets, crops, resizes, grey, unread = [], [], [], None, False
        for call, scope, _ in self._reader.calls:
            name = _name(call.func)
            if name in DATASETS:
                datasets.append((name, call))
            elif name in _CROPS + _RESIZES:
                size = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "size"), None)
                hw = self._ints([size], scope, call.lineno) if size is not None else None
                if hw is not None and len(hw) in (1, 2):
                    (crops if name in _CROPS else resizes).append(((hw[0], hw[-1]), call))
                else:
                    unread = True
            elif name == "Grayscale":
                grey = 1
        found = []
        channels = grey or (DATASETS[datasets[0][0]][0] if datasets else None)
        on = f" on {datasets[0][0]} images (line {datasets[0][1].lineno})" if datasets else ""
        for (h, w), call in crops + resizes:
            found.append(Evidence([(channels, h, w)], None, f"{self._quote(call)} (line {call.lineno}){on}",
                                  "dataset"))
        for name, call in [] if unread else datasets:  # images resized to a size nncalc cannot read: not theirs
            c, h, w = DATASETS[name]
            found.append(Evidence([(grey or c, h, w)], None, f"{self._quote(call.func)} (line {call.lineno}): its "
                                  f"images are {c}×{h}×{w}", "dataset"))
        return found


def _attribute_int(node: ast.Attribute, values: dict) -> int | None:
    """The int ``opt.img_size`` (``args.image_size``, ``cfg.data.size``) holds in the module-level ``values``:
    a chain of attributes of a module-level name, read from the objects' own ``__dict__`` (nothing is called)."""
    chain = []
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in values:
        return None
    value = values[node.id]
    for attr in reversed(chain):
        fields = getattr(value, "__dict__", None)
        if type(fields) is not dict or attr not in fields:
            return None
        value = fields[attr]
    return value if type(value) is int else None


def _imported_modules(tree: ast.Module) -> dict[str, str]:
    """Local name → top-level module of every import (``F`` → ``torch``, ``summary`` → ``torchinfo``)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = node.module.split(".")[0]
    return found


def _reshaped(shape: tuple, target: tuple) -> tuple | None:
    """``view``/``reshape`` of ``shape`` to ``target`` (one ``-1`` allowed); None when it cannot be."""
    total = 1
    for d in shape:
        total *= d
    known = 1
    for d in target:
        if d != -1:
            known *= d
    if target.count(-1) > 1 or any(d < -1 for d in target) or known == 0:
        return None
    if -1 in target:
        if total % known:
            return None
        return tuple(total // known if d == -1 else d for d in target)
    return target if known == total else None


def _unsqueezed(shape: tuple, dim: int) -> tuple | None:
    if dim < 0:
        dim += len(shape) + 1
    if not 0 <= dim <= len(shape):
        return None
    return shape[:dim] + (1,) + shape[dim:]


def _size_in(text: str) -> tuple | None:
    """``3x224x224`` → (3, 224, 224); ``224x224x3`` (channels last) → (3, 224, 224); ``224x224`` →
    (None, 224, 224); ``(N, 3, 32, 32)`` → (3, 32, 32). Sizes like ``3x3`` (a kernel) are not an input."""
    match = _TUPLE.search(text)
    dims = tuple(int(d) for d in match.groups()) if match else None
    if dims is None:
        match = _DIMS.search(text)
        if match is None:
            return None
        dims = tuple(int(d) for d in match.groups() if d is not None)
    if len(dims) == 2:
        return None if max(dims) < 8 else (None, *dims)
    if dims[0] > 4 and dims[2] <= 4:
        dims = (dims[2], dims[0], dims[1])
    return dims if dims[0] <= 4 and min(dims[1:]) >= 8 else None


def unique(found: list[Evidence]) -> list[Evidence]:
    """The first piece of evidence for each set of input shapes."""
    seen, out = set(), []
    for evidence in found:
        key = tuple(evidence.shapes)
        if key not in seen:
            seen.add(key)
            out.append(evidence)
    return out
