"""``argparse`` and ``sys`` as a script sees them when it is imported rather than run from a shell.

``parser.parse_args()`` returns the declared defaults (``type=`` applied to string defaults, ``store_true`` →
False, ``store_false`` → True, ``count`` → None); an option the script marks ``required`` has no default and is
an :class:`Unknown` that names the option and the ``--set args.NAME=…`` fix. ``sys.argv`` is ``[file]``;
``sys.exit()`` ends the statement that calls it (script mode skips it); ``sys.path`` edits change nothing.
"""

from __future__ import annotations

from nncalc.errors import InterpreterError
from nncalc.interpreter.unknown import Unknown


class ArgumentTypeError(Exception):
    """``argparse.ArgumentTypeError``."""


class ArgumentError(Exception):
    """``argparse.ArgumentError``."""


class Namespace:
    """``argparse.Namespace``: the parsed options as attributes."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __nncalc_bound__(self, name: str) -> None:
        """Held in the module-level variable ``name`` (``opt = parser.parse_args()``): the unknown options
        say ``opt.upscale_factor`` and ``--set opt.upscale_factor=…``."""
        for key, value in list(self.__dict__.items()):
            if isinstance(value, Unknown) and value._name == f"args.{key}":
                renamed = value._derive(f"{name}.{key}")
                object.__setattr__(renamed, "_fix", f"give it with --set {name}.{key}=…")
                self.__dict__[key] = renamed

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"Namespace({inner})"

    def __contains__(self, key) -> bool:
        return key in self.__dict__

    def __eq__(self, other) -> bool:
        return isinstance(other, Namespace) and vars(self) == vars(other)

    __hash__ = None


class _Formatter:
    """The help formatters (``ArgumentDefaultsHelpFormatter`` …): only their names matter."""

    def __init__(self, *args, **kwargs):
        pass


_NO_VALUE_ACTIONS = ("help", "version")


class ArgumentParser:
    """``argparse.ArgumentParser`` that never reads a command line: parsing gives the declared defaults."""

    def __init__(self, *args, parents=(), **kwargs):
        self._defaults: dict[str, object] = {}
        self._options: dict[str, str] = {}
        for parent in parents or ():  # ArgumentParser(parents=[common_parser()]): the parents' options first
            if isinstance(parent, ArgumentParser):
                self._options.update(parent._options)
                for dest, value in parent._defaults.items():
                    self._defaults.setdefault(dest, value)

    def add_argument(self, *names, **kwargs):
        action = kwargs.get("action", "store")
        if action in _NO_VALUE_ACTIONS or not names:
            return None
        dest = kwargs.get("dest") or _dest(names)
        if dest is None:
            return None
        self._options[dest] = names[0]
        positional = not str(names[0]).startswith("-")
        nargs = kwargs.get("nargs")
        if "default" in kwargs:
            value = kwargs["default"]
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        elif positional and nargs == "*":
            value = []
        else:
            value = None
        required = kwargs.get("required", positional and nargs not in ("?", "*"))
        if required and "default" not in kwargs:
            from nncalc.location import current_location

            kind = "argument" if positional else "option"
            value = Unknown(
                f"args.{dest}", current_location(), source=f"add_argument({names[0]!r}, …)",
                reason=f"a required command-line {kind} the script only gets when it runs",
                fix=f"give it with --set args.{dest}=…",
            )
        elif isinstance(value, str) and callable(kwargs.get("type")) and action == "store":
            value = kwargs["type"](value)
        self._defaults.setdefault(dest, value)
        return None

    def add_argument_group(self, *args, **kwargs) -> "ArgumentParser":
        return _Group(self)

    def add_mutually_exclusive_group(self, *args, **kwargs) -> "ArgumentParser":
        return _Group(self)

    def add_subparsers(self, *args, dest=None, **kwargs):
        if dest:
            self._defaults.setdefault(dest, None)
        return _Subparsers()

    def set_defaults(self, **kwargs) -> None:
        self._defaults.update(kwargs)

    def get_default(self, dest):
        return self._defaults.get(dest)

    def parse_args(self, args=None, namespace=None):
        target = namespace if namespace is not None else Namespace()
        for key, value in self._defaults.items():
            if not hasattr(target, key):
                setattr(target, key, value)
        return target

    def parse_known_args(self, args=None, namespace=None):
        return self.parse_args(args, namespace), []

    parse_intermixed_args = parse_args

    def print_help(self, *args, **kwargs) -> None:
        pass

    print_usage = print_help

    def format_help(self) -> str:
        return ""

    format_usage = format_help

    def error(self, message) -> None:
        raise InterpreterError(f"the script's argument parser stops: {message}")

    def exit(self, status=0, message=None) -> None:
        raise InterpreterError("the script's argument parser exits")


class _Group(ArgumentParser):
    def __init__(self, parser: ArgumentParser):
        self._parser = parser

    def add_argument(self, *names, **kwargs):
        return self._parser.add_argument(*names, **kwargs)

    def set_defaults(self, **kwargs) -> None:
        self._parser.set_defaults(**kwargs)


class _Subparsers:
    def add_parser(self, *args, **kwargs) -> ArgumentParser:
        return ArgumentParser()


def _dest(names) -> str | None:
    longs = [n for n in names if isinstance(n, str) and n.startswith("--")]
    name = longs[0] if longs else names[0]
    if not isinstance(name, str):
        return None
    return name.lstrip("-").replace("-", "_") or None


def argparse_namespace() -> dict:
    names = {
        "ArgumentParser": ArgumentParser, "Namespace": Namespace, "ArgumentTypeError": ArgumentTypeError,
        "ArgumentError": ArgumentError, "SUPPRESS": "==SUPPRESS==", "REMAINDER": "...", "OPTIONAL": "?",
        "ZERO_OR_MORE": "*", "ONE_OR_MORE": "+", "FileType": lambda *a, **k: Unknown("argparse.FileType(...)"),
        "BooleanOptionalAction": "store_true",
    }  # fmt: skip
    for formatter in (
        "HelpFormatter", "ArgumentDefaultsHelpFormatter", "RawTextHelpFormatter", "RawDescriptionHelpFormatter",
        "MetavarTypeHelpFormatter",
    ):  # fmt: skip
        names[formatter] = type(formatter, (_Formatter,), {"__module__": __name__})
    return names


class ModulesView:
    """``sys.modules`` as user code sees it: the modules nncalc read for this run (the project's and library
    sources) and the ones it provides, by name; writes change nothing. Libraries look themselves up here
    (timm's ``register_model``)."""

    __nncalc_mutable__ = False

    def _find(self, name):
        from nncalc.interpreter import limits

        interp = limits._active
        if interp is None or not isinstance(name, str):
            return None
        loader = getattr(interp, "loader", None)
        if loader is not None and name in loader.modules:
            return loader.modules[name]
        return interp.modules.get(name)

    def __getitem__(self, name):
        module = self._find(name)
        if module is None:
            raise KeyError(name)
        return module

    def get(self, name, default=None):
        module = self._find(name)
        return default if module is None else module

    def __contains__(self, name) -> bool:
        return self._find(name) is not None

    def __setitem__(self, name, value) -> None:
        pass

    def __delitem__(self, name) -> None:
        pass

    def pop(self, name, default=None):
        return default

    def __repr__(self) -> str:
        return "<sys.modules (nncalc)>"


def _exit(*args):
    raise InterpreterError("the script calls sys.exit()")


def sys_namespace(filename: str) -> dict:
    """``sys`` for a script imported as ``filename``: what scripts read, nothing that reaches Python itself."""
    return {
        "argv": [filename],
        "path": [],
        "exit": _exit,
        "platform": "linux",
        "version_info": (3, 11, 0, "final", 0),
        "version": "3.11.0",
        "maxsize": 2**63 - 1,
        "byteorder": "little",
        "stdout": Unknown("sys.stdout", reason="the terminal, which nncalc does not write to"),
        "stderr": Unknown("sys.stderr", reason="the terminal, which nncalc does not write to"),
        "stdin": Unknown("sys.stdin", reason="the terminal, which nncalc does not read"),
        "modules": ModulesView(),
        "getrecursionlimit": lambda: 1000,
        "setrecursionlimit": lambda n: None,
    }


def types_namespace() -> dict:
    """``types`` for ``isinstance`` checks: interpreted functions are ``FunctionType``, bound methods
    ``MethodType``; ``SimpleNamespace`` is an attribute bag."""
    from nncalc.interpreter.objects import FunctionKind, MethodKind

    return {"FunctionType": FunctionKind, "LambdaType": FunctionKind, "MethodType": MethodKind,
            "SimpleNamespace": Namespace}
