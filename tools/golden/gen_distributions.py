#!/usr/bin/python3
"""Golden values of torch.distributions (torch 1.13) for tests/distributions.

Writes tests/distributions/data/golden.txt: for every case (a class and its
parameters) the results of log_prob, cdf, icdf, entropy, mean, mode,
variance, stddev and enumerate_support, and kl_divergence over every pair of
the KL instances, in float64. A method torch refuses is recorded as ERR.

Line format (whitespace separated; a tensor is "[d0,d1]:v0,v1,..."):
  dist <id> <Class> <name>=<tensor> ...
  method <id> <method> <input tensor or -> <result tensor or ERR>
  kl <id_p> <id_q> <result tensor or ERR>
Run: /usr/bin/python3 tools/golden/gen_distributions.py
"""
import math
import os
import torch
import torch.distributions as D
from torch.distributions import transforms as T

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'distributions', 'data', 'golden.txt')


def enc(t):
    t = torch.as_tensor(t).detach().to(torch.float64)
    return '[' + ','.join(str(s) for s in t.shape) + ']:' + ','.join(repr(float(v)) for v in t.reshape(-1).tolist())


def tt(*v):
    return torch.tensor(v, dtype=torch.float64)


# Builders: class spelling (as kiln's test factory reads it) -> torch object.
def build(cls, a):
    if cls == 'Normal': return D.Normal(a['loc'], a['scale'])
    if cls == 'LogNormal': return D.LogNormal(a['loc'], a['scale'])
    if cls == 'Laplace': return D.Laplace(a['loc'], a['scale'])
    if cls == 'Cauchy': return D.Cauchy(a['loc'], a['scale'])
    if cls == 'Gumbel': return D.Gumbel(a['loc'], a['scale'])
    if cls == 'Uniform': return D.Uniform(a['low'], a['high'])
    if cls == 'Exponential': return D.Exponential(a['rate'])
    if cls == 'HalfNormal': return D.HalfNormal(a['scale'])
    if cls == 'StudentT': return D.StudentT(a['df'], a['loc'], a['scale'])
    if cls == 'Gamma': return D.Gamma(a['concentration'], a['rate'])
    if cls == 'Chi2': return D.Chi2(a['df'])
    if cls == 'Beta': return D.Beta(a['concentration1'], a['concentration0'])
    if cls == 'Dirichlet': return D.Dirichlet(a['concentration'])
    if cls == 'Bernoulli': return D.Bernoulli(probs=a['probs'])
    if cls == 'Bernoulli.logits': return D.Bernoulli(logits=a['logits'])
    if cls == 'Geometric': return D.Geometric(probs=a['probs'])
    if cls == 'Geometric.logits': return D.Geometric(logits=a['logits'])
    if cls == 'Binomial': return D.Binomial(a['total_count'], probs=a['probs'])
    if cls == 'Binomial.logits': return D.Binomial(a['total_count'], logits=a['logits'])
    if cls == 'Poisson': return D.Poisson(a['rate'])
    if cls == 'Categorical': return D.Categorical(probs=a['probs'])
    if cls == 'Categorical.logits': return D.Categorical(logits=a['logits'])
    if cls == 'OneHotCategorical': return D.OneHotCategorical(probs=a['probs'])
    if cls == 'Multinomial': return D.Multinomial(int(a['total_count']), probs=a['probs'])
    if cls == 'Multinomial.logits': return D.Multinomial(int(a['total_count']), logits=a['logits'])
    if cls == 'MultivariateNormal': return D.MultivariateNormal(a['loc'], covariance_matrix=a['covariance_matrix'])
    if cls == 'MultivariateNormal.scale_tril': return D.MultivariateNormal(a['loc'], scale_tril=a['scale_tril'])
    if cls == 'MultivariateNormal.precision': return D.MultivariateNormal(a['loc'], precision_matrix=a['precision_matrix'])
    if cls == 'LowRankMultivariateNormal': return D.LowRankMultivariateNormal(a['loc'], a['cov_factor'], a['cov_diag'])
    if cls == 'Independent.Normal': return D.Independent(D.Normal(a['loc'], a['scale']), 1)
    if cls == 'Independent.Bernoulli': return D.Independent(D.Bernoulli(probs=a['probs']), 1)
    if cls == 'Mixture.Normal': return D.MixtureSameFamily(D.Categorical(probs=a['weights']), D.Normal(a['loc'], a['scale']))
    if cls == 'Transformed.ExpAffine':
        return D.TransformedDistribution(D.Normal(a['loc'], a['scale']), [T.ExpTransform(), T.AffineTransform(1.0, 2.0)])
    if cls == 'Transformed.Sigmoid': return D.TransformedDistribution(D.Normal(a['loc'], a['scale']), [T.SigmoidTransform()])
    if cls == 'Transformed.Tanh': return D.TransformedDistribution(D.Normal(a['loc'], a['scale']), [T.TanhTransform()])
    if cls == 'Transformed.Softplus':
        return D.TransformedDistribution(D.Normal(a['loc'], a['scale']), [T.SoftplusTransform()])
    if cls == 'Transformed.NegAffine':
        return D.TransformedDistribution(D.Normal(a['loc'], a['scale']), [T.AffineTransform(0.5, -3.0)])
    raise ValueError(cls)


def spd(n, seed):
    x = torch.sin(torch.arange(n * n, dtype=torch.float64) * 0.37 + seed).reshape(n, n)
    return x @ x.T + n * torch.eye(n)


def cases():
    p3 = tt(0.2, 0.5, 0.9)
    w = tt(0.1, 0.2, 0.3, 0.4)
    yield 'Normal', dict(loc=tt(0.3, -1.0, 2.0), scale=tt(0.5, 1.0, 2.0))
    yield 'Normal', dict(loc=tt(0.0), scale=tt(1.0, 3.0).reshape(2, 1))  # broadcast to [2, 1]
    yield 'LogNormal', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))
    yield 'Laplace', dict(loc=tt(0.3, -1.0, 2.0), scale=tt(0.5, 1.0, 2.0))
    yield 'Cauchy', dict(loc=tt(0.3, -1.0, 2.0), scale=tt(0.5, 1.0, 2.0))
    yield 'Gumbel', dict(loc=tt(0.3, -1.0, 2.0), scale=tt(0.5, 1.0, 2.0))
    yield 'Uniform', dict(low=tt(-1.0, 0.0, 2.0), high=tt(1.0, 0.5, 5.0))
    yield 'Exponential', dict(rate=tt(0.5, 1.0, 3.0))
    yield 'HalfNormal', dict(scale=tt(0.5, 1.0, 2.0))
    yield 'StudentT', dict(df=tt(0.8, 1.5, 5.0), loc=tt(0.0, 1.0, -2.0), scale=tt(1.0, 0.5, 2.0))
    yield 'Gamma', dict(concentration=tt(0.5, 1.0, 3.5), rate=tt(1.0, 2.0, 0.5))
    yield 'Chi2', dict(df=tt(1.0, 2.5, 7.0))
    yield 'Beta', dict(concentration1=tt(0.5, 1.0, 3.0), concentration0=tt(0.7, 2.0, 3.0))
    yield 'Dirichlet', dict(concentration=tt(0.5, 1.0, 3.0, 2.0, 2.0, 0.4).reshape(2, 3))
    yield 'Dirichlet', dict(concentration=tt(0.5, 0.3, 0.9))  # all below one: the mode is a vertex
    yield 'Bernoulli', dict(probs=p3)
    yield 'Bernoulli.logits', dict(logits=tt(-2.0, 0.0, 1.5))
    yield 'Geometric', dict(probs=p3)
    yield 'Geometric.logits', dict(logits=tt(-2.0, 0.0, 1.5))
    yield 'Binomial', dict(total_count=tt(5.0, 5.0, 5.0), probs=p3)
    yield 'Binomial.logits', dict(total_count=tt(4.0, 4.0, 4.0), logits=tt(-2.0, 0.0, 1.5))
    yield 'Binomial', dict(total_count=tt(2.0, 5.0, 9.0), probs=p3)  # inhomogeneous: no entropy
    yield 'Poisson', dict(rate=tt(0.5, 2.0, 10.0))
    yield 'Categorical', dict(probs=tt(1.0, 2.0, 3.0, 4.0, 0.5, 0.5, 2.0, 1.0).reshape(2, 4))
    yield 'Categorical.logits', dict(logits=tt(0.1, -1.0, 2.0, 0.0))
    yield 'OneHotCategorical', dict(probs=tt(1.0, 2.0, 3.0, 4.0, 0.5, 0.5, 2.0, 1.0).reshape(2, 4))
    yield 'Multinomial', dict(total_count=tt(5.0), probs=w)
    yield 'Multinomial.logits', dict(total_count=tt(3.0), logits=tt(0.1, -1.0, 2.0, 0.0, 1.0, 1.0, -1.0, 0.5).reshape(2, 4))
    L = torch.linalg.cholesky(spd(3, 0.5))
    yield 'MultivariateNormal', dict(loc=tt(0.5, -1.0, 2.0), covariance_matrix=spd(3, 0.0))
    yield 'MultivariateNormal', dict(loc=torch.stack([tt(0.5, -1.0, 2.0), tt(0.0, 0.0, 1.0)]),
                                     covariance_matrix=torch.stack([spd(3, 0.0), spd(3, 1.0)]))
    yield 'MultivariateNormal.scale_tril', dict(loc=tt(0.5, -1.0, 2.0), scale_tril=L)
    yield 'MultivariateNormal.precision', dict(loc=tt(0.5, -1.0, 2.0), precision_matrix=spd(3, 2.0))
    yield 'LowRankMultivariateNormal', dict(loc=tt(0.5, -1.0, 2.0), cov_factor=tt(1.0, 0.5, -0.3, 0.2, 0.7, 1.0).reshape(3, 2),
                                            cov_diag=tt(0.5, 1.0, 2.0))
    yield 'Independent.Normal', dict(loc=tt(0.3, -1.0, 2.0, 0.0, 1.0, 1.0).reshape(2, 3), scale=tt(0.5, 1.0, 2.0))
    yield 'Independent.Bernoulli', dict(probs=p3)
    yield 'Mixture.Normal', dict(weights=tt(0.2, 0.3, 0.5), loc=tt(-1.0, 0.0, 2.0), scale=tt(0.5, 1.0, 0.8))
    yield 'Transformed.ExpAffine', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))
    yield 'Transformed.Sigmoid', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))
    yield 'Transformed.Tanh', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))
    yield 'Transformed.Softplus', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))
    yield 'Transformed.NegAffine', dict(loc=tt(0.1, -0.5, 1.0), scale=tt(0.4, 1.0, 0.7))


# KL instances: batch shape [3] (event [3] for the vector ones), two per class.
def kl_cases():
    for s in (0.0, 1.0):
        yield 'Normal', dict(loc=tt(0.3, -1.0, 2.0) + s, scale=tt(0.5, 1.0, 2.0) + s)
        yield 'LogNormal', dict(loc=tt(0.1, -0.5, 1.0) + s, scale=tt(0.4, 1.0, 0.7) + s)
        yield 'Laplace', dict(loc=tt(0.3, -1.0, 2.0) - s, scale=tt(0.5, 1.0, 2.0) + s)
        yield 'Cauchy', dict(loc=tt(0.3, -1.0, 2.0) * s, scale=tt(0.5, 1.0, 2.0) + s)
        yield 'Gumbel', dict(loc=tt(0.3, -1.0, 2.0) + s, scale=tt(0.5, 1.0, 2.0) + s)
        yield 'Uniform', dict(low=tt(0.1, 0.0, 0.2) + 0.1 * s, high=tt(0.9, 0.5, 1.0) - 0.1 * s)
        yield 'Exponential', dict(rate=tt(0.5, 1.0, 3.0) + s)
        yield 'HalfNormal', dict(scale=tt(0.5, 1.0, 2.0) + s)
        yield 'StudentT', dict(df=tt(1.5, 3.0, 5.0) + s, loc=tt(0.0, 1.0, -2.0), scale=tt(1.0, 0.5, 2.0))
        yield 'Gamma', dict(concentration=tt(0.5, 1.0, 3.5) + s, rate=tt(1.0, 2.0, 0.5) + s)
        yield 'Chi2', dict(df=tt(1.0, 2.5, 7.0) + s)
        yield 'Beta', dict(concentration1=tt(0.5, 1.0, 3.0) + s, concentration0=tt(0.7, 2.0, 3.0) + 2 * s)
        yield 'Dirichlet', dict(concentration=tt(0.5, 1.0, 3.0) + s)
        yield 'Bernoulli', dict(probs=tt(0.2, 0.5, 0.9) * (1 - 0.5 * s))
        yield 'Geometric', dict(probs=tt(0.2, 0.5, 0.9) * (1 - 0.5 * s))
        yield 'Binomial', dict(total_count=tt(5.0, 5.0, 5.0) + s, probs=tt(0.2, 0.5, 0.9) * (1 - 0.5 * s))
        yield 'Poisson', dict(rate=tt(0.5, 2.0, 10.0) + s)
        yield 'Categorical', dict(probs=tt(1.0, 2.0, 3.0) + s)
        yield 'OneHotCategorical', dict(probs=tt(1.0, 2.0, 3.0) + s)
        yield 'MultivariateNormal', dict(loc=tt(0.5, -1.0, 2.0) * s, covariance_matrix=spd(3, s))
        yield 'LowRankMultivariateNormal', dict(loc=tt(0.5, -1.0, 2.0) * s,
                                                cov_factor=tt(1.0, 0.5, -0.3, 0.2, 0.7, 1.0).reshape(3, 2) * (1 + s),
                                                cov_diag=tt(0.5, 1.0, 2.0) + s)
        yield 'Independent.Normal', dict(loc=tt(0.3, -1.0, 2.0) + s, scale=tt(0.5, 1.0, 2.0) + s)
        yield 'Transformed.ExpAffine', dict(loc=tt(0.1, -0.5, 1.0) + s, scale=tt(0.4, 1.0, 0.7) + s)


def attempt(f):
    try:
        return enc(f())
    except (NotImplementedError, ValueError, RuntimeError):
        return 'ERR'


def main():
    lines = []
    torch.manual_seed(0)
    ident = 0
    for cls, args in cases():
        d = build(cls, args)
        lines.append(f'dist {ident} {cls} ' + ' '.join(f'{k}={enc(v)}' for k, v in args.items()))
        samples = [d.sample((2,)), d.sample()]
        u = torch.rand((2,) + tuple(d.batch_shape)).clamp(0.01, 0.99)
        for v in samples:
            lines.append(f'method {ident} log_prob {enc(v)} {attempt(lambda: d.log_prob(v))}')
            lines.append(f'method {ident} cdf {enc(v)} {attempt(lambda: d.cdf(v))}')
        lines.append(f'method {ident} icdf {enc(u)} {attempt(lambda: d.icdf(u))}')
        for m in ('entropy', 'mean', 'mode', 'variance', 'stddev'):
            lines.append(f'method {ident} {m} - {attempt(lambda: getattr(d, m) if m != "entropy" else d.entropy())}')
        if d.has_enumerate_support or cls.startswith('Independent'):
            lines.append(f'method {ident} enumerate_support - {attempt(lambda: d.enumerate_support())}')
        ident += 1
    kl = []
    for cls, args in kl_cases():
        lines.append(f'dist {ident} {cls} ' + ' '.join(f'{k}={enc(v)}' for k, v in args.items()))
        kl.append((ident, build(cls, args)))
        ident += 1
    for i, p in kl:
        for j, q in kl:
            lines.append(f'kl {i} {j} {attempt(lambda: D.kl_divergence(p, q))}')
    with open(OUT, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'wrote {len(lines)} lines to {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
