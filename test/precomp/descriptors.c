// Type descriptors are generated for every type that may have to move,
// computed by the target's compiler (sizeof, offsetof, __alignof__), with
// accessors for bit-fields; unions record their active member at runtime.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <stdint.h>
enum color { RED, GREEN };
struct node {
  int key;
  unsigned flags : 3;
  enum color color;
  double weights[4];
  struct node *next;
  int64_t stamp;  /* named: its width differs between the C types it is */
};
typedef struct { short x, y; } point;
struct node *head;
point corner;

// CHECK: static const snow_type __snow_t_struct_node_p;
// CHECK: static const snow_type __snow_t_struct_node;
// CHECK: static unsigned long long __snow_bits_struct_node_flags_get(const void *o) { return (unsigned long long)((const struct node *)o)->flags; }
// CHECK: static void __snow_bits_struct_node_flags_set(void *o, unsigned long long v) { ((struct node *)o)->flags = v; }
// CHECK-LABEL: static const snow_type __snow_t_struct_node_p = {
// CHECK-NEXT: .kind = SNOW_K_POINTER, .name = "struct node *", .size = sizeof(struct node *), .align = __alignof__(struct node *),
// CHECK-NEXT: .elem = &__snow_t_struct_node
// CHECK-LABEL: static const snow_field __snow_t_struct_node_fields[] = {
// CHECK-NEXT: { .name = "key", .type = &snow_type_int, .offset = offsetof(struct node, key) },
// CHECK-NEXT: { .name = "flags", .type = &snow_type_uint, .bit_width = 3, .get_bits = __snow_bits_struct_node_flags_get, .set_bits = __snow_bits_struct_node_flags_set },
// CHECK-NEXT: { .name = "color", .type = &snow_type_uint, .offset = offsetof(struct node, color) },
// CHECK-NEXT: { .name = "weights", .type = &__snow_t_double_a4, .offset = offsetof(struct node, weights) },
// CHECK-NEXT: { .name = "next", .type = &__snow_t_struct_node_p, .offset = offsetof(struct node, next) },
// CHECK-NEXT: { .name = "stamp", .type = &__snow_t_int64_t, .offset = offsetof(struct node, stamp) },
// CHECK: .kind = SNOW_K_STRUCT, .name = "struct node", .size = sizeof(struct node), .align = __alignof__(struct node),
// CHECK-NEXT: .nfields = 6, .fields = __snow_t_struct_node_fields
// CHECK: .kind = SNOW_K_ARRAY, .name = "double[4]", .size = sizeof(double[4]), .align = __alignof__(double[4]),
// CHECK-NEXT: .elem = &snow_type_double, .count = 4
// CHECK: .kind = SNOW_K_INT, .name = "int64_t", .size = sizeof(int64_t), .align = __alignof__(int64_t),
// CHECK-NEXT: .is_signed = ((int64_t)-1 < 0)
// CHECK: { .name = "x", .type = &snow_type_short, .offset = offsetof(point, x) },
// CHECK: .kind = SNOW_K_STRUCT, .name = "point", .size = sizeof(point)
// CHECK-LABEL: static const struct snow_exec_global __snow_globals[] = {
// CHECK-NEXT: { (void *)&head, &__snow_t_struct_node_p, "head" },
// CHECK-NEXT: { (void *)&corner, &__snow_t_point, "corner" },
