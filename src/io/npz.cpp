// .npz and the public save/load entry points for NumPy files.
#include "npz.h"

#include <vector>

#include "npy.h"
#include "zip.h"
#include "kiln/io.h"

namespace kiln::io {

std::map<std::string, Tensor> read_npz(const Source& src) {
  const std::string& op = src.name();
  std::map<std::string, Tensor> out;
  for (const ZipMember& m : list_zip(src)) {
    if (!m.name.empty() && m.name.back() == '/') continue;  // a directory entry
    KILN_CHECK(m.name.size() > 4 && m.name.compare(m.name.size() - 4, 4, ".npy") == 0, op, ": member '", m.name,
               "' is not a .npy array");
    std::string key = m.name.substr(0, m.name.size() - 4);
    KILN_CHECK(out.count(key) == 0, op, ": duplicate member '", m.name, "'");
    std::string bytes = read_zip_member(src, m);
    try {
      out.emplace(key, read_npy(MemorySource(bytes.data(), bytes.size(), op)));
    } catch (const Error& e) {
      throw Error(detail::concat(e.what(), " [in member '", m.name, "']"));
    }
  }
  return out;
}

void write_npz(Sink& out, const std::map<std::string, Tensor>& tensors, const std::string& op) {
  std::vector<std::pair<std::string, std::string>> members;
  for (const auto& [name, t] : tensors) {
    KILN_CHECK(!name.empty(), op, ": empty tensor name");
    StringSink npy;
    write_npy(npy, t, op);
    members.emplace_back(name + ".npy", std::move(npy.bytes));
  }
  write_zip(out, members, op);
}

void save(const Tensor& t, const std::string& path) {
  FileSink out(path, "save");
  write_npy(out, t, "save");
  out.close();
}

Tensor load(const std::string& path) { return read_npy(FileSource(path, "load")); }

void save_npz(const std::map<std::string, Tensor>& tensors, const std::string& path) {
  StringSink bytes;  // built first so a bad tensor leaves no half-written file
  write_npz(bytes, tensors, "save_npz");
  FileSink out(path, "save_npz");
  out.write(bytes.bytes);
  out.close();
}

std::map<std::string, Tensor> load_npz(const std::string& path) { return read_npz(FileSource(path, "load_npz")); }

}  // namespace kiln::io
