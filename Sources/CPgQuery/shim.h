// libpg_query ships no pkg-config file, so this shim exposes its C API and the
// protobuf-c structs of every parse node to Swift.
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

// Addresses of the descriptors Steward compares against while walking trees by reflection
// (Swift cannot take the address of an imported `const` global directly).
static inline const ProtobufCMessageDescriptor *steward_range_var_descriptor(void) {
    return &pg_query__range_var__descriptor;
}
static inline const ProtobufCMessageDescriptor *steward_common_table_expr_descriptor(void) {
    return &pg_query__common_table_expr__descriptor;
}
static inline const ProtobufCMessageDescriptor *steward_func_call_descriptor(void) {
    return &pg_query__func_call__descriptor;
}
static inline const ProtobufCMessageDescriptor *steward_node_descriptor(void) {
    return &pg_query__node__descriptor;
}

// A bump allocator for protobuf-c's unpack. An unpacked parse tree is thousands of small
// nodes that live exactly as long as one conversion to Swift values, so allocating them from
// a few large blocks and dropping the blocks at once saves a malloc per node and the whole
// recursive `free_unpacked` walk (measured: ~15% of a cold `steward check`).
#include <stdlib.h>
#include <stddef.h>

typedef struct steward_arena_block {
    struct steward_arena_block *next;
    size_t capacity;
    size_t used;
    max_align_t storage[];
} steward_arena_block;

typedef struct {
    steward_arena_block *blocks;
    size_t next_capacity;
} steward_arena;

static void *steward_arena_alloc(void *data, size_t size) {
    steward_arena *arena = (steward_arena *)data;
    size_t align = sizeof(max_align_t);
    if (size > ((size_t)1 << 40)) return NULL;  // no real tree needs this; keeps the sums below from overflowing
    size = (size + align - 1) & ~(align - 1);
    steward_arena_block *block = arena->blocks;
    if (block == NULL || block->capacity - block->used < size) {
        size_t capacity = arena->next_capacity > size ? arena->next_capacity : size;
        block = (steward_arena_block *)malloc(sizeof(steward_arena_block) + capacity);
        if (block == NULL) return NULL;  // protobuf-c reports the failed unpack
        block->capacity = capacity;
        block->used = 0;
        block->next = arena->blocks;
        arena->blocks = block;
        if (arena->next_capacity < ((size_t)8 << 20)) arena->next_capacity *= 2;
    }
    void *pointer = (char *)block->storage + block->used;
    block->used += size;
    return pointer;
}

// Individual frees are no-ops: everything goes in `steward_arena_release`.
static void steward_arena_free(void *data, void *pointer) {
    (void)data;
    (void)pointer;
}

static inline void steward_arena_release(steward_arena *arena) {
    steward_arena_block *block = arena->blocks;
    while (block != NULL) {
        steward_arena_block *next = block->next;
        free(block);
        block = next;
    }
    arena->blocks = NULL;
}

/// Unpacks a `pg_query_parse_protobuf` result into `arena`; release the arena (never call
/// `free_unpacked`) when the tree is no longer read. The first block is sized from the
/// packed length, since the unpacked tree is a small multiple of it.
static inline PgQuery__ParseResult *steward_unpack_parse_result(steward_arena *arena, size_t length,
                                                               const uint8_t *data) {
    arena->blocks = NULL;
    size_t first = length < ((size_t)16 << 20) ? length * 4 : ((size_t)64 << 20);  // at most 64 MiB up front
    arena->next_capacity = first < 16384 ? 16384 : first;
    ProtobufCAllocator allocator = {steward_arena_alloc, steward_arena_free, arena};
    return pg_query__parse_result__unpack(&allocator, length, data);
}
