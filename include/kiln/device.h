// Where a tensor lives and how it is laid out, spelled as libtorch's
// c10::Device / c10::Layout. kiln computes on the CPU: kCUDA exists so that
// device-generic libtorch code compiles, and placing a tensor there is an
// error naming the op.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

namespace kiln {

enum class DeviceType : int8_t { CPU = 0, CUDA = 1 };
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
using DeviceIndex = int8_t;

class Device {
 public:
  // An index of -1 means "the current device" of that type, as in libtorch.
  Device(DeviceType type, DeviceIndex index = -1);
  // "cpu", "cuda", "cuda:1".
  Device(const std::string& device_string);
  Device(const char* device_string) : Device(std::string(device_string)) {}

  DeviceType type() const noexcept { return type_; }
  DeviceIndex index() const noexcept { return index_; }
  bool has_index() const noexcept { return index_ != -1; }
  bool is_cpu() const noexcept { return type_ == DeviceType::CPU; }
  bool is_cuda() const noexcept { return type_ == DeviceType::CUDA; }
  void set_index(DeviceIndex index);
  std::string str() const;

  bool operator==(const Device& other) const noexcept { return type_ == other.type_ && index_ == other.index_; }
  bool operator!=(const Device& other) const noexcept { return !(*this == other); }

 private:
  DeviceType type_;
  DeviceIndex index_ = -1;
};

std::string DeviceTypeName(DeviceType type, bool lower_case = false);
std::ostream& operator<<(std::ostream& os, DeviceType type);
std::ostream& operator<<(std::ostream& os, const Device& device);

// Memory layout: kiln tensors are strided (dense, with strides).
enum class Layout : int8_t { Strided = 0 };
constexpr Layout kStrided = Layout::Strided;
std::ostream& operator<<(std::ostream& os, Layout layout);

namespace detail {
// A kiln::Error naming `op` unless `device` is the CPU.
void check_cpu(const Device& device, const char* op);
}  // namespace detail

namespace cuda {
// kiln has no CUDA backend.
inline bool is_available() { return false; }
inline int64_t device_count() { return 0; }
inline bool cudnn_is_available() { return false; }
}  // namespace cuda

}  // namespace kiln
