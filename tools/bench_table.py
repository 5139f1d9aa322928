#!/usr/bin/env python3
"""Turns kiln_bench's JSON (medians of repetitions) and the memory probes'
output into the markdown table of BENCHMARKS.md: benchmark, kiln median,
libtorch median, ratio, target, met?.
Usage: bench_table.py results.json [more.json ...] [--memory memory.txt]
(a later JSON file's entries replace an earlier one's, e.g. a re-run probe)"""
import json
import sys

# (case, comparison, target) -- comparisons:
#   "torch<=X": kiln time / libtorch time <= X
#   "torch>=X": libtorch time / kiln time >= X  (kiln X times faster)
#   "probe:NAME>=X": kiln GB/s >= X * the plain-loop probe NAME's GB/s (same threads)
TARGETS = [
    ("chain", "torch<=0.15"),
    ("chain_grad_forward", "torch<=0.15"),
    ("chain_grad_backward", "torch<=0.15"),
    ("chain_grad_step", "torch<=0.15"),
    ("dot_backward", "torch<=0.1"),
    ("add_2^24", "probe:stream_triad>=0.9"),
    ("exp_2^24", "probe:stream_copy>=0.9"),
    ("exp_f64_2^23", "probe:stream_copy>=0.9"),
    ("sum_4096^2", "probe:stream_read>=0.95"),
    ("sum_dim1_4096^2", "probe:stream_read>=0.95"),
    ("cumsum_2^24", "torch>=3"),
    ("matmul_f32_1024", "torch<=1.031"),
    ("matmul_f32_2048", "torch<=1.031"),
    ("matmul_f64_1024", "torch<=1.031"),
    ("mlp_784_512_512_10_b128", "torch<=0.9"),
    # kiln::distributions beside torch.distributions (Python; bench/torch_distributions.py)
    ("dist_normal_sample_2^24", "torch>=2"),
    ("dist_normal_log_prob_2^24", "torch>=3"),
    ("dist_mvn256_rsample_4096", "torch<=1.0"),
    ("dist_mvn256_log_prob_4096", "torch<=1.0"),
]
SCALING = ["add_2^24", "exp_2^24", "sum_4096^2", "sum_dim1_4096^2", "cumsum_2^24", "matmul_f32_2048",
           "mlp_784_512_512_10_b128"]
UNIT = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def load(path):
    runs, errors = {}, {}
    for b in json.load(open(path))["benchmarks"]:
        name = b.get("run_name", b["name"])
        case, lib, threads = name.split("/")[:3]
        key = (case, lib, int(threads.split(":")[1]))
        if b.get("error_occurred"):
            errors[key] = b.get("error_message", "error")
            continue
        if b.get("aggregate_name", "median") != "median":
            continue
        runs[key] = {"ms": b["real_time"] * UNIT[b["time_unit"]], "gbs": b.get("bytes_per_second", 0) / 1e9}
    return runs, errors


def fmt_ms(v):
    return "-" if v is None else (f"{v:.3f} ms" if v < 10 else f"{v:.1f} ms")


def main():
    args = sys.argv[1:]
    memory = None
    if "--memory" in args:
        i = args.index("--memory")
        memory = args[i + 1]
        args = args[:i] + args[i + 2:]
    runs, errors = {}, {}
    for path in args:
        r, e = load(path)
        runs.update(r)
        errors.update(e)
    print("| benchmark | threads | kiln median | libtorch median | ratio kiln/libtorch | target | met? |")
    print("|---|---|---|---|---|---|---|")
    for case, target in TARGETS:
        for threads in (1, 2):
            k = runs.get((case, "kiln", threads))
            t = runs.get((case, "torch", threads))
            if k is None and (case, "kiln", threads) not in errors:
                continue
            if k is None:
                print(f"| {case} | {threads} | error: {errors[(case, 'kiln', threads)][:60]} | "
                      f"{fmt_ms(t and t['ms'])} | - | {target} | no (not run) |")
                continue
            ratio = k["ms"] / t["ms"] if t else None
            kiln_cell, torch_cell = fmt_ms(k["ms"]), fmt_ms(t and t["ms"])
            if k["gbs"]:
                kiln_cell += f" ({k['gbs']:.1f} GB/s)"
                if t:
                    torch_cell += f" ({t['gbs']:.1f} GB/s)"
            if target.startswith("probe:"):
                probe, x = target[6:].split(">=")
                p = runs.get((probe, "probe", threads))
                share = k["gbs"] / p["gbs"] if p else None
                goal = f">= {float(x):.0%} of {probe} ({p['gbs']:.1f} GB/s)" if p else f">= {x} x {probe}"
                met = "-" if share is None else (f"{'yes' if share >= float(x) else 'no'} ({share:.0%})")
            elif target.startswith("torch<="):
                x = float(target[7:])
                goal = f"ratio <= {x}"
                met = "-" if ratio is None else ("yes" if ratio <= x else "no")
            else:
                x = float(target[7:])
                goal = f"libtorch/kiln >= {x}"
                met = "-" if ratio is None else ("yes" if 1 / ratio >= x else "no") + f" ({1 / ratio:.1f}x)"
            r = "-" if ratio is None else f"{ratio:.3f}"
            print(f"| {case} | {threads} | {kiln_cell} | {torch_cell} | {r} | {goal} | {met} |")
    print()
    print("| 2-thread scaling (kiln) | 1 thread | 2 threads | speed-up | target | met? | libtorch speed-up |")
    print("|---|---|---|---|---|---|---|")
    for case in SCALING:
        a, b = runs.get((case, "kiln", 1)), runs.get((case, "kiln", 2))
        if not a or not b:
            continue
        ta, tb = runs.get((case, "torch", 1)), runs.get((case, "torch", 2))
        s = a["ms"] / b["ms"]
        ts = f"{ta['ms'] / tb['ms']:.2f}x" if ta and tb else "-"
        print(f"| {case} | {fmt_ms(a['ms'])} | {fmt_ms(b['ms'])} | {s:.2f}x | >= 1.8x | "
              f"{'yes' if s >= 1.8 else 'no'} | {ts} |")
    for probe in ("stream_copy", "stream_triad", "stream_read"):
        a, b = runs.get((probe, "probe", 1)), runs.get((probe, "probe", 2))
        if a and b:
            print(f"| {probe} (plain loop, GB/s) | {a['gbs']:.1f} | {b['gbs']:.1f} | {b['gbs'] / a['gbs']:.2f}x | "
                  f"(bandwidth ceiling) | - | - |")
    if memory:
        mem = {}
        for line in open(memory).read().splitlines()[1:]:
            parts = line.split()
            if len(parts) == 3:
                mem.setdefault(parts[0], {})[parts[1]] = parts[2]
        print()
        print("| peak RSS growth (fresh process each) | kiln | libtorch | ratio |")
        print("|---|---|---|---|")
        for probe, libs in mem.items():
            k, t = libs.get("kiln", "-"), libs.get("torch", "-")
            try:
                r = f"{float(k) / float(t):.2f}"
            except ValueError:
                r = "-"
            print(f"| {probe} | {k} MiB | {t} MiB | {r} |")


if __name__ == "__main__":
    main()
