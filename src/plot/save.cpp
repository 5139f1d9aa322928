// Figure::save: pick the cairo surface from the extension, draw, then attach
// the summary as metadata (SVG <title>/<desc>, PNG iTXt chunks, PDF info).
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include "draw.h"

namespace kiln::plot {
namespace {

// The largest PNG side cairo's image surfaces allow.
constexpr double kMaxPixels = 32767;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check_status(cairo_status_t status, const std::string& path) {
  KILN_CHECK(status == CAIRO_STATUS_SUCCESS, "save: cannot render '", path, "': ", cairo_status_to_string(status));
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Inserts <title> and <desc> as the first children of the root <svg> element.
std::string with_svg_metadata(const std::string& svg, const std::string& title, const std::string& summary) {
  size_t root = svg.find("<svg");
  size_t end = root == std::string::npos ? root : svg.find('>', root);
  KILN_CHECK(end != std::string::npos, "save: cairo produced no <svg> element");
  std::string meta = "\n<title>" + xml_escape(title) + "</title>\n<desc id=\"kiln-summary\">\n" +
                     xml_escape(summary) + "</desc>\n";
  return svg.substr(0, end + 1) + meta + svg.substr(end + 1);
}

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// An iTXt chunk (UTF-8 text, uncompressed): keyword, flags, empty language and translation.
std::string itxt_chunk(const std::string& keyword, const std::string& text) {
  std::string body = "iTXt" + keyword + std::string(1, '\0') + std::string(2, '\0') + std::string(2, '\0') + text;
  std::string chunk;
  put_be32(chunk, static_cast<uint32_t>(body.size() - 4));
  chunk += body;
  put_be32(chunk, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return chunk;
}

// PNG: 8-byte signature, then IHDR (8 + 13 + 4 bytes); text chunks go right after it.
std::string with_png_metadata(const std::string& png, const std::string& title, const std::string& summary) {
  constexpr size_t kAfterHeader = 8 + 25;
  KILN_CHECK(png.size() > kAfterHeader, "save: cairo produced no PNG");
  std::string chunks = itxt_chunk("Software", "kiln") + itxt_chunk("Description", summary);
  if (!title.empty()) chunks += itxt_chunk("Title", title);
  return png.substr(0, kAfterHeader) + chunks + png.substr(kAfterHeader);
}

std::string extension_of(const std::string& path) {
  size_t dot = path.find_last_of('.');
  size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  KILN_CHECK(f.good(), "save: cannot open '", path, "' for writing");
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  KILN_CHECK(!f.fail(), "save: write error in '", path, "'");
}

}  // namespace

void Figure::save(const std::string& path) const {
  std::string ext = extension_of(path);
  KILN_CHECK(ext == "svg" || ext == "png" || ext == "pdf", "save: unknown file extension '", ext, "' in '", path,
             "' (use .svg, .png or .pdf)");
  FigureSpec spec{rows_, cols_, size_, suptitle_, {}};
  for (const auto& a : axes_) spec.axes.push_back(&a->state());
  FigureLayout layout = compute_layout(spec);
  std::string summary = this->summary();
  std::string title = !suptitle_.empty() ? suptitle_ : axes_[0]->state().title;

  std::string bytes;
  cairo_surface_t* surface = nullptr;
  double scale = 1;
  if (ext == "svg") {
    surface = cairo_svg_surface_create_for_stream(append, &bytes, layout.width, layout.height);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
#endif
  } else if (ext == "pdf") {
    surface = cairo_pdf_surface_create_for_stream(append, &bytes, layout.width, layout.height);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "kiln");
#endif
  } else {
    scale = dpi_ / kPointsPerInch;
    double w = std::round(layout.width * scale), h = std::round(layout.height * scale);
    KILN_CHECK(w <= kMaxPixels && h <= kMaxPixels, "save: ", w, " x ", h, " pixels is too large for PNG");
    surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(w), static_cast<int>(h));
  }
  check_status(cairo_surface_status(surface), path);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  draw(cr, spec, layout);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  if (status == CAIRO_STATUS_SUCCESS && ext == "png")
    status = cairo_surface_write_to_png_stream(surface, append, &bytes);
  cairo_surface_finish(surface);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  check_status(status, path);

  if (ext == "svg") bytes = with_svg_metadata(bytes, title, summary);
  if (ext == "png") bytes = with_png_metadata(bytes, title, summary);
  write_file(path, bytes);
}

}  // namespace kiln::plot
