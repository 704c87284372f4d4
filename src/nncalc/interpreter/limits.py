"""The interpreter's budgets: the named limits, the :class:`Limits` a caller may set, and :class:`Budget`, the one
place where every limit is checked.

The limits are enforced, not advisory: every evaluated AST node is a step, the clock is read every
:data:`CLOCK_EVERY` steps, interpreted calls count towards a depth, and operations that would build something
large in C (``'a' * n``, ``[0] * n``, ``2 ** n``, ``range(n)`` materialised, ``str.ljust(n)``, …) are checked
*before* they allocate. Everything built in bulk is charged to the step budget (one step per
:data:`ITEMS_PER_STEP` items), so the memory a file can claim in total is bounded as well.
"""

from __future__ import annotations

import math
import operator
import os
import re
import sys
import time

from nncalc.errors import LimitExceeded, number_text
from nncalc.records import dataclass

MAX_STEPS = 5_000_000
"""Evaluated AST nodes (plus bulk-built items / ITEMS_PER_STEP) per analysis."""
MAX_DEPTH = 200
"""Nested interpreted calls (functions, methods, lambdas)."""
MAX_SECONDS = 30.0
"""Wall time spent inside the interpreter (host code called from it included)."""
MAX_COLLECTION = 10_000_000
"""Items of one list, tuple, dict, set or materialised range."""
MAX_INT_BITS = 10_000
"""Bits of one integer (about 3,000 decimal digits)."""
MAX_STRING = 10_000_000
"""Characters of one string."""
MAX_MEMORY = 512 * 1024 * 1024
"""Bytes the process may grow by during one run (resident memory, read from ``/proc/self/statm`` where the
system has it; elsewhere only the item-count limits bound memory)."""
BYTES_PER_ITEM = 48
"""Estimated bytes of one item of a collection about to be built (a pointer plus a fresh int): what
:meth:`Budget.check_size` adds to the resident memory before a bulk allocation."""
HOST_LAYER_STEPS = 200
"""Steps one layer nncalc's own code builds for the file costs (its weights, names and records take about as
long as evaluating 200 nodes)."""
HOST_OBJECT_BYTES = 1024
"""Estimated bytes of one object nncalc's own code makes for the file (a symbolic tensor, a layer's weight)."""
MEMORY_CHECK_ITEMS = 1 << 16
"""Collections smaller than this are not checked against the memory limit before they are built (the clock
check every :data:`CLOCK_EVERY` steps sees them)."""

COLLISION_FREE_KEYS = 4096
"""Keys a set or dict may have without a check of their hashes: even all sharing one, 4,096 keys cost about
8 million comparisons."""
MAX_NESTING = 3_000
"""Levels of containers in containers that hashing or comparing may go through (C recursion, unchecked for
hashes: a million nested tuples crash Python)."""
_INJECTIVE = 1 << 60
MAX_SHARED_HASH = 64
"""Different keys of one hash value a set or dict may get in one C call."""

CLOCK_EVERY = 1_000
"""Steps between two reads of the clock."""
ITEMS_PER_STEP = 8
"""Items (or characters) built in bulk that cost one step."""
STEPS_PER_ITEM = 4
"""Steps one item costs when a builtin produces or consumes it lazily (``map``, ``itertools.count`` …): about
what evaluating a few nodes costs."""
PYTHON_FRAMES_PER_CALL = 30
"""Headroom of Python's own recursion limit per interpreted call (the evaluator recurses on the AST)."""
BASE_RECURSION_LIMIT = 2_000
MAX_RECURSION_LIMIT = 20_000
"""Python's recursion limit is never raised past this (deeper C recursion could overflow the C stack); a
deeper run ends in LimitExceeded."""

_FORMAT_NUMBER = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


@dataclass(frozen=True)
class Limits:
    """The budgets of one run; the defaults fit real model files (a 10,000-layer loop passes)."""

    max_steps: int = MAX_STEPS
    max_depth: int = MAX_DEPTH
    max_seconds: float = MAX_SECONDS
    max_collection: int = MAX_COLLECTION
    max_int_bits: int = MAX_INT_BITS
    max_string: int = MAX_STRING
    max_memory: int = MAX_MEMORY


_active: Budget | None = None
_fallback: Budget | None = None
_default: Limits | None = None
progress_hook = None
"""A callable taking the running :class:`Budget`, called when a run starts and at every clock check: a
contained child (:mod:`nncalc.contain`) writes where the interpreter is for its parent to report."""
memory_limit_text: str | None = None
"""The process's OS memory limit as text (``1 GiB``) when one is set: Python's ``MemoryError`` names it."""


def default_limits() -> Limits:
    """The limits of a run that is given none: :class:`Limits` () unless :func:`set_default_limits` changed them."""
    return _default if _default is not None else Limits()


def set_default_limits(limits: Limits | None) -> None:
    """Make ``limits`` the limits of every run that is given none (the CLI's ``--max-seconds`` and the web
    workers set them for their process); None restores the defaults."""
    global _default
    _default = limits


def active_budget() -> Budget:
    """The budget of the interpreter that is running now (a default one outside any run)."""
    global _fallback
    if _active is not None:
        return _active
    if _fallback is None:
        _fallback = Budget(Limits())
        _fallback._rss_base = None  # outside a run there is no start to measure the memory from
    _fallback.steps = 0  # nor a run to count steps for: a live model's twins, built hours apart, start afresh
    return _fallback


def note_built() -> None:
    """A framework constructed a layer or module that goes into a model (the framework leaves out losses and data
    transforms), counted by the interpreter running now. Outside a run (a live model's twin) nothing is counted,
    and no fallback budget is made: one made early would hold the memory of that moment as its base."""
    if _active is not None:
        _active.built += 1


def _exceeded(what: str, field: str) -> LimitExceeded:
    return LimitExceeded(what, hint=f"nncalc's safe interpreter stops here; Limits({field}=...) allows more")


class Budget:
    """Counters of one interpreter and the checks of every limit.

    :class:`~nncalc.interpreter.core.Interpreter` derives from it so that the hot path increments
    ``self.steps`` directly and calls :meth:`check_steps` only when ``steps`` passes ``step_mark``.
    """

    _nncalc_internal = True

    def __init__(self, limits: Limits):
        self.limits = limits
        self.steps = 0
        self.step_mark = min(CLOCK_EVERY, limits.max_steps)
        self.depth = 0
        self.built = 0
        """Layers and modules the frameworks have constructed (:func:`note_built`): a module-level statement that
        made some and then failed was building a model."""
        self.int_bound = 1 << limits.max_int_bits
        self._elapsed = 0.0
        self._since: float | None = None
        self._rss_base = resident_bytes()

    # ----- time and steps -----------------------------------------------------------------------------
    def start_clock(self) -> None:
        self._since = time.monotonic()
        if progress_hook is not None:
            progress_hook(self)

    def stop_clock(self) -> None:
        if self._since is not None:
            self._elapsed += time.monotonic() - self._since
            self._since = None

    def check_steps(self) -> None:
        """Called when ``steps`` passes ``step_mark``: the step budget, then the clock."""
        limits = self.limits
        if self.steps > limits.max_steps:
            raise _exceeded(
                f"the file needs more than {limits.max_steps:,} evaluation steps (an endless loop?)", "max_steps"
            )
        elapsed = self._elapsed + (time.monotonic() - self._since if self._since is not None else 0.0)
        if elapsed > limits.max_seconds:
            raise _exceeded(f"interpreting the file takes more than {limits.max_seconds:g} s", "max_seconds")
        self.check_memory(0)
        if progress_hook is not None:
            progress_hook(self)
        self.step_mark = min(self.steps + CLOCK_EVERY, limits.max_steps)

    def tick(self) -> None:
        """One item of work done outside the evaluator (an item of a lazy builtin, say)."""
        self.steps += STEPS_PER_ITEM
        if self.steps > self.step_mark:
            self.check_steps()

    def charge(self, items: int) -> None:
        """Charge ``items`` built in bulk to the step budget."""
        self.steps += items // ITEMS_PER_STEP
        if self.steps > self.step_mark:
            self.check_steps()

    # ----- calls --------------------------------------------------------------------------------------
    def recursion_limit(self) -> int:
        """What Python's own recursion limit must be for ``max_depth`` interpreted calls to fit."""
        return min(BASE_RECURSION_LIMIT + self.limits.max_depth * PYTHON_FRAMES_PER_CALL, MAX_RECURSION_LIMIT)

    def depth_exceeded(self) -> LimitExceeded:
        return _exceeded(f"calls nest deeper than {self.limits.max_depth} (endless recursion?)", "max_depth")

    @staticmethod
    def python_limit(err: BaseException) -> LimitExceeded:
        """The limit error for Python's own RecursionError or MemoryError."""
        if isinstance(err, MemoryError):
            if memory_limit_text is not None:
                return LimitExceeded(
                    f"the analysis needed more than {memory_limit_text} of memory; nncalc stopped it",
                    hint="--max-memory SIZE allows more",
                )
            return LimitExceeded("the file needs more memory than nncalc allows")
        return _exceeded("the file nests too deeply (expressions or calls)", "max_depth")

    # ----- sizes --------------------------------------------------------------------------------------
    def check_memory(self, extra: int) -> None:
        """Refuse to go on when resident memory, plus ``extra`` bytes about to be allocated, has grown past
        ``max_memory`` since the run began."""
        if self._rss_base is None:
            return
        grown = (resident_bytes() or 0) - self._rss_base + extra
        if grown > self.limits.max_memory:
            raise _exceeded(
                f"the file needs more than {self.limits.max_memory // (1024 * 1024):,} MB of memory", "max_memory"
            )

    def check_size(self, n: int, what: str = "a collection") -> None:
        if n > self.limits.max_collection:
            raise _exceeded(
                f"{what} would have {number_text(n)} items; the limit is {self.limits.max_collection:,}",
                "max_collection",
            )
        if n >= MEMORY_CHECK_ITEMS:
            self.check_memory(n * BYTES_PER_ITEM)

    def too_large(self, what: str):
        """Refuse a collection known only to pass the limit (its exact size is never computed)."""
        limit = self.limits.max_collection
        raise _exceeded(f"{what} would make more than {limit:,} items; the limit is {limit:,}", "max_collection")

    def reserve(self, n, what: str, steps_each: int = 1, bytes_each: int = HOST_OBJECT_BYTES,
                items: str = "objects") -> int:
        """Before nncalc's own code makes ``n`` objects for the file (layers of ``num_layers``, the tensors of
        ``split``, clones of a module): ``n`` taken as an index (``__index__``), held to the collection limit,
        its cost of ``steps_each`` steps an object charged and the memory it takes checked, all before the
        loop runs. Returns ``n`` as an int."""
        n = operator.index(n)
        limits = self.limits
        if n > limits.max_collection:
            raise _exceeded(f"{what} would make {number_text(n)} {items}; the limit is {limits.max_collection:,}",
                            "max_collection")
        cost = n * steps_each
        if self.steps + cost > limits.max_steps:
            raise _exceeded(
                f"{what} would make {n:,} {items}, more than the {limits.max_steps:,} evaluation steps allow", "max_steps"
            )
        if n * bytes_each >= MEMORY_CHECK_ITEMS * BYTES_PER_ITEM:
            self.check_memory(n * bytes_each)
        self.steps += cost
        if self.steps > self.step_mark:
            self.check_steps()
        return n

    def check_shared(self, value, what: str = "comparing or hashing it", times: int = 1) -> None:
        """Refuse (and otherwise charge) the work Python's C code does to hash or compare ``value``: it visits a
        container shared at several places once per place, so ``t = (t, t)`` a hundred times is 2**100 visits
        in one C call. Counted over the distinct containers only, before that call; charged ``times`` over."""
        if value.__class__ not in _NESTED:
            return
        self.charge(self._visits(value, self.limits.max_collection, what) * times)

    def _visits(self, value, limit: int, what: str) -> int:
        visits, depth = shared_visits(value, limit)
        if depth > MAX_NESTING:
            raise _exceeded(
                f"{what} would go {depth:,} containers deep; Python's C code recurses once a level and would "
                f"overflow its stack past about {MAX_NESTING:,}", "max_depth",
            )  # fmt: skip
        if visits is None:
            raise _exceeded(
                f"{what} would visit more than {limit:,} items (containers nested in containers, shared at "
                "several places)", "max_collection",
            )  # fmt: skip
        return visits

    def check_items(self, items, what: str = "hashing or comparing them") -> None:
        """:meth:`check_shared` over the items of a collection about to be hashed or sorted (only those that are
        containers themselves cost more than one visit)."""
        total = 0
        for item in items:
            if item.__class__ in _NESTED:
                total += self._visits(item, self.limits.max_collection - total, what)
        self.charge(total)

    def check_collisions(self, keys) -> None:
        """Refuse keys of which many differ but hash alike: Python hashes numbers modulo 2**61 − 1, so
        ``range(0, M * 200_000, M)`` with ``M = 2**61 - 1`` is 200,000 keys of one hash, and a set of them takes
        quadratic time in one C call. Charged by the keys' count; a few shared hashes pass."""
        if len(keys) < COLLISION_FREE_KEYS:
            return
        self.charge(len(keys))
        # ints below 2**60 hash to themselves and strings by a random key: only other keys can be made to collide
        keys = [k for k in keys if not ((k.__class__ is int and -_INJECTIVE < k < _INJECTIVE) or k.__class__ is str)]
        if len(keys) - len(set(map(hash, keys))) < COLLISION_FREE_KEYS:  # hashes are small ints: no collisions
            return
        firsts: dict[int, object] = {}
        groups: dict[int, list] = {}
        for key in keys:
            digest = hash(key)
            first = firsts.setdefault(digest, key)
            if first is key or first == key:
                continue
            distinct = groups.setdefault(digest, [first])
            if not any(other is key or other == key for other in distinct):
                distinct.append(key)
                if len(distinct) > MAX_SHARED_HASH:
                    raise _exceeded(
                        f"more than {MAX_SHARED_HASH} different keys share one hash value (Python hashes numbers "
                        "modulo 2**61 - 1); a set or dict of them would take quadratic time", "max_collection",
                    )  # fmt: skip

    def check_text(self, n: int) -> None:
        if n > self.limits.max_string:
            raise _exceeded(
                f"a string would have {number_text(n)} characters; the limit is {self.limits.max_string:,}",
                "max_string",
            )
        if n >= MEMORY_CHECK_ITEMS:
            self.check_memory(n)

    def check_len(self, value, n: int) -> None:
        """Check ``n`` items of the kind ``value`` is (text or a collection) and charge them."""
        if isinstance(value, (str, bytes)):
            self.check_text(n)
        else:
            self.check_size(n)
        self.charge(n)

    def check_int(self, value: int) -> int:
        if not -self.int_bound < value < self.int_bound:
            raise _exceeded(
                f"an integer would have {value.bit_length():,} bits; the limit is {self.limits.max_int_bits:,}",
                "max_int_bits",
            )
        return value

    def check_power(self, base, exp) -> None:
        """Refuse ``base ** exp`` (ints) whose result would pass the integer limit, before computing it."""
        if isinstance(base, int) and isinstance(exp, int) and exp > 0 and base not in (0, 1, -1):
            # exp past the limit fails whatever the base (|base| >= 2); below it, exp converts to float safely
            bits = math.log2(abs(base)) * exp if exp <= self.limits.max_int_bits else None
            if bits is None or bits > self.limits.max_int_bits:
                size = f"about {_bits_text(bits)}" if bits is not None else f"at least {number_text(exp)}"
                raise _exceeded(
                    f"{number_text(base)} ** {number_text(exp)} would have {size} bits; the limit is "
                    f"{self.limits.max_int_bits:,}",
                    "max_int_bits",
                )

    def check_shift(self, value, shift) -> None:
        """Refuse ``value << shift`` (ints) past the integer limit, before computing it."""
        if isinstance(value, int) and isinstance(shift, int) and value and shift > 0:
            bits = abs(value).bit_length() + shift
            if bits > self.limits.max_int_bits:
                raise _exceeded(
                    f"{number_text(value)} << {number_text(shift)} would have {number_text(bits)} bits; the limit is "
                    f"{self.limits.max_int_bits:,}",
                    "max_int_bits",
                )

    def check_repeat(self, seq, times) -> None:
        """``seq * times`` for a str, bytes, list or tuple; ``times`` an int (see :func:`repeat_count`)."""
        if isinstance(times, int) and times > 1:
            self.check_len(seq, len(seq) * times)

    def check_concat(self, left, right) -> None:
        """``left + right`` for two sequences."""
        self.check_len(left, len(left) + len(right))

    def check_format_spec(self, spec: str) -> None:
        """Refuse a format spec whose width or precision would build a string past the limit."""
        for number in _FORMAT_NUMBER.findall(spec):
            if len(number) > 9 or int(number) > self.limits.max_string:
                self.check_text(int(number) if len(number) < 30 else self.limits.max_string + 1)

    def check_percent_format(self, template: str, args) -> None:
        """``template % args``: widths and precisions, also those given by ``*``."""
        if "%" not in template:
            return
        stars = False
        for width, precision, _ in _PERCENT_SPEC.findall(template):
            for number in (width, precision):
                if number == "*":
                    stars = True
                elif number:
                    self.check_format_spec(number)
        if stars:
            for item in args if isinstance(args, tuple) else (args,):
                if isinstance(item, int) and item > self.limits.max_string:
                    self.check_text(item)


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """The process's resident memory in bytes, or None where ``/proc/self/statm`` does not exist."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


def repeat_count(times):
    """The count ``seq * times`` repeats by: an object with ``__index__`` (and no multiplication of its own,
    which Python would try first) becomes its int here, once, so that the size check sees the number the
    repetition uses (a second ``__index__`` call could answer differently)."""
    kind = type(times)
    if kind is int or kind is bool:
        return times
    if hasattr(kind, "__index__") and not hasattr(kind, "__mul__") and not hasattr(kind, "__rmul__"):
        return operator.index(times)
    return times


_NESTED = frozenset({tuple, list, frozenset, set, dict})


def shared_visits(root, limit: int) -> tuple[int | None, int]:
    """(How many items hashing or comparing ``root`` visits, a container reached by several paths counting
    every time — None once past ``limit``; how deep its containers nest, as far as the walk went). The walk
    visits each distinct container once and stops past ``limit`` visits or ``MAX_NESTING`` levels."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    expanded: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, level = stack[-1]
        key = id(node)
        if key in sizes:
            stack.pop()
            continue
        if level > MAX_NESTING:
            return None, level
        children = [*node.keys(), *node.values()] if node.__class__ is dict else node
        if key not in expanded:
            expanded.add(key)
            pending = [(c, level + 1) for c in children if c.__class__ in _NESTED and id(c) not in sizes]
            if pending:
                stack.extend(pending)
                continue
        total, depth = 1, 1
        for child in children:
            if child.__class__ in _NESTED:
                total += sizes.get(id(child), 1)
                depth = max(depth, depths.get(id(child), 0) + 1)
            else:
                total += 1
        if total > limit:
            return None, depth
        sizes[key] = total
        depths[key] = depth
        stack.pop()
    return sizes[id(root)], depths[id(root)]


def _bits_text(bits: float) -> str:
    return f"{bits:,.0f}" if bits < 1e30 else f"{bits:.2g}"


def recursion_guard(budget: Budget) -> int:
    """Raise Python's recursion limit for a run of ``budget``; returns the previous value to restore."""
    previous = sys.getrecursionlimit()
    needed = budget.recursion_limit()
    if previous < needed:
        sys.setrecursionlimit(needed)
    return previous
