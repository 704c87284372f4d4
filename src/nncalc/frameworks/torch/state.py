"""A forward that takes a state besides its inputs: ``forward(self, input, hidden)`` of an RNN language model.

The script makes the state with a method of the model (``hidden = model.init_hidden(args.batch_size)``) and
passes it on every call. nncalc does the same: when ``forward`` needs more arguments than the inputs given and
the model has such a method, the method makes them, for the batch size the input has. Which axis of the input
is the batch depends on the recurrent layer (``batch_first``), so :func:`forward_states` offers the method's
result for each size of the input, nncalc's batch first; the trace keeps the first the model accepts. Without
such a method the model is refused, naming what forward needs and how to give it.
"""

from __future__ import annotations

from nncalc.errors import InputError, Location

STATE_METHODS = ("init_hidden", "initHidden", "init_hidden_state", "init_state", "init_states", "begin_state",
                 "zero_state", "get_initial_state")
"""The names scripts give the method that makes a recurrent model's first state."""


class StateNeeded(InputError):
    """forward needs more arguments than the inputs given, and the model makes none of them itself."""


def forward_states(model, inputs: list) -> list[tuple[tuple, str | None]]:
    """``[(extra arguments, note)]`` to try in turn after ``inputs``: ``[((), None)]`` when forward needs no more."""
    missing = _missing_parameters(model, len(inputs))
    if not missing:
        return [((), None)]
    name = type(model).__name__
    method_name = next((m for m in STATE_METHODS if callable(getattr(model, m, None))), None)
    method = getattr(model, method_name, None) if method_name else None
    takes = _required(method)
    if len(missing) != 1 or takes is None or takes > 1:
        raise _needs_state(model, missing, len(inputs))
    sizes = [None] if takes == 0 else _batch_sizes(inputs)
    states = []
    for size in sizes:
        state = method() if size is None else method(size)
        call = f"model.{method_name}({'' if size is None else size})"
        states.append(((state,), f"`{missing[0]}` of {name}.forward is `{call}`{_line(method)}, the model's own method "
                                 "for its first state" + ("" if size is None else ", at the size of the input the "
                                                          "model takes as its batch")))
    return states


def _missing_parameters(model, given: int) -> list[str]:
    """The parameters of ``forward`` (an interpreted one) that have no default and no input to take."""
    forward = _function(getattr(type(model), "forward", None))
    if forward is None:
        return []
    code = forward._code
    if code.vararg:
        return []
    params = list(code.params[1:])
    required = len(params) - len(forward._defaults or ())
    return params[given:required]


def _required(method) -> int | None:
    """How many arguments without a default a bound interpreted method takes (self not counted); None when
    it is not one."""
    function = _function(method)
    if function is None or function._code.vararg:
        return None
    return len(function._code.params) - 1 - len(function._defaults or ())


def _function(value):
    """The interpreted function of a function or bound method of the file; None for anything else."""
    from nncalc.interpreter.objects import BoundMethod, InterpFunction

    if isinstance(value, BoundMethod):
        value = value._func
    return value if isinstance(value, InterpFunction) else None


def _batch_sizes(inputs: list) -> list[int]:
    """The sizes of the first input, its first axis (nncalc's batch) first, each once."""
    shape = getattr(inputs[0], "_shape", ()) if inputs else ()
    return list(dict.fromkeys(s for s in shape if isinstance(s, int))) or [1]


def _line(method) -> str:
    function = _function(method)
    return f" (line {function._code.lineno})" if function is not None else ""


def _needs_state(model, missing: list[str], given: int) -> StateNeeded:
    forward = _function(getattr(type(model), "forward", None))
    params = ", ".join(forward._code.params[1:]) if forward is not None else ", ".join(missing)
    names = " and ".join(f"`{m}`" for m in missing)
    error = StateNeeded(
        f"{type(model).__name__}.forward({params}) needs {names} besides the {given} input(s) given, and the model "
        f"has no method that makes it ({', '.join(STATE_METHODS[:3])}, …)",
        hint=f"give each tensor argument its own --input-shape (one more for {names}), or give "
             f"{missing[0]} a default ({missing[0]}=None) or the model an init_hidden(batch_size) method returning it")
    place = getattr(forward._code.body[0], "_nnloc", None) if forward is not None else None
    if place is not None:
        error.location = Location(place.file, forward._code.lineno, 4)
    return error
