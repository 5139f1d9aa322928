// libFuzzer target: arbitrary bytes as a .npz archive.
#include "fuzz_util.h"
#include "io/npz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::map<std::string, kiln::Tensor> m;
  try {
    m = kiln::io::read_npz(kiln::io::MemorySource(data, size, "fuzz"));
  } catch (const kiln::Error&) {
    return 0;
  }
  for (const auto& [name, t] : m) fuzz::touch(t);
  kiln::io::StringSink out;
  try {
    kiln::io::write_npz(out, m, "fuzz");
  } catch (const kiln::Error&) {
    return 0;  // e.g. an empty member name, which zip allows and save_npz refuses
  }
  fuzz::check_same(m, kiln::io::read_npz(kiln::io::MemorySource(out.bytes.data(), out.bytes.size(), "fuzz")));
  return 0;
}
