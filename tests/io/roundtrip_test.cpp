// Save then load gives back the same dtype, shape and bytes, for every
// dtype, rank and memory layout, in all three formats.
#include "io_test_util.h"

using io_test::identical;
using io_test::reference;
using io_test::ScratchDir;

namespace {

const kiln::ScalarType kDtypes[] = {kiln::kFloat32, kiln::kFloat64, kiln::kInt32, kiln::kInt64, kiln::kBool};
// The last one: empty and of higher rank than kiln's kernels iterate (found by the fuzzer).
const std::vector<std::vector<int64_t>> kShapes = {{},        {1},       {7},
                                                   {2, 3},    {2, 3, 4}, {0},
                                                   {3, 0, 2}, {1, 1, 1, 1, 5}, {2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 23}};

TEST(IoRoundTrip, NpyEveryDtypeAndShape) {
  ScratchDir dir;
  for (auto dtype : kDtypes) {
    for (const auto& shape : kShapes) {
      kiln::Tensor t = reference(dtype, shape);
      std::string path = dir / "t.npy";
      kiln::io::save(t, path);
      EXPECT_TRUE(identical(kiln::io::load(path), t)) << dtype << " " << kiln::IntArrayRef(shape);
    }
  }
}

TEST(IoRoundTrip, NpyHeaderIsAlignedAndReadable) {
  ScratchDir dir;
  kiln::io::save(reference(kiln::kFloat64, {2, 3}), dir / "a.npy");
  std::string bytes = io_test::read_bytes(dir / "a.npy");
  ASSERT_GE(bytes.size(), 128u);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  EXPECT_EQ(bytes[6], 1);
  size_t header_len = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_EQ(bytes[10 + header_len - 1], '\n');
  EXPECT_NE(bytes.find("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), std::string::npos);
  EXPECT_EQ(bytes.size(), 10 + header_len + 6 * 8);
}

TEST(IoRoundTrip, NonContiguousInputIsSavedInLogicalOrder) {
  ScratchDir dir;
  kiln::Tensor t = reference(kiln::kFloat32, {3, 4}).t();  // a transposed view
  ASSERT_FALSE(t.is_contiguous());
  kiln::io::save(t, dir / "t.npy");
  kiln::Tensor back = kiln::io::load(dir / "t.npy");
  EXPECT_TRUE(back.is_contiguous());
  EXPECT_TRUE(identical(back, t.contiguous()));
}

TEST(IoRoundTrip, TensorsRequiringGradAreSaved) {
  ScratchDir dir;
  kiln::Tensor t = reference(kiln::kFloat64, {4}).requires_grad_();
  kiln::io::save(t, dir / "g.npy");
  kiln::Tensor back = kiln::io::load(dir / "g.npy");
  EXPECT_FALSE(back.requires_grad());
  EXPECT_TRUE(identical(back, t.detach()));
}

TEST(IoRoundTrip, NpzKeepsEveryTensorByName) {
  ScratchDir dir;
  std::map<std::string, kiln::Tensor> tensors;
  for (auto dtype : kDtypes) tensors[kiln::python_name(dtype)] = reference(dtype, {2, 5});
  tensors["scalar"] = reference(kiln::kFloat64, {});
  tensors["empty"] = reference(kiln::kInt64, {0, 4});
  kiln::io::save_npz(tensors, dir / "all.npz");
  auto back = kiln::io::load_npz(dir / "all.npz");
  ASSERT_EQ(back.size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    ASSERT_TRUE(back.count(name)) << name;
    EXPECT_TRUE(identical(back[name], t)) << name;
  }
}

TEST(IoRoundTrip, EmptyNpz) {
  ScratchDir dir;
  kiln::io::save_npz({}, dir / "none.npz");
  EXPECT_TRUE(kiln::io::load_npz(dir / "none.npz").empty());
}

TEST(IoRoundTrip, SafetensorsKeepsTensorsAndMetadata) {
  ScratchDir dir;
  std::map<std::string, kiln::Tensor> tensors;
  for (auto dtype : kDtypes) tensors[std::string("w.") + kiln::python_name(dtype)] = reference(dtype, {3, 2});
  tensors["scalar"] = reference(kiln::kInt32, {});
  tensors["empty"] = reference(kiln::kFloat32, {0});
  tensors["quote\"and\\slash \xc3\xa9"] = reference(kiln::kFloat64, {2});
  std::map<std::string, std::string> meta = {{"format", "pt"}, {"note", "line\nbreak \"quoted\""}};
  kiln::io::save_safetensors(tensors, dir / "m.safetensors", meta);
  auto back = kiln::io::load_safetensors(dir / "m.safetensors");
  ASSERT_EQ(back.size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    ASSERT_TRUE(back.count(name)) << name;
    EXPECT_TRUE(identical(back[name], t)) << name;
  }
  EXPECT_EQ(kiln::io::load_safetensors_metadata(dir / "m.safetensors"), meta);
}

TEST(IoRoundTrip, SafetensorsDataIsAligned) {
  ScratchDir dir;
  kiln::io::save_safetensors({{"b", reference(kiln::kBool, {3})}, {"d", reference(kiln::kFloat64, {2})}},
                             dir / "a.safetensors");
  std::string bytes = io_test::read_bytes(dir / "a.safetensors");
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.size(), 8 + n + 2 * 8 + 3);
  // The float64 tensor comes first, so it starts on an 8-byte boundary.
  EXPECT_NE(bytes.find("\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}"), std::string::npos);
}

TEST(IoRoundTrip, SavedFilesAreDeterministic) {
  ScratchDir dir;
  std::map<std::string, kiln::Tensor> m = {{"x", reference(kiln::kFloat32, {4})}};
  kiln::io::save_npz(m, dir / "1.npz");
  kiln::io::save_npz(m, dir / "2.npz");
  EXPECT_EQ(io_test::read_bytes(dir / "1.npz"), io_test::read_bytes(dir / "2.npz"));
}

}  // namespace
