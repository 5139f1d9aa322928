// The safetensors format over byte sources and sinks (used by the public
// entry points and the fuzzers).
#pragma once
#include <map>
#include <string>

#include "source.h"
#include "kiln/tensor.h"

namespace kiln::io {

std::map<std::string, Tensor> read_safetensors(const Source& src);
std::map<std::string, std::string> read_safetensors_metadata(const Source& src);
void write_safetensors(Sink& out, const std::map<std::string, Tensor>& tensors,
                       const std::map<std::string, std::string>& metadata, const std::string& op);

}  // namespace kiln::io
