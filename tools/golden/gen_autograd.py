#!/usr/bin/env python3
"""Writes tests/data/autograd_golden.txt: values and gradients from PyTorch
for op/shape combinations that tests/autograd/golden_test.cpp recomputes
with kiln. Optional to run (the file is checked in); needs torch:

    /usr/bin/python3 tools/golden/gen_autograd.py

One case per line, space-separated fields:
    op=<name> in=<shape>:<values> [in=...] out=<shape>:<values> grad=<shape>:<values> [grad=...]
<shape> is [d0,d1,...] ([] for 0-d), <values> comma-separated float64
(%.17g). Gradients are of sum(out * w) with w[k] = 1 + k / 10 over out's
flat index k, so a wrong index mapping changes the numbers. An input that
gets no gradient has grad=none.
"""
import os
import torch
import torch.nn.functional as F

torch.manual_seed(20240601)

UNARY = {  # name: (fn, lo, hi)
    "exp": (torch.exp, -2, 2), "log": (torch.log, 0.5, 3), "log1p": (torch.log1p, -0.5, 2),
    "expm1": (torch.expm1, -2, 2), "log2": (torch.log2, 0.5, 3), "log10": (torch.log10, 0.5, 3),
    "sqrt": (torch.sqrt, 0.5, 3), "rsqrt": (torch.rsqrt, 0.5, 3), "sin": (torch.sin, -3, 3),
    "cos": (torch.cos, -3, 3), "tan": (torch.tan, -1, 1), "asin": (torch.asin, -0.8, 0.8),
    "acos": (torch.acos, -0.8, 0.8), "atan": (torch.atan, -3, 3), "sinh": (torch.sinh, -2, 2),
    "cosh": (torch.cosh, -2, 2), "tanh": (torch.tanh, -2, 2), "sigmoid": (torch.sigmoid, -3, 3),
    "erf": (torch.erf, -2, 2), "erfc": (torch.erfc, -2, 2), "lgamma": (torch.lgamma, 0.5, 4),
    "reciprocal": (torch.reciprocal, 0.5, 2), "softplus": (F.softplus, -3, 3), "abs": (torch.abs, -2, 2),
    "neg": (torch.neg, -2, 2), "square": (torch.square, -2, 2), "relu": (torch.relu, -2, 2),
    "frac": (torch.frac, 0.1, 0.9), "floor": (torch.floor, -2, 2), "sign": (torch.sign, -2, 2),
    "clamp": (lambda x: x.clamp(-0.5, 0.5), -2, 2), "add_scalar": (lambda x: x + 2, -2, 2),
    "rsub_scalar": (lambda x: 2 - x, -2, 2), "mul_scalar": (lambda x: x * -3, -2, 2),
    "div_scalar": (lambda x: x / 4, -2, 2), "scalar_div": (lambda x: 2 / x, 0.5, 2),
    "pow_scalar": (lambda x: x.pow(2.5), 0.5, 2), "pow_int": (lambda x: x.pow(3), -2, 2),
    "scalar_pow": (lambda x: torch.pow(2.0, x), -2, 2), "fmod": (lambda x: torch.fmod(x, 1.5), -3, 3),
    "remainder": (lambda x: torch.remainder(x, 1.5), -3, 3),
}
UNARY_SHAPES = [[], [5], [2, 3], [2, 3, 4]]

BINARY = {
    "add": (torch.add, -2, 2), "add_alpha": (lambda a, b: torch.add(a, b, alpha=2.5), -2, 2),
    "sub": (torch.sub, -2, 2), "mul": (torch.mul, -2, 2), "div": (torch.div, 0.5, 2),
    "pow": (torch.pow, 0.5, 2), "maximum": (torch.maximum, -2, 2), "minimum": (torch.minimum, -2, 2),
    "atan2": (torch.atan2, 0.3, 2), "xlogy": (torch.xlogy, 0.5, 2),
    "where": (lambda a, b: torch.where(a > 0, a, b), -2, 2), "lerp": (lambda a, b: torch.lerp(a, b, 0.3), -2, 2),
}
BINARY_SHAPES = [([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1], [1, 3]), ([], [2, 3]), ([3, 1, 2], [4, 1])]

REDUCE = {  # name: (fn, lo, hi, shapes)
    "sum": (lambda x: x.sum(), -2, 2, [[], [5], [3, 4], [2, 3, 4]]),
    "sum_d1": (lambda x: x.sum(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "sum_d0_keep": (lambda x: x.sum(0, keepdim=True), -2, 2, [[3, 4], [2, 3, 4]]),
    "sum_d02": (lambda x: x.sum((0, 2)), -2, 2, [[2, 3, 4]]),
    "mean": (lambda x: x.mean(), -2, 2, [[5], [3, 4], [2, 3, 4]]),
    "mean_d1": (lambda x: x.mean(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "prod": (lambda x: x.prod(), 0.5, 1.5, [[5], [3, 4]]),
    "prod_d1": (lambda x: x.prod(1), -1.5, 1.5, [[3, 4], [2, 3, 4]]),
    "max": (lambda x: x.max(), -2, 2, [[5], [3, 4]]),
    "min": (lambda x: x.min(), -2, 2, [[5], [3, 4]]),
    "max_d1": (lambda x: x.max(1)[0], -2, 2, [[3, 4], [2, 3, 4]]),
    "min_d0_keep": (lambda x: x.min(0, keepdim=True)[0], -2, 2, [[3, 4]]),
    "amax_d1": (lambda x: x.amax(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "amin_d02": (lambda x: x.amin((0, 2)), -2, 2, [[2, 3, 4]]),
    "var": (lambda x: x.var(), -2, 2, [[5], [3, 4]]),
    "var_d1": (lambda x: x.var(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "var_d0_biased_keep": (lambda x: x.var(0, unbiased=False, keepdim=True), -2, 2, [[3, 4]]),
    "std": (lambda x: x.std(), -2, 2, [[5], [3, 4]]),
    "std_d1": (lambda x: x.std(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "logsumexp_d1": (lambda x: x.logsumexp(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "softmax_d1": (lambda x: x.softmax(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "log_softmax_d0": (lambda x: x.log_softmax(0), -2, 2, [[3, 4], [2, 3, 4]]),
    "cumsum_d1": (lambda x: x.cumsum(1), -2, 2, [[3, 4], [2, 3, 4]]),
    "cumprod_d1": (lambda x: x.cumprod(1), -1.5, 1.5, [[3, 4], [2, 3, 4]]),
}

VIEWS = {  # name: (fn, shapes)
    "reshape_flat": (lambda x: x.reshape(-1), [[3, 4], [2, 3, 4]]),
    "t": (lambda x: x.t(), [[3, 4], [5]]),
    "transpose_02": (lambda x: x.transpose(0, 2), [[2, 3, 4]]),
    "permute_201": (lambda x: x.permute(2, 0, 1), [[2, 3, 4]]),
    "unsqueeze_1": (lambda x: x.unsqueeze(1), [[3, 4], [5]]),
    "squeeze": (lambda x: x.squeeze(), [[3, 1, 4], [1, 5]]),
    "expand_2": (lambda x: x.expand(2, *x.shape), [[3, 4], [5], []]),
    "narrow_1_1_2": (lambda x: x.narrow(1, 1, 2), [[3, 4], [2, 3, 4]]),
    "select_1_2": (lambda x: x.select(1, 2), [[3, 4], [2, 3, 4]]),
    "slice_step2": (lambda x: x[..., 1::2], [[3, 4], [2, 3, 5]]),
    "diagonal": (lambda x: x.diagonal(), [[3, 4], [4, 4]]),
    "diagonal_1": (lambda x: x.diagonal(1), [[3, 4], [4, 4]]),
    "flatten_1": (lambda x: x.flatten(1), [[2, 3, 4]]),
    "movedim_02": (lambda x: x.movedim(0, 2), [[2, 3, 4]]),
}


def fmt_shape(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def fmt(t):
    if t is None:
        return "none"
    t = t.detach().to(torch.float64).contiguous()
    return fmt_shape(t.shape) + ":" + ",".join("%.17g" % v for v in t.reshape(-1).tolist())


def uniform(shape, lo, hi):
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).requires_grad_()


def case(name, fn, inputs):
    out = fn(*inputs)
    w = 1 + torch.arange(out.numel(), dtype=torch.float64).reshape(out.shape) / 10
    grads = torch.autograd.grad((out * w).sum(), inputs, allow_unused=True)
    fields = ["op=" + name] + ["in=" + fmt(x) for x in inputs] + ["out=" + fmt(out)]
    fields += ["grad=" + fmt(g) for g in grads]
    return " ".join(fields)


def main():
    lines = []
    for name, (fn, lo, hi) in UNARY.items():
        for shape in UNARY_SHAPES:
            lines.append(case(name, fn, [uniform(shape, lo, hi)]))
    for name, (fn, lo, hi) in BINARY.items():
        for sa, sb in BINARY_SHAPES:
            lines.append(case(name, fn, [uniform(sa, lo, hi), uniform(sb, lo, hi)]))
    for name, (fn, lo, hi, shapes) in REDUCE.items():
        for shape in shapes:
            lines.append(case(name, fn, [uniform(shape, lo, hi)]))
    for name, (fn, shapes) in VIEWS.items():
        for shape in shapes:
            lines.append(case(name, fn, [uniform(shape, -2, 2)]))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, "tests", "data", "autograd_golden.txt")
    with open(path, "w") as f:
        f.write("# Generated by tools/golden/gen_autograd.py from torch %s; one case per line.\n" % torch.__version__)
        f.write("\n".join(lines) + "\n")
    print("wrote %d cases to %s" % (len(lines), path))


if __name__ == "__main__":
    main()
