// A small strict JSON (RFC 8259) reader for file headers from untrusted
// sources: bounded nesting depth, validated escapes, no duplicate keys.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln::io {

struct JsonMember;

struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  // a string's value, or a number's literal
  std::vector<Json> items;
  std::vector<JsonMember> members;  // in file order

  bool is(Kind k) const { return kind == k; }
  // The member named `key`, or nullptr.
  const Json* find(std::string_view key) const;
  // A non-negative integer literal that fits in int64 ("12", not "1.0", "-1" or "1e3"), or -1.
  int64_t as_index() const;
};

struct JsonMember {
  std::string key;
  Json value;
};

// Parses a complete document; throws kiln::Error("<op>: bad JSON ...") on any defect.
Json parse_json(std::string_view text, const std::string& op, int max_depth = 64);

// `s` as a quoted JSON string.
std::string json_quote(std::string_view s);

}  // namespace kiln::io
