// safetensors: u64 header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// then the data buffer. As in the reference implementation, the tensors must
// tile the buffer exactly: sorted by offset, each begins where the last ended.
#include "safetensors.h"

#include <algorithm>
#include <vector>

#include "json.h"
#include "raw.h"
#include "kiln/io.h"

namespace kiln::io {
namespace {

// The reference implementation's limit on the header size.
constexpr uint64_t kMaxHeader = 100'000'000;
constexpr std::string_view kMetadataKey = "__metadata__";

struct DtypeCode {
  const char* code;
  ScalarType dtype;
};
constexpr DtypeCode kDtypes[] = {{"F32", kFloat32}, {"F64", kFloat64}, {"I32", kInt32}, {"I64", kInt64}, {"BOOL", kBool},
                                 {"U8", kUInt8},   {"I8", kInt8},     {"I16", kInt16}};

ScalarType dtype_from_code(const std::string& code, const std::string& op) {
  for (const auto& d : kDtypes)
    if (code == d.code) return d.dtype;
  throw Error(detail::concat(op, ": unsupported safetensors dtype '", code, "' (kiln reads F32, F64, I32, I64, BOOL)"));
}

const char* code_of(ScalarType t) {
  for (const auto& d : kDtypes)
    if (t == d.dtype) return d.code;
  throw Error("save_safetensors: unknown dtype");
}

struct Entry {
  std::string name;
  ScalarType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

struct Header {
  std::vector<Entry> entries;
  std::map<std::string, std::string> metadata;
  uint64_t data_start = 0;
};

Header read_header(const Source& src) {
  const std::string& op = src.name();
  uint64_t n = src.read_le<uint64_t>(0, "safetensors header length");
  KILN_CHECK(n <= kMaxHeader, op, ": safetensors header length ", n, " is absurd");
  std::string text = src.read_string(8, n, "safetensors header");
  Json root = parse_json(text, op);
  KILN_CHECK(root.is(Json::Kind::Object), op, ": safetensors header is not a JSON object");
  Header h;
  h.data_start = 8 + n;
  for (const auto& [name, spec] : root.members) {
    if (name == kMetadataKey) {
      KILN_CHECK(spec.is(Json::Kind::Object), op, ": __metadata__ is not an object");
      for (const auto& [k, v] : spec.members) {
        KILN_CHECK(v.is(Json::Kind::String), op, ": __metadata__ value for '", k, "' is not a string");
        h.metadata[k] = v.text;
      }
      continue;
    }
    KILN_CHECK(spec.is(Json::Kind::Object), op, ": entry '", name, "' is not an object");
    const Json* dtype = spec.find("dtype");
    const Json* shape = spec.find("shape");
    const Json* offsets = spec.find("data_offsets");
    KILN_CHECK(dtype && shape && offsets, op, ": entry '", name, "' needs dtype, shape and data_offsets");
    KILN_CHECK(dtype->is(Json::Kind::String), op, ": dtype of '", name, "' is not a string");
    KILN_CHECK(shape->is(Json::Kind::Array), op, ": shape of '", name, "' is not an array");
    KILN_CHECK(offsets->is(Json::Kind::Array) && offsets->items.size() == 2, op, ": data_offsets of '", name,
               "' is not a pair");
    Entry e{name, dtype_from_code(dtype->text, op), {}, 0, 0};
    for (const Json& d : shape->items) {
      int64_t v = d.as_index();
      KILN_CHECK(v >= 0, op, ": shape of '", name, "' holds '", d.text, "', not a non-negative integer");
      e.shape.push_back(v);
    }
    int64_t begin = offsets->items[0].as_index(), end = offsets->items[1].as_index();
    KILN_CHECK(begin >= 0 && end >= begin, op, ": bad data_offsets for '", name, "'");
    e.begin = static_cast<uint64_t>(begin);
    e.end = static_cast<uint64_t>(end);
    int64_t numel = checked_numel(e.shape, element_size(e.dtype), op + " ('" + name + "')");
    KILN_CHECK(e.end - e.begin == static_cast<uint64_t>(numel) * element_size(e.dtype), op, ": '", name,
               "' has ", e.end - e.begin, " bytes of data for shape ", IntArrayRef(e.shape), " and dtype ", e.dtype);
    h.entries.push_back(std::move(e));
  }
  // The buffer must be tiled exactly: no gaps, overlaps or trailing bytes.
  std::vector<const Entry*> order;
  for (const Entry& e : h.entries) order.push_back(&e);
  // By (begin, end): an empty tensor sharing its offset with the next tensor comes first.
  std::sort(order.begin(), order.end(),
            [](const Entry* a, const Entry* b) { return a->begin != b->begin ? a->begin < b->begin : a->end < b->end; });
  uint64_t at = 0;
  for (const Entry* e : order) {
    KILN_CHECK(e->begin == at, op, ": data of '", e->name, "' starts at ", e->begin, ", expected ", at);
    at = e->end;
  }
  KILN_CHECK(at == src.size() - h.data_start, op, ": the data buffer holds ", src.size() - h.data_start,
             " bytes but the tensors cover ", at);
  return h;
}

}  // namespace

std::map<std::string, Tensor> read_safetensors(const Source& src) {
  Header h = read_header(src);
  std::map<std::string, Tensor> out;
  for (const Entry& e : h.entries)
    out.emplace(e.name, read_tensor(src, h.data_start + e.begin, e.dtype, e.shape, false, false));
  return out;
}

std::map<std::string, std::string> read_safetensors_metadata(const Source& src) { return read_header(src).metadata; }

void write_safetensors(Sink& out, const std::map<std::string, Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata, const std::string& op) {
  // Widest dtypes first (then by name) keeps every tensor aligned to its element size.
  std::vector<std::pair<std::string, Tensor>> order;
  for (const auto& [name, t] : tensors) {
    KILN_CHECK(name != kMetadataKey, op, ": '__metadata__' is reserved");
    KILN_CHECK(t.defined(), op, ": tensor '", name, "' is undefined");
    order.emplace_back(name, t);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second.element_size() > b.second.element_size(); });
  std::string json = "{";
  if (!metadata.empty()) {
    json += json_quote(kMetadataKey) + ":{";
    for (const auto& [k, v] : metadata) json += json_quote(k) + ":" + json_quote(v) + ",";
    json.back() = '}';
    json += ",";
  }
  uint64_t offset = 0;
  for (const auto& [name, t] : order) {
    uint64_t bytes = static_cast<uint64_t>(t.numel()) * t.element_size();
    json += detail::concat(json_quote(name), ":{\"dtype\":\"", code_of(t.dtype()), "\",\"shape\":[");
    for (int64_t i = 0; i < t.dim(); ++i) json += detail::concat(i ? "," : "", t.size(i));
    json += detail::concat("],\"data_offsets\":[", offset, ",", offset + bytes, "]},");
    offset += bytes;
  }
  if (json.size() > 1) json.pop_back();
  json += "}";
  // Spaces pad the header so the data starts 8-byte aligned.
  json.append((8 - json.size() % 8) % 8, ' ');
  out.write_le<uint64_t>(json.size());
  out.write(json);
  for (const auto& [name, t] : order) write_tensor_bytes(out, t);
}

void save_safetensors(const std::map<std::string, Tensor>& tensors, const std::string& path,
                      const std::map<std::string, std::string>& metadata) {
  FileSink out(path, "save_safetensors");
  write_safetensors(out, tensors, metadata, "save_safetensors");
  out.close();
}

std::map<std::string, Tensor> load_safetensors(const std::string& path) {
  return read_safetensors(FileSource(path, "load_safetensors"));
}

std::map<std::string, std::string> load_safetensors_metadata(const std::string& path) {
  return read_safetensors_metadata(FileSource(path, "load_safetensors"));
}

}  // namespace kiln::io
