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
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #else
                let written = Darwin.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #endif
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

    /// Runs `body` on the descriptor `path` leads to (see `OutputTarget`): a new temporary file
    /// renamed over a regular file, a special file opened in place, or standard output. On any
    /// error a temporary file is removed and the target is left as it was.
    static func replace(_ path: String, _ body: (Int32) throws -> Void) throws {
        try write(to: OutputTarget.resolve(path), body)
    }

    /// Writes bytes to a device or FIFO where it is.
    static func writeInPlace(_ bytes: [UInt8], to path: String) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileError(path, errno) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, name: path)
    }

    static func write(to target: OutputTarget, _ body: (Int32) throws -> Void) throws {
        switch target {
        case .standardOutput:
            try body(STDOUT_FILENO)
        case .inPlace(let path):
            let descriptor = open(path, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw FileError(path, errno) }
            defer { close(descriptor) }
            try body(descriptor)
        case .replace(let path, let requested):
            let temporary = try TemporaryFile(beside: path, requested: requested)
            do {
                try body(temporary.descriptor)
                try temporary.close()
            } catch {
                temporary.discard()
                throw error
            }
            try temporary.rename(over: path)
        }
    }

    /// A file `.NAME.PID.partial` beside its destination, named in no message: errors name the
    /// path the user asked for. A long NAME is cut, so that any name a file may have can be
    /// written; a name already taken gets a number.
    struct TemporaryFile {
        let path: String
        let requested: String
        let descriptor: Int32

        init(beside destination: String, requested: String) throws(FileError) {
            let directory = (destination as NSString).deletingLastPathComponent
            try FileOutput.createDirectories(directory.isEmpty ? "." : directory, requested: requested)
            var stem = ""
            for character in (destination as NSString).lastPathComponent {
                guard stem.utf8.count + character.utf8.count <= 200 else { break }
                stem.append(character)
            }
            self.requested = requested
            // An existing file keeps its permissions; a new one gets the usual 0644 (less umask).
            var existing = stat()
            let mode = stat(destination, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
            var attempt = 0
            while true {
                let candidate = (directory.isEmpty ? "" : directory + "/") + ".\(stem).\(getpid())" + (attempt == 0 ? "" : ".\(attempt)") + ".partial"
                let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
                if opened >= 0 {
                    path = candidate
                    descriptor = opened
                    return
                }
                guard errno == EEXIST, attempt < 1000 else { throw FileError(requested, errno) }
                attempt += 1
            }
        }

        func close() throws(FileError) {
            #if canImport(Glibc)
            let closed = Glibc.close(descriptor)
            #else
            let closed = Darwin.close(descriptor)
            #endif
            guard closed == 0 else {
                let failure = errno
                unlink(path)
                throw FileError(requested, failure)
            }
        }

        /// Closes and removes a file still open.
        func discard() {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
            unlink(path)
        }

        /// Removes a file already closed.
        func remove() {
            unlink(path)
        }

        func rename(over destination: String) throws(FileError) {
            #if canImport(Glibc)
            let renamed = Glibc.rename(path, destination)
            #else
            let renamed = Darwin.rename(path, destination)
            #endif
            guard renamed == 0 else {
                let failure = errno
                unlink(path)
                throw FileError(requested, failure)
            }
        }
    }

    /// `mkdir -p`, with the system's reason for a failure (a path under a regular file: "Not a
    /// directory").
    static func createDirectories(_ directory: String, requested: String) throws(FileError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw FileError(requested, ENOTDIR) }
            return
        }
        guard errno == ENOENT else { throw FileError(requested, errno) }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != directory { try createDirectories(parent, requested: requested) }
        guard mkdir(directory, 0o777) == 0 || errno == EEXIST else { throw FileError(requested, errno) }
    }
}

/// Where an output path leads. A regular file (or a new path) is replaced atomically; anything
/// else is written where it is: renaming a file over `/dev/null`, a FIFO or a terminal would
/// replace the device itself for a root user, and fail for anyone else. A symbolic link is
/// followed and its target replaced, so the link stays a link.
enum OutputTarget: Equatable {
    case standardOutput
    /// A character or block device, a FIFO, a socket: opened for writing, never created.
    case inPlace(String)
    /// A regular file or a path that does not exist yet, with every link resolved; `requested`
    /// is the path as given, for messages.
    case replace(String, requested: String)

    /// The names of standard output, on every system the tool runs on.
    static let standardOutputNames: Set<String> = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]

    static func resolve(_ path: String) throws(FileError) -> OutputTarget {
        if standardOutputNames.contains(path) { return .standardOutput }
        guard !path.isEmpty else { throw FileError(description: "an empty path") }
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .replace(try finalTarget(of: path), requested: path)
            case S_IFDIR: throw FileError(path, EISDIR)
            default: return .inPlace(path)
            }
        }
        guard errno == ENOENT else { throw FileError(path, errno) }
        // Nothing there yet, or a link to nothing: create the link's eventual target.
        return .replace(try finalTarget(of: path), requested: path)
    }

    /// The path with its symbolic links followed (at most 40, as the kernel allows).
    private static func finalTarget(of path: String) throws(FileError) -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else {
                if errno == EINVAL || errno == ENOENT { return current }  // not a link
                throw FileError(path, errno)
            }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
        }
        throw FileError(path, ELOOP)
    }
}

extension FileError {
    init(_ path: String, _ code: Int32) {
        description = "\(path): \(String(cString: strerror(code)))"
    }
}
