// The README's training example: an MLP learns whether a point lies inside
// the unit circle, through kiln::nn, kiln::optim and kiln::data.
#include <kiln/kiln.h>

#include <iostream>

int main() {
  kiln::manual_seed(0);
  namespace nn = kiln::nn;
  auto x = kiln::randn({1000, 2}), y = (x.pow(2).sum(1) < 1).to(kiln::kInt64);  // inside the unit circle?
  nn::Sequential model(nn::Linear(2, 32), nn::ReLU(), nn::Linear(32, 2));
  kiln::optim::Adam opt(model->parameters(), kiln::optim::AdamOptions(1e-2));
  auto loader = kiln::data::make_data_loader(
      kiln::data::datasets::TensorDataset(x, y).map(kiln::data::transforms::Stack<>()), 64);
  kiln::ProgressBar bar(20, "circle");
  for (int epoch = 0; epoch < 20; ++epoch) {
    double total = 0;
    for (auto& batch : *loader) {
      opt.zero_grad();
      auto loss = nn::functional::cross_entropy(model->forward(batch.data), batch.target);
      loss.backward();
      opt.step();
      total += loss.item<double>();
    }
    bar.update(epoch + 1, total / 16);
  }
  bar.close();
  kiln::NoGradGuard no_grad;
  double accuracy = (model->forward(x).argmax(1) == y).to(kiln::kFloat64).mean().item<double>();
  kiln::save(model, "model.safetensors");
  std::cout << *model << "\ntraining accuracy " << accuracy << "\n";
}
