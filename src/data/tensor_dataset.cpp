// TensorDataset: rows by index, and whole batches by one index_select.
#include "kiln/data.h"

namespace kiln::data::datasets {

TensorDataset::TensorDataset(Tensor data_, Tensor target_) : data(std::move(data_)), target(std::move(target_)) {
  KILN_CHECK(data.defined() && data.dim() >= 1, "TensorDataset: data must have at least one dimension (the examples)");
  KILN_CHECK(!target.defined() || (target.dim() >= 1 && target.size(0) == data.size(0)), "TensorDataset: data has ",
             data.size(0), " examples (shape ", data.sizes(), ") but target has ",
             target.defined() && target.dim() ? target.size(0) : 0, " (shape ",
             target.defined() ? target.sizes() : IntArrayRef{}, ")");
}

TensorDataset::TensorDataset(const std::vector<Tensor>& tensors) : TensorDataset(stack(tensors)) {}

Example<> TensorDataset::get(size_t index) {
  auto i = static_cast<int64_t>(index);
  KILN_CHECK(i < data.size(0), "TensorDataset: index ", index, " is out of range for ", data.size(0), " examples");
  return {data[i], target.defined() ? target[i] : Tensor()};
}

std::optional<size_t> TensorDataset::size() const { return static_cast<size_t>(data.size(0)); }

Example<> TensorDataset::get_stacked_batch(const std::vector<size_t>& indices) const {
  std::vector<int64_t> rows(indices.begin(), indices.end());
  for (int64_t r : rows)
    KILN_CHECK(r < data.size(0), "TensorDataset: index ", r, " is out of range for ", data.size(0), " examples");
  Tensor index = from_blob(rows.data(), {static_cast<int64_t>(rows.size())}, kInt64);
  return {data.index_select(0, index), target.defined() ? target.index_select(0, index) : Tensor()};
}

}  // namespace kiln::data::datasets
