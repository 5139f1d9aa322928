// Learning the hyperparameters: maximise the log marginal likelihood (plus
// log priors: MAP) over the raw parameters with L-BFGS or Adam, from the
// given values and from random restarts; the best start is kept.
#include <cmath>
#include <iostream>
#include <limits>

#include "common.h"
#include "kiln/optim.h"
#include "kiln/random.h"

namespace kiln::gp {
namespace {

// Raw parameters for a random start: positive values log-uniform in
// [e^-3, e^3] times their current scale, free ones normal around their value.
void randomise(const std::vector<detail::Hyper>& hypers) {
  NoGradGuard no_grad;
  for (const auto& h : hypers) {
    Tensor raw = h.raw;
    if (h.positive) {
      Tensor v = softplus(raw) * exp(rand_like(raw) * 6 - 3);
      raw.copy_(v + log(-expm1(-v)));
    } else {
      raw.add_(randn_like(raw));
    }
  }
}

std::vector<Tensor> values(const std::vector<Tensor>& params) {
  std::vector<Tensor> out;
  for (const Tensor& p : params) out.push_back(p.detach().clone());
  return out;
}

void restore(const std::vector<Tensor>& params, const std::vector<Tensor>& saved) {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params.size(); ++i) {
    Tensor p = params[i];
    p.copy_(saved[i]);
  }
}

}  // namespace

FitReport ExactGP::fit(const FitOptions& o) {
  KILN_CHECK(o.optimizer_ == "lbfgs" || o.optimizer_ == "adam", "gp::ExactGP.fit: optimizer must be \"lbfgs\" or \"adam\", got \"",
             o.optimizer_, "\"");
  KILN_CHECK(o.max_iter_ > 0 && o.restarts_ >= 0, "gp::ExactGP.fit: max_iter must be positive and restarts non-negative");
  std::vector<detail::Hyper> hs = hypers();
  // The prior terms, bound to their hyperparameters by name.
  std::vector<std::pair<detail::Hyper, const LogPrior*>> priors;
  for (const auto& [name, log_prior] : o.priors_) {
    bool found = false;
    for (const auto& h : hs)
      if (h.name == name) {
        priors.emplace_back(h, &log_prior);
        found = true;
      }
    std::string known;
    for (const auto& h : hs) known += (known.empty() ? "" : ", ") + h.name;
    KILN_CHECK(found, "gp::ExactGP.fit: a prior on \"", name, "\", which is not a hyperparameter (they are: ", known, ")");
  }
  std::vector<Tensor> params = parameters();
  FitReport report;
  double lml = 0;
  auto objective = [&] {
    Tensor v = log_marginal_likelihood();
    lml = v.item<double>();
    for (const auto& [h, log_prior] : priors) v = v + (*log_prior)(h.value()).sum();
    ++report.evaluations;
    return v;
  };
  double best = -std::numeric_limits<double>::infinity();
  std::vector<Tensor> best_params = values(params);
  // Restarts draw from their own seed; the caller's random stream is left as it was.
  Generator caller = default_generator();
  for (int64_t start = 0; start <= o.restarts_; ++start) {
    if (start > 0) {
      restore(params, best_params);
      manual_seed(o.seed_ + start);
      randomise(hs);
    }
    int64_t steps = 0;
    double value = -std::numeric_limits<double>::infinity(), value_lml = 0;
    auto progress = [&](double v) {
      if (o.verbose_)
        std::cerr << "\rgp.fit: start " << start << "/" << o.restarts_ << ", step " << steps
                  << ", objective " << v << ", jitter " << jitter_ << "   " << std::flush;
    };
    try {
      if (o.optimizer_ == "lbfgs") {
        optim::LBFGS opt(params, optim::LBFGSOptions(1.0)
                                     .max_iter(o.max_iter_)
                                     .max_eval(o.max_iter_ * 5 / 4)
                                     .tolerance_change(o.tolerance_)
                                     .tolerance_grad(1e-9)
                                     .history_size(50)
                                     .line_search_fn("strong_wolfe"));
        opt.step([&] {
          opt.zero_grad();
          Tensor loss = -objective();
          loss.backward();
          ++steps;
          progress(-loss.item<double>());
          return loss;
        });
      } else {
        optim::Adam opt(params, optim::AdamOptions(o.lr_));
        double last = std::numeric_limits<double>::infinity();
        for (; steps < o.max_iter_; ++steps) {
          opt.zero_grad();
          Tensor loss = -objective();
          loss.backward();
          double l = loss.item<double>();
          progress(-l);
          if (std::abs(last - l) <= o.tolerance_ * std::max(1.0, std::abs(l))) break;
          last = l;
          opt.step();
        }
      }
      NoGradGuard no_grad;
      value = objective().item<double>();
      value_lml = lml;
    } catch (const Error&) {
      // A start that ran into a matrix the jitter could not repair; the given start must not.
      if (start == 0) throw;
      continue;
    }
    if (std::isfinite(value) && value > best) {
      best = value;
      best_params = values(params);
      report.iterations = steps;
      report.best_start = start;
      report.log_marginal_likelihood = value_lml;
    }
  }
  default_generator() = caller;
  if (o.verbose_) std::cerr << "\n";
  restore(params, best_params);
  NoGradGuard no_grad;
  report.objective = objective().item<double>();
  report.log_marginal_likelihood = lml;
  report.jitter = jitter_;
  return report;
}

}  // namespace kiln::gp
