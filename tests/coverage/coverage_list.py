"""The coverage list: every name of the framework namespaces a model uses, as nncalc reads it.

Run in the test environment (torch, Keras 3 on the torch backend), from the repository root::

    KERAS_BACKEND=torch PYTHONPATH=src python tests/coverage/coverage_list.py

It walks the namespaces (``coverage_names``) and gives every name one status:

* ``exact``: its minimal use (``coverage_recipes``) read by nncalc gives what the real framework gives when
  it runs the same snippet: the output's shape and dtype, and the parameters when the snippet builds a model;
* ``not a model op``: machinery, with the reason (``coverage_table``);
* ``missing``: nncalc refuses the snippet or disagrees (the reason recorded, shortened);
* ``no recipe``: nobody has written its minimal use yet (or the recipe fails in the framework itself).

It writes ``tests/coverage/coverage.json`` (the record ``test_coverage.py`` checks) and ``docs/coverage.md``.
The ``tf.*`` namespaces need TensorFlow, which the test environment has not: ``--tf``, run in an environment with
it (README's TensorFlow command), walks only them and replaces their part of the record, keeping the rest; the
plain walk keeps the ``tf.*`` part as recorded.
``--suggest`` instead tries every family of recipes on the names without one and prints, per family, the
names the real framework accepts it for: candidates for ``coverage_recipes.USES``, to be read before pasting.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for _path in (HERE, ROOT / "src"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
os.environ.setdefault("KERAS_BACKEND", "torch")

import coverage_names  # noqa: E402
import coverage_recipes as recipes  # noqa: E402
import coverage_run  # noqa: E402
from coverage_table import NOT_MODEL_OPS  # noqa: E402

RECORD = HERE / "coverage.json"
DOC = ROOT / "docs" / "coverage.md"
COMMAND = "KERAS_BACKEND=torch PYTHONPATH=src python tests/coverage/coverage_list.py"
TF_COMMAND = "KERAS_BACKEND=tensorflow PYTHONPATH=src python tests/coverage/coverage_list.py --tf"
"""Run where TensorFlow is installed (``pip install -e '.[tf]'``)."""
STATUSES = ("exact", "missing", "no recipe", "not a model op")


def recipe_family(namespace: str, name: str) -> str | None:
    """The recipe family ``name`` uses in ``namespace`` (``coverage_recipes.USES``), or None."""
    domain = recipes.DOMAINS[namespace]
    uses = _uses(domain)
    prefix = recipes.PREFIXES.get(namespace)
    for key in ([f"{prefix}:{name}"] if prefix else []) + [name]:
        if key in uses:
            return uses[key]
    if domain == "tensor" and name.endswith("_") and not name.startswith("_"):
        return recipe_family(namespace, name[:-1])  # an in-place op is used like its base op
    return None


_USES_CACHE: dict[str, dict[str, str]] = {}


def _uses(domain: str) -> dict[str, str]:
    if domain not in _USES_CACHE:
        table: dict[str, str] = {}
        for family, names in recipes.USES[domain].items():
            if family not in recipes.FAMILIES[domain]:
                raise KeyError(f"coverage_recipes.USES[{domain!r}] names an unknown family {family!r}")
            for name in names.split():
                if name in table:
                    raise KeyError(f"{domain}: {name} is listed under {table[name]!r} and {family!r}")
                table[name] = family
        _USES_CACHE[domain] = table
    return _USES_CACHE[domain]


def not_model_op(namespace: str, name: str) -> str | None:
    """The reason ``name`` is not a model op (``coverage_table``), or None."""
    for namespaces, patterns, reason in NOT_MODEL_OPS:
        if namespaces != "*" and namespace not in namespaces.split():
            continue
        if any(fnmatch.fnmatchcase(name, p) for p in patterns.split()):
            return reason
    return None


def classify(namespace: str, name: str) -> dict:
    """What the tables say about a name, before anything runs: its family, or its reason, or neither."""
    family = recipe_family(namespace, name)
    if family is not None:
        return {"family": family}
    reason = not_model_op(namespace, name)
    if reason is not None:
        return {"status": "not a model op", "reason": reason}
    return {"status": "no recipe", "reason": "no recipe"}


def snippets(namespace: str, name: str, family: str, side: str = "framework") -> list[str]:
    templates = recipes.FAMILIES[recipes.DOMAINS[namespace]][family]
    return [coverage_run.render(namespace, name, t, side)
            for t in ([templates] if isinstance(templates, str) else templates)]


def check(namespace: str, name: str) -> dict:
    """Classify ``name`` and, when it has a recipe, run it both ways: its record for ``coverage.json``."""
    entry = classify(namespace, name)
    if "family" not in entry:
        return entry
    sources = zip(snippets(namespace, name, entry["family"]), snippets(namespace, name, entry["family"], "nncalc"))
    for source, nncalc_source in sources:
        try:
            real = coverage_run.run_real(source)
        except BaseException as err:  # noqa: BLE001 - the recipe itself fails in the framework
            if isinstance(err, KeyboardInterrupt):
                raise
            return {**entry, "status": "no recipe", "reason": f"recipe fails in the framework: {_first_line(err)}"}
        static = coverage_run.run_nncalc(nncalc_source)
        if name in recipes.DATA_DEPENDENT:
            real = {**real, "out": _masked(real["out"], static.get("out"))}
        problem = coverage_run.compare(real, static)
        if problem is not None and name in recipes.KNOWN_DIFFERENCES:
            return {**entry, "status": "missing", "reason": f"{recipes.KNOWN_DIFFERENCES[name]} ({problem})"}
        if problem is not None:
            return {**entry, "status": "missing", "reason": shorten(problem)}
    return {**entry, "status": "exact"}


def _first_line(err: BaseException) -> str:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", str(err))  # Keras prints the error's first line in bold
    text = [line for line in plain.strip().splitlines() if line.strip() and not line.startswith(_WRAPPERS)]
    return shorten(f"{type(err).__name__}: {text[0] if text else ''}")


_WRAPPERS = ("Exception encountered when calling", "Arguments received by")
"""Keras's lines around the error of a layer's ``call``: the error itself is the line after them."""


def _masked(real, static):
    """The framework's description with the sizes nncalc leaves unknown (data-dependent) unknown too."""
    if isinstance(real, dict) and isinstance(static, dict) and "shape" in real and "shape" in static:
        if len(real["shape"]) == len(static["shape"]):
            shape = [None if s is None else r for r, s in zip(real["shape"], static["shape"])]
            return {**real, "shape": shape}
    if isinstance(real, list) and isinstance(static, list) and len(real) == len(static):
        return [_masked(r, s) for r, s in zip(real, static)]
    return real


def shorten(reason: str) -> str:
    """One line, without the places and the hint, at most 140 characters."""
    reason = reason.strip().splitlines()[0] if reason.strip() else reason
    reason = re.sub(r"\s*\(line \d+\)", "", reason)
    reason = re.sub(r"recipe\.py:\d+(:\d+)?:\s*", "", reason)
    return reason if len(reason) <= 140 else reason[:139] + "…"


def walk(only: list[str] | None = None, progress=None, namespaces=coverage_names.NAMESPACES) -> dict:
    """Every namespace's names and their records. The names only Keras on TensorFlow builds
    (``coverage_recipes.TENSORFLOW_BACKEND``) keep their record from the ``--tf`` walk (:func:`walk_tf_layers`)."""
    recorded = load()["namespaces"] if RECORD.exists() else {}
    result = {}
    for namespace in namespaces:
        if only and namespace not in only:
            continue
        result[namespace] = {}
        for name in coverage_names.names(namespace):
            if name in recipes.TENSORFLOW_BACKEND.get(namespace, ()):
                entry = recorded.get(namespace, {}).get(name) or {
                    **classify(namespace, name), "status": "no recipe",
                    "reason": f"Keras builds it on TensorFlow only: `{TF_COMMAND}`"}
            else:
                entry = check(namespace, name)
            result[namespace][name] = entry
            if progress:
                progress(namespace, name, entry)
    return result


def walk_tf_layers(progress=None) -> dict:
    """The names of ``coverage_recipes.TENSORFLOW_BACKEND``, checked with Keras on TensorFlow (``--tf``)."""
    result = {}
    for namespace, names in recipes.TENSORFLOW_BACKEND.items():
        result[namespace] = {}
        for name in sorted(names):
            result[namespace][name] = {**check(namespace, name), "backend": "tensorflow"}
            if progress:
                progress(namespace, name, result[namespace][name])
    return result


def dump(record: dict) -> str:
    """The record as JSON, one name a line (diffs show which names changed)."""
    lines = ["{", f' "versions": {json.dumps(record["versions"])},', ' "namespaces": {']
    for i, (namespace, records) in enumerate(record["namespaces"].items()):
        lines.append(f"  {json.dumps(namespace)}: {{")
        entries = [f"   {json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}" for name, entry in records.items()]
        lines.append(",\n".join(entries))
        lines.append("  }" + ("," if i < len(record["namespaces"]) - 1 else ""))
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def load() -> dict:
    """The recorded results (``coverage.json``)."""
    return json.loads(RECORD.read_text(encoding="utf-8"))


def versions(tf: bool = False) -> dict:
    import keras

    if tf:
        import tensorflow

        return {"tensorflow": tensorflow.__version__, "keras (tf)": keras.__version__}
    import torch

    return {"torch": torch.__version__, "keras": keras.__version__}


def merged(record: dict, walked: dict, tf: bool, tf_layers: dict | None = None) -> dict:
    """The record with the namespaces just walked (``tf.*`` or the others) replaced, the rest kept; with
    ``tf_layers`` (``--tf``) those names replaced in their namespaces too."""
    ours = set(coverage_names.TF_NAMESPACES if tf else coverage_names.NAMESPACES)
    kept = {ns: r for ns, r in record.get("namespaces", {}).items() if ns not in ours}
    for namespace, entries in (tf_layers or {}).items():
        kept[namespace] = {**kept.get(namespace, {}), **entries}
    kept_versions = {k: v for k, v in record.get("versions", {}).items() if (k in ("tensorflow", "keras (tf)")) != tf}
    order = coverage_names.NAMESPACES + coverage_names.TF_NAMESPACES
    namespaces = {**kept, **walked}
    both = {**kept_versions, **versions(tf)}
    return {"versions": {k: both[k] for k in ("torch", "keras", "tensorflow", "keras (tf)") if k in both},
            "namespaces": {ns: namespaces[ns] for ns in order if ns in namespaces}}


def counts(records: dict) -> dict:
    """Per status, and the share exact of the model ops (all but *not a model op*)."""
    tally = Counter(r["status"] for r in records.values())
    ops = len(records) - tally["not a model op"]
    return {**{s: tally[s] for s in STATUSES}, "names": len(records), "model ops": ops,
            "percent": round(100 * tally["exact"] / ops, 1) if ops else 100.0}


def common_reasons(record: dict, limit: int = 30) -> list[tuple[str, int]]:
    """The most frequent reasons a name is missing, with the op's own name folded out."""
    tally: Counter = Counter()
    for namespace, records in record["namespaces"].items():
        for name, entry in records.items():
            if entry["status"] == "missing":
                tally[_generic(entry["reason"], name)] += 1
    return tally.most_common(limit)


def _generic(reason: str, name: str) -> str:
    reason = re.sub(r"operand type\(s\) for \S+:", "operand type(s) for OP:", reason)
    reason = re.sub(r"operand type for [^:]+:", "operand type for OP:", reason)
    reason = re.sub(r"^TypeError: '\S+' not supported", "TypeError: 'OP' not supported", reason)
    reason = re.sub(r"'int' and '(\w+)'", r"'\1' and '\1'", reason)
    reason = re.sub(r"'(\w+)' and 'int'", r"'\1' and '\1'", reason)
    reason = re.sub(r"\(use keras\.layers\.\w+\)", "(use …)", reason)
    reason = re.sub(r"`[^`]*`", "`…`", reason)
    reason = re.sub(r"\[[^\]]*\]", "[…]", reason)
    reason = re.sub(rf"\b[\w.]*\b{re.escape(name)}\b", "OP", reason) if name.strip("_") else reason
    return reason[:100]


def markdown(record: dict) -> str:
    """``docs/coverage.md`` from the record."""
    tf = record["versions"].get("tensorflow")
    lines = [
        "# Coverage of the frameworks' APIs",
        "",
        "Generated by `tests/coverage/coverage_list.py` from the installed frameworks "
        f"(torch {record['versions']['torch']}, Keras {record['versions']['keras']}"
        + (f"; the `tf.*` namespaces from TensorFlow {tf} with Keras {record['versions']['keras (tf)']}, in an "
           "environment of their own" if tf else "") + "); do not edit. Regenerate with",
        "",
        "```",
        COMMAND,
        *([TF_COMMAND] if tf else []),
        "```",
        "",
        "Every name is *exact* (its minimal use, generated from `tests/coverage/coverage_recipes.py`, read by "
        "nncalc gives the output shape, dtype and parameters the real framework gives on the same snippet), "
        "*missing* (nncalc refuses or disagrees: the reason, shortened), *no recipe* (nobody wrote its minimal "
        "use yet) or *not a model op* (machinery; the reasons are in `tests/coverage/coverage_table.py`). "
        "Keras ops and activations are used inside a custom layer's `call`; KerasTensor operators and indexing "
        "on `keras.Input` tensors (functional models); `tf.*` ops inside a `tf.keras` custom layer's `call`, run "
        "eagerly by TensorFlow on a batch of 2 and of 3 (a size that follows the batch is nncalc's unknown "
        "batch). Keras layers that Keras builds on TensorFlow only (its string and hashing layers) are checked "
        "against Keras on TensorFlow, in that environment. The percentage is exact ÷ (names − not a model op). "
        "How the walk works and how to add a recipe: [tests/README.md](../tests/README.md).",
        "",
        "| namespace | exact | missing | no recipe | not a model op | names | exact of the model ops |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for namespace, records in record["namespaces"].items():
        c = counts(records)
        lines.append(f"| `{namespace}` | {c['exact']} | {c['missing']} | {c['no recipe']} | {c['not a model op']} "
                     f"| {c['names']} | {c['percent']} % |")
    lines += ["", "## The most common reasons a name is missing", "", "| names | reason |", "|---:|---|"]
    lines += [f"| {n} | {_cell(reason)} |" for reason, n in common_reasons(record)]
    families = Counter(f"{recipes.DOMAINS[ns]}: {e['family']}" for ns, records in record["namespaces"].items()
                       for e in records.values() if e["status"] == "missing")
    lines += ["", "## Missing names by recipe family", "",
              "Names used alike (one family of `coverage_recipes.py`) are often one rule away.", "",
              "| names | domain: family |", "|---:|---|"]
    lines += [f"| {n} | {family} |" for family, n in families.most_common(30)]
    lines += ["", "## Names without a recipe", "",
              "Their minimal use is still to be written (`tests/coverage/coverage_recipes.py`), or the recipe "
              "fails in the framework itself (the reason says so).", ""]
    for namespace, records in record["namespaces"].items():
        names = [f"`{name}`" for name, entry in records.items() if entry["status"] == "no recipe"]
        if names:
            lines.append(f"- `{namespace}`: {', '.join(names)}")
    for namespace, records in record["namespaces"].items():
        lines += ["", f"## `{namespace}`", "", "| name | status | recipe / reason |", "|---|---|---|"]
        for name, entry in records.items():
            detail = entry.get("reason") or entry.get("family", "")
            if entry["status"] == "exact":
                detail = entry["family"] + (" (Keras on TensorFlow)" if entry.get("backend") == "tensorflow" else "")
            lines.append(f"| `{name}` | {entry['status']} | {_cell(detail)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def suggest(namespaces: list[str] | None, walked=coverage_names.NAMESPACES) -> None:
    """Print, per family, the names without a recipe that the real framework accepts it for."""
    fits: dict[tuple[str, str], dict[str, str]] = {}  # (domain, name) -> {namespace: family}
    for namespace in walked:
        if namespaces and namespace not in namespaces:
            continue
        domain = recipes.DOMAINS[namespace]
        for name in coverage_names.names(namespace):
            if classify(namespace, name).get("status") != "no recipe":
                continue
            family = _first_fit(namespace, name, domain)
            if family is None:
                print(f"# nothing fits {namespace}.{name}", file=sys.stderr)
            else:
                fits.setdefault((domain, name), {})[namespace] = family
    found: dict[tuple[str, str], list[str]] = {}
    for (domain, name), by_namespace in fits.items():
        if len(set(by_namespace.values())) == 1:
            found.setdefault((domain, next(iter(by_namespace.values()))), []).append(name)
            continue
        for namespace, family in by_namespace.items():
            found.setdefault((domain, family), []).append(f"{recipes.PREFIXES[namespace]}:{name}")
    for (domain, family), names in sorted(found.items()):
        print(f"{domain}  {family!r}: {' '.join(names)!r},")


def _first_fit(namespace: str, name: str, domain: str) -> str | None:
    for family, templates in recipes.FAMILIES[domain].items():
        if not any(placeholder in str(templates) for placeholder in ("OP(", "ATTR(")):
            continue
        try:
            for source in snippets(namespace, name, family):
                out = coverage_run.run_real(source)["out"]
                if out is None or "'type'" in repr(out):
                    raise ValueError("the snippet binds no out, or not a value nncalc describes")
        except Exception:  # noqa: BLE001 - this family does not fit
            continue
        return family
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="one namespace (repeatable); the record is not written")
    parser.add_argument("--suggest", action="store_true", help="propose recipe families for names without one")
    parser.add_argument("--verbose", action="store_true", help="print every name as it is checked")
    parser.add_argument("--tf", action="store_true", help="walk the tf.* namespaces only (needs TensorFlow) and "
                                                          "replace their part of the record")
    args = parser.parse_args(argv)
    walked = coverage_names.TF_NAMESPACES if args.tf else coverage_names.NAMESPACES
    if args.suggest:
        suggest(args.only, walked)
        return 0
    started = time.monotonic()

    def progress(namespace, name, entry):
        if args.verbose:
            print(f"{namespace}.{name}: {entry['status']} {entry.get('reason', '')}", flush=True)

    namespaces = walk(args.only, progress, walked)
    tf_layers = walk_tf_layers(progress) if args.tf and not args.only else None
    for records in (tf_layers or {}).values():
        print(f"keras.layers on TensorFlow: {sum(e['status'] == 'exact' for e in records.values())} exact of "
              f"{len(records)}")
    for namespace, records in namespaces.items():
        c = counts(records)
        print(f"{namespace}: {c['exact']} exact of {c['model ops']} model ops ({c['percent']} %), "
              f"{c['missing']} missing, {c['no recipe']} without a recipe, {c['not a model op']} not model ops")
    print(f"{time.monotonic() - started:.0f} s")
    if not args.only:
        record = merged(load() if RECORD.exists() else {}, namespaces, args.tf, tf_layers)
        RECORD.write_text(dump(record), encoding="utf-8")
        DOC.write_text(markdown(record), encoding="utf-8")
        print(f"wrote {RECORD.relative_to(ROOT)} and {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
