"""Expression handlers: one function per AST node type, registered in :data:`core.EVAL`."""

from __future__ import annotations

import ast
from itertools import islice

from nncalc.errors import NncalcError, UnknownLayer, UnsupportedSyntax
from nncalc.interpreter import ops
from nncalc.interpreter.builtins import SUPER, materialize
from nncalc.interpreter.core import MISSING, Frame, evaluates, node_location, unsupported
from nncalc.interpreter.objects import COMPREHENSION_SCOPE, BoundMethod, InterpFunction, function_code
from nncalc.interpreter.safety import format_value, get_attr, set_attr, text_of
from nncalc.interpreter.unknown import Unknown, UnknownValueError

_BINARY = ops.BINARY
_COMPARE = ops.COMPARE
_UNARY = ops.UNARY
_BULK = frozenset({list, tuple, str, bytes})
_NESTED = frozenset({tuple, list, frozenset, set, dict})
_HASHED_NESTED = frozenset({tuple, frozenset})
"""Keys whose hash Python computes by visiting their items (see Budget.check_shared)."""


@evaluates(ast.Constant)
def _constant(interp, node, frame):
    return node.value


@evaluates(ast.Name)
def _name(interp, node, frame):
    value = frame.vars.get(node.id, MISSING)
    if value is MISSING:
        return interp.load_slow(node.id, frame, node)
    return value


@evaluates(ast.Attribute)
def _attribute(interp, node, frame):
    obj = interp.eval(node.value, frame)
    try:
        return get_attr(interp, obj, node.attr)
    except NncalcError as err:
        err.attach(node_location(interp, node))
        raise


@evaluates(ast.Subscript)
def _subscript(interp, node, frame):
    obj = interp.eval(node.value, frame)
    key = interp.eval(node.slice, frame)
    if key.__class__ in _HASHED_NESTED:
        interp.check_shared(key, "hashing the key")
    result = obj[key]
    if result.__class__ in _BULK:
        interp.charge(len(result))
    return result


@evaluates(ast.Slice)
def _slice(interp, node, frame):
    return slice(
        interp.eval(node.lower, frame) if node.lower else None,
        interp.eval(node.upper, frame) if node.upper else None,
        interp.eval(node.step, frame) if node.step else None,
    )


@evaluates(ast.BinOp)
def _binop(interp, node, frame):
    left = interp.eval(node.left, frame)
    return _BINARY[node.op.__class__](interp, left, interp.eval(node.right, frame))


@evaluates(ast.UnaryOp)
def _unaryop(interp, node, frame):
    return _UNARY[node.op.__class__](interp.eval(node.operand, frame))


@evaluates(ast.BoolOp)
def _boolop(interp, node, frame):
    is_and = node.op.__class__ is ast.And
    value = None
    for operand in node.values:
        value = interp.eval(operand, frame)
        if (not value) if is_and else value:
            return value
    return value


@evaluates(ast.Compare)
def _compare(interp, node, frame):
    left = interp.eval(node.left, frame)
    result = True
    last = len(node.ops) - 1
    for i, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
        right = interp.eval(comparator, frame)
        kind = op.__class__
        if kind in _EQUALITY and left is not right and (
            isinstance(left, Unknown) or isinstance(right, Unknown) and kind in _EQUAL_VALUES
        ):
            return _unknown_comparison(left, right, kind)
        if kind is ast.In:
            result = ops.contains(interp, left, right)
        elif kind is ast.NotIn:
            result = not ops.contains(interp, left, right)
        else:
            if left.__class__ in _BULK:
                interp.charge(len(left))
                if left.__class__ in _NESTED and right.__class__ in _NESTED:
                    interp.check_shared(left)
            result = _COMPARE[kind](left, right)
        if i < last and not result:
            return result
        left = right
    return result


_EQUALITY = frozenset({ast.Eq, ast.NotEq, ast.In, ast.NotIn})
_EQUAL_VALUES = frozenset({ast.Eq, ast.NotEq})
"""An unknown container of ``in`` keeps its own error (iterating it needs its value)."""
_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in"}


def _unknown_comparison(left, right, kind):
    """``opt.dataset == 'mnist'`` where the option has no value: not False (that would silently pick a branch)
    but unknown, so an ``if`` on it is skipped and what it binds is unknown."""
    unknown = left if isinstance(left, Unknown) else right
    return unknown._derive(f"({unknown._ref()} {_SYMBOLS[kind]} ...)")


@evaluates(ast.IfExp)
def _ifexp(interp, node, frame):
    return interp.eval(node.body if interp.eval(node.test, frame) else node.orelse, frame)


@evaluates(ast.NamedExpr)
def _namedexpr(interp, node, frame):
    value = interp.eval(node.value, frame)
    target = frame
    while target.scope is COMPREHENSION_SCOPE:
        target = target.parent
    interp.store(node.target.id, value, target)
    return value


# ----- displays --------------------------------------------------------------------------------------------
def _elements(interp, elts, frame) -> list:
    items = []
    for elt in elts:
        if elt.__class__ is ast.Starred:
            items.extend(materialize(interp.eval(elt.value, frame)))
            interp.check_size(len(items))
        else:
            items.append(interp.eval(elt, frame))
    return items


@evaluates(ast.List)
def _list(interp, node, frame):
    return _elements(interp, node.elts, frame)


@evaluates(ast.Tuple)
def _tuple(interp, node, frame):
    return tuple(_elements(interp, node.elts, frame))


@evaluates(ast.Set)
def _set(interp, node, frame):
    items = _elements(interp, node.elts, frame)
    interp.check_items(items)
    return set(items)


@evaluates(ast.Dict)
def _dict(interp, node, frame):
    result = {}
    for key, value in zip(node.keys, node.values):
        if key is None:
            mapping = interp.eval(value, frame)
            if not hasattr(type(mapping), "keys"):
                raise TypeError(f"'{type(mapping).__name__}' object is not a mapping")
            interp.check_size(len(result) + len(mapping))
            result.update(mapping)
        else:
            key = interp.eval(key, frame)
            if key.__class__ in _HASHED_NESTED:
                interp.check_shared(key, "hashing the key")
            result[key] = interp.eval(value, frame)
    return result


# ----- strings ---------------------------------------------------------------------------------------------
_CONVERSIONS = {115: str, 114: repr, 97: ascii}


@evaluates(ast.JoinedStr)
def _joinedstr(interp, node, frame):
    parts = [interp.eval(value, frame) for value in node.values]
    interp.check_text(sum(len(p) for p in parts))
    return "".join(parts)


@evaluates(ast.FormattedValue)
def _formattedvalue(interp, node, frame):
    value = interp.eval(node.value, frame)
    if node.conversion != -1:
        value = text_of(interp, value, _CONVERSIONS[node.conversion])
    spec = interp.eval(node.format_spec, frame) if node.format_spec is not None else ""
    return format_value(interp, value, spec)


# ----- calls -----------------------------------------------------------------------------------------------
@evaluates(ast.Call)
def _call(interp, node, frame):
    func = interp.eval(node.func, frame)
    if func is SUPER and not node.args and not node.keywords:
        return zero_argument_super(frame)
    if node._nnsimple:
        args = [interp.eval(arg, frame) for arg in node.args]
        kwargs = {kw.arg: interp.eval(kw.value, frame) for kw in node.keywords} if node.keywords else None
    else:
        args = _elements(interp, node.args, frame)
        kwargs = _keywords(interp, node.keywords, frame, func)
    try:
        return interp.call_at(node._nnloc, func, args, kwargs)
    except NncalcError as err:
        framework = err.in_framework or framework_method(func)
        if framework and not isinstance(err, (UnknownValueError, UnknownLayer)):
            unknown = first_unknown(args, kwargs)
            if unknown is not None:
                raise unknown_argument(node, unknown, err) from None
        elif (framework and isinstance(err, UnknownValueError) and err.unknown is not None
              and not getattr(err, "named_call", False) and err.location == node._nnloc):
            raise unknown_argument(node, err.unknown, err) from None  # keras.Input(shape=...) names its call
        raise


def framework_method(func) -> bool:
    """A method of a framework object (``seq.add_module``, ``model.add``)."""
    owner = getattr(func, "__self__", None)
    if owner is None or type(func).__module__ != "builtins" and not callable(func):
        return False
    return any((c.__module__ or "").startswith("nncalc.frameworks") for c in type(owner).__mro__)


def first_unknown(args, kwargs):
    """The first :class:`Unknown` among a call's arguments (one level into tuples and lists), or None."""
    values = [*args, *(kwargs.values() if kwargs else ())]
    for value in values:
        if isinstance(value, Unknown):
            return value
        if type(value) in (tuple, list):
            for item in value[:64]:
                if isinstance(item, Unknown):
                    return item
    return None


def unknown_argument(node, unknown, err) -> UnknownValueError:
    """A framework call that failed on an argument nncalc cannot know: say which call, which value, where it
    came from, and how to give it (``--set num_classes=…``)."""
    call = ast.unparse(node)
    if len(call) > 100:
        call = call[:97] + "…"
    error = UnknownValueError(
        f"`{call}` (line {node.lineno}) needs the value of {unknown._describe()}",
        node._nnloc,
        hint=unknown._fix_text(),
    )
    error.unknown = unknown
    error.what = f"`{call}`"
    error.in_framework = True
    error.named_call = True
    return error


def _keywords(interp, keywords, frame, func) -> dict:
    kwargs: dict = {}
    for kw in keywords:
        if kw.arg is not None:
            if kw.arg in kwargs:
                raise TypeError(f"{_called(interp, func)} got multiple values for keyword argument '{kw.arg}'")
            kwargs[kw.arg] = interp.eval(kw.value, frame)
            continue
        mapping = interp.eval(kw.value, frame)
        if not hasattr(type(mapping), "keys"):
            kind = type(mapping).__name__
            raise TypeError(f"{_called(interp, func)} argument after ** must be a mapping, not {kind}")
        interp.check_size(len(mapping))
        for key in mapping.keys():
            if type(key) is not str:
                raise TypeError("keywords must be strings")
            if key in kwargs:
                raise TypeError(f"{_called(interp, func)} got multiple values for keyword argument '{key}'")
            kwargs[key] = mapping[key]
    return kwargs


def _called(interp, func) -> str:
    """How CPython names a callable in call errors: ``model.Net.forward()``, ``dict()``."""
    if type(func) is BoundMethod:
        func = func._func
    if type(func) is InterpFunction:
        return f"{interp.module_name}.{func._qualname}()"
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or type(func).__name__
    module = getattr(func, "__module__", None)
    if type(module) is not str or module == "builtins":
        return f"{qualname}()"
    return f"{module}.{qualname}()"


def zero_argument_super(frame: Frame):
    """``super()``: the class that defines the running method, and the method's first argument."""
    while frame is not None and frame.scope is COMPREHENSION_SCOPE:
        frame = frame.parent
    fn = frame.func if frame is not None else None
    if fn is None:
        raise RuntimeError("super(): no arguments")
    cls = fn._class
    outer = frame.parent
    while cls is None and outer is not None:
        if outer.func is not None:
            cls = outer.func._class
        outer = outer.parent
    if cls is None:
        raise RuntimeError("super(): __class__ cell not found")
    code = fn._code
    if code.params:
        obj = frame.vars.get(code.params[0], MISSING)
    elif code.vararg and frame.vars.get(code.vararg):
        obj = frame.vars[code.vararg][0]
    else:
        raise RuntimeError("super(): no arguments")
    if obj is MISSING:
        raise RuntimeError("super(): arg[0] deleted")
    return super(cls, obj)


# ----- functions -------------------------------------------------------------------------------------------
def child_qualname(frame: Frame, name: str) -> str:
    if not frame.qual:
        return name
    if frame.scope.kind == "class":
        return f"{frame.qual}.{name}"
    return f"{frame.qual}.<locals>.{name}"


def make_function(interp, node, frame: Frame) -> InterpFunction:
    """The function a ``def`` or ``lambda`` evaluates to (defaults evaluated now, as Python does)."""
    code = function_code(node)
    args = node.args
    defaults = tuple(interp.eval(d, frame) for d in args.defaults)
    kwdefaults = {a.arg: interp.eval(d, frame) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    closure = frame.parent if frame.scope.kind == "class" else frame
    for name, redirect in code.redirects.items():
        if redirect == "nonlocal":
            interp.nonlocal_owner(name, closure)
    return InterpFunction(interp, code, defaults, kwdefaults, closure, frame.globals, child_qualname(frame, code.name))


@evaluates(ast.Lambda)
def _lambda(interp, node, frame):
    return make_function(interp, node, frame)


# ----- comprehensions --------------------------------------------------------------------------------------
def _comprehension(interp, node, frame, out, emit):
    inner = Frame({}, frame, frame.globals, COMPREHENSION_SCOPE, frame.func, frame.qual)
    _generate(interp, node, node.generators, 0, frame, inner, out, emit)
    return out


def _generate(interp, node, generators, index, outer, frame, out, emit):
    gen = generators[index]
    if gen.is_async:
        unsupported(interp, node)
    iterable = interp.eval(gen.iter, outer if index == 0 else frame)
    last = index == len(generators) - 1
    target = gen.target
    conditions = gen.ifs
    limit = interp.limits.max_collection
    for item in iterable:
        assign(interp, target, item, frame)
        if conditions and not all(interp.eval(cond, frame) for cond in conditions):
            continue
        if not last:
            _generate(interp, node, generators, index + 1, outer, frame, out, emit)
        else:
            emit(interp, node, frame, out)
            if len(out) > limit:
                interp.check_size(len(out))


def _emit_item(interp, node, frame, out):
    out.append(interp.eval(node.elt, frame))


def _emit_member(interp, node, frame, out):
    item = interp.eval(node.elt, frame)
    if item.__class__ in _HASHED_NESTED:
        interp.check_shared(item, "hashing it")
    out.add(item)


def _emit_entry(interp, node, frame, out):
    key = interp.eval(node.key, frame)
    if key.__class__ in _HASHED_NESTED:
        interp.check_shared(key, "hashing the key")
    out[key] = interp.eval(node.value, frame)


@evaluates(ast.ListComp)
def _listcomp(interp, node, frame):
    return _comprehension(interp, node, frame, [], _emit_item)


@evaluates(ast.GeneratorExp)
def _genexp(interp, node, frame):
    return iter(_comprehension(interp, node, frame, [], _emit_item))


@evaluates(ast.SetComp)
def _setcomp(interp, node, frame):
    return _comprehension(interp, node, frame, set(), _emit_member)


@evaluates(ast.DictComp)
def _dictcomp(interp, node, frame):
    return _comprehension(interp, node, frame, {}, _emit_entry)


# ----- generators ------------------------------------------------------------------------------------------
@evaluates(ast.Yield)
def _yield(interp, node, frame):
    frame.gen.append(interp.eval(node.value, frame) if node.value is not None else None)
    if len(frame.gen) > interp.limits.max_collection:
        interp.check_size(len(frame.gen), "a generator")
    return None


@evaluates(ast.YieldFrom)
def _yieldfrom(interp, node, frame):
    frame.gen.extend(materialize(interp.eval(node.value, frame)))
    interp.check_size(len(frame.gen), "a generator")
    return None


# ----- assignment targets ----------------------------------------------------------------------------------
def assign(interp, target, value, frame) -> None:
    """Bind ``value`` to an assignment target (a name, attribute, subscript, or a tuple/list of targets)."""
    kind = target.__class__
    if kind is ast.Name:
        interp.store(target.id, value, frame)
    elif kind is ast.Attribute:
        obj = interp.eval(target.value, frame)
        try:
            set_attr(interp, obj, target.attr, value)
        except NncalcError as err:
            err.attach(node_location(interp, target))
            raise
    elif kind is ast.Subscript:
        obj = interp.eval(target.value, frame)
        index = interp.eval(target.slice, frame)
        if type(index) is slice and type(obj) in (list, bytearray) and not isinstance(value, (list, tuple, str)):
            value = materialize(value)  # a list's slice takes any iterable (a tensor's takes a number too)
        elif index.__class__ in _HASHED_NESTED:
            interp.check_shared(index, "hashing the key")
        obj[index] = value
        if type(obj) is list and type(index) is slice:
            interp.check_size(len(obj))
    elif kind is ast.Tuple or kind is ast.List:
        _unpack(interp, target.elts, value, frame)
    else:
        raise UnsupportedSyntax(f"cannot assign to `{kind.__name__}`", node_location(interp, target))


def _unpack(interp, targets, value, frame) -> None:
    star = next((i for i, t in enumerate(targets) if t.__class__ is ast.Starred), -1)
    n = len(targets)
    if star < 0:
        items = value if type(value) in (list, tuple) else list(islice(_iterate(value), n + 1))
        if len(items) != n:
            if len(items) > n:
                raise ValueError(f"too many values to unpack (expected {n})")
            raise ValueError(f"not enough values to unpack (expected {n}, got {len(items)})")
        for target, item in zip(targets, items):
            assign(interp, target, item, frame)
        return
    items = value if type(value) in (list, tuple) else materialize(value)
    after = n - star - 1
    if len(items) < n - 1:
        raise ValueError(f"not enough values to unpack (expected at least {n - 1}, got {len(items)})")
    for target, item in zip(targets[:star], items):
        assign(interp, target, item, frame)
    assign(interp, targets[star].value, list(items[star : len(items) - after]), frame)
    for target, item in zip(targets[star + 1 :], items[len(items) - after :]):
        assign(interp, target, item, frame)


def _iterate(value):
    try:
        return iter(value)
    except TypeError:
        raise TypeError(f"cannot unpack non-iterable {type(value).__name__} object") from None
