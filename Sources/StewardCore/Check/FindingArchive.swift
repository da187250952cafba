/// Findings as compact bytes, for the result cache.
///
/// A 100k-statement check stores ~56k findings: as JSON that is ~39 MB, and decoding it took
/// longer than the analysis it replaces, with more memory. Here every distinct string that
/// repeats (paths, rule ids, services, help texts, object names) is written once in a table and
/// findings refer to it by number; messages, nearly all different, are written in place
/// (looking each up in the table would cost more than it saves). Numbers are LEB128 varints.
/// Decoding shares each string among the findings that use it. Any malformed input decodes to
/// nil (the cache then misses): the entry's digest catches damage first, this is the second line.
enum FindingArchive {
    /// Bumped with any change to the layout below.
    static let version: UInt8 = 2

    static func encode(_ findings: [Finding], statementCount: Int) -> [UInt8] {
        var strings = StringTable()
        var body = ByteWriter()
        body.bytes.reserveCapacity(findings.count * 200)
        body.integer(statementCount)
        body.integer(findings.count)
        for finding in findings {
            body.integer(strings.number(finding.ruleID))
            body.integer(strings.number(finding.severity.rawValue))
            body.string(finding.message)
            body.integer(strings.optional(finding.help))
            if let location = finding.location {
                body.integer(1)
                location.write(to: &body, strings: &strings)
            } else {
                body.integer(0)
            }
            body.integer(finding.services.count)
            for service in finding.services { body.integer(strings.number(service)) }
            if let allowance = finding.allowance {
                body.integer(1)
                body.integer(strings.number(allowance.source.rawValue))
                body.integer(strings.number(allowance.path))
                body.integer(allowance.line)
                body.integer(strings.optional(allowance.reason))
            } else {
                body.integer(0)
            }
            body.integer(finding.objects.count)
            for object in finding.objects {
                body.integer(strings.number(object.kind.rawValue))
                for part in [object.schema, object.table, object.column, object.constraint, object.name] { body.integer(strings.optional(part)) }
            }
            body.integer(finding.related.count)
            for related in finding.related {
                related.location.write(to: &body, strings: &strings)
                body.integer(strings.number(related.message))
            }
        }
        var output = ByteWriter()
        output.bytes.append(version)
        output.integer(strings.ordered.count)
        for string in strings.ordered { output.string(string) }
        output.bytes += body.bytes
        return output.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) -> (findings: [Finding], statementCount: Int)? {
        var reader = ByteReader(bytes: bytes)
        guard reader.byte() == version, let count = reader.count() else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(min(count, reader.remaining))
        for _ in 0..<count {
            guard let string = reader.string() else { return nil }
            strings.append(string)
        }
        func string() -> String? { reader.count().flatMap { $0 < strings.count ? strings[$0] : nil } }
        func optional() -> String?? {
            guard let number = reader.count() else { return nil }
            if number == 0 { return .some(nil) }
            return number - 1 < strings.count ? .some(strings[number - 1]) : nil
        }
        func location() -> FileLocation? {
            guard let path = string(), let line = reader.count(), let column = reader.count(), let length = reader.count() else { return nil }
            return FileLocation(path: path, line: line, column: column, length: length)
        }
        guard let statementCount = reader.count(), let findingCount = reader.count() else { return nil }
        var findings: [Finding] = []
        findings.reserveCapacity(min(findingCount, bytes.count))
        var serviceNumbers: [Int] = [], previousServices: (numbers: [Int], list: [String]) = ([], [])
        for _ in 0..<findingCount {
            guard let ruleID = string(), let severity = string().flatMap(Severity.init(rawValue:)), let message = reader.string(),
                  let help = optional(), let hasLocation = reader.count() else { return nil }
            var findingLocation: FileLocation?
            if hasLocation == 1 {
                guard let decoded = location() else { return nil }
                findingLocation = decoded
            } else if hasLocation != 0 {
                return nil
            }
            guard let serviceCount = reader.count(), serviceCount <= reader.remaining else { return nil }
            serviceNumbers.removeAll(keepingCapacity: true)
            for _ in 0..<serviceCount {
                guard let number = reader.count(), number < strings.count else { return nil }
                serviceNumbers.append(number)
            }
            // Consecutive findings of a rule mostly concern the same services: one list for them all.
            if serviceNumbers != previousServices.numbers { previousServices = (serviceNumbers, serviceNumbers.map { strings[$0] }) }
            let services = previousServices.list
            guard let hasAllowance = reader.count() else { return nil }
            var allowance: Allowance?
            if hasAllowance == 1 {
                guard let source = string().flatMap(Allowance.Source.init(rawValue:)), let path = string(), let line = reader.count(),
                      let reason = optional() else { return nil }
                allowance = Allowance(source: source, path: path, line: line, reason: reason)
            } else if hasAllowance != 0 {
                return nil
            }
            guard let objectCount = reader.count(), objectCount <= reader.remaining else { return nil }
            var objects: [FindingObject] = []
            for _ in 0..<objectCount {
                guard let kind = string().flatMap(FindingObject.Kind.init(rawValue:)), let schema = optional(), let table = optional(),
                      let column = optional(), let constraint = optional(), let name = optional() else { return nil }
                objects.append(FindingObject(kind: kind, schema: schema, table: table, column: column, constraint: constraint, name: name))
            }
            guard let relatedCount = reader.count(), relatedCount <= reader.remaining else { return nil }
            var related: [RelatedLocation] = []
            for _ in 0..<relatedCount {
                guard let place = location(), let text = string() else { return nil }
                related.append(RelatedLocation(place, text))
            }
            findings.append(Finding(ruleID: ruleID, severity: severity, message: message, help: help, location: findingLocation, services: services,
                                    allowance: allowance, objects: objects, related: related))
        }
        return reader.isAtEnd ? (findings, statementCount) : nil
    }

    /// Every distinct string, numbered in order of first use.
    struct StringTable {
        private var numbers: [String: Int] = [:]
        private(set) var ordered: [String] = []

        mutating func number(_ string: String) -> Int {
            if let known = numbers[string] { return known }
            numbers[string] = ordered.count
            ordered.append(string)
            return ordered.count - 1
        }

        /// 0 for nil, else the string's number plus one.
        mutating func optional(_ string: String?) -> Int { string.map { number($0) + 1 } ?? 0 }
    }

    struct ByteWriter {
        var bytes: [UInt8] = []

        /// A non-negative integer as an unsigned LEB128 varint (negative values, which no
        /// field holds, are written as 0).
        mutating func integer(_ value: Int) {
            var rest = UInt64(max(0, value))
            while rest >= 0x80 {
                bytes.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }

        /// Its UTF-8 length, then its bytes.
        mutating func string(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                integer(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }
    }

    /// Reads `bytes`, which must outlive it (decoding happens inside `withUnsafeBytes`).
    struct ByteReader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var isAtEnd: Bool { position == bytes.count }
        var remaining: Int { bytes.count - position }

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        /// A varint that fits an `Int` (at most nine bytes, so no overflow), or nil.
        mutating func count() -> Int? {
            var value = 0
            for shift in stride(from: 0, to: 63, by: 7) {
                guard let next = byte() else { return nil }
                value |= Int(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
            }
            return nil
        }

        mutating func string() -> String? {
            guard let length = count(), length <= remaining else { return nil }
            defer { position += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]), as: UTF8.self)
        }
    }
}

extension FileLocation {
    fileprivate func write(to body: inout FindingArchive.ByteWriter, strings: inout FindingArchive.StringTable) {
        body.integer(strings.number(path))
        body.integer(line)
        body.integer(column)
        body.integer(length)
    }
}
