// ProgressBar: carriage return and redraw, only on a terminal.
#include "kiln/nn/progress.h"

#include <unistd.h>

#include <cstdio>

namespace kiln {

ProgressBar::ProgressBar(int64_t total, std::string label)
    : total_(total), label_(std::move(label)), enabled_(isatty(STDOUT_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

ProgressBar::~ProgressBar() { close(); }

std::string ProgressBar::line() const {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(step_) / seconds : 0.0;
  char buf[160];
  if (total_ > 0)
    std::snprintf(buf, sizeof buf, "step %lld/%lld  loss %.6g  %.1f it/s", static_cast<long long>(step_),
                  static_cast<long long>(total_), loss_, rate);
  else
    std::snprintf(buf, sizeof buf, "step %lld  loss %.6g  %.1f it/s", static_cast<long long>(step_), loss_, rate);
  return label_.empty() ? std::string(buf) : label_ + "  " + buf;
}

void ProgressBar::update(int64_t step, double loss) {
  step_ = step;
  loss_ = loss;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  bool last = total_ > 0 && step >= total_;
  if (drawn_ && !last && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  std::string text = line();
  // \033[K clears what a longer previous line left behind.
  std::fprintf(stdout, "\r%s\033[K", text.c_str());
  std::fflush(stdout);
  drawn_ = true;
}

void ProgressBar::close() {
  if (!enabled_ || !drawn_) return;
  std::fputc('\n', stdout);
  std::fflush(stdout);
  drawn_ = false;
}

}  // namespace kiln
