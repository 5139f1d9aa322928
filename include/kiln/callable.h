// kiln::Callable<R(Args...)>: a copyable, type-erased callable, as
// std::function, for the few public signatures that store or take one
// (hooks, gradcheck, the functional API); the public headers then need not
// include <functional>, the heaviest header a hello world would pull in.
// Anything callable with Args and returning something convertible to R
// converts, std::function included.
#pragma once
#include <type_traits>
#include <utility>

namespace kiln {

template <class Signature>
class Callable;

template <class R, class... Args>
class Callable<R(Args...)> {
 public:
  Callable() = default;
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callable> && std::is_invocable_r_v<R, std::decay_t<F>&, Args...>)
  Callable(F&& f) : f_(new Held<std::decay_t<F>>(std::forward<F>(f))) {}  // NOLINT: implicit, as std::function
  Callable(const Callable& o) : f_(o.f_ ? o.f_->clone() : nullptr) {}
  Callable(Callable&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  Callable& operator=(Callable o) noexcept {
    std::swap(f_, o.f_);
    return *this;
  }
  ~Callable() { delete f_; }

  explicit operator bool() const { return f_ != nullptr; }
  R operator()(Args... args) const { return f_->call(std::forward<Args>(args)...); }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual R call(Args... args) = 0;
    virtual Base* clone() const = 0;
  };
  template <class F>
  struct Held final : Base {
    template <class G>
    explicit Held(G&& g) : f(std::forward<G>(g)) {}
    R call(Args... args) override {
      if constexpr (std::is_void_v<R>)
        f(std::forward<Args>(args)...);
      else
        return f(std::forward<Args>(args)...);
    }
    Base* clone() const override { return new Held(f); }
    F f;
  };
  Base* f_ = nullptr;
};

}  // namespace kiln
