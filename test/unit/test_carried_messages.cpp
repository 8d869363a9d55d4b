// Messages carried inside a control message (the RML of a migration, the
// copies of a redelivery): an empty message in the middle must not garble
// the ones after it.  libpvm's pvm_pkmesg/pvm_upkmesg alone do (an empty
// message's fragment is packed but never unpacked).  Pure libpvm buffer
// work: no pvmd is needed (libpvm tries to reach one on its first call, says
// it cannot, and carries on; as root it must be allowed to).
#include "libsnowpvm/comm/pvm_io.h"

#include <pvm3.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <vector>

namespace {

int message(int tag, const std::vector<int>& ints) {
  int mid = pvm_mkbuf(PvmDataDefault);
  int old = pvm_setsbuf(mid);
  if (!ints.empty()) pvm_pkint(const_cast<int*>(ints.data()), static_cast<int>(ints.size()), 1);
  pvm_setsbuf(old);
  struct pvmminfo info {};
  pvm_getminfo(mid, &info);
  info.tag = tag;
  info.src = 0x40000 + tag;
  pvm_setminfo(mid, &info);
  return mid;
}

}  // namespace

TEST_CASE("carried messages: empty ones in between keep the others whole", "[comm]") {
  setenv("PVM_ALLOW_ROOT", "1", 0);
  std::vector<int> carried = {message(1, {}), message(2, {42, 43}), message(3, {}), message(4, {7})};
  int outer = pvm_mkbuf(PvmDataDefault);
  int old_s = pvm_setsbuf(outer);
  for (int m : carried) REQUIRE(snow::pvmio::pack_message(m) >= 0);
  pvm_setsbuf(old_s);

  int old_r = pvm_setrbuf(outer);
  std::vector<int> got;
  for (size_t i = 0; i < carried.size(); ++i) {
    int mid = snow::pvmio::unpack_message();
    REQUIRE(mid > 0);
    got.push_back(mid);
  }
  pvm_setrbuf(old_r);
  pvm_freebuf(outer);

  for (size_t i = 0; i < got.size(); ++i) {
    int bytes = -1, tag = -1, src = -1;
    REQUIRE(pvm_bufinfo(got[i], &bytes, &tag, &src) >= 0);
    CHECK(tag == static_cast<int>(i) + 1);
    CHECK(src == 0x40000 + tag);
  }
  int before = pvm_setrbuf(got[1]);
  int v[2] = {0, 0};
  REQUIRE(pvm_upkint(v, 2, 1) >= 0);
  CHECK(v[0] == 42);
  CHECK(v[1] == 43);
  pvm_setrbuf(got[3]);
  int w = 0;
  REQUIRE(pvm_upkint(&w, 1, 1) >= 0);
  CHECK(w == 7);
  pvm_setrbuf(before);
  for (int m : got) pvm_freebuf(m);
  for (int m : carried) pvm_freebuf(m);
}
