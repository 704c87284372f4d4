"""Every model of timm's registry read by nncalc from timm's own source, compared with timm building it on
torch's meta device: how many are exact (total, trainable split and output shape), refused (nncalc stops and
says why) or wrong (must be 0). The best-known fifty-odd are tests (tests/live/test_library_sources.py); this
runs the rest, as a benchmark because it takes about an hour.

Run in the vision environment (README's vision-test-command): ``python benchmarks/timm_registry.py``
[``--limit N``] [``--resume`` [``--retry-refused``]]. Writes ``benchmarks/results/timm_registry.md``; progress is kept in
``benchmarks/results/timm_registry.json`` so an interrupted run resumes with ``--resume``.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "live"))

import library_runs  # noqa: E402

RESULTS = HERE / "results"
SECONDS = 120
"""The interpreter's clock per model (the CLI's is 30 s): the run shares a loaded machine."""


def classify(row: dict) -> str:
    if row.get("error"):
        return "error"
    if row["refused"]:
        return "refused"
    return "exact" if row["static"] == row["real"] else "wrong"


def escape(text: str) -> str:
    return text.replace("|", "\\|")


def reason_kind(reason: str) -> str:
    """A refusal's reason without its place and numbers, to group them."""
    text = re.sub(r"^\S*?:\d+:\d+: ", "", reason)
    return re.sub(r"\d[\d,]*", "N", text)[:110]


def round_robin(timm) -> list[str]:
    """The registry's models, one of each architecture module in turn: a run stopped early has sampled them all."""
    modules: dict[str, list[str]] = {}
    for name in timm.list_models():
        modules.setdefault(timm.models._registry._model_to_module.get(name, ""), []).append(name)
    order, queues = [], [list(names) for names in modules.values()]
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    return order


def main() -> None:
    import timm
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--retry-refused", action="store_true", help="with --resume: run the refused ones again")
    args = parser.parse_args()
    progress = RESULTS / "timm_registry.json"
    done = json.loads(progress.read_text()) if args.resume and progress.exists() else {}
    done = {name: row for name, row in done.items() if "takes more than" not in (row.get("refused") or "")
            and not (args.retry_refused and row.get("refused"))}
    from nncalc.interpreter import limits

    # the clock only: a benchmark shares its machine; the step and memory budgets stay the CLI's
    limits.set_default_limits(limits.Limits(max_seconds=SECONDS))
    names = round_robin(timm)[: args.limit]
    with tempfile.TemporaryDirectory() as folder:
        for index, name in enumerate(names):
            if name in done:
                continue
            began = time.time()
            try:
                row = library_runs.run_timm(name, Path(folder))
            except Exception as error:  # the real library failing to build or run it on meta: not nncalc's
                row = {"name": name, "error": f"{type(error).__name__}: {str(error)[:200]}"}
            row["seconds"] = round(time.time() - began, 2)
            done[name] = row
            print(f"{index + 1}/{len(names)} {name} {classify(row)} {row['seconds']} s", file=sys.stderr, flush=True)
            if index % 20 == 0:
                progress.write_text(json.dumps(done))
    progress.write_text(json.dumps(done))
    write_page(done, len(timm.list_models()), timm.__version__, torch.__version__)


def write_page(done: dict, registry: int, timm_version: str, torch_version: str) -> None:
    kinds = collections.Counter(classify(row) for row in done.values())
    wrong = [name for name, row in done.items() if classify(row) == "wrong"]
    reasons = collections.Counter(reason_kind(row["refused"]) for row in done.values() if classify(row) == "refused")
    lines = [
        "# timm's whole registry, read from timm's source",
        "",
        f"`benchmarks/timm_registry.py`, timm {timm_version}, torch {torch_version.split('+')[0]} (the oracle, on the"
        f" meta device): {len(done)} of the registry's {registry} models run (one of each architecture module in"
        f" turn), {sum(row.get('seconds', 0) for row in done.values()) / 60:.0f} minutes of runs in all (nncalc and"
        f" the oracle, on a shared 2-CPU machine).",
        "",
        "| exact | refused | wrong | the library itself failed on meta |",
        "|---|---|---|---|",
        f"| {kinds['exact']} | {kinds['refused']} | {kinds['wrong']} | {kinds['error']} |",
        "",
    ]
    if wrong:
        lines += ["Wrong (a defect to fix at once): " + ", ".join(f"`{n}`" for n in wrong), ""]
    lines += ["## Why nncalc refused", "", "| models | reason (one example's words) |", "|---|---|"]
    lines += [f"| {count} | {escape(reason)} |" for reason, count in reasons.most_common()]
    lines += ["", "## Refused models", "", ", ".join(f"`{n}`" for n, r in sorted(done.items())
                                                     if classify(r) == "refused"), ""]
    (RESULTS / "timm_registry.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
