#pragma once
// A heap cell with value semantics: copying a Box copies what it holds. It lets the document
// model be recursive (an object value holds a Body, which holds values) while every node stays
// an ordinary copyable, comparable value.
#include <cassert>
#include <memory>
#include <utility>

namespace baton::config::hcl {

template <class T>
class Box {
 public:
  explicit Box(T value) : cell_(std::make_unique<T>(std::move(value))) {}
  Box(const Box& other) : cell_(std::make_unique<T>(*other)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) cell_ = std::make_unique<T>(*other);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  // Never null except after being moved from, and a moved-from Box is only destroyed.
  const T& operator*() const {
    assert(cell_ != nullptr);
    return *cell_;
  }
  const T* operator->() const { return &**this; }

 private:
  std::unique_ptr<T> cell_;
};

}  // namespace baton::config::hcl
