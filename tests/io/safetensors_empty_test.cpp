// safetensors files holding empty tensors among many: an empty tensor shares
// its offset with the next one, and the reader must order the two (begin,
// then end) rather than leave the tie to std::sort.
#include <map>
#include <string>

#include "io/io_test_util.h"

namespace {
using kiln::Tensor;

// Names that sort like the positions: t000, t001, ...
std::string name_of(int i) {
  std::string digits = std::to_string(i);
  return "t" + std::string(3 - digits.size(), '0') + digits;
}

TEST(SafetensorsEmpty, RoundTripWithAnEmptyTensorAtEveryPosition) {
  io_test::ScratchDir dir;
  for (int n : {2, 17, 20, 40}) {
    for (int empty_at = 0; empty_at < n; ++empty_at) {
      std::map<std::string, Tensor> tensors;
      for (int i = 0; i < n; ++i)
        tensors[name_of(i)] = i == empty_at ? kiln::empty({0, 3}) : kiln::full({1 + i % 3}, static_cast<double>(i));
      std::string path = dir / ("n" + std::to_string(n) + "_" + std::to_string(empty_at) + ".safetensors");
      kiln::io::save_safetensors(tensors, path);
      std::map<std::string, Tensor> back;
      ASSERT_NO_THROW(back = kiln::io::load_safetensors(path)) << "n=" << n << " empty at " << empty_at;
      ASSERT_EQ(back.size(), tensors.size());
      for (const auto& [name, t] : tensors) {
        ASSERT_EQ(back[name].sizes(), t.sizes()) << name;
        EXPECT_TRUE(kiln::equal(back[name], t)) << name;
      }
    }
  }
}

TEST(SafetensorsEmpty, SeveralEmptyTensorsAndMixedDtypes) {
  io_test::ScratchDir dir;
  std::map<std::string, Tensor> tensors;
  for (int i = 0; i < 30; ++i) {
    if (i % 4 == 0) tensors[name_of(i)] = kiln::empty({0}, kiln::kFloat64);
    else if (i % 4 == 1) tensors[name_of(i)] = kiln::empty({2, 0}, kiln::kInt32);
    else if (i % 4 == 2) tensors[name_of(i)] = kiln::full({2}, i, kiln::kInt64);
    else tensors[name_of(i)] = kiln::full({3}, i * 0.5, kiln::kFloat32);
  }
  std::string path = dir / "mixed.safetensors";
  kiln::io::save_safetensors(tensors, path);
  auto back = kiln::io::load_safetensors(path);
  ASSERT_EQ(back.size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    EXPECT_EQ(back[name].dtype(), t.dtype()) << name;
    EXPECT_TRUE(kiln::equal(back[name], t)) << name;
  }
}

}  // namespace
