// libFuzzer target: arbitrary bytes as a safetensors file.
#include "fuzz_util.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::map<std::string, kiln::Tensor> m;
  std::map<std::string, std::string> meta;
  try {
    kiln::io::MemorySource src(data, size, "fuzz");
    m = kiln::io::read_safetensors(src);
    meta = kiln::io::read_safetensors_metadata(src);
  } catch (const kiln::Error&) {
    return 0;
  }
  for (const auto& [name, t] : m) fuzz::touch(t);
  kiln::io::StringSink out;
  kiln::io::write_safetensors(out, m, meta, "fuzz");
  kiln::io::MemorySource again(out.bytes.data(), out.bytes.size(), "fuzz");
  fuzz::check_same(m, kiln::io::read_safetensors(again));
  if (kiln::io::read_safetensors_metadata(again) != meta) std::abort();
  return 0;
}
