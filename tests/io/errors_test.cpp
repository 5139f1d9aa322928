// Corrupted, truncated and hostile files raise kiln::Error with a useful
// message; none crashes, reads out of bounds or allocates absurd amounts.
#include "io_test_util.h"

using io_test::reference;
using io_test::ScratchDir;
using io_test::write_bytes;

namespace {

// A .npy file with the given header text (padded as NumPy does) and data bytes.
std::string npy(const std::string& dict, const std::string& data = "", int version = 1) {
  std::string header = dict + "\n";
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(version) + '\0';
  uint32_t n = static_cast<uint32_t>(header.size());
  out.append(reinterpret_cast<const char*>(&n), version == 1 ? 2 : 4);
  return out + header + data;
}

std::string le64(uint64_t v) { return std::string(reinterpret_cast<const char*>(&v), 8); }

std::string safetensors(const std::string& json, const std::string& data) { return le64(json.size()) + json + data; }

// Loading `bytes` with `load` throws kiln::Error whose message contains `needle`.
template <class Load>
void expect_error(const ScratchDir& dir, const std::string& bytes, Load load, const std::string& needle) {
  std::string path = dir / "bad.bin";
  write_bytes(path, bytes);
  try {
    load(path);
    ADD_FAILURE() << "no error; expected one mentioning '" << needle << "'";
  } catch (const kiln::Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

void expect_npy_error(const ScratchDir& dir, const std::string& bytes, const std::string& needle) {
  expect_error(dir, bytes, [](const std::string& p) { kiln::io::load(p); }, needle);
}

TEST(IoErrors, NpyStructure) {
  ScratchDir dir;
  std::string good = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
  std::string data(16, '\0');
  write_bytes(dir / "ok.npy", npy(good, data));
  ASSERT_EQ(kiln::io::load(dir / "ok.npy").numel(), 2);
  expect_npy_error(dir, "", "truncated");
  expect_npy_error(dir, std::string("\x93NUMPX\x01\x00\x00\x00", 10), "bad magic");
  expect_npy_error(dir, npy(good, data).substr(0, 9), "truncated");
  expect_npy_error(dir, npy(good, data, 9), "version 9");
  expect_npy_error(dir, npy(good, data.substr(0, 15)), "truncated");
  // A header length past the end of the file, and an absurd one.
  std::string past = npy(good, data);
  past[8] = '\xff';
  past[9] = '\x7f';
  expect_npy_error(dir, past, "truncated");
  std::string absurd = npy(good, data, 2);
  absurd.replace(8, 4, "\xff\xff\xff\xff");
  expect_npy_error(dir, absurd, "absurd");
}

TEST(IoErrors, NpyHeaderContents) {
  ScratchDir dir;
  auto header = [](const std::string& descr, const std::string& fortran, const std::string& shape) {
    return "{'descr': " + descr + ", 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
  };
  expect_npy_error(dir, npy(header("'<f2'", "False", "(2,)"), "xxxx"), "unsupported .npy dtype '<f2'");
  expect_npy_error(dir, npy(header("'|O'", "False", "(2,)")), "unsupported .npy dtype");
  expect_npy_error(dir, npy(header("'<U3'", "False", "(2,)")), "unsupported .npy dtype");
  expect_npy_error(dir, npy(header("[('a', '<f4')]", "False", "(2,)")), "expected a string");
  expect_npy_error(dir, npy(header("'f8'", "False", "(2,)")), "unsupported .npy dtype");
  expect_npy_error(dir, npy(header("'|f8'", "False", "(2,)")), "needs a byte order");
  expect_npy_error(dir, npy(header("'<f8'", "Maybe", "(2,)")), "expected True or False");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(-1,)")), "negative dimension");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(99999999999999999999,)")), "too large");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(1099511627776, 1099511627776)")), "too many elements");
  // A plausible shape with no data behind it must not allocate a terabyte.
  expect_npy_error(dir, npy(header("'<f8'", "False", "(137438953472,)")), "truncated");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(2, 3")), "expected an integer");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(2,)") + " junk"), "trailing");
  expect_npy_error(dir, npy("{'descr': '<f8', 'shape': (2,), }"), "lacks");
  expect_npy_error(dir, npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}"), "repeated");
  expect_npy_error(dir, npy(header("'<f8'", "False", "(2,)") + "{'extra': 1}"), "trailing");
  expect_npy_error(dir, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 'y'}"), "unexpected");
  expect_npy_error(dir, npy("{'descr: '<f8'}"), "bad .npy header");
  std::string deep(200, '(');
  expect_npy_error(dir, npy(header("'<f8'", "False", deep)), "bad .npy header");
}

TEST(IoErrors, NpyBoolBytesAreNormalised) {
  ScratchDir dir;
  write_bytes(dir / "b.npy", npy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", std::string("\x00\x02\xff", 3)));
  kiln::Tensor t = kiln::io::load(dir / "b.npy");
  ASSERT_EQ(t.dtype(), kiln::kBool);
  const auto* raw = static_cast<const unsigned char*>(t.data_ptr());
  EXPECT_EQ(raw[0], 0);
  EXPECT_EQ(raw[1], 1);
  EXPECT_EQ(raw[2], 1);
}

TEST(IoErrors, MissingFilesAndBadWrites) {
  ScratchDir dir;
  EXPECT_THROW(kiln::io::load(dir / "absent.npy"), kiln::Error);
  EXPECT_THROW(kiln::io::load_npz(dir / "absent.npz"), kiln::Error);
  EXPECT_THROW(kiln::io::load_safetensors(dir / "absent.safetensors"), kiln::Error);
  EXPECT_THROW(kiln::io::load(dir.path().string()), kiln::Error);  // a directory
  kiln::Tensor t = reference(kiln::kFloat32, {2});
  EXPECT_THROW(kiln::io::save(t, dir / "no/such/dir/x.npy"), kiln::Error);
  EXPECT_THROW(kiln::io::save(kiln::Tensor(), dir / "undefined.npy"), kiln::Error);
  EXPECT_FALSE(io_test::fs::exists(dir / "undefined.npy"));
  EXPECT_THROW(kiln::io::save_safetensors({{"__metadata__", t}}, dir / "m.safetensors"), kiln::Error);
  EXPECT_THROW(kiln::io::save_safetensors({{"u", kiln::Tensor()}}, dir / "u.safetensors"), kiln::Error);
  EXPECT_FALSE(io_test::fs::exists(dir / "u.safetensors"));
  EXPECT_THROW(kiln::io::save_npz({{"", t}}, dir / "e.npz"), kiln::Error);
}

// A valid two-member .npz written by kiln, as bytes.
std::string good_npz(const ScratchDir& dir) {
  kiln::io::save_npz({{"a", reference(kiln::kFloat64, {3})}, {"b", reference(kiln::kInt32, {2, 2})}}, dir / "g.npz");
  return io_test::read_bytes(dir / "g.npz");
}

void expect_npz_error(const ScratchDir& dir, const std::string& bytes, const std::string& needle) {
  expect_error(dir, bytes, [](const std::string& p) { kiln::io::load_npz(p); }, needle);
}

TEST(IoErrors, Npz) {
  ScratchDir dir;
  std::string good = good_npz(dir);
  ASSERT_EQ(kiln::io::load_npz(dir / "g.npz").size(), 2u);
  size_t end = good.size() - 22;  // the end-of-central-directory record
  expect_npz_error(dir, "", "not a zip");
  expect_npz_error(dir, std::string(100, 'x'), "no end of central directory");
  expect_npz_error(dir, good.substr(0, good.size() - 30), "");
  // Flip a data byte: the CRC catches it.
  std::string flipped = good;
  flipped[120] ^= 0x40;
  expect_npz_error(dir, flipped, "CRC mismatch");
  // Central directory offset past the end; an absurd entry count.
  std::string far = good;
  far.replace(end + 16, 4, "\xff\xff\xff\x7f");
  expect_npz_error(dir, far, "outside the file");
  std::string many = good;
  many.replace(end + 8, 4, "\xff\xfe\xff\xfe");
  expect_npz_error(dir, many, "entries");
  // A member that is not an array, and a corrupt array inside a valid zip.
  std::string renamed = good;
  for (size_t at = renamed.find("a.npy"); at != std::string::npos; at = renamed.find("a.npy", at + 1))
    renamed.replace(at, 5, "a.txt");
  expect_npz_error(dir, renamed, "not a .npy array");
  // A deflate member whose claimed size is a zip bomb.
  std::string bomb = good;
  size_t first_central = bomb.find("PK\x01\x02");
  bomb[first_central + 10] = 8;                       // method: deflate
  bomb.replace(first_central + 24, 4, std::string("\x00\x00\x00\x7f", 4));  // ~2 GiB uncompressed
  expect_npz_error(dir, bomb, "impossible compression ratio");
  std::string method = good;
  method[first_central + 10] = 12;  // bzip2
  expect_npz_error(dir, method, "compression method 12");
}

void expect_st_error(const ScratchDir& dir, const std::string& bytes, const std::string& needle) {
  expect_error(dir, bytes, [](const std::string& p) { kiln::io::load_safetensors(p); }, needle);
}

TEST(IoErrors, Safetensors) {
  ScratchDir dir;
  std::string data(24, '\0');
  auto entry = [](const std::string& dtype, const std::string& shape, const std::string& offsets) {
    return "{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}}";
  };
  std::string good = entry("F64", "[3]", "[0,24]");
  write_bytes(dir / "ok.safetensors", safetensors(good, data));
  ASSERT_EQ(kiln::io::load_safetensors(dir / "ok.safetensors").at("w").numel(), 3);
  expect_st_error(dir, "", "truncated");
  expect_st_error(dir, le64(1000) + "{}", "truncated");
  expect_st_error(dir, le64(uint64_t{1} << 62) + "{}", "absurd");
  expect_st_error(dir, safetensors("[1, 2]", ""), "not a JSON object");
  expect_st_error(dir, safetensors("{\"w\": ", ""), "bad JSON");
  expect_st_error(dir, safetensors("{\"w\": 1,}", ""), "bad JSON");
  expect_st_error(dir, safetensors("{\"a\\x\": 1}", ""), "bad JSON");
  expect_st_error(dir, safetensors("{\"\\ud800\": 1}", ""), "surrogate");
  expect_st_error(dir, safetensors(std::string(100000, '[') + std::string(100000, ']'), ""), "nesting too deep");
  expect_st_error(dir, safetensors(good.substr(0, good.size() - 1) + ",\"w\":{}}", data), "duplicate key");
  expect_st_error(dir, safetensors(entry("F16", "[3]", "[0,6]"), data.substr(0, 6)), "unsupported safetensors dtype");
  expect_st_error(dir, safetensors(entry("F64", "[-3]", "[0,24]"), data), "not a non-negative integer");
  expect_st_error(dir, safetensors(entry("F64", "[3.0]", "[0,24]"), data), "not a non-negative integer");
  expect_st_error(dir, safetensors(entry("F64", "[4294967296,4294967296]", "[0,24]"), data), "too many elements");
  expect_st_error(dir, safetensors(entry("F64", "[1099511627776]", "[0,8796093022208]"), data), "cover");
  expect_st_error(dir, safetensors(entry("F64", "[3]", "[0,16]"), data), "bytes of data");
  expect_st_error(dir, safetensors(entry("F64", "[3]", "[8,32]"), data), "starts at 8");
  expect_st_error(dir, safetensors(entry("F64", "[3]", "[24,0]"), data), "bad data_offsets");
  expect_st_error(dir, safetensors(entry("F64", "[3]", "[0]"), data), "not a pair");
  expect_st_error(dir, safetensors(good, data + "x"), "cover");
  expect_st_error(dir, safetensors("{\"w\":{\"dtype\":\"F64\"}}", data), "needs dtype");
  expect_st_error(dir, safetensors("{\"__metadata__\":{\"k\":1}}", ""), "not a string");
  // Two tensors overlapping the same bytes.
  std::string overlap =
      "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]},"
      "\"b\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}";
  expect_st_error(dir, safetensors(overlap, data), "starts at 0");
}

}  // namespace
