// File-backed sources and sinks (stdio with 64-bit offsets).
#include "source.h"

#include <cerrno>
#include <cstring>

namespace kiln::io {

FileSource::FileSource(const std::string& path, std::string name) : Source(std::move(name)), path_(path) {
  file_.reset(std::fopen(path.c_str(), "rb"));
  KILN_CHECK(file_ != nullptr, this->name(), ": cannot open '", path, "': ", std::strerror(errno));
  KILN_CHECK(fseeko(file_.get(), 0, SEEK_END) == 0, this->name(), ": cannot seek in '", path, "'");
  off_t end = ftello(file_.get());
  KILN_CHECK(end >= 0, this->name(), ": '", path, "' is not a regular file");
  size_ = static_cast<uint64_t>(end);
}

void FileSource::read_unchecked(uint64_t offset, void* dst, uint64_t n) const {
  KILN_CHECK(fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) == 0, name(), ": cannot seek in '", path_,
             "'");
  KILN_CHECK(std::fread(dst, 1, n, file_.get()) == n, name(), ": read error in '", path_, "'");
}

FileSink::FileSink(const std::string& path, std::string op) : path_(path), op_(std::move(op)) {}

void FileSink::open() {
  KILN_CHECK(!closed_, op_, ": '", path_, "' is already closed");
  file_ = std::fopen(path_.c_str(), "wb");
  KILN_CHECK(file_ != nullptr, op_, ": cannot open '", path_, "' for writing: ", std::strerror(errno));
}

FileSink::~FileSink() {
  if (file_ != nullptr) std::fclose(file_);
}

void FileSink::write(const void* data, size_t n) {
  if (file_ == nullptr) open();
  KILN_CHECK(n == 0 || std::fwrite(data, 1, n, file_) == n, op_, ": write error in '", path_,
             "': ", std::strerror(errno));
}

void FileSink::close() {
  if (file_ == nullptr && !closed_) open();  // an empty output is still a file
  closed_ = true;
  if (file_ == nullptr) return;
  int rc = std::fclose(file_);
  file_ = nullptr;
  KILN_CHECK(rc == 0, op_, ": write error in '", path_, "': ", std::strerror(errno));
}

}  // namespace kiln::io
