// c10::optional and c10::nullopt spelled in kiln: std's, so code written for
// libtorch ports by changing the namespace.
#pragma once
#include <optional>

namespace kiln {
using std::make_optional;
using std::nullopt;
using std::nullopt_t;
using std::optional;
}  // namespace kiln
