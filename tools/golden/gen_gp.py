#!/usr/bin/env python3
"""scikit-learn's GaussianProcessRegressor on the datasets tests/gp builds in
code (no random numbers: low-discrepancy sequences), for the kiln::gp tests.

Usage: /usr/bin/python3 tools/golden/gen_gp.py OUT.txt
       /usr/bin/python3 tools/golden/gen_gp.py --bench-fit   (bench/gp_bench.cpp's n = 1000 fit)
Each line of OUT.txt is a key and its numbers. Theta and gradients are in
scikit-learn's log-hyperparameter order: log constant, log lengthscale(s),
log white noise. Exits nonzero (and the test fails) without scikit-learn.
"""
import sys
import time

import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, Matern, WhiteKernel

PHI = [0.6180339887498949, 0.7548776662466927, 0.5698402909980532]


def frac(v):
    return v - np.floor(v)


def dataset(d, n):
    i = np.arange(n, dtype=np.float64)
    if d == 1:
        X = (frac(i * PHI[0]) * 5.0)[:, None]
        y = np.sin(2.0 * X[:, 0]) + 0.1 * np.sin(37.0 * i + 1.0)
    else:
        X = np.stack([frac(i * PHI[k]) * 4.0 - 2.0 for k in range(3)], axis=1)
        y = np.sin(X[:, 0]) + 0.5 * np.cos(2.0 * X[:, 1]) + 0.3 * X[:, 2] ** 2 + 0.2 * np.sin(101.3 * i)
    return X, y


def test_points(d):
    i = np.arange(7, dtype=np.float64)
    if d == 1:
        return np.linspace(-0.5, 5.5, 7)[:, None]
    return np.stack([frac(i * 0.37 + 0.1 * (k + 1)) * 4.0 - 2.0 for k in range(3)], axis=1)


def kernel(case, c, l, w):
    base = RBF(l) if case == "rbf" else Matern(l, nu=2.5)
    return ConstantKernel(c) * base + WhiteKernel(w)


# (name, d, n, kernel family, given (c, l, w), initial (c, l, w))
CASES = [
    ("rbf1d", 1, 50, "rbf", (1.3, 0.7, 0.05), (1.0, 1.0, 0.1)),
    ("rbf1d200", 1, 200, "rbf", (0.8, 1.2, 0.02), (1.0, 1.0, 0.1)),
    ("matern3d", 3, 50, "matern", (1.1, [0.8, 1.5, 2.0], 0.03), (1.0, [1.0, 1.0, 1.0], 0.1)),
    ("matern3d200", 3, 200, "matern", (0.9, [1.2, 0.6, 1.8], 0.01), (1.0, [1.0, 1.0, 1.0], 0.1)),
]


def row(out, key, values):
    values = np.atleast_1d(np.asarray(values, dtype=np.float64)).ravel()
    out.write(key + " " + " ".join(repr(float(v)) for v in values) + "\n")


def main():
    out = open(sys.argv[1], "w")
    for name, d, n, fam, given, init in CASES:
        X, y = dataset(d, n)
        Xs = test_points(d)
        row(out, name + ".X", X)
        row(out, name + ".y", y)
        # At the given hyperparameters (no fitting): the likelihood, its gradient, predictions.
        gpr = GaussianProcessRegressor(kernel(fam, *given), alpha=0.0, optimizer=None).fit(X, y)
        lml, grad = gpr.log_marginal_likelihood(gpr.kernel_.theta, eval_gradient=True)
        mean, std = gpr.predict(Xs, return_std=True)
        row(out, name + ".given.lml", lml)
        row(out, name + ".given.grad", grad)
        row(out, name + ".given.mean", mean)
        row(out, name + ".given.std", std)
        row(out, name + ".given.K", gpr.kernel_(X[:5], X[5:9]))
        # Fitted from the initial hyperparameters with scikit-learn's L-BFGS-B.
        start = time.perf_counter()
        gpr = GaussianProcessRegressor(kernel(fam, *init), alpha=0.0).fit(X, y)
        seconds = time.perf_counter() - start
        mean, std = gpr.predict(Xs, return_std=True)
        row(out, name + ".fit.lml", gpr.log_marginal_likelihood_value_)
        row(out, name + ".fit.theta", gpr.kernel_.theta)
        row(out, name + ".fit.mean", mean)
        row(out, name + ".fit.std", std)
        row(out, name + ".fit.seconds", seconds)
    out.close()


def bench_fit():
    """scikit-learn's fit of bench/gp_bench.cpp's problem: Constant * RBF + White from 1, 1, 0.1."""
    n = 1000
    i = np.arange(n, dtype=np.float64)
    x = 10.0 * np.fmod(i * 0.6180339887498949, 1.0)
    h = np.sin(12.9898 * i) * 43758.5453
    y = np.sin(x) + 0.2 * (h - np.floor(h) - 0.5)
    start = time.perf_counter()
    gpr = GaussianProcessRegressor(kernel("rbf", 1.0, 1.0, 0.1), alpha=0.0).fit(x[:, None], y)
    seconds = time.perf_counter() - start
    print("scikit-learn fit n = 1000: %.2f s, log marginal likelihood %.6f, theta %s"
          % (seconds, gpr.log_marginal_likelihood_value_, gpr.kernel_.theta))


if __name__ == "__main__":
    if sys.argv[1] == "--bench-fit":
        bench_fit()
    else:
        main()
