// The subset of the zip format that .npz needs: read stored and deflated
// members (zip64 included), write stored members.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "source.h"

namespace kiln::io {

// CRC-32 (IEEE 802.3, as zip uses).
uint32_t crc32(const void* data, size_t n);

struct ZipMember {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflate
  uint32_t crc = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint64_t data_offset = 0;  // where the member's (compressed) bytes start in the source
};

// The members listed in the central directory, with every offset checked against the source.
std::vector<ZipMember> list_zip(const Source& src);
// A member's uncompressed bytes, CRC-checked.
std::string read_zip_member(const Source& src, const ZipMember& m);

// Writes a zip of stored members (name, bytes) to out.
void write_zip(Sink& out, const std::vector<std::pair<std::string, std::string>>& members, const std::string& op);

}  // namespace kiln::io
