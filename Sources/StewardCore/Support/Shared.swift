/// A value many values of the model refer to, held once: `SchemaReplayer` shares one per file
/// path (every `Origin` in the file and every change recorded there) and one per object name
/// its change log records. A reference is 8 bytes where a `String` is 16 and an `ObjectName`
/// 32, and the model holds them by the hundred thousand at 100k statements.
final class Shared<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
