// Bounded random-access byte sources. Every loader reads through one, so each
// read of a file's bytes is checked against its end in one place; hostile
// offsets and lengths become kiln::Error, never an out-of-bounds read.
#pragma once
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "kiln/error.h"

namespace kiln::io {

static_assert(std::endian::native == std::endian::little, "kiln's file formats assume a little-endian host");

class Source {
 public:
  virtual ~Source() = default;
  virtual uint64_t size() const = 0;
  // Copies bytes [offset, offset + n) into dst; `what` names the part for the error message.
  void read(uint64_t offset, void* dst, uint64_t n, const char* what) const {
    KILN_CHECK(offset <= size() && n <= size() - offset, name(), ": truncated file (", what, " needs ", n,
               " bytes at offset ", offset, ", file has ", size(), ")");
    if (n > 0) read_unchecked(offset, dst, n);
  }
  std::string read_string(uint64_t offset, uint64_t n, const char* what) const {
    KILN_CHECK(offset <= size() && n <= size() - offset, name(), ": truncated file (", what, " needs ", n,
               " bytes at offset ", offset, ", file has ", size(), ")");
    std::string s(n, '\0');
    if (n > 0) read_unchecked(offset, s.data(), n);
    return s;
  }
  template <class T>
  T read_le(uint64_t offset, const char* what) const {
    T v;
    read(offset, &v, sizeof(T), what);
    return v;
  }
  // The loader's name used in messages ("load", "load_npz", ...).
  const std::string& name() const { return name_; }

 protected:
  explicit Source(std::string name) : name_(std::move(name)) {}
  virtual void read_unchecked(uint64_t offset, void* dst, uint64_t n) const = 0;

 private:
  std::string name_;
};

class MemorySource final : public Source {
 public:
  MemorySource(const void* data, size_t size, std::string name)
      : Source(std::move(name)), data_(static_cast<const uint8_t*>(data)), size_(size) {}
  uint64_t size() const override { return size_; }

 private:
  void read_unchecked(uint64_t offset, void* dst, uint64_t n) const override { std::memcpy(dst, data_ + offset, n); }
  const uint8_t* data_;
  size_t size_;
};

class FileSource final : public Source {
 public:
  FileSource(const std::string& path, std::string name);
  uint64_t size() const override { return size_; }

 private:
  void read_unchecked(uint64_t offset, void* dst, uint64_t n) const override;
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Closer> file_;
  std::string path_;
  uint64_t size_ = 0;
};

// Byte destinations for writers: a growing string (zip members) or a file.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(const void* data, size_t n) = 0;
  void write(const std::string& s) { write(s.data(), s.size()); }
  template <class T>
  void write_le(T v) {
    write(&v, sizeof(T));
  }
};

class StringSink final : public Sink {
 public:
  void write(const void* data, size_t n) override { bytes.append(static_cast<const char*>(data), n); }
  using Sink::write;
  std::string bytes;
};

// Writes to `path` (replacing it). The file is created at the first write, so a
// writer that fails its checks first leaves no file; close() reports late errors.
class FileSink final : public Sink {
 public:
  FileSink(const std::string& path, std::string op);
  ~FileSink() override;
  void write(const void* data, size_t n) override;
  using Sink::write;
  void close();

 private:
  void open();
  std::FILE* file_ = nullptr;
  bool closed_ = false;
  std::string path_;
  std::string op_;
};

}  // namespace kiln::io
