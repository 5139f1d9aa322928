// kiln::io: tensors to and from files in NumPy's .npy/.npz and the
// safetensors format. Supported dtypes: float32, float64, int32, int64, bool.
// Every malformed, truncated or hostile file raises kiln::Error.
#pragma once
#include <map>
#include <string>

#include "kiln/tensor.h"

namespace kiln::io {

// NumPy .npy (format 1.0, or 2.0 when the header needs it), C order, little-endian.
void save(const Tensor& t, const std::string& path);
// Reads .npy format 1.0, 2.0 and 3.0; C or Fortran order; either byte order.
Tensor load(const std::string& path);

// NumPy .npz: a zip of "<name>.npy" members, written uncompressed (like np.savez).
void save_npz(const std::map<std::string, Tensor>& tensors, const std::string& path);
// Reads stored members, and deflated ones (np.savez_compressed) when kiln was built with zlib.
std::map<std::string, Tensor> load_npz(const std::string& path);

// safetensors: an 8-byte header length, a JSON header, then the raw little-endian data.
// `metadata` becomes the header's "__metadata__" string map.
void save_safetensors(const std::map<std::string, Tensor>& tensors, const std::string& path,
                      const std::map<std::string, std::string>& metadata = {});
std::map<std::string, Tensor> load_safetensors(const std::string& path);
// The "__metadata__" string map of a safetensors file (empty when absent).
std::map<std::string, std::string> load_safetensors_metadata(const std::string& path);

}  // namespace kiln::io
