import CAllocator
import Dispatch
import Foundation
import StewardCore

/// `STEWARD_TIMING=1` prints how long each phase of the analysis took, the CPU time all its
/// threads spent (twice the wall time: both cores were busy), with resident and peak
/// memory and what malloc holds at its end (the rest of the resident memory is the binary's
/// pages and free memory malloc keeps), to stderr (for profiling, not for tests). The CLI owns
/// the clock, the environment, /proc and malloc's figures; the library only says when a phase ends.
final class PhaseClock: Sendable {
    /// Sendable because every access to `state` holds `lock`.
    private let lock = NSLock()
    nonisolated(unsafe) private var state: (last: DispatchTime, lastCPU: Double, laps: [String]) = (.now(), PhaseClock.cpuMilliseconds(), [])

    /// The clock when timing is asked for, else nil.
    static func fromEnvironment() -> PhaseClock? {
        ProcessInfo.processInfo.environment["STEWARD_TIMING"] == "1" ? PhaseClock() : nil
    }

    func lap(_ phase: AnalysisPhase) { lap(named: phase.rawValue) }

    /// A phase outside the analysis (the report's output).
    func lap(named phase: String) {
        let now = DispatchTime.now()
        let cpu = Self.cpuMilliseconds()
        let memory = Self.memory()
        let heap = steward_heap_in_use()
        let held = heap < 0 ? "" : ", heap \(heap / 1_048_576) MB"
        lock.lock()
        defer { lock.unlock() }
        let milliseconds = Double(now.uptimeNanoseconds - state.last.uptimeNanoseconds) / 1e6
        state.laps.append("\(phase) (rss \(memory.resident) MB, peak \(memory.peak) MB\(held)) \(String(format: "%.0f", milliseconds)) ms"
                          + " (cpu \(String(format: "%.0f", cpu - state.lastCPU)) ms)")
        // Reading /proc and mallinfo2 (which walks every free list) is not the next phase's time.
        state.last = DispatchTime.now()
        state.lastCPU = Self.cpuMilliseconds()
    }

    func report() {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data("steward timing: \(state.laps.joined(separator: ", "))\n".utf8))
    }

    /// User and system time of every thread of the process so far.
    private static func cpuMilliseconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func milliseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1e3 + Double(time.tv_usec) / 1e3 }
        return milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime)
    }

    /// Resident and peak resident (high-water mark) memory, in MB, from /proc/self/status.
    private static func memory() -> (resident: Int, peak: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func megabytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
                  let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
            return kilobytes / 1024
        }
        return (megabytes("VmRSS"), megabytes("VmHWM"))
    }
}
