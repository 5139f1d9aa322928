// kiln::ProgressBar: one updating terminal line (step, loss, rate) for long
// work; prints nothing at all when stdout is not a terminal.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace kiln {

class ProgressBar {
 public:
  // `total` 0: the number of steps is unknown.
  explicit ProgressBar(int64_t total = 0, std::string label = "");
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records step `step` with its loss; redraws at most ~10 times a second.
  void update(int64_t step, double loss);
  // Ends the line (also done by the destructor).
  void close();
  bool enabled() const { return enabled_; }
  // The line as it would be drawn (for tests and logs).
  std::string line() const;

 private:
  int64_t total_;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  int64_t step_ = 0;
  double loss_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace kiln
