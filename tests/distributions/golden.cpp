#include "golden.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace dist_test {

namespace D = kiln::distributions;

Tensor parse_tensor(const std::string& text) {
  size_t colon = text.find(':');
  std::vector<int64_t> shape;
  std::string dims = text.substr(1, colon - 2);
  std::stringstream ds(dims);
  for (std::string d; std::getline(ds, d, ',');) shape.push_back(std::stoll(d));
  std::vector<double> values;
  std::stringstream vs(text.substr(colon + 1));
  for (std::string v; std::getline(vs, v, ',');) values.push_back(std::stod(v));
  return kiln::tensor(values, kiln::dtype(kiln::kFloat64)).reshape(shape);
}

const Goldens& goldens() {
  static Goldens g = [] {
    Goldens out;
    std::ifstream in(std::string(KILN_SOURCE_DIR) + "/tests/distributions/data/golden.txt");
    EXPECT_TRUE(in.good()) << "tests/distributions/data/golden.txt is missing: run tools/golden/gen_distributions.py";
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string kind;
      ls >> kind;
      if (kind == "dist") {
        Case c;
        ls >> c.id >> c.cls;
        for (std::string kv; ls >> kv;) {
          size_t eq = kv.find('=');
          c.args[kv.substr(0, eq)] = parse_tensor(kv.substr(eq + 1));
        }
        out.cases[c.id] = c;
      } else if (kind == "method") {
        MethodCall m;
        std::string input, result;
        ls >> m.id >> m.method >> input >> result;
        if (input != "-") m.input = parse_tensor(input);
        if (result != "ERR") m.expected = parse_tensor(result);
        out.methods.push_back(m);
      } else if (kind == "kl") {
        KLCall k;
        std::string result;
        ls >> k.p >> k.q >> result;
        if (result != "ERR") k.expected = parse_tensor(result);
        out.kls.push_back(k);
      }
    }
    return out;
  }();
  return g;
}

std::shared_ptr<D::Distribution> make(const Case& c) {
  const Args& a = c.args;
  auto at = [&](const char* k) { return a.at(k); };
  const std::string& n = c.cls;
  if (n == "Normal") return std::make_shared<D::Normal>(at("loc"), at("scale"));
  if (n == "LogNormal") return std::make_shared<D::LogNormal>(at("loc"), at("scale"));
  if (n == "Laplace") return std::make_shared<D::Laplace>(at("loc"), at("scale"));
  if (n == "Cauchy") return std::make_shared<D::Cauchy>(at("loc"), at("scale"));
  if (n == "Gumbel") return std::make_shared<D::Gumbel>(at("loc"), at("scale"));
  if (n == "Uniform") return std::make_shared<D::Uniform>(at("low"), at("high"));
  if (n == "Exponential") return std::make_shared<D::Exponential>(at("rate"));
  if (n == "HalfNormal") return std::make_shared<D::HalfNormal>(at("scale"));
  if (n == "StudentT") return std::make_shared<D::StudentT>(at("df"), at("loc"), at("scale"));
  if (n == "Gamma") return std::make_shared<D::Gamma>(at("concentration"), at("rate"));
  if (n == "Chi2") return std::make_shared<D::Chi2>(at("df"));
  if (n == "Beta") return std::make_shared<D::Beta>(at("concentration1"), at("concentration0"));
  if (n == "Dirichlet") return std::make_shared<D::Dirichlet>(at("concentration"));
  if (n == "Bernoulli") return std::make_shared<D::Bernoulli>(at("probs"));
  if (n == "Bernoulli.logits") return D::Bernoulli::from_logits(at("logits")).clone();
  if (n == "Geometric") return std::make_shared<D::Geometric>(at("probs"));
  if (n == "Geometric.logits") return D::Geometric::from_logits(at("logits")).clone();
  if (n == "Binomial") return std::make_shared<D::Binomial>(at("total_count"), at("probs"));
  if (n == "Binomial.logits") return D::Binomial::from_logits(at("total_count"), at("logits")).clone();
  if (n == "Poisson") return std::make_shared<D::Poisson>(at("rate"));
  if (n == "Categorical") return std::make_shared<D::Categorical>(at("probs"));
  if (n == "Categorical.logits") return D::Categorical::from_logits(at("logits")).clone();
  if (n == "OneHotCategorical") return std::make_shared<D::OneHotCategorical>(at("probs"));
  auto count = [&] { return static_cast<int64_t>(at("total_count").item<double>()); };
  if (n == "Multinomial") return std::make_shared<D::Multinomial>(count(), at("probs"));
  if (n == "Multinomial.logits") return D::Multinomial::from_logits(count(), at("logits")).clone();
  if (n == "MultivariateNormal") return std::make_shared<D::MultivariateNormal>(at("loc"), at("covariance_matrix"));
  if (n == "MultivariateNormal.scale_tril")
    return D::MultivariateNormal::from_scale_tril(at("loc"), at("scale_tril")).clone();
  if (n == "MultivariateNormal.precision")
    return D::MultivariateNormal::from_precision(at("loc"), at("precision_matrix")).clone();
  if (n == "LowRankMultivariateNormal")
    return std::make_shared<D::LowRankMultivariateNormal>(at("loc"), at("cov_factor"), at("cov_diag"));
  if (n == "Independent.Normal") return std::make_shared<D::Independent>(D::Normal(at("loc"), at("scale")), 1);
  if (n == "Independent.Bernoulli") return std::make_shared<D::Independent>(D::Bernoulli(at("probs")), 1);
  if (n == "Mixture.Normal")
    return std::make_shared<D::MixtureSameFamily>(D::Categorical(at("weights")), D::Normal(at("loc"), at("scale")));
  D::Normal base(at("loc"), at("scale"));
  if (n == "Transformed.ExpAffine")
    return std::make_shared<D::TransformedDistribution>(base, std::vector<D::Transform>{D::ExpTransform(), D::AffineTransform(1.0, 2.0)});
  if (n == "Transformed.Sigmoid")
    return std::make_shared<D::TransformedDistribution>(base, std::vector<D::Transform>{D::SigmoidTransform()});
  if (n == "Transformed.Tanh")
    return std::make_shared<D::TransformedDistribution>(base, std::vector<D::Transform>{D::TanhTransform()});
  if (n == "Transformed.Softplus")
    return std::make_shared<D::TransformedDistribution>(base, std::vector<D::Transform>{D::SoftplusTransform()});
  if (n == "Transformed.NegAffine")
    return std::make_shared<D::TransformedDistribution>(base, std::vector<D::Transform>{D::AffineTransform(0.5, -3.0)});
  ADD_FAILURE() << "golden case of unknown class " << n;
  return nullptr;
}

void expect_matches(const Tensor& actual, const Tensor& expected, const std::string& what, double rel) {
  ASSERT_EQ(actual.sizes().vec(), expected.sizes().vec()) << what;
  Tensor a = actual.detach().to(kiln::kFloat64).contiguous(), e = expected.contiguous();
  const double* pa = a.data_ptr<double>();
  const double* pe = e.data_ptr<double>();
  for (int64_t i = 0; i < a.numel(); ++i) {
    if (std::isnan(pe[i])) {
      EXPECT_TRUE(std::isnan(pa[i])) << what << " at " << i << ": " << pa[i] << " vs nan";
    } else if (std::isinf(pe[i])) {
      EXPECT_EQ(pa[i], pe[i]) << what << " at " << i;
    } else {
      EXPECT_NEAR(pa[i], pe[i], rel * std::abs(pe[i]) + 1e-13) << what << " at " << i;
    }
  }
}

}  // namespace dist_test
