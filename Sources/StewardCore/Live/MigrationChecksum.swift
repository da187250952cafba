import Crypto
import Foundation

/// Checksums migration tools record of the files they applied.
public enum MigrationChecksum {
    /// Prisma's: SHA-256 of migration.sql as lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
