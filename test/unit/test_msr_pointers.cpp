// Pointer translation: native addresses -> (block, element, path,
// remainder), including the hard cases: interior fields of arrays of
// structs, one past the end (of a block and of an inner array), void *,
// union members, and adjacent blocks.
#include "libsnowpvm/msr/block_graph.h"
#include "libsnowpvm/msr/logical_pointer.h"
#include "libsnowpvm/msr/registry.h"

#include <catch2/catch.hpp>

using namespace snow::msr;

namespace {

struct item {
  char tag;
  double vals[3];
  int n;
};
const snow_type T_d3 = {
    SNOW_K_ARRAY, nullptr, sizeof(double[3]), alignof(double), 0, &snow_type_double, 3, 0,
    nullptr,      nullptr};
const snow_field item_fields[] = {
    {"tag", &snow_type_char, offsetof(item, tag), 0, nullptr, nullptr},
    {"vals", &T_d3, offsetof(item, vals), 0, nullptr, nullptr},
    {"n", &snow_type_int, offsetof(item, n), 0, nullptr, nullptr}};
const snow_type T_item = {
    SNOW_K_STRUCT, "struct test_item", sizeof(item), alignof(item), 0, nullptr, 0, 3, item_fields,
    nullptr};

union un {
  int i;
  double d;
};
const snow_field un_fields[] = {{"i", &snow_type_int, 0, 0, nullptr, nullptr},
                                {"d", &snow_type_double, 0, 0, nullptr, nullptr}};
const snow_type T_un = {SNOW_K_UNION, "union test_un", sizeof(un), alignof(un), 0, nullptr, 0, 2,
                        un_fields,    nullptr};

struct Fixture {
  Registry reg;
  item* items;
  Fixture() { items = static_cast<item*>(reg.heap().allocate(5 * sizeof(item), &T_item, true)); }
};

LogicalRef ref_to(Fixture& f, const void* p, const snow_type* hint) {
  BlockGraph g(f.reg);
  auto t = g.find(reinterpret_cast<uintptr_t>(p), hint);
  REQUIRE(t.has_value());
  return logical_ref(f.reg, g.block(t->block), t->offset, hint);
}

std::vector<uint64_t> path(const LogicalRef& r) {
  return {r.comps.begin(), r.comps.begin() + r.depth};
}

}  // namespace

TEST_CASE("pointers to elements and fields of an array of structs", "[msr][pointers]") {
  Fixture f;
  auto r = ref_to(f, &f.items[0], &T_item);
  CHECK((r.elem == 0 && r.depth == 0 && r.rem == 0));
  r = ref_to(f, &f.items[3], &T_item);
  CHECK((r.elem == 3 && r.depth == 0));
  r = ref_to(f, &f.items[2].vals[1], &snow_type_double);
  CHECK(r.elem == 2);
  CHECK(path(r) == std::vector<uint64_t>{1, 1});
  r = ref_to(f, &f.items[4].n, &snow_type_int);
  CHECK(path(r) == std::vector<uint64_t>{2});
  CHECK(r.rem == 0);
}

TEST_CASE("one past the end: of the block, and of an inner array", "[msr][pointers]") {
  Fixture f;
  auto r = ref_to(f, f.items + 5, &T_item);
  CHECK((r.elem == 5 && r.depth == 0 && r.rem == 0));
  // items[1].vals + 3 is where items[1].n may start: the double * says
  // which one is meant.
  r = ref_to(f, f.items[1].vals + 3, &snow_type_double);
  CHECK(r.elem == 1);
  CHECK(path(r) == std::vector<uint64_t>{1, 3});
}

TEST_CASE("void * stops at the outermost object; char * into a scalar leaves a remainder",
          "[msr][pointers]") {
  Fixture f;
  auto r = ref_to(f, &f.items[2], nullptr);
  CHECK((r.elem == 2 && r.depth == 0));
  r = ref_to(f, &f.items[2].vals[2], nullptr);
  CHECK(path(r) == std::vector<uint64_t>{1, 2});
  r = ref_to(f, reinterpret_cast<char*>(&f.items[0].n) + 1, &snow_type_char);
  CHECK(path(r) == std::vector<uint64_t>{2});
  CHECK(r.rem == 1);
}

TEST_CASE("union members follow the recorded active member", "[msr][pointers]") {
  Registry reg;
  auto* u = static_cast<un*>(reg.heap().allocate(sizeof(un), &T_un, true));
  reg.set_union_active(u, 1);
  BlockGraph g(reg);
  auto t = g.find(reinterpret_cast<uintptr_t>(&u->d), &snow_type_double);
  REQUIRE(t.has_value());
  auto r = logical_ref(reg, g.block(t->block), t->offset, &snow_type_double);
  CHECK(path(r) == std::vector<uint64_t>{1});
}

TEST_CASE("adjacent roots: one past the end of A versus the start of B", "[msr][pointers]") {
  Registry reg;
  static struct {
    int a[4];
    int b[4];
  } pair;
  reg.track(pair.a, snow_array_of(&snow_type_int, 4), "a");
  reg.track(pair.b, snow_array_of(&snow_type_int, 4), "b");
  BlockGraph g(reg);
  auto t = g.find(reinterpret_cast<uintptr_t>(pair.b), &snow_type_int);
  REQUIRE(t.has_value());
  CHECK(g.root(t->block).name == "b");  // same type: the start of b wins
  CHECK(t->offset == 0);
  CHECK_FALSE(g.find(reinterpret_cast<uintptr_t>(pair.b + 5), &snow_type_int).has_value());
  CHECK(g.find(reinterpret_cast<uintptr_t>(pair.b + 4), &snow_type_int)->offset == sizeof pair.b);
}

TEST_CASE("overlapping blocks are refused at collection", "[msr][pointers]") {
  Registry reg;
  static double d[4];
  reg.track(d, snow_array_of(&snow_type_double, 4), "d");
  snow_stack_block sb{&d[1], &snow_type_double, "f.d1", nullptr};
  reg.stack_top() = &sb;
  CHECK_THROWS_WITH(BlockGraph(reg), Catch::Contains("overlap"));
  reg.stack_top() = nullptr;
}

TEST_CASE("an address just past a string is not in it: it starts the next literal", "[msr][pointers]") {
  Registry reg;
  BlockGraph g(reg);
  static const char packed[] = "lo\0mi";  // literals back to back, as an i386 build lays them out
  g.add_string(packed);
  auto inside = g.find(reinterpret_cast<uintptr_t>(packed + 1), &snow_type_char);
  REQUIRE(inside.has_value());
  CHECK(inside->offset == 1);
  CHECK_FALSE(g.find(reinterpret_cast<uintptr_t>(packed + 3), &snow_type_char).has_value());
}
