#include "kiln/device.h"

#include <ostream>

#include "kiln/error.h"

namespace kiln {

Device::Device(DeviceType type, DeviceIndex index) : type_(type), index_(index) {
  KILN_CHECK(index >= -1, "Device: device index must be -1 or non-negative, got ", static_cast<int>(index));
  KILN_CHECK(type != DeviceType::CPU || index <= 0, "Device: CPU device index must be -1 or zero, got ",
             static_cast<int>(index));
}

Device::Device(const std::string& s) : type_(DeviceType::CPU) {
  std::string name = s.substr(0, s.find(':'));
  if (name == "cpu") {
    type_ = DeviceType::CPU;
  } else if (name == "cuda") {
    type_ = DeviceType::CUDA;
  } else {
    detail::fail(detail::concat("Device: expected one of cpu, cuda device type at start of device string: ", s));
  }
  if (name.size() == s.size()) return;
  std::string index = s.substr(name.size() + 1);
  bool digits = !index.empty() && index.size() <= 3 && index.find_first_not_of("0123456789") == std::string::npos;
  KILN_CHECK(digits && !(index.size() > 1 && index[0] == '0'), "Device: invalid device string: '", s, "'");
  int value = std::stoi(index);
  KILN_CHECK(value <= 127, "Device: invalid device string: '", s, "'");
  *this = Device(type_, static_cast<DeviceIndex>(value));
}

void Device::set_index(DeviceIndex index) { *this = Device(type_, index); }

std::string DeviceTypeName(DeviceType type, bool lower_case) {
  if (type == DeviceType::CUDA) return lower_case ? "cuda" : "CUDA";
  return lower_case ? "cpu" : "CPU";
}

std::string Device::str() const {
  std::string s = DeviceTypeName(type_, true);
  if (has_index()) {
    s += ':';
    s += std::to_string(index_);
  }
  return s;
}

void detail::check_cpu(const Device& device, const char* op) {
  KILN_CHECK(device.is_cpu(), op, ": kiln computes on the CPU only; device '", device.str(),
             "' is not available (compiled without CUDA)");
}

std::ostream& operator<<(std::ostream& os, DeviceType type) { return os << DeviceTypeName(type, true); }
std::ostream& operator<<(std::ostream& os, const Device& device) { return os << device.str(); }
std::ostream& operator<<(std::ostream& os, Layout) { return os << "Strided"; }

}  // namespace kiln
