// Colour specifications as matplotlib reads them (a useful subset).
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "model.h"

namespace kiln::plot {
namespace {

struct Named {
  const char* name;
  const char* hex;
};

constexpr const char* kTab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr const char* kTabNames[] = {"blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"};

constexpr Named kNamed[] = {
    // matplotlib's single letters
    {"b", "#0000ff"}, {"g", "#008000"}, {"r", "#ff0000"}, {"c", "#00bfbf"}, {"m", "#bf00bf"}, {"y", "#bfbf00"},
    {"k", "#000000"}, {"w", "#ffffff"},
    // common CSS names
    {"black", "#000000"}, {"white", "#ffffff"}, {"red", "#ff0000"}, {"green", "#008000"}, {"blue", "#0000ff"},
    {"orange", "#ffa500"}, {"purple", "#800080"}, {"gray", "#808080"}, {"grey", "#808080"},
    {"lightgray", "#d3d3d3"}, {"lightgrey", "#d3d3d3"}, {"darkgray", "#a9a9a9"}, {"darkgrey", "#a9a9a9"},
    {"brown", "#a52a2a"}, {"pink", "#ffc0cb"}, {"olive", "#808000"}, {"cyan", "#00ffff"}, {"magenta", "#ff00ff"},
    {"yellow", "#ffff00"}, {"navy", "#000080"}, {"teal", "#008080"}, {"gold", "#ffd700"}, {"darkblue", "#00008b"},
    {"darkred", "#8b0000"}, {"darkgreen", "#006400"}, {"lightblue", "#add8e6"}, {"crimson", "#dc143c"},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool parse_hex(std::string_view s, Rgba& out) {
  if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return false;
  double v[4] = {0, 0, 0, 1};
  for (size_t i = 0; i * 2 + 1 < s.size(); ++i) {
    int hi = hex_digit(s[1 + 2 * i]), lo = hex_digit(s[2 + 2 * i]);
    if (hi < 0 || lo < 0) return false;
    v[i] = (hi * 16 + lo) / 255.0;
  }
  out = {v[0], v[1], v[2], v[3]};
  return true;
}

}  // namespace

std::string hex(const Rgba& c) {
  auto byte = [](double v) { return static_cast<int>(v * 255.0 + 0.5); };
  char buf[16];
  if (c.a >= 1.0) std::snprintf(buf, sizeof buf, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  else std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b), byte(c.a));
  return buf;
}

Rgba cycle_color(int index) {
  Rgba c;
  parse_hex(kTab10[index % 10], c);
  return c;
}

Rgba parse_color(const std::string& spec, const char* op) {
  Rgba c;
  if (parse_hex(spec, c)) return c;
  if (spec.size() == 2 && spec[0] == 'C' && spec[1] >= '0' && spec[1] <= '9') return cycle_color(spec[1] - '0');
  for (int i = 0; i < 10; ++i)
    if (spec == std::string("tab:") + kTabNames[i]) return cycle_color(i);
  for (const auto& n : kNamed)
    if (spec == n.name) {
      parse_hex(n.hex, c);
      return c;
    }
  // A grey level in [0, 1] written as a string ("0.5"), as matplotlib accepts.
  if (!spec.empty() && (std::isdigit(static_cast<unsigned char>(spec[0])) || spec[0] == '.')) {
    char* end = nullptr;
    double v = std::strtod(spec.c_str(), &end);
    if (end == spec.c_str() + spec.size() && v >= 0 && v <= 1) return {v, v, v, 1};
  }
  throw Error(detail::concat(op, ": unknown colour '", spec, "' (use C0..C9, #rrggbb, tab:blue, k, red, ...)"));
}

}  // namespace kiln::plot
