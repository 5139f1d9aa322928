// NumPy's .npy format: magic, version, a Python-literal header dict, raw data.
#pragma once
#include "source.h"
#include "kiln/tensor.h"

namespace kiln::io {

// Writes t as .npy (format 1.0, or 2.0 if the header exceeds 65535 bytes).
void write_npy(Sink& out, const Tensor& t, const std::string& op);
// Reads a whole .npy file from src.
Tensor read_npy(const Source& src);

}  // namespace kiln::io
