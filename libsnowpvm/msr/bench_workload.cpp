#include "libsnowpvm/msr/bench_workload.h"

#include "libsnowpvm/msr/state_error.h"
#include "snowpvm_msr.h"

#include <cstddef>
#include <vector>

namespace snow::msr::bench {
namespace {

std::string human(uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
  if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + "KiB";
  return std::to_string(bytes) + "B";
}

class ArrayWorkload final : public Workload {
 public:
  explicit ArrayWorkload(uint64_t bytes) : n_(static_cast<size_t>(bytes / sizeof(double))) {
    if (n_ == 0) throw StateError("an array workload needs at least one double");
    type_ = snow_array_of(&snow_type_double, n_);
  }
  std::string name() const override { return "array-" + human(n_ * sizeof(double)); }
  uint64_t payload_bytes() const override { return n_ * sizeof(double); }
  void build(Registry& reg) override {
    src_ = AlignedBuffer(n_ * sizeof(double));
    auto* d = static_cast<double*>(src_.data());
    for (size_t i = 0; i < n_; ++i) d[i] = static_cast<double>(i) * 0.25 + 1.0;
    reg.track(d, type_, "bench.array");
  }
  void prepare(Registry& reg) override {
    if (!dst_) dst_ = AlignedBuffer(n_ * sizeof(double));
    auto* d = static_cast<double*>(dst_.data());
    for (size_t i = 0; i < n_; ++i) d[i] = -1.0;  // touched: restores do not pay page faults
    reg.track(d, type_, "bench.array");
  }
  bool verify() const override {
    const auto* d = static_cast<const double*>(dst_.data());
    for (size_t i = 0; i < n_; ++i)
      if (d[i] != static_cast<double>(i) * 0.25 + 1.0) return false;
    return true;
  }

 private:
  size_t n_;
  const snow_type* type_;
  AlignedBuffer src_, dst_;
};

struct Node {
  long key;
  double val;
  Node* left;
  Node* right;
};

extern const snow_type kNodeType;
const snow_type kNodePtr = {SNOW_K_POINTER,
                            "struct bench_node *",
                            sizeof(Node*),
                            alignof(Node*),
                            0,
                            &kNodeType,
                            0,
                            0,
                            nullptr,
                            nullptr};
const snow_field kNodeFields[] = {
    {"key", &snow_type_long, offsetof(Node, key), 0, nullptr, nullptr},
    {"val", &snow_type_double, offsetof(Node, val), 0, nullptr, nullptr},
    {"left", &kNodePtr, offsetof(Node, left), 0, nullptr, nullptr},
    {"right", &kNodePtr, offsetof(Node, right), 0, nullptr, nullptr}};
const snow_type kNodeType = {
    SNOW_K_STRUCT, "struct bench_node", sizeof(Node), alignof(Node), 0, nullptr, 0, 4, kNodeFields,
    nullptr};

class TreeWorkload final : public Workload {
 public:
  explicit TreeWorkload(uint64_t nodes) : n_(static_cast<long>(nodes)) {
    if (n_ <= 0) throw StateError("a tree workload needs at least one node");
  }
  std::string name() const override {
    return n_ % 1000000 == 0 ? "tree-" + std::to_string(n_ / 1000000) + "M"
                             : "tree-" + std::to_string(n_);
  }
  uint64_t payload_bytes() const override { return static_cast<uint64_t>(n_) * sizeof(Node); }
  void build(Registry& reg) override {
    src_root_ = make(reg, 0, n_ - 1);
    reg.track(&src_root_, &kNodePtr, "bench.tree");
  }
  void prepare(Registry& reg) override {
    dst_root_ = nullptr;
    reg.track(&dst_root_, &kNodePtr, "bench.tree");
  }
  bool verify() const override {
    // In order, the keys are 0..n-1 and every value is key / 2.
    std::vector<const Node*> stack;
    long next = 0;
    const Node* cur = dst_root_;
    while (cur != nullptr || !stack.empty()) {
      while (cur != nullptr) {
        stack.push_back(cur);
        cur = cur->left;
      }
      cur = stack.back();
      stack.pop_back();
      if (cur->key != next || cur->val != static_cast<double>(cur->key) * 0.5) return false;
      ++next;
      cur = cur->right;
    }
    return next == n_;
  }

 private:
  static Node* make(Registry& reg, long lo, long hi) {
    if (lo > hi) return nullptr;
    long mid = lo + (hi - lo) / 2;
    auto* n = static_cast<Node*>(reg.heap().allocate(sizeof(Node), &kNodeType, false));
    if (n == nullptr) throw StateError("out of memory building the tree workload");
    n->key = mid;
    n->val = static_cast<double>(mid) * 0.5;
    n->left = make(reg, lo, mid - 1);
    n->right = make(reg, mid + 1, hi);
    return n;
  }

  long n_;
  Node* src_root_ = nullptr;
  Node* dst_root_ = nullptr;
};

}  // namespace

std::unique_ptr<Workload> make_workload(const std::string& kind, uint64_t size) {
  if (kind == "array") return std::make_unique<ArrayWorkload>(size);
  if (kind == "tree") return std::make_unique<TreeWorkload>(size);
  throw StateError("unknown workload '" + kind + "' (array, tree)");
}

}  // namespace snow::msr::bench
