// L-BFGS with an optional strong-Wolfe line search (torch.optim.LBFGS, the
// same iteration, history handling and stopping tests). The parameters are
// treated as one flat vector; scalars (step, curvature) are doubles.
#include <algorithm>
#include <cmath>

#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "kiln/optim.h"
#include "state_io.h"

namespace kiln::optim {
namespace {
double dot_value(const Tensor& a, const Tensor& b) { return kiln::dot(a, b).item<double>(); }
double abs_max(const Tensor& t) { return t.numel() ? t.abs().max().item<double>() : 0.0; }

// The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         std::optional<std::pair<double, double>> bounds = std::nullopt) {
  auto [lo, hi] = bounds ? *bounds : (x1 <= x2 ? std::make_pair(x1, x2) : std::make_pair(x2, x1));
  double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  double d2_square = d1 * d1 - g1 * g2;
  if (d2_square < 0) return (lo + hi) / 2;
  double d2 = std::sqrt(d2_square);
  double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                            : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return std::min(std::max(min_pos, lo), hi);
}

struct Point {
  double t, f;
  Tensor g;
  double gtd;
};
struct SearchResult {
  double f;
  Tensor g;
  double t;
  int64_t evals;
};

// Bracketing, then zooming by cubic interpolation, until the strong Wolfe
// conditions hold (sufficient decrease c1, curvature c2) or max_ls evaluations.
template <class Objective>
SearchResult strong_wolfe(Objective obj, double t, const Tensor& d, double f, const Tensor& g0, double gtd,
                          double c1 = 1e-4, double c2 = 0.9, double tolerance_change = 1e-9, int64_t max_ls = 25) {
  double d_norm = abs_max(d);
  Tensor g = g0.clone();
  auto [f_new, g_new] = obj(t, d);
  int64_t evals = 1;
  double gtd_new = dot_value(g_new, d);
  Point prev{0, f, g, gtd};
  bool done = false;
  int64_t ls_iter = 0;
  std::vector<Point> bracket;
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= prev.f)) {
      bracket = {prev, {t, f_new, g_new.clone(), gtd_new}};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {{t, f_new, g_new, gtd_new}};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {prev, {t, f_new, g_new.clone(), gtd_new}};
      break;
    }
    double min_step = t + 0.01 * (t - prev.t), max_step = t * 10;
    double next = cubic_interpolate(prev.t, prev.f, prev.gtd, t, f_new, gtd_new, std::make_pair(min_step, max_step));
    prev = {t, f_new, g_new.clone(), gtd_new};
    t = next;
    std::tie(f_new, g_new) = obj(t, d);
    ++evals;
    gtd_new = dot_value(g_new, d);
    ++ls_iter;
  }
  if (ls_iter == max_ls) bracket = {{0, f, g, gtd}, {t, f_new, g_new, gtd_new}};

  bool insuf_progress = false;
  auto order = [&] { return bracket[0].f <= bracket.back().f ? std::make_pair(0, 1) : std::make_pair(1, 0); };
  auto [low, high] = order();
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1].t - bracket[0].t) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0].t, bracket[0].f, bracket[0].gtd, bracket[1].t, bracket[1].f, bracket[1].gtd);
    double hi_t = std::max(bracket[0].t, bracket[1].t), lo_t = std::min(bracket[0].t, bracket[1].t);
    double eps = 0.1 * (hi_t - lo_t);
    if (std::min(hi_t - t, t - lo_t) < eps) {
      if (insuf_progress || t >= hi_t || t <= lo_t) {
        t = std::abs(t - hi_t) < std::abs(t - lo_t) ? hi_t - eps : lo_t + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj(t, d);
    ++evals;
    gtd_new = dot_value(g_new, d);
    ++ls_iter;
    if (f_new > f + c1 * t * gtd || f_new >= bracket[static_cast<size_t>(low)].f) {
      bracket[static_cast<size_t>(high)] = {t, f_new, g_new.clone(), gtd_new};
      std::tie(low, high) = order();
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[static_cast<size_t>(high)].t - bracket[static_cast<size_t>(low)].t) >= 0) {
        bracket[static_cast<size_t>(high)] = bracket[static_cast<size_t>(low)];
      }
      bracket[static_cast<size_t>(low)] = {t, f_new, g_new.clone(), gtd_new};
    }
  }
  const Point& best = bracket[static_cast<size_t>(low)];
  return {best.f, best.g, best.t, evals};
}
}  // namespace

LBFGSOptions::LBFGSOptions(double lr) : lr_(lr) {}
std::map<std::string, double> LBFGSOptions::values() const {
  std::map<std::string, double> v{{"lr", lr()},
                                  {"max_iter", static_cast<double>(max_iter())},
                                  {"tolerance_grad", tolerance_grad()},
                                  {"tolerance_change", tolerance_change()},
                                  {"history_size", static_cast<double>(history_size())},
                                  {"strong_wolfe", line_search_fn() ? 1.0 : 0.0}};
  if (max_eval()) v.emplace("max_eval", static_cast<double>(*max_eval()));
  return v;
}
void LBFGSOptions::set_values(const std::map<std::string, double>& v) {
  lr(detail::value_or(v, "lr", lr()));
  max_iter(static_cast<int64_t>(detail::value_or(v, "max_iter", static_cast<double>(max_iter()))));
  if (v.count("max_eval")) max_eval(static_cast<int64_t>(v.at("max_eval")));
  tolerance_grad(detail::value_or(v, "tolerance_grad", tolerance_grad()));
  tolerance_change(detail::value_or(v, "tolerance_change", tolerance_change()));
  history_size(static_cast<int64_t>(detail::value_or(v, "history_size", static_cast<double>(history_size()))));
  if (v.count("strong_wolfe"))
    line_search_fn(v.at("strong_wolfe") != 0 ? std::optional<std::string>("strong_wolfe") : std::nullopt);
}

std::map<std::string, Tensor> LBFGSParamState::tensors() const {
  std::map<std::string, Tensor> out{{"func_evals", detail::number(static_cast<double>(func_evals()))},
                                    {"n_iter", detail::number(static_cast<double>(n_iter()))},
                                    {"t", detail::number(t())},
                                    {"prev_loss", detail::number(prev_loss())},
                                    {"H_diag", detail::number(H_diag())},
                                    {"d", d()},
                                    {"prev_flat_grad", prev_flat_grad()}};
  if (!old_dirs().empty()) {
    out.emplace("old_dirs", stack(std::vector<Tensor>(old_dirs().begin(), old_dirs().end())));
    out.emplace("old_stps", stack(std::vector<Tensor>(old_stps().begin(), old_stps().end())));
    out.emplace("ro", tensor(std::vector<double>(ro().begin(), ro().end()), kFloat64));
  }
  return out;
}
void LBFGSParamState::set_tensors(const std::map<std::string, Tensor>& t) {
  func_evals(static_cast<int64_t>(detail::number_or(t, "func_evals", 0)));
  n_iter(static_cast<int64_t>(detail::number_or(t, "n_iter", 0)));
  this->t(detail::number_or(t, "t", 0));
  prev_loss(detail::number_or(t, "prev_loss", 0));
  H_diag(detail::number_or(t, "H_diag", 1));
  d(detail::tensor_or(t, "d"));
  prev_flat_grad(detail::tensor_or(t, "prev_flat_grad"));
  old_dirs().clear();
  old_stps().clear();
  ro().clear();
  if (t.count("old_dirs")) {
    for (const Tensor& row : unbind(t.at("old_dirs").clone())) old_dirs().push_back(row);
    for (const Tensor& row : unbind(t.at("old_stps").clone())) old_stps().push_back(row);
    Tensor r = t.at("ro").to(kFloat64).contiguous();
    for (int64_t i = 0; i < r.numel(); ++i) ro().push_back(r.data_ptr<double>()[i]);
  }
}

LBFGS::LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults)
    : Optimizer("LBFGS", std::move(param_groups), std::make_unique<LBFGSOptions>(defaults)) {
  KILN_CHECK(param_groups_.size() == 1, "LBFGS: doesn't support per-parameter options (parameter groups), got ",
             param_groups_.size(), " groups");
  KILN_CHECK(defaults.lr() > 0, "LBFGS: invalid learning rate: ", defaults.lr());
  KILN_CHECK(defaults.max_iter() > 0, "LBFGS: max_iter must be positive, got ", defaults.max_iter());
  KILN_CHECK(defaults.history_size() > 0, "LBFGS: history_size must be positive, got ", defaults.history_size());
  KILN_CHECK(!defaults.line_search_fn() || *defaults.line_search_fn() == "strong_wolfe",
             "LBFGS: only 'strong_wolfe' is supported as line_search_fn, got '", defaults.line_search_fn().value_or(""),
             "'");
}

Tensor LBFGS::gather_flat_grad() const {
  std::vector<Tensor> views;
  for (const Tensor& p : param_groups_[0].params())
    views.push_back(p.grad().defined() ? p.grad().reshape({-1}) : zeros({p.numel()}, p.dtype()));
  return cat(views, 0);
}

void LBFGS::add_grad(double step_size, const Tensor& update) {
  int64_t offset = 0;
  for (Tensor& p : param_groups_[0].params()) {
    p.add_(update.narrow(0, offset, p.numel()).view(p.sizes()), step_size);
    offset += p.numel();
  }
}

std::vector<Tensor> LBFGS::clone_params() const {
  std::vector<Tensor> out;
  for (const Tensor& p : param_groups_[0].params()) out.push_back(p.detach().clone());
  return out;
}

void LBFGS::set_params(const std::vector<Tensor>& values) {
  auto& params = param_groups_[0].params();
  for (size_t i = 0; i < params.size(); ++i) params[i].copy_(values[i]);
}

std::tuple<double, Tensor> LBFGS::directional_evaluate(const LossClosure& closure, const std::vector<Tensor>& x,
                                                       double t, const Tensor& d) {
  add_grad(t, d);
  double loss = evaluate(closure).item<double>();
  Tensor flat_grad = gather_flat_grad();
  set_params(x);
  return {loss, flat_grad};
}

Tensor LBFGS::step(LossClosure closure) {
  KILN_CHECK(closure != nullptr, "LBFGS: step() requires a closure that re-evaluates the loss");
  NoGradGuard no_grad;
  auto& o = static_cast<LBFGSOptions&>(param_groups_[0].options());
  const double lr = o.lr(), tolerance_grad = o.tolerance_grad(), tolerance_change = o.tolerance_change();
  const int64_t max_iter = o.max_iter(), max_eval = o.max_eval().value_or(max_iter * 5 / 4);
  const auto history_size = static_cast<size_t>(o.history_size());
  auto& s = state_for<LBFGSParamState>(param_groups_[0].params()[0]);

  Tensor orig_loss = evaluate(closure);
  double loss = orig_loss.item<double>();
  int64_t current_evals = 1;
  s.func_evals(s.func_evals() + 1);
  Tensor flat_grad = gather_flat_grad();
  if (abs_max(flat_grad) <= tolerance_grad) return orig_loss;

  Tensor d = s.d();
  double t = s.t(), H_diag = s.H_diag(), prev_loss = s.prev_loss();
  Tensor prev_flat_grad = s.prev_flat_grad();
  auto& old_dirs = s.old_dirs();
  auto& old_stps = s.old_stps();
  auto& ro = s.ro();

  int64_t n_iter = 0;
  while (n_iter < max_iter) {
    ++n_iter;
    s.n_iter(s.n_iter() + 1);
    if (s.n_iter() == 1) {
      d = flat_grad.neg();
      old_dirs.clear();
      old_stps.clear();
      ro.clear();
      H_diag = 1;
    } else {
      // Update the curvature pairs, then the two-loop recursion for d = -H g.
      Tensor y = flat_grad - prev_flat_grad;
      Tensor step_vec = d * t;
      double ys = dot_value(y, step_vec);
      if (ys > 1e-10) {
        if (old_dirs.size() == history_size) {
          old_dirs.pop_front();
          old_stps.pop_front();
          ro.pop_front();
        }
        old_dirs.push_back(y);
        old_stps.push_back(step_vec);
        ro.push_back(1.0 / ys);
        H_diag = ys / dot_value(y, y);
      }
      size_t num_old = old_dirs.size();
      std::vector<double> al(num_old);
      Tensor q = flat_grad.neg();
      for (size_t i = num_old; i-- > 0;) {
        al[i] = dot_value(old_stps[i], q) * ro[i];
        q.add_(old_dirs[i], -al[i]);
      }
      d = q * H_diag;
      for (size_t i = 0; i < num_old; ++i) {
        double be_i = dot_value(old_dirs[i], d) * ro[i];
        d.add_(old_stps[i], al[i] - be_i);
      }
    }
    prev_flat_grad = flat_grad.clone();
    prev_loss = loss;

    t = s.n_iter() == 1 ? std::min(1.0, 1.0 / flat_grad.abs().sum().item<double>()) * lr : lr;
    double gtd = dot_value(flat_grad, d);
    if (gtd > -tolerance_change) break;

    int64_t ls_func_evals = 0;
    bool opt_cond = false;
    if (o.line_search_fn()) {
      std::vector<Tensor> x_init = clone_params();
      auto obj = [&](double step, const Tensor& dir) { return directional_evaluate(closure, x_init, step, dir); };
      SearchResult r = strong_wolfe(obj, t, d, loss, flat_grad, gtd);
      loss = r.f;
      flat_grad = r.g;
      t = r.t;
      ls_func_evals = r.evals;
      add_grad(t, d);
      opt_cond = abs_max(flat_grad) <= tolerance_grad;
    } else {
      add_grad(t, d);
      if (n_iter != max_iter) {
        loss = evaluate(closure).item<double>();
        flat_grad = gather_flat_grad();
        opt_cond = abs_max(flat_grad) <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    s.func_evals(s.func_evals() + ls_func_evals);

    if (n_iter == max_iter || current_evals >= max_eval || opt_cond) break;
    if (abs_max(d) * std::abs(t) <= tolerance_change) break;
    if (std::abs(loss - prev_loss) < tolerance_change) break;
  }

  s.d(d);
  s.t(t);
  s.H_diag(H_diag);
  s.prev_flat_grad(prev_flat_grad);
  s.prev_loss(prev_loss);
  return orig_loss;
}

}  // namespace kiln::optim
