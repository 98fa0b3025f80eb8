import Foundation

/// The project's shared material (`../shared`, or `$BACKUP_AUDIT_SHARED`). CI sets
/// `BACKUP_AUDIT_REQUIRE_SHARED=1`, so a missing folder fails there instead of skipping.
enum SharedMaterial {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = ProcessInfo.processInfo.environment["BACKUP_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var isUsable: Bool {
        FileManager.default.fileExists(atPath: root.path) || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1"
    }
}
