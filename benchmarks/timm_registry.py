"""Every model of timm's registry read by nncalc from timm's own source, compared with timm building it on
torch's meta device: how many are exact (total, trainable split and output shape), refused (nncalc stops and
says why) or wrong (must be 0). The best-known fifty-odd are tests (tests/live/test_library_sources.py); this
runs the rest, as a benchmark because it takes about an hour.

Run in the vision environment (README's vision-test-command): ``python benchmarks/timm_registry.py``
[``--limit N``] [``--resume``]. Writes ``benchmarks/results/timm_registry.md``; progress is kept in
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


def main() -> None:
    import timm
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    progress = RESULTS / "timm_registry.json"
    done = json.loads(progress.read_text()) if args.resume and progress.exists() else {}
    names = timm.list_models()[: args.limit]
    started = time.time()
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
    write_page(done, len(timm.list_models()), timm.__version__, torch.__version__, time.time() - started)


def write_page(done: dict, registry: int, timm_version: str, torch_version: str, seconds: float) -> None:
    kinds = collections.Counter(classify(row) for row in done.values())
    wrong = [name for name, row in done.items() if classify(row) == "wrong"]
    reasons = collections.Counter(reason_kind(row["refused"]) for row in done.values() if classify(row) == "refused")
    lines = [
        "# timm's whole registry, read from timm's source",
        "",
        f"`benchmarks/timm_registry.py`, timm {timm_version}, torch {torch_version.split('+')[0]} (the oracle, on the"
        f" meta device): {len(done)} of the registry's {registry} models run in {seconds / 60:.0f} minutes.",
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
