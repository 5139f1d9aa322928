// kiln's layers only look down (docs/ARCHITECTURE.md):
//   core -> kernels -> autograd -> ops -> linalg, random, calculus -> modules
// Checked here on every #include "..." under src/ and include/, so it stays
// true: a lower folder never names a higher one, core and kernels see only
// the public headers that describe types, and a module (any other folder of
// src/) sees the public headers and its own folder only, as a user's program.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::map<std::string, int> kCoreLayers = {{"core", 0},   {"kernels", 1}, {"autograd", 2},  {"ops", 3},
                                                {"linalg", 4}, {"random", 4},  {"calculus", 4}};
// The public headers a layer below autograd may use: types, not ops.
const std::set<std::string> kTypeHeaders = {"array_ref.h", "device.h",       "dtype.h",   "error.h",
                                            "indexing.h",  "options.h",      "op_lists.h", "scalar.h",
                                            "small_vector.h", "storage.h",   "tensor.h",  "threads.h",
                                            "warning.h"};

struct Include {
  fs::path file;
  int line;
  std::string target;
};

std::vector<Include> includes_under(const fs::path& dir) {
  std::vector<Include> out;
  const std::regex quoted(R"re(^\s*#\s*include\s*"([^"]+)")re");
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp" && ext != ".inc") continue;
    std::ifstream in(entry.path());
    std::string text;
    int n = 0;
    while (std::getline(in, text)) {
      ++n;
      std::smatch m;
      if (std::regex_search(text, m, quoted)) out.push_back({entry.path(), n, m[1]});
    }
  }
  return out;
}

std::string where(const Include& inc) {
  return fs::relative(inc.file, KILN_SOURCE_DIR).string() + ":" + std::to_string(inc.line) + " includes \"" +
         inc.target + "\"";
}

// The folder of `target` ("ops/ops.h" -> "ops"), or "" for a bare name.
std::string folder_of(const std::string& target) {
  size_t slash = target.find('/');
  return slash == std::string::npos ? "" : target.substr(0, slash);
}

// Why `inc`, made from a file of src/<layer>/, is not allowed, or "".
std::string violation(const std::string& layer, const Include& inc) {
  std::string folder = folder_of(inc.target);
  std::string header = inc.target.substr(inc.target.find('/') + 1);
  auto self = kCoreLayers.find(layer);
  if (self == kCoreLayers.end()) {  // a module
    if (folder == "kiln") return "";
    if (folder.empty() && fs::exists(inc.file.parent_path() / inc.target)) return "";
    return "a module includes only the public headers (kiln/...) and its own folder";
  }
  if (folder == "kiln") {
    if (self->second <= 1 && !kTypeHeaders.count(header))
      return layer + " sees only the public headers that describe types, not the ops";
    return "";
  }
  auto target = kCoreLayers.find(folder);
  if (target == kCoreLayers.end()) return "the core does not include a module's headers";
  if (target->second > self->second) return layer + " looks up at " + folder;
  if (target->second == self->second && folder != layer) return layer + " and " + folder + " are peers";
  return "";
}

TEST(Layering, SourcesOnlyLookDown) {
  fs::path src = fs::path(KILN_SOURCE_DIR) / "src";
  std::vector<std::string> problems;
  for (const auto& entry : fs::directory_iterator(src)) {
    if (!entry.is_directory()) continue;
    std::string layer = entry.path().filename().string();
    for (const Include& inc : includes_under(entry.path()))
      if (std::string why = violation(layer, inc); !why.empty()) problems.push_back(where(inc) + ": " + why);
  }
  EXPECT_TRUE(problems.empty()) << [&] {
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    return all;
  }();
}

TEST(Layering, PublicHeadersIncludeOnlyPublicHeaders) {
  std::vector<std::string> problems;
  for (const Include& inc : includes_under(fs::path(KILN_SOURCE_DIR) / "include"))
    if (folder_of(inc.target) != "kiln") problems.push_back(where(inc));
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s), first: " << (problems.empty() ? "" : problems[0]);
}

// The check itself: each kind of violation is caught.
TEST(Layering, TheRulesCatchEachKindOfViolation) {
  fs::path core = fs::path(KILN_SOURCE_DIR) / "src/core/x.cpp", ops = fs::path(KILN_SOURCE_DIR) / "src/ops/x.cpp";
  fs::path module = fs::path(KILN_SOURCE_DIR) / "src/io/x.cpp";
  EXPECT_NE(violation("core", {core, 1, "ops/ops.h"}), "");
  EXPECT_NE(violation("core", {core, 1, "kiln/functions.h"}), "");
  EXPECT_NE(violation("kernels", {core, 1, "autograd/meta.h"}), "");
  EXPECT_NE(violation("linalg", {core, 1, "random/stream.h"}), "");
  EXPECT_NE(violation("io", {module, 1, "core/tensor_impl.h"}), "");
  EXPECT_NE(violation("io", {module, 1, "no_such_file.h"}), "");
  EXPECT_EQ(violation("ops", {ops, 1, "autograd/derivative.h"}), "");
  EXPECT_EQ(violation("core", {core, 1, "kiln/tensor.h"}), "");
  EXPECT_EQ(violation("io", {module, 1, "zip.h"}), "");
}

}  // namespace
