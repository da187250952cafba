import CPgQuery

/// Names of PostgreSQL enum constants (`OBJECT_TABLE`, `AT_SetStatistics`) for statements
/// Steward labels but does not model. They are read from libpg_query's protobuf descriptors,
/// which number each enum as PostgreSQL does plus one (0 is protobuf's "undefined").
enum EnumNames {
    static func objectType(_ value: UInt32) -> String {
        withUnsafePointer(to: pg_query__object_type__descriptor) { name(in: $0, postgresValue: value) } ?? "object"
    }

    static func alterTableType(_ value: UInt32) -> String {
        withUnsafePointer(to: pg_query__alter_table_type__descriptor) { name(in: $0, postgresValue: value) } ?? "AT_\(value + 1)"
    }

    private static func name(in descriptor: UnsafePointer<ProtobufCEnumDescriptor>, postgresValue: UInt32) -> String? {
        guard postgresValue < UInt32(Int32.max),
              let value = protobuf_c_enum_descriptor_get_value(descriptor, Int32(postgresValue) + 1),
              let name = value.pointee.name else { return nil }
        return String(cString: name)
    }
}
