#!/usr/bin/python3
"""torch.distributions' side of bench/distribution_cases.cpp: the same cases,
1 thread, medians of repetitions, written as Google Benchmark JSON
("<case>/torch/threads:1") for tools/bench_table.py.
Usage: torch_distributions.py out.json [repetitions]"""
import json
import statistics
import sys
import time

import torch
import torch.distributions as D

torch.set_num_threads(1)
BIG, DIM, POINTS = 1 << 24, 256, 4096


def mvn():
    a = torch.sin(torch.arange(DIM * DIM, dtype=torch.float64)).reshape(DIM, DIM)
    cov = a @ a.T / DIM + torch.eye(DIM, dtype=torch.float64)
    return D.MultivariateNormal(torch.zeros(DIM, dtype=torch.float64), cov)


def cases():
    n = D.Normal(torch.tensor(0.5), torch.tensor(2.0))
    x = torch.randn(BIG)
    m = mvn()
    xs = torch.randn(POINTS, DIM, dtype=torch.float64)
    return {
        "dist_normal_sample_2^24": lambda: n.sample((BIG,)),
        "dist_normal_log_prob_2^24": lambda: n.log_prob(x),
        "dist_mvn256_rsample_4096": lambda: m.rsample((POINTS,)),
        "dist_mvn256_log_prob_4096": lambda: m.log_prob(xs),
    }


def time_case(f, reps):
    for _ in range(3):
        f()
    medians = []
    for _ in range(reps):
        times, start = [], time.perf_counter()
        while True:  # at least 0.3 s of iterations per repetition, as kiln_bench
            t0 = time.perf_counter()
            f()
            times.append(time.perf_counter() - t0)
            if time.perf_counter() - start > 0.3:
                break
        medians.append(statistics.median(times))
    return statistics.median(medians) * 1e3


def main():
    out, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    results = []
    for name, f in cases().items():
        ms = time_case(f, reps)
        results.append({"name": f"{name}/torch/threads:1", "run_name": f"{name}/torch/threads:1",
                         "aggregate_name": "median", "real_time": ms, "time_unit": "ms"})
        print(f"{name}: {ms:.3f} ms", file=sys.stderr)
    json.dump({"benchmarks": results}, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
