// .npy reading and writing. The header is a Python dict literal such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// parsed here by a small strict parser (no eval, bounded length).
#include "npy.h"

#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "raw.h"

namespace kiln::io {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// NumPy refuses headers above 10000 bytes by default; allow more, but bounded.
constexpr uint64_t kMaxHeader = 1 << 20;

struct NpyHeader {
  ScalarType dtype = kFloat32;
  bool swap_bytes = false;
  bool fortran = false;
  std::vector<int64_t> shape;
};

// A cursor over the header text; every method fails with a message naming the position.
class LiteralParser {
 public:
  LiteralParser(std::string_view text, const std::string& op) : s_(text), op_(op) {}

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  void expect(char c) {
    if (!accept(c)) fail(std::string("expected '") + c + "'");
  }
  bool at_end() {
    skip_space();
    return pos_ == s_.size();
  }
  // 'text' or "text" without escapes (NumPy never writes any).
  std::string string() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("expected a string");
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string_view body = s_.substr(pos_, end - pos_);
    if (body.find('\\') != std::string_view::npos) fail("escapes in strings are not supported");
    pos_ = end + 1;
    return std::string(body);
  }
  bool boolean() {
    skip_space();
    for (auto [word, value] : {std::pair{std::string_view("True"), true}, std::pair{std::string_view("False"), false}}) {
      if (s_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    fail("expected True or False");
  }
  // A non-negative integer (Python 2 NumPy wrote a trailing L).
  int64_t integer() {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == '-') fail("negative dimension");
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("expected an integer");
    int64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[pos_] - '0', &v)) fail("dimension too large");
      ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;
    return v;
  }
  // (), (n,) or (n, m, ...) with an optional trailing comma.
  std::vector<int64_t> tuple() {
    expect('(');
    std::vector<int64_t> items;
    while (!accept(')')) {
      if (items.size() >= 64) fail("too many dimensions");
      items.push_back(integer());
      if (!accept(',')) {
        expect(')');
        break;
      }
    }
    return items;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(detail::concat(op_, ": bad .npy header (", what, " at offset ", pos_, ")"));
  }

 private:
  std::string_view s_;
  const std::string& op_;
  size_t pos_ = 0;
};

// '<f8' -> float64 little-endian, ...; only kiln's five dtypes are accepted.
void parse_descr(const std::string& descr, NpyHeader& h, const std::string& op) {
  KILN_CHECK(descr.size() == 3, op, ": unsupported .npy dtype '", descr, "'");
  char order = descr[0];
  std::string_view code(descr.data() + 1, 2);
  KILN_CHECK(order == '<' || order == '>' || order == '|' || order == '=', op, ": unsupported .npy dtype '", descr,
             "'");
  if (code == "f4") h.dtype = kFloat32;
  else if (code == "f8") h.dtype = kFloat64;
  else if (code == "i4") h.dtype = kInt32;
  else if (code == "i8") h.dtype = kInt64;
  else if (code == "b1") h.dtype = kBool;
  else if (code == "u1") h.dtype = kUInt8;
  else if (code == "i1") h.dtype = kInt8;
  else if (code == "i2") h.dtype = kInt16;
  else throw Error(detail::concat(op, ": unsupported .npy dtype '", descr, "' (kiln reads f4, f8, i1, i2, i4, i8, u1, b1)"));
  KILN_CHECK(order != '|' || element_size(h.dtype) == 1, op, ": .npy dtype '", descr, "' needs a byte order");
  h.swap_bytes = order == '>';
}

NpyHeader parse_header(std::string_view text, const std::string& op) {
  LiteralParser p(text, op);
  NpyHeader h;
  std::optional<std::string> descr;
  std::optional<bool> fortran;
  std::optional<std::vector<int64_t>> shape;
  p.expect('{');
  while (!p.accept('}')) {
    std::string key = p.string();
    p.expect(':');
    if (key == "descr" && !descr) descr = p.string();
    else if (key == "fortran_order" && !fortran) fortran = p.boolean();
    else if (key == "shape" && !shape) shape = p.tuple();
    else p.fail("unexpected or repeated key '" + key + "'");
    if (!p.accept(',')) {
      p.expect('}');
      break;
    }
  }
  if (!p.at_end()) p.fail("trailing characters");
  KILN_CHECK(descr && fortran && shape, op, ": .npy header lacks one of 'descr', 'fortran_order', 'shape'");
  parse_descr(*descr, h, op);
  h.fortran = *fortran;
  h.shape = std::move(*shape);
  return h;
}

const char* descr_of(ScalarType t) {
  switch (t) {
    case kFloat32: return "<f4";
    case kFloat64: return "<f8";
    case kInt32: return "<i4";
    case kInt64: return "<i8";
    case kBool: return "|b1";
    case kUInt8: return "|u1";
    case kInt8: return "|i1";
    case kInt16: return "<i2";
  }
  throw Error("save: unknown dtype");
}

}  // namespace

Tensor read_npy(const Source& src) {
  const std::string& op = src.name();
  std::string magic = src.read_string(0, 8, ".npy magic");
  KILN_CHECK(std::memcmp(magic.data(), kMagic, kMagicSize) == 0, op, ": not a .npy file (bad magic)");
  int major = static_cast<unsigned char>(magic[6]);
  KILN_CHECK(major >= 1 && major <= 3, op, ": unsupported .npy format version ", major, ".",
             static_cast<int>(static_cast<unsigned char>(magic[7])));
  uint64_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = src.read_le<uint16_t>(8, ".npy header length");
    header_start = 10;
  } else {
    header_len = src.read_le<uint32_t>(8, ".npy header length");
    header_start = 12;
  }
  KILN_CHECK(header_len <= kMaxHeader, op, ": .npy header length ", header_len, " is absurd");
  std::string header = src.read_string(header_start, header_len, ".npy header");
  NpyHeader h = parse_header(header, op);
  return read_tensor(src, header_start + header_len, h.dtype, h.shape, h.fortran, h.swap_bytes);
}

void write_npy(Sink& out, const Tensor& t, const std::string& op) {
  KILN_CHECK(t.defined(), op, ": undefined tensor");
  std::string dict = detail::concat("{'descr': '", descr_of(t.dtype()), "', 'fortran_order': False, 'shape': (");
  for (int64_t i = 0; i < t.dim(); ++i) dict += detail::concat(t.size(i), t.dim() == 1 ? "," : (i + 1 < t.dim() ? ", " : ""));
  dict += "), }";
  // Pad with spaces and a newline so the data starts on a 64-byte boundary.
  bool v2 = dict.size() + 1 + 10 > 65535;
  size_t prefix = v2 ? 12 : 10;
  size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  out.write(kMagic, kMagicSize);
  out.write_le<uint8_t>(v2 ? 2 : 1);
  out.write_le<uint8_t>(0);
  if (v2) out.write_le<uint32_t>(static_cast<uint32_t>(dict.size()));
  else out.write_le<uint16_t>(static_cast<uint16_t>(dict.size()));
  out.write(dict);
  write_tensor_bytes(out, t);
}

}  // namespace kiln::io
