import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written, naming it and the system's reason.
struct FileError: Error, CustomStringConvertible {
    var description: String
}

/// Files written with plain descriptors: large outputs stream through in chunks, and a file that
/// replaces another appears whole or not at all.
enum FileOutput {
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, name: String) throws(FileError) {
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw FileError(description: "\(name): \(String(cString: strerror(failure)))") }
    }

    /// Writes chunks on a thread of its own, at most two waiting: the producer keeps serializing
    /// while the kernel copies the previous chunk.
    final class Pipeline: @unchecked Sendable {
        private let descriptor: Int32
        private let name: String
        private let queue = DispatchQueue(label: "backup-audit.file-output")
        private let slots = DispatchSemaphore(value: 2)
        private let lock = NSLock()
        private var failure: FileError?

        init(descriptor: Int32, name: String) {
            self.descriptor = descriptor
            self.name = name
        }

        func write(_ chunk: [UInt8]) throws(FileError) {
            if let failure = lock.withLock({ failure }) { throw failure }
            slots.wait()
            queue.async { [self] in
                defer { slots.signal() }
                guard lock.withLock({ failure }) == nil else { return }
                do throws(FileError) {
                    try FileOutput.writeAll(chunk, to: descriptor, name: name)
                } catch {
                    lock.withLock { failure = error }
                }
            }
        }

        /// Waits for every chunk; throws the first write error.
        func finish() throws(FileError) {
            queue.sync {}
            if let failure = lock.withLock({ failure }) { throw failure }
        }
    }

    /// Runs `body` on a new temporary file next to `path`, then renames it over `path`. On any
    /// error the temporary file is removed and `path` is left as it was.
    static func replace(_ path: String, _ body: (Int32) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileError(description: "\(temporary): \(String(cString: strerror(errno)))") }
        do {
            try body(descriptor)
            guard close(descriptor) == 0 else { throw FileError(description: "\(temporary): \(String(cString: strerror(errno)))") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileError(description: "\(path): \(reason)")
        }
    }
}
