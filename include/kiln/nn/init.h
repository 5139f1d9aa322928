// kiln::nn::init (torch::nn::init): in-place initialisers, without autograd recording.
#pragma once
#include <tuple>

#include "kiln/tensor.h"

namespace kiln {
namespace enumtype {
struct kFanIn {};
struct kFanOut {};
struct kLinear {};
struct kConv1D {};
struct kConv2D {};
struct kConv3D {};
struct kSigmoid {};
struct kTanh {};
struct kReLU {};
struct kLeakyReLU {};
}  // namespace enumtype
inline constexpr enumtype::kFanIn kFanIn{};
inline constexpr enumtype::kFanOut kFanOut{};
inline constexpr enumtype::kLinear kLinear{};
inline constexpr enumtype::kSigmoid kSigmoid{};
inline constexpr enumtype::kTanh kTanh{};
inline constexpr enumtype::kReLU kReLU{};
inline constexpr enumtype::kLeakyReLU kLeakyReLU{};

namespace nn::init {
class FanModeType {
 public:
  FanModeType(enumtype::kFanIn) : fan_in_(true) {}    // NOLINT: implicit, as torch's variant
  FanModeType(enumtype::kFanOut) : fan_in_(false) {}  // NOLINT
  bool fan_in() const { return fan_in_; }

 private:
  bool fan_in_;
};
class NonlinearityType {
 public:
  enum Kind { Linear, Conv1D, Conv2D, Conv3D, Sigmoid, Tanh, ReLU, LeakyReLU };
  NonlinearityType(enumtype::kLinear) : kind_(Linear) {}  // NOLINT
  NonlinearityType(enumtype::kConv1D) : kind_(Conv1D) {}  // NOLINT
  NonlinearityType(enumtype::kConv2D) : kind_(Conv2D) {}  // NOLINT
  NonlinearityType(enumtype::kConv3D) : kind_(Conv3D) {}  // NOLINT
  NonlinearityType(enumtype::kSigmoid) : kind_(Sigmoid) {}      // NOLINT
  NonlinearityType(enumtype::kTanh) : kind_(Tanh) {}            // NOLINT
  NonlinearityType(enumtype::kReLU) : kind_(ReLU) {}            // NOLINT
  NonlinearityType(enumtype::kLeakyReLU) : kind_(LeakyReLU) {}  // NOLINT
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

double calculate_gain(NonlinearityType nonlinearity, double param = 0.01);
// (fan_in, fan_out) of a weight of at least two dimensions.
std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor uniform_(Tensor tensor, double low = 0, double high = 1);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1);
Tensor constant_(Tensor tensor, Scalar value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
Tensor eye_(Tensor matrix);
Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanModeType mode = kFanIn,
                        NonlinearityType nonlinearity = kLeakyReLU);
Tensor kaiming_normal_(Tensor tensor, double a = 0, FanModeType mode = kFanIn,
                       NonlinearityType nonlinearity = kLeakyReLU);
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0);
}  // namespace nn::init
}  // namespace kiln
