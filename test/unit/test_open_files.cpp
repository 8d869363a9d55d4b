// Open files moving with a task: how a stream is reopened (never creating
// or truncating), and pointers to stdio streams crossing a state stream as
// handles (msr/external_objects.h) -- the standard streams as the
// destination's own, an extension's objects as what it says they are now.
#include "libsnowpvm/exec/open_files.h"
#include "libsnowpvm/msr/collector.h"
#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/msr/state_error.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fcntl.h>
#include <string>

using namespace snow;
using namespace snow::msr;

TEST_CASE("reopen modes follow the descriptor's access and never truncate", "[open_files]") {
  using snow::exec::reopen_flags;
  using snow::exec::reopen_mode;
  CHECK(reopen_mode(O_RDONLY) == "r");
  CHECK(reopen_mode(O_WRONLY | O_CREAT | O_TRUNC) == "w");  // fopen "w"
  CHECK(reopen_mode(O_WRONLY | O_APPEND) == "a");
  CHECK(reopen_mode(O_RDWR) == "r+");
  CHECK(reopen_mode(O_RDWR | O_CREAT | O_TRUNC) == "r+");  // fopen "w+": reopened without truncating
  CHECK(reopen_mode(O_RDWR | O_APPEND) == "a+");
  CHECK(reopen_mode(O_WRONLY | O_CLOEXEC) == "we");
  for (std::string m : {"r", "w", "a", "r+", "a+", "re", "we", "ae", "r+e", "a+e"}) {
    int f = reopen_flags(m);
    INFO(m);
    REQUIRE(f >= 0);
    CHECK((f & (O_CREAT | O_TRUNC | O_EXCL)) == 0);
    CHECK(reopen_mode(f) == m);
  }
  CHECK((reopen_flags("a") & O_APPEND) != 0);
  for (std::string bad : {"", "w+", "x", "rw", "e", "r++", "wb"}) CHECK(reopen_flags(bad) == -1);
}

namespace {

struct holder {
  void* a;
  void* b;
  void* c;
  void* d;
};
const snow_field holder_fields[] = {
    {"a", &snow_type_voidptr, offsetof(holder, a), 0, nullptr, nullptr},
    {"b", &snow_type_voidptr, offsetof(holder, b), 0, nullptr, nullptr},
    {"c", &snow_type_voidptr, offsetof(holder, c), 0, nullptr, nullptr},
    {"d", &snow_type_voidptr, offsetof(holder, d), 0, nullptr, nullptr}};
const snow_type T_holder = {SNOW_K_STRUCT, "struct test_stream_holder", sizeof(holder), alignof(holder), 0,
                            nullptr, 0, 4, holder_fields, nullptr};

int g_source_object, g_destination_object;

// An extension with one object: at the source it lives at
// g_source_object, at the destination at g_destination_object.
class OneObject final : public ExternalObjects {
 public:
  std::optional<uint64_t> handle_of(const void* p) const override {
    return p == &g_source_object ? std::optional<uint64_t>(7) : std::nullopt;
  }
  void check() override {}
  void prepare() override {}
  void recreate() override {}
  void* object_of(uint64_t h) const override { return h == 7 ? &g_destination_object : nullptr; }
};

std::vector<uint8_t> collect(const holder& h) {
  Registry src;
  holder copy = h;
  src.track(&copy, &T_holder, "streams");
  MemorySink sink;
  Collector(src, std::nullopt).run(sink);
  return sink.take();
}

holder restore(std::vector<uint8_t> bytes) {
  Registry dst;
  holder h{};
  dst.track(&h, &T_holder, "streams");
  MemorySource in(std::move(bytes));
  Restorer(dst).run(in);
  return h;
}

}  // namespace

TEST_CASE("pointers to stdio streams cross a state stream as handles", "[open_files][msr]") {
  OneObject ext;
  set_external_objects(&ext);
  auto bytes = collect(holder{stdout, &g_source_object, stderr, stdin});
  holder h = restore(bytes);
  CHECK(h.a == static_cast<void*>(stdout));
  CHECK(h.b == static_cast<void*>(&g_destination_object));
  CHECK(h.c == static_cast<void*>(stderr));
  CHECK(h.d == static_cast<void*>(stdin));

  // A destination that does not know the handle refuses the whole state.
  set_external_objects(nullptr);
  try {
    restore(bytes);
    FAIL("an unknown stream handle was accepted");
  } catch (const StateError& e) {
    CHECK(std::string(e.what()).find("open stream #7") != std::string::npos);
  }
  // Without the extension the object is plain unregistered memory again.
  CHECK_THROWS_AS(collect(holder{nullptr, &g_source_object, nullptr, nullptr}), StateError);
}
