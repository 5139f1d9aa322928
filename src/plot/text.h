// Text with cairo's toy API: one font (DejaVu Sans, as matplotlib), metrics
// without hinting so layout is the same on every surface.
#pragma once
#include <cairo.h>

#include <string>

namespace kiln::plot {

enum class HAlign { Left, Center, Right };
enum class VAlign { Baseline, Top, Center, Bottom };

// Font sizes in points (matplotlib's defaults).
constexpr double kFontSize = 10, kTitleSize = 12;

void set_font(cairo_t* cr, double size);
double text_width(cairo_t* cr, const std::string& s, double size);
// Ascent + descent of the font at `size`: the height of a line of text.
double line_height(cairo_t* cr, double size);
// Draws `s` anchored at (x, y); `rotation` in radians, counter-clockwise.
void draw_text(cairo_t* cr, const std::string& s, double x, double y, double size, HAlign h, VAlign v,
               double rotation = 0);

// A context for measuring text only (a 1x1 image surface); free with cairo_destroy.
cairo_t* measuring_context();

}  // namespace kiln::plot
