import Foundation

/// The lists of services findings name, held once each.
///
/// A finding names its services in a list of its own; the lists repeat (55k findings at 100k
/// statements name 577 distinct lists, most of them one service). Each finding holds the one shared
/// copy of its list instead: an array's allocation less per finding, ~3.5 MB at that size, held
/// from the rules to the report's end.
enum SharedServiceLists {
    private static let lock = NSLock()
    /// Sendable because every access holds `lock`.
    nonisolated(unsafe) private static var lists: Set<[String]> = []
    /// Beyond this many distinct lists (a process that checks many unrelated repositories), new
    /// lists are used as given.
    static let capacity = 4096

    /// The shared copy of `services` (equal to it).
    static func shared(_ services: [String]) -> [String] {
        if services.isEmpty { return services }  // the empty array allocates nothing
        lock.lock()
        defer { lock.unlock() }
        if let index = lists.firstIndex(of: services) { return lists[index] }
        if lists.count < capacity { lists.insert(services) }
        return services
    }
}
