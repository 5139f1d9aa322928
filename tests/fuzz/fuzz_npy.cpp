// libFuzzer target: arbitrary bytes as a .npy file. A load either throws
// kiln::Error or yields a tensor that saves and reloads to itself.
#include "fuzz_util.h"
#include "io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kiln::Tensor t;
  try {
    t = kiln::io::read_npy(kiln::io::MemorySource(data, size, "fuzz"));
  } catch (const kiln::Error&) {
    return 0;
  }
  fuzz::touch(t);
  kiln::io::StringSink out;
  kiln::io::write_npy(out, t, "fuzz");
  kiln::Tensor back = kiln::io::read_npy(kiln::io::MemorySource(out.bytes.data(), out.bytes.size(), "fuzz"));
  if (!fuzz::same(t, back)) std::abort();
  return 0;
}
