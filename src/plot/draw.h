// Painting: the one drawing code path behind every output format.
#pragma once
#include <cairo.h>

#include "layout.h"

namespace kiln::plot {

// Paints the figure in points (the caller scales the context for pixels).
void draw(cairo_t* cr, const FigureSpec& spec, const FigureLayout& layout);

}  // namespace kiln::plot
