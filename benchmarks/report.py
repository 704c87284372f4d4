"""The benchmark's results: markdown tables, fitted slopes, the issue's requirements checked, the plot."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from cases import NNCALC
from machine import header

SEED_TARGETS = {"seed (PyTorch)": ("torchinfo summary()", 20), "seed (Keras)": ("Keras model.summary()", 40)}
LAYERS_LIMIT_S, LAYERS_AT, MAX_EXPONENT, WIDTH_RATIO = 10.0, 10_000, 1.2, 1.5


def fit_line(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares (slope, intercept) of y against x."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return slope, my - slope * mx


def growth_exponent(points: list[dict]) -> float | None:
    """k in (t - t_smallest) ∝ layers^k between the two largest points: 1 is linear, 2 quadratic."""
    if len(points) < 3:
        return None
    base, mid, top = points[0], points[-2], points[-1]
    low, high = mid["wall_s"] - base["wall_s"], top["wall_s"] - base["wall_s"]
    if low <= 0 or high <= 0:
        return None
    return math.log(high / low) / math.log((top["layers"] - base["layers"]) / (mid["layers"] - base["layers"]))


def tools_table(rows: list[dict]) -> list[str]:
    lines = ["| model | tool | wall (median) | CPU | peak memory | nncalc / tool, time | nncalc / tool, memory |",
             "|---|---|--:|--:|--:|--:|--:|"]
    for case in rows:
        ours = case["tools"][NNCALC]
        for tool, m in case["tools"].items():
            if m["error"]:
                lines.append(f"| {case['model']} | {tool} | failed: {m['error']} | | | | |")
                continue
            ratio = mem = ""
            if tool != NNCALC and not ours["error"]:
                ratio = f"{ours['wall_s'] / m['wall_s']:.3f} ({m['wall_s'] / ours['wall_s']:.1f}× faster)"
                mem = f"{ours['peak_mib'] / m['peak_mib']:.2f}"
            lines.append(f"| {case['model']} | {tool} | {m['wall_s']:.3f} s | {m['cpu_s']:.3f} s | "
                         f"{m['peak_mib']:.0f} MiB | {ratio} | {mem} |")
    return lines


def scaling_table(points: list[dict]) -> list[str]:
    lines = ["| series | size | layers | parameters | wall (median) | CPU | peak memory |",
             "|---|---|--:|--:|--:|--:|--:|"]
    for p in points:
        timing = (f"{p['wall_s']:.3f} s | {p['cpu_s']:.3f} s | {p['peak_mib']:.0f} MiB" if not p["error"]
                  else f"failed: {p['error']} | |")
        lines.append(f"| {p['series']} | {p['label']} | {p['layers']:,} | {p['params']:,} | {timing} |")
    return lines


def fits(points: list[dict]) -> tuple[list[str], dict]:
    """Slopes of the two series and the numbers the checks need."""
    out, found = [], {}
    stack = [p for p in points if p["series"] == "stack" and not p["error"]]
    if len(stack) > 1:
        slope, intercept = fit_line([p["layers"] for p in stack], [p["wall_s"] for p in stack])
        mem_slope, _ = fit_line([p["layers"] for p in stack], [p["peak_mib"] for p in stack])
        found["exponent"] = growth_exponent(stack)
        exponent = f"{found['exponent']:.2f}" if found["exponent"] is not None else "n/a (too noisy)"
        out.append(f"Stack of Linear layers: time ≈ {intercept:.3f} s + {slope * 1000:.3f} ms × layers "
                   f"(least squares); memory ≈ {mem_slope * 1024:.1f} KiB per layer; growth exponent between the "
                   f"two largest sizes {exponent} (1 = linear, 2 = quadratic).")
        largest = stack[-1]
        found["largest"] = (largest["layers"], largest["wall_s"])
    gpt = [p for p in points if p["series"] == "gpt" and not p["error"]]
    if len(gpt) > 1:
        slope, _ = fit_line([p["params"] / 1e9 for p in gpt], [p["wall_s"] for p in gpt])
        out.append(f"GPT file: {slope * 1000:.2f} ms per billion parameters across "
                   f"{gpt[0]['params'] / 1e6:,.0f} M to {gpt[-1]['params'] / 1e9:,.0f} B parameters "
                   "(least squares; the sizes also differ in depth).")
    by_label = {p["label"]: p for p in gpt}
    narrow, wide = by_label.get("GPT-3 depth, GPT-2 width"), by_label.get("GPT-3 175B")
    if narrow and wide:
        found["width_ratio"] = wide["wall_s"] / narrow["wall_s"]
        out.append(f"96 layers: n_embd=12288 takes {found['width_ratio']:.2f}× the time of n_embd=768 "
                   f"({wide['params'] / narrow['params']:,.0f}× the parameters); memory "
                   f"{wide['peak_mib'] / narrow['peak_mib']:.2f}×.")
    return out, found


def checks(rows: list[dict], found: dict) -> list[tuple[bool | None, str]]:
    """The issue's requirements: (passed, description); None when not measured."""
    result = []
    by_model = {case["model"]: case["tools"] for case in rows}
    for model, (tool, target) in SEED_TARGETS.items():
        tools = by_model.get(model, {})
        ours, theirs = tools.get(NNCALC), tools.get(tool)
        if not ours or not theirs or ours["error"] or theirs["error"]:
            result.append((None, f"{model}: static nncalc ≥ {target}× faster than {tool} — not measured"))
            continue
        speedup, cpu = theirs["wall_s"] / ours["wall_s"], theirs["cpu_s"] / ours["cpu_s"]
        result.append((speedup >= target, f"{model}: static nncalc {speedup:.1f}× faster than {tool} in wall time "
                                          f"(needs ≥ {target}×); {cpu:.1f}× in CPU time"))
    if "largest" in found:
        layers, wall = found["largest"]
        if layers >= LAYERS_AT:
            result.append((wall < LAYERS_LIMIT_S,
                           f"{layers:,} layers in {wall:.2f} s (needs < {LAYERS_LIMIT_S:.0f} s)"))
        else:
            result.append((None, f"{LAYERS_AT:,} layers — not measured (largest {layers:,})"))
    exponent = found.get("exponent")
    result.append((None if exponent is None else exponent <= MAX_EXPONENT,
                   f"time linear in layers: growth exponent {'n/a' if exponent is None else f'{exponent:.2f}'} "
                   f"(needs ≤ {MAX_EXPONENT})"))
    ratio = found.get("width_ratio")
    result.append((None if ratio is None else ratio <= WIDTH_RATIO,
                   f"GPT at 96 layers, n_embd 12288 vs 768: {'n/a' if ratio is None else f'{ratio:.2f}×'} "
                   f"the time (needs ≤ {WIDTH_RATIO}×)"))
    return result


def markdown(info: dict, runs: int, warmup: int, rows: list[dict], points: list[dict],
             notes: list[str]) -> tuple[str, bool]:
    """The whole results file, and whether every measured requirement passed."""
    fit_lines, found = fits(points)
    verdicts = checks(rows, found)
    mark = {True: "PASS", False: "FAIL", None: "not measured"}
    lines = [
        "# Benchmark results", "", header(info), "",
        f"Every number is the median of {runs} fresh processes (interpreter start and imports included) after "
        f"{warmup} unmeasured warm-up run(s) each; runs of the tools compared on one model are interleaved. "
        "Peak memory is the process's own peak resident set size. Output goes to /dev/null.", "",
        "## Requirements", "", *[f"- {mark[ok]}: {text}" for ok, text in verdicts], "",
        "## nncalc against torchinfo and Keras", "", *tools_table(rows), "",
        "## Scaling", "", *scaling_table(points), "", *[f"- {line}" for line in fit_lines],
    ]
    if notes:
        lines += ["", "## Not measured", "", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n", all(ok is not False for ok, _ in verdicts)


def plot(points: list[dict], path: Path) -> str:
    """Time and peak memory against layers and against parameters, both series; returns a message."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[bench]'): no plot"
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
    styles = {"stack": ("o-", "stack of Linear(64, 64)"), "gpt": ("s--", "nanoGPT file (GPT-2 small … GPT-3 175B)")}
    for series, (style, label) in styles.items():
        pts = [p for p in points if p["series"] == series and not p["error"]]
        if not pts:
            continue
        for row, key, ylabel in ((0, "wall_s", "wall time, whole process (s)"), (1, "peak_mib", "peak memory (MiB)")):
            for col, xkey, xlabel in ((0, "layers", "layers"), (1, "params", "parameters")):
                ax = axes[row][col]
                ordered = sorted(pts, key=lambda p: (p[xkey], p[key]))
                ax.plot([p[xkey] for p in ordered], [p[key] for p in ordered], style, label=label)
                ax.set_xscale("log")
                if (row, col) == (0, 0):  # linear growth is a straight line of slope 1 on log-log axes
                    ax.set_yscale("log")
                    ax.yaxis.set_major_formatter(ScalarFormatter())
                    ax.yaxis.set_minor_formatter(NullFormatter())
                else:
                    ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 1.15 * max(p[key] for p in pts)))
                ax.set_xlabel(xlabel)
                ax.set_ylabel(ylabel)
                ax.grid(True, which="both", alpha=0.3)
        if series == "stack" and len(pts) > 1:
            slope, intercept = fit_line([p["layers"] for p in pts], [p["wall_s"] for p in pts])
            low, high = pts[0]["layers"], pts[-1]["layers"]
            xs = [low * (high / low) ** (i / 40) for i in range(41)]  # a curve on log-log axes
            axes[0][0].plot(xs, [intercept + slope * x for x in xs], ":", color="grey",
                            label=f"fit: {intercept:.2f} s + {slope * 1000:.2f} ms × layers")
    times = [p["wall_s"] for p in points if not p["error"]]
    if times:  # readable ticks on the log time axis
        ticks = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
        axes[0][0].set_yticks([t for t in ticks if min(times) / 2 < t < max(times) * 2])
        axes[0][0].set_ylim(min(times) / 1.3, max(times) * 1.3)
    for ax in axes.flat:
        ax.legend(fontsize=8)
    fig.suptitle("nncalc summary: cost against layers and against parameters")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return f"plot: {path}"
