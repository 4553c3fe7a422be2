// A fixed-size array of a trivial type in anonymous memory: the kernel
// zero-fills each page when it is first touched (no memset), and backs the
// array with huge pages where the host allows, so a large table costs one
// page fault per 2 MiB rather than per 4 KiB as a simulation spreads over
// it. For the allocator's frame table and the simulator's large hash tables.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace buddysim::model {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n) : size_(n) {
    if (n == 0) return;
    void *raw = mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    madvise(raw, bytes(), MADV_HUGEPAGE);
    data_ = static_cast<T *>(raw);
  }
  ZeroedArray(ZeroedArray &&other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ZeroedArray &operator=(ZeroedArray &&other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~ZeroedArray() {
    if (data_ != nullptr) munmap(data_, bytes());
  }

  T &operator[](std::size_t i) { return data_[i]; }
  const T &operator[](std::size_t i) const { return data_[i]; }
  T *data() { return data_; }
  const T *data() const { return data_; }
  std::size_t size() const { return size_; }
  T *begin() { return data_; }
  T *end() { return data_ + size_; }
  const T *begin() const { return data_; }
  const T *end() const { return data_ + size_; }

 private:
  std::size_t bytes() const { return size_ * sizeof(T); }

  T *data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace buddysim::model
