// Tensor's conversions that name a device or another tensor: the dtype
// conversion, after checking the device is the CPU (kiln/device.h).
#include "core/tensor_impl.h"
#include "kiln/functions.h"

namespace kiln {

Device Tensor::device() const {
  core::body(*this, "device");
  return Device(kCPU);
}

Tensor Tensor::cpu() const { return *this; }

Tensor Tensor::to(Device device, ScalarType dtype, bool non_blocking, bool copy) const {
  detail::check_cpu(device, "to");
  return to(dtype, non_blocking, copy);
}

Tensor Tensor::to(const Tensor& other, bool non_blocking, bool copy) const {
  return to(other.device(), other.dtype(), non_blocking, copy);
}

}  // namespace kiln
