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
static inline const ProtobufCMessageDescriptor *steward_node_descriptor(void) {
    return &pg_query__node__descriptor;
}
