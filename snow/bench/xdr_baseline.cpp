#include "snow/bench/xdr_baseline.h"

#include "libsnowpvm/util/error.h"
#include "snow/bench/measure.h"

#include <rpc/xdr.h>

#include <memory>
#include <vector>

namespace snow::cli::bench {

XdrResult xdr_array(size_t n, int reps) {
  std::vector<double> src(n), dst(n);
  for (size_t i = 0; i < n; ++i) src[i] = static_cast<double>(i) * 0.25 + 1.0;
  std::vector<char> buf(n * 8 + 64);
  XdrResult r;
  r.encode_s = median_seconds(reps, nullptr, [&] {
    XDR x;
    xdrmem_create(&x, buf.data(), static_cast<u_int>(buf.size()), XDR_ENCODE);
    if (!xdr_vector(&x, reinterpret_cast<char*>(src.data()), static_cast<u_int>(n), sizeof(double),
                    reinterpret_cast<xdrproc_t>(xdr_double)))
      throw Error("xdr_vector encode failed");
    r.bytes = xdr_getpos(&x);
    xdr_destroy(&x);
  });
  r.decode_s = median_seconds(reps, nullptr, [&] {
    XDR x;
    xdrmem_create(&x, buf.data(), static_cast<u_int>(buf.size()), XDR_DECODE);
    if (!xdr_vector(&x, reinterpret_cast<char*>(dst.data()), static_cast<u_int>(n), sizeof(double),
                    reinterpret_cast<xdrproc_t>(xdr_double)))
      throw Error("xdr_vector decode failed");
    xdr_destroy(&x);
  });
  r.verified = src == dst;
  return r;
}

namespace {

struct TNode {
  int64_t key;
  double val;
  TNode* left;
  TNode* right;
};

struct TreeStore {  // owns every node
  std::vector<std::unique_ptr<TNode>> nodes;
  TNode* make() {
    nodes.push_back(std::make_unique<TNode>());
    return nodes.back().get();
  }
};

TNode* build(TreeStore& s, long lo, long hi) {
  if (lo > hi) return nullptr;
  long mid = lo + (hi - lo) / 2;
  TNode* n = s.make();
  n->key = mid;
  n->val = static_cast<double>(mid) * 0.5;
  n->left = build(s, lo, mid - 1);
  n->right = build(s, mid + 1, hi);
  return n;
}

bool encode(XDR* x, TNode* root) {
  std::vector<TNode*> stack{root};
  while (!stack.empty()) {
    TNode* n = stack.back();
    stack.pop_back();
    bool_t l = n->left != nullptr, r = n->right != nullptr;
    if (!xdr_int64_t(x, &n->key) || !xdr_double(x, &n->val) || !xdr_bool(x, &l) || !xdr_bool(x, &r))
      return false;
    if (n->right) stack.push_back(n->right);
    if (n->left) stack.push_back(n->left);
  }
  return true;
}

TNode* decode(XDR* x, TreeStore& s) {
  TNode* root = s.make();
  std::vector<TNode**> todo;  // slots to fill, in preorder
  TNode* cur = root;
  for (;;) {
    bool_t l, r;
    if (!xdr_int64_t(x, &cur->key) || !xdr_double(x, &cur->val) || !xdr_bool(x, &l) ||
        !xdr_bool(x, &r))
      throw Error("xdr tree decode failed");
    cur->left = cur->right = nullptr;
    if (r) todo.push_back(&cur->right);
    if (l) todo.push_back(&cur->left);
    if (todo.empty()) break;
    TNode** slot = todo.back();
    todo.pop_back();
    *slot = s.make();
    cur = *slot;
  }
  return root;
}

long count_in_order(const TNode* n, long next) {
  if (n == nullptr) return next;
  next = count_in_order(n->left, next);
  if (n->key != next) return -1'000'000'000;
  return count_in_order(n->right, next + 1);
}

}  // namespace

XdrResult xdr_tree(long n, int reps) {
  TreeStore src;
  TNode* root = build(src, 0, n - 1);
  std::vector<char> buf(static_cast<size_t>(n) * 24 + 64);
  XdrResult r;
  r.encode_s = median_seconds(reps, nullptr, [&] {
    XDR x;
    xdrmem_create(&x, buf.data(), static_cast<u_int>(buf.size()), XDR_ENCODE);
    if (!encode(&x, root)) throw Error("xdr tree encode failed");
    r.bytes = xdr_getpos(&x);
    xdr_destroy(&x);
  });
  std::unique_ptr<TreeStore> out;
  TNode* back = nullptr;
  r.decode_s = median_seconds(
      reps, [&] { out = std::make_unique<TreeStore>(); },
      [&] {
        XDR x;
        xdrmem_create(&x, buf.data(), static_cast<u_int>(buf.size()), XDR_DECODE);
        back = decode(&x, *out);
        xdr_destroy(&x);
      });
  r.verified = count_in_order(back, 0) == n;
  return r;
}

}  // namespace snow::cli::bench
