"""Statement handlers: one function per AST node type, registered in :data:`core.EXEC`.

A handler returns None, or one of the signals ``BREAK``, ``CONTINUE``, ``RETURN`` (the value is in
``frame.ret``); loops and ``try`` pass signals on as Python would. User exceptions are real Python
exceptions; nncalc's own errors are never seen by user ``except`` clauses (see :func:`core.catchable`).
"""

from __future__ import annotations

import ast

from nncalc.errors import NncalcError, UnsupportedSyntax
from nncalc.interpreter import ops
from nncalc.interpreter.builtins import materialize
from nncalc.interpreter.classes import check_base, check_namespace, make_class, unknown_base
from nncalc.interpreter.containers import NAMED_TUPLE, namedtuple_class
from nncalc.interpreter.enum_module import enum_bases_allowed
from nncalc.interpreter.core import (
    BREAK,
    CONTINUE,
    LOCATION_ATTR,
    MISSING,
    RETURN,
    Frame,
    catchable,
    executes,
    node_location,
)
from nncalc.interpreter.expressions import assign, child_qualname, make_function
from nncalc.interpreter.imports import absolute, import_from, import_module, import_star
from nncalc.interpreter.objects import InterpFunction, class_scope
from nncalc.interpreter.safety import del_attr, get_attr, set_attr
from nncalc.interpreter.stdlib import is_typing_form
from nncalc.interpreter.unknown import Unknown


@executes(ast.Expr)
def _expr(interp, node, frame):
    interp.eval(node.value, frame)


@executes(ast.Pass, ast.Global, ast.Nonlocal)
def _pass(interp, node, frame):
    return None


@executes(ast.Break)
def _break(interp, node, frame):
    return BREAK


@executes(ast.Continue)
def _continue(interp, node, frame):
    return CONTINUE


@executes(ast.Return)
def _return(interp, node, frame):
    frame.ret = interp.eval(node.value, frame) if node.value is not None else None
    return RETURN


# ----- assignment ------------------------------------------------------------------------------------------
@executes(ast.Assign)
def _assign(interp, node, frame):
    value = interp.eval(node.value, frame)
    for target in node.targets:
        assign(interp, target, value, frame)


@executes(ast.AnnAssign)
def _annassign(interp, node, frame):
    if node.simple and frame.scope.kind == "class":
        frame.vars.setdefault("__annotations__", {})[node.target.id] = ast.unparse(node.annotation)
    if node.value is not None:
        assign(interp, node.target, interp.eval(node.value, frame), frame)


@executes(ast.AugAssign)
def _augassign(interp, node, frame):
    target = node.target
    op = node.op.__class__
    kind = target.__class__
    if kind is ast.Name:
        name = target.id
        current = frame.vars.get(name, MISSING)
        if current is MISSING:
            current = interp.load_slow(name, frame, target)
        value = interp.eval(node.value, frame)
        if op is ast.Add and current.__class__ is int and value.__class__ is int:
            result = current + value
            if not -interp.int_bound < result < interp.int_bound:
                interp.check_int(result)
        else:
            result = ops.inplace(interp, op, current, value)
        interp.store(name, result, frame)
    elif kind is ast.Attribute:
        obj = interp.eval(target.value, frame)
        current = get_attr(interp, obj, target.attr)
        set_attr(interp, obj, target.attr, ops.inplace(interp, op, current, interp.eval(node.value, frame)))
    elif kind is ast.Subscript:
        obj = interp.eval(target.value, frame)
        index = interp.eval(target.slice, frame)
        current = obj[index]
        obj[index] = ops.inplace(interp, op, current, interp.eval(node.value, frame))
    else:
        raise UnsupportedSyntax(f"cannot assign to `{kind.__name__}`", node_location(interp, target))


@executes(ast.Delete)
def _delete(interp, node, frame):
    for target in node.targets:
        _delete_target(interp, target, frame)


def _delete_target(interp, target, frame):
    kind = target.__class__
    if kind is ast.Name:
        interp.delete(target.id, frame)
    elif kind is ast.Attribute:
        del_attr(interp, interp.eval(target.value, frame), target.attr)
    elif kind is ast.Subscript:
        obj = interp.eval(target.value, frame)
        del obj[interp.eval(target.slice, frame)]
    elif kind in (ast.Tuple, ast.List):
        for element in target.elts:
            _delete_target(interp, element, frame)
    else:
        raise UnsupportedSyntax(f"cannot delete `{kind.__name__}`", node_location(interp, target))


# ----- control flow ----------------------------------------------------------------------------------------
@executes(ast.If)
def _if(interp, node, frame):
    if interp.eval(node.test, frame):
        return interp.exec_block(node.body, frame)
    if node.orelse:
        return interp.exec_block(node.orelse, frame)
    return None


@executes(ast.While)
def _while(interp, node, frame):
    test = node.test
    body = node.body
    while interp.eval(test, frame):
        signal = interp.exec_block(body, frame)
        if signal is not None:
            if signal is BREAK:
                break
            if signal is not CONTINUE:
                return signal
    else:
        if node.orelse:
            return interp.exec_block(node.orelse, frame)
    return None


@executes(ast.For)
def _for(interp, node, frame):
    iterable = interp.eval(node.iter, frame)
    target = node.target
    body = node.body
    fast = target.__class__ is ast.Name and not frame.scope.redirects
    name = target.id if fast else None
    variables = frame.vars
    for item in iterable:
        if fast:
            variables[name] = item
        else:
            assign(interp, target, item, frame)
        signal = interp.exec_block(body, frame)
        if signal is not None:
            if signal is BREAK:
                break
            if signal is not CONTINUE:
                return signal
    else:
        if node.orelse:
            return interp.exec_block(node.orelse, frame)
    return None


# ----- exceptions ------------------------------------------------------------------------------------------
@executes(ast.Try)
def _try(interp, node, frame):
    try:
        signal = _try_handlers(interp, node, frame)
    except BaseException as exc:
        if node.finalbody and catchable(exc):
            final = interp.exec_block(node.finalbody, frame)
            if final is not None:
                return final  # ``return``/``break`` in ``finally`` discards the exception, as in Python
        raise
    if node.finalbody:
        final = interp.exec_block(node.finalbody, frame)
        if final is not None:
            return final
    return signal


def _try_handlers(interp, node, frame):
    try:
        signal = interp.exec_block(node.body, frame)
    except BaseException as exc:
        if isinstance(exc, (RecursionError, MemoryError)):
            interp.reraise(exc)
        if not node.handlers or not catchable(exc):
            raise
        for handler in node.handlers:
            if handler.type is None or isinstance(exc, _exception_classes(interp, handler, frame)):
                return _run_handler(interp, handler, exc, frame)
        raise
    if node.orelse:
        return interp.exec_block(node.orelse, frame)
    return signal


def _exception_classes(interp, handler, frame):
    classes = interp.eval(handler.type, frame)
    for cls in classes if isinstance(classes, tuple) else (classes,):
        if isinstance(cls, Unknown):
            cls._concrete("an `except` clause")
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise TypeError("catching classes that do not inherit from BaseException is not allowed")
    return classes


def _run_handler(interp, handler, exc, frame):
    if handler.name:
        interp.store(handler.name, exc, frame)
    interp.handling.append(exc)
    try:
        return interp.exec_block(handler.body, frame)
    finally:
        interp.handling.pop()
        if handler.name:
            frame.vars.pop(handler.name, None)


@executes(ast.Raise)
def _raise(interp, node, frame):
    if node.exc is None:
        if not interp.handling:
            raise RuntimeError("No active exception to reraise")
        raise interp.handling[-1]
    exc = _exception(interp, interp.eval(node.exc, frame))
    if node.cause is not None:
        cause = interp.eval(node.cause, frame)
        exc.__cause__ = None if cause is None else _exception(interp, cause)
    if isinstance(exc, NncalcError):
        exc.attach(node._nnloc)
    else:
        setattr(exc, LOCATION_ATTR, node._nnloc)
    raise exc


def _exception(interp, value):
    if isinstance(value, type) and issubclass(value, BaseException):
        value = interp.call(value, (), None)
    if not isinstance(value, BaseException):
        raise TypeError("exceptions must derive from BaseException")
    if not isinstance(value, Exception):
        raise UnsupportedSyntax(f"raising {type(value).__name__} is not supported by nncalc's safe interpreter")
    return value


@executes(ast.Assert)
def _assert(interp, node, frame):
    if not interp.eval(node.test, frame):
        if node.msg is not None:
            raise AssertionError(interp.eval(node.msg, frame))
        raise AssertionError


@executes(ast.With)
def _with(interp, node, frame):
    return with_items(interp, node, 0, frame)


def with_items(interp, node, index, frame, run_body=None):
    """Enter ``node``'s context managers from ``index`` on, then run the body (``run_body()`` if given)."""
    if index == len(node.items):
        return interp.exec_block(node.body, frame) if run_body is None else run_body()
    item = node.items[index]
    manager = interp.eval(item.context_expr, frame)
    kind = type(manager)
    enter = getattr(kind, "__enter__", None)
    leave = getattr(kind, "__exit__", None)
    if enter is None or leave is None:
        raise TypeError(f"'{kind.__name__}' object does not support the context manager protocol")
    value = enter(manager)
    try:
        if item.optional_vars is not None:
            assign(interp, item.optional_vars, value, frame)
        signal = with_items(interp, node, index + 1, frame, run_body)
    except BaseException as exc:
        if catchable(exc):
            if not leave(manager, type(exc), exc, None):
                raise
            return None
        if not isinstance(leave, InterpFunction):
            _host_cleanup(leave, manager, exc)
        raise
    leave(manager, None, None, None)
    return signal


def _host_cleanup(leave, manager, exc) -> None:
    """Let a host context manager clean up as nncalc's own error passes; that error is never suppressed."""
    try:
        leave(manager, type(exc), exc, None)
    except Exception:  # noqa: BLE001 - the error already on its way out is the one to report
        pass


# ----- definitions -----------------------------------------------------------------------------------------
def _decorate(interp, decorators, nodes, value):
    """Apply decorators bottom-up. One nncalc does not know (an :class:`Unknown`, one whose result is an
    Unknown, a host context manager that cannot decorate) is treated as the identity, with a warning: a
    registry's ``@register_model`` or ``@torch.no_grad()`` changes nothing about the model."""
    for decorator, dnode in zip(reversed(decorators), reversed(nodes)):
        where = node_location(interp, dnode)
        if isinstance(decorator, Unknown):
            interp.warn(f"decorator {_unknown_text(decorator)} is unknown to nncalc; treated as identity", where)
            continue
        if not callable(decorator) and hasattr(type(decorator), "__enter__"):
            text = f"decorator `{ast.unparse(dnode)}` is a context manager nncalc cannot call; treated as identity"
            interp.warn(text, where)
            continue
        decorated = interp.call_at(where, decorator, (value,), None)
        if isinstance(decorated, Unknown):
            interp.warn(
                f"decorator `{ast.unparse(dnode)}` returns {_unknown_text(decorated)}, which nncalc does not know; "
                "treated as identity",
                where,
            )
            continue
        value = decorated
    return value


def _unknown_text(value: Unknown) -> str:
    if value._source and value._origin is not None:
        return f"`{value._name}` (from `{value._source}`, line {value._origin.line})"
    return f"`{value._name}`"


@executes(ast.FunctionDef)
def _functiondef(interp, node, frame):
    decorators = [interp.eval(d, frame) for d in node.decorator_list]
    fn = make_function(interp, node, frame)
    interp.store(node.name, _decorate(interp, decorators, node.decorator_list, fn), frame)


@executes(ast.ClassDef)
def _classdef(interp, node, frame):
    decorators = [interp.eval(d, frame) for d in node.decorator_list]
    bases = []
    for base in node.bases:
        if base.__class__ is ast.Starred:
            bases.extend(materialize(interp.eval(base.value, frame)))
        else:
            bases.append(interp.eval(base, frame))
    for keyword in node.keywords:
        value = interp.eval(keyword.value, frame) if keyword.arg == "metaclass" else None
        if isinstance(value, Unknown) or is_typing_form(value):  # ``metaclass=ABCMeta``: nothing to do here
            interp.warn(f"`metaclass=` of class `{node.name}` ignored", node_location(interp, keyword))
            continue
        what = "`metaclass=`" if keyword.arg == "metaclass" else "class keyword arguments"
        raise UnsupportedSyntax(f"{what} is not supported by nncalc's safe interpreter", node_location(interp, keyword))
    loc = node._nnloc
    named_tuple = any(b is NAMED_TUPLE for b in bases)
    bases = [unknown_base(b) if isinstance(b, Unknown) else b for b in bases if not is_typing_form(b)]
    mixins = (str, int, float) if enum_bases_allowed(bases) else ()
    for base in bases:
        if base not in mixins:
            check_base(base, node.name, loc)
    if named_tuple and bases:
        raise UnsupportedSyntax(f"class `{node.name}` derives from NamedTuple and other classes", loc)
    qualname = child_qualname(frame, node.name)
    namespace: dict = {"__doc__": ast.get_docstring(node, clean=False)}
    interp.exec_block(node.body, Frame(namespace, frame, frame.globals, class_scope(node), None, qualname))
    check_namespace(namespace, node.name, loc, interp.warn)
    if named_tuple:
        cls = namedtuple_class(node.name, qualname, frame.globals.get("__name__") or interp.module_name, namespace)
    else:
        module = frame.globals.get("__name__") or interp.module_name
        cls = make_class(node.name, qualname, module, tuple(bases), namespace)
    interp.store(node.name, _decorate(interp, decorators, node.decorator_list, cls), frame)


# ----- imports ---------------------------------------------------------------------------------------------
@executes(ast.Import)
def _import(interp, node, frame):
    for alias in node.names:
        if alias.asname:
            interp.store(alias.asname, import_module(interp, alias.name, node, bound=alias.asname), frame)
        else:
            top = alias.name.split(".")[0]
            interp.store(top, import_module(interp, top, node, wanted=alias.name), frame)


@executes(ast.ImportFrom)
def _importfrom(interp, node, frame):
    module = absolute(interp, "." * node.level + (node.module or ""), frame)
    owner = None
    if interp.loader is not None and frame.globals is not interp.namespace:
        owner = interp.loader.modules.get(frame.globals.get("__name__"))
    for alias in node.names:
        if owner is not None:  # a library package's own submodules are read when first used
            deferred = interp.loader.defer(owner, module, alias.name, alias.asname)
            if deferred is not None:
                if deferred is not True:
                    interp.store(alias.asname or alias.name, deferred, frame)
                continue
        if alias.name == "*":
            for name, value in import_star(interp, module, node):
                interp.store(name, value, frame)
        else:
            bound = alias.asname or alias.name
            interp.store(bound, import_from(interp, module, alias.name, node, bound), frame)
