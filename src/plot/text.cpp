// Text measurement and placement.
#include "text.h"

namespace kiln::plot {

void set_font(cairo_t* cr, double size) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

double text_width(cairo_t* cr, const std::string& s, double size) {
  set_font(cr, size);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  return e.x_advance;
}

double line_height(cairo_t* cr, double size) {
  set_font(cr, size);
  cairo_font_extents_t f;
  cairo_font_extents(cr, &f);
  return f.ascent + f.descent;
}

void draw_text(cairo_t* cr, const std::string& s, double x, double y, double size, HAlign h, VAlign v,
               double rotation) {
  if (s.empty()) return;
  set_font(cr, size);
  cairo_font_extents_t f;
  cairo_font_extents(cr, &f);
  double w = text_width(cr, s, size);
  double dx = h == HAlign::Left ? 0 : h == HAlign::Center ? -w / 2 : -w;
  double dy = 0;
  switch (v) {
    case VAlign::Baseline: dy = 0; break;
    case VAlign::Top: dy = f.ascent; break;
    case VAlign::Center: dy = (f.ascent - f.descent) / 2; break;
    case VAlign::Bottom: dy = -f.descent; break;
  }
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rotate(cr, -rotation);
  cairo_move_to(cr, dx, dy);
  cairo_show_text(cr, s.c_str());
  cairo_restore(cr);
}

cairo_t* measuring_context() {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t* cr = cairo_create(s);
  cairo_surface_destroy(s);  // the context keeps its own reference
  return cr;
}

}  // namespace kiln::plot
