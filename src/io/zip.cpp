// Zip reading and writing (APPNOTE.TXT 6.3): end of central directory ->
// central directory -> local headers -> member data. All sizes and offsets
// come from the central directory and are bounds-checked before use.
#include "zip.h"

#include <array>
#include <limits>

#include <zlib.h>

namespace kiln::io {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr uint32_t kEnd64Sig = 0x06064b50, kEnd64LocatorSig = 0x07064b50;
constexpr uint64_t kEndSize = 22, kCentralSize = 46, kLocalSize = 30;
// Deflate cannot expand more than ~1032:1; a larger claimed size is a zip bomb.
constexpr uint64_t kMaxDeflateRatio = 1032;

struct Directory {
  uint64_t entries = 0;
  uint64_t size = 0;
  uint64_t offset = 0;
};

// The end-of-central-directory record sits in the last 22 + 65535 bytes.
uint64_t find_end_record(const Source& src) {
  const std::string& op = src.name();
  KILN_CHECK(src.size() >= kEndSize, op, ": not a zip file (too short)");
  uint64_t window = std::min<uint64_t>(src.size(), kEndSize + 0xFFFF);
  std::string tail = src.read_string(src.size() - window, window, "zip end record");
  for (uint64_t i = window - kEndSize + 1; i-- > 0;) {
    uint32_t sig;
    std::memcpy(&sig, tail.data() + i, 4);
    if (sig == kEndSig) return src.size() - window + i;
  }
  throw Error(op + ": not a zip file (no end of central directory record)");
}

Directory read_directory(const Source& src) {
  const std::string& op = src.name();
  uint64_t end = find_end_record(src);
  Directory d;
  d.entries = src.read_le<uint16_t>(end + 10, "zip end record");
  d.size = src.read_le<uint32_t>(end + 12, "zip end record");
  d.offset = src.read_le<uint32_t>(end + 16, "zip end record");
  bool zip64 = d.entries == 0xFFFF || d.size == 0xFFFFFFFF || d.offset == 0xFFFFFFFF;
  if (zip64 && end >= 20 && src.read_le<uint32_t>(end - 20, "zip64 locator") == kEnd64LocatorSig) {
    uint64_t rec = src.read_le<uint64_t>(end - 20 + 8, "zip64 locator");
    KILN_CHECK(src.read_le<uint32_t>(rec, "zip64 end record") == kEnd64Sig, op, ": bad zip64 end record");
    d.entries = src.read_le<uint64_t>(rec + 32, "zip64 end record");
    d.size = src.read_le<uint64_t>(rec + 40, "zip64 end record");
    d.offset = src.read_le<uint64_t>(rec + 48, "zip64 end record");
  }
  KILN_CHECK(d.offset <= src.size() && d.size <= src.size() - d.offset, op,
             ": zip central directory lies outside the file");
  KILN_CHECK(d.entries <= d.size / kCentralSize, op, ": zip claims ", d.entries, " entries in a ", d.size,
             "-byte central directory");
  return d;
}

// Replaces 0xFFFFFFFF sizes/offset with the values of the zip64 extra field (id 1).
void apply_zip64_extra(const std::string& extra, ZipMember& m, uint64_t& local_offset, bool big_size,
                       bool big_csize, bool big_offset, const std::string& op) {
  size_t pos = 0;
  while (pos + 4 <= extra.size()) {
    uint16_t id, len;
    std::memcpy(&id, extra.data() + pos, 2);
    std::memcpy(&len, extra.data() + pos + 2, 2);
    pos += 4;
    KILN_CHECK(len <= extra.size() - pos, op, ": zip extra field overruns its header");
    if (id == 1) {
      size_t at = pos, stop = pos + len;
      auto take = [&](uint64_t& v) {
        KILN_CHECK(at + 8 <= stop, op, ": zip64 extra field too short");
        std::memcpy(&v, extra.data() + at, 8);
        at += 8;
      };
      if (big_size) take(m.size);
      if (big_csize) take(m.compressed_size);
      if (big_offset) take(local_offset);
      return;
    }
    pos += len;
  }
  KILN_CHECK(!(big_size || big_csize || big_offset), op, ": zip member '", m.name, "' lacks its zip64 sizes");
}

}  // namespace

uint32_t crc32(const void* data, size_t n) {
  uLong crc = ::crc32(0, nullptr, 0);
  // zlib takes lengths as uInt: feed large buffers in pieces.
  for (const auto* p = static_cast<const Bytef*>(data); n > 0;) {
    uInt piece = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    crc = ::crc32(crc, p, piece);
    p += piece;
    n -= piece;
  }
  return static_cast<uint32_t>(crc);
}

std::vector<ZipMember> list_zip(const Source& src) {
  const std::string& op = src.name();
  Directory d = read_directory(src);
  std::vector<ZipMember> members;
  uint64_t pos = d.offset, stop = d.offset + d.size;
  for (uint64_t i = 0; i < d.entries; ++i) {
    KILN_CHECK(stop - pos >= kCentralSize, op, ": zip central directory truncated");
    std::string h = src.read_string(pos, kCentralSize, "zip central directory");
    auto u16 = [&](size_t at) { uint16_t v; std::memcpy(&v, h.data() + at, 2); return v; };
    auto u32 = [&](size_t at) { uint32_t v; std::memcpy(&v, h.data() + at, 4); return v; };
    KILN_CHECK(u32(0) == kCentralSig, op, ": bad zip central directory signature");
    ZipMember m;
    uint16_t flags = u16(8);
    m.method = u16(10);
    m.crc = u32(16);
    m.compressed_size = u32(20);
    m.size = u32(24);
    uint64_t name_len = u16(28), extra_len = u16(30), comment_len = u16(32);
    uint64_t local = u32(42);
    KILN_CHECK(stop - pos - kCentralSize >= name_len + extra_len + comment_len, op,
               ": zip central directory truncated");
    m.name = src.read_string(pos + kCentralSize, name_len, "zip member name");
    std::string extra = src.read_string(pos + kCentralSize + name_len, extra_len, "zip extra field");
    apply_zip64_extra(extra, m, local, m.size == 0xFFFFFFFF, m.compressed_size == 0xFFFFFFFF, local == 0xFFFFFFFF,
                      op);
    KILN_CHECK((flags & 1) == 0, op, ": zip member '", m.name, "' is encrypted");
    KILN_CHECK(m.method == 0 || m.method == 8, op, ": zip member '", m.name, "' uses compression method ", m.method,
               " (kiln reads stored and deflate)");
    // The local header repeats the name and may carry a different extra field.
    KILN_CHECK(src.read_le<uint32_t>(local, "zip local header") == kLocalSig, op,
               ": bad zip local header signature for '", m.name, "'");
    uint64_t local_name = src.read_le<uint16_t>(local + 26, "zip local header");
    uint64_t local_extra = src.read_le<uint16_t>(local + 28, "zip local header");
    m.data_offset = local + kLocalSize + local_name + local_extra;
    KILN_CHECK(m.data_offset <= src.size() && m.compressed_size <= src.size() - m.data_offset, op,
               ": zip member '", m.name, "' lies outside the file");
    members.push_back(std::move(m));
    pos += kCentralSize + name_len + extra_len + comment_len;
  }
  return members;
}

std::string read_zip_member(const Source& src, const ZipMember& m) {
  const std::string& op = src.name();
  std::string out;
  if (m.method == 0) {
    KILN_CHECK(m.size == m.compressed_size, op, ": stored zip member '", m.name, "' has inconsistent sizes");
    out = src.read_string(m.data_offset, m.size, "zip member");
  } else {
    KILN_CHECK(m.compressed_size <= std::numeric_limits<uInt>::max() && m.size <= std::numeric_limits<uInt>::max(),
               op, ": deflated zip member '", m.name, "' is too large");
    KILN_CHECK(m.size <= m.compressed_size * kMaxDeflateRatio + 1024, op, ": zip member '", m.name,
               "' claims an impossible compression ratio");
    std::string packed = src.read_string(m.data_offset, m.compressed_size, "zip member");
    out.assign(m.size, '\0');
    z_stream z{};
    KILN_CHECK(inflateInit2(&z, -MAX_WBITS) == Z_OK, op, ": cannot initialise zlib");
    z.next_in = reinterpret_cast<Bytef*>(packed.data());
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&z, Z_FINISH);
    uint64_t produced = z.total_out;
    inflateEnd(&z);
    KILN_CHECK(rc == Z_STREAM_END && produced == m.size, op, ": corrupt deflate data in zip member '", m.name, "'");
  }
  KILN_CHECK(crc32(out.data(), out.size()) == m.crc, op, ": CRC mismatch in zip member '", m.name, "'");
  return out;
}

void write_zip(Sink& out, const std::vector<std::pair<std::string, std::string>>& members, const std::string& op) {
  KILN_CHECK(members.size() < 0xFFFF, op, ": too many members for a zip without zip64");
  std::string central;
  uint64_t offset = 0;
  // 1980-01-01 00:00, the zip epoch: output is reproducible byte for byte.
  constexpr uint16_t kTime = 0, kDate = (0 << 9) | (1 << 5) | 1;
  for (const auto& [name, bytes] : members) {
    KILN_CHECK(name.size() < 0xFFFF, op, ": member name too long");
    KILN_CHECK(bytes.size() < 0xFFFFFFFFu && offset < 0xFFFFFFFFu, op,
               ": archives over 4 GiB are not supported (no zip64 writer)");
    uint32_t crc = crc32(bytes.data(), bytes.size());
    StringSink local;
    local.write_le<uint32_t>(kLocalSig);
    local.write_le<uint16_t>(20);  // version needed: 2.0
    local.write_le<uint16_t>(0);   // flags
    local.write_le<uint16_t>(0);   // stored
    local.write_le<uint16_t>(kTime);
    local.write_le<uint16_t>(kDate);
    local.write_le<uint32_t>(crc);
    local.write_le<uint32_t>(static_cast<uint32_t>(bytes.size()));
    local.write_le<uint32_t>(static_cast<uint32_t>(bytes.size()));
    local.write_le<uint16_t>(static_cast<uint16_t>(name.size()));
    local.write_le<uint16_t>(0);
    local.write(name);
    // The central entry is the local header plus attributes and the local offset.
    StringSink entry;
    entry.write_le<uint32_t>(kCentralSig);
    entry.write_le<uint16_t>(20);  // made by: MS-DOS, 2.0
    entry.bytes.append(local.bytes, 4, 26);
    entry.write_le<uint16_t>(0);  // comment length
    entry.write_le<uint16_t>(0);  // disk
    entry.write_le<uint16_t>(0);  // internal attributes
    entry.write_le<uint32_t>(0);  // external attributes
    entry.write_le<uint32_t>(static_cast<uint32_t>(offset));
    entry.write(name);
    central += entry.bytes;
    out.write(local.bytes);
    out.write(bytes);
    offset += local.bytes.size() + bytes.size();
  }
  KILN_CHECK(offset < 0xFFFFFFFFu, op, ": archives over 4 GiB are not supported (no zip64 writer)");
  out.write(central);
  out.write_le<uint32_t>(kEndSig);
  out.write_le<uint16_t>(0);
  out.write_le<uint16_t>(0);
  out.write_le<uint16_t>(static_cast<uint16_t>(members.size()));
  out.write_le<uint16_t>(static_cast<uint16_t>(members.size()));
  out.write_le<uint32_t>(static_cast<uint32_t>(central.size()));
  out.write_le<uint32_t>(static_cast<uint32_t>(offset));
  out.write_le<uint16_t>(0);
}

}  // namespace kiln::io
