import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file a run will write (a report, a saved listing): what it is, for messages, and where
/// its path leads.
struct PlannedOutput {
    /// `json report`, `listing`: how messages name it.
    let what: String
    let target: OutputTarget

    /// The path as the user gave it (`standard output` for it).
    var requested: String {
        switch target {
        case .standardOutput: "standard output"
        case .inPlace(let path): path
        case .replace(_, let requested): requested
        }
    }
}

/// Every output of a run, checked before any work (rules, jobs, a fetch): a run that could not
/// write its reports must say so before it reads a gigabyte or sends a request, not after.
enum OutputPlan {
    /// Resolves each path (`nil`: standard output) and refuses two that lead to one file (`r.json`,
    /// `./r.json` and a link to it are one file; two reports to `/dev/null` are fine), a
    /// directory, a path under a regular file, a name too long, and a directory that cannot be
    /// created or written (its nearest existing ancestor is not a writable directory).
    static func check(_ outputs: [(what: String, path: String?)]) throws(Problem) -> [PlannedOutput] {
        var planned: [PlannedOutput] = []
        var files: [String: String] = [:]
        for (what, path) in outputs {
            do throws(FileError) {
                let target = try path.map { path throws(FileError) in try OutputTarget.resolve(path) } ?? .standardOutput
                if case .replace(let destination, let requested) = target {
                    try checkWritableDirectory(of: destination, requested: requested)
                    let identity = canonical(destination)
                    if let other = files[identity] {
                        throw FileError(description: "\(requested): the \(other) is written there too; give each its own file")
                    }
                    files[identity] = what
                }
                planned.append(PlannedOutput(what: what, target: target))
            } catch {
                throw Problem(what: what, reason: error)
            }
        }
        return planned
    }

    /// An output that could not be written: `the json report: r.json: Is a directory`.
    struct Problem: Error, CustomStringConvertible {
        let what: String
        let reason: FileError
        var description: String { "the \(what): \(reason)" }
    }

    /// The directory a file will be created in exists and can be written, or can be created: the
    /// nearest existing ancestor is a directory this process may write into.
    private static func checkWritableDirectory(of destination: String, requested: String) throws(FileError) {
        var directory = (destination as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        while true {
            var info = stat()
            if stat(directory, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else { throw FileError(requested, ENOTDIR) }
                guard access(directory, W_OK | X_OK) == 0 else { throw FileError(requested, errno) }
                return
            }
            guard errno == ENOENT else { throw FileError(requested, errno) }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == directory { return }
            directory = parent
        }
    }

    /// One spelling per file: absolute, `.` and `..` removed, and the deepest existing directory
    /// with its links resolved (the file itself may not exist yet).
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = (absolute as NSString).standardizingPath
        var rest: [String] = []
        while existing != "/" {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                return ([String(cString: resolved)] + rest.reversed()).joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return "/" + rest.reversed().joined(separator: "/")
    }
}

/// Writes the outputs of a run together, as far as files allow: every regular file goes to a
/// temporary file beside it first; only when all of them are written are devices, FIFOs and
/// standard output written (they cannot be taken back), and only then are the files renamed into
/// place. A failure before the renames removes every temporary file and changes no file.
enum OutputWriter {
    struct Failure: Error, CustomStringConvertible {
        let output: PlannedOutput
        let reason: FileError
        /// The outputs already in place or written when it failed.
        let written: [PlannedOutput]

        var description: String {
            "the \(output.what): \(reason)"
                + (written.isEmpty ? "; no report file was changed" : "; written before the failure: " + written.map(\.requested).joined(separator: ", "))
        }
    }

    static func write(_ outputs: [(output: PlannedOutput, bytes: [UInt8])]) throws(Failure) {
        var staged: [(output: PlannedOutput, file: FileOutput.TemporaryFile, destination: String)] = []
        func removeStaged() { for item in staged { item.file.remove() } }

        for (output, bytes) in outputs {
            guard case .replace(let destination, let requested) = output.target else { continue }
            do throws(FileError) {
                let file = try FileOutput.TemporaryFile(beside: destination, requested: requested)
                do throws(FileError) {
                    try FileOutput.writeAll(bytes, to: file.descriptor, name: requested)
                } catch {
                    file.discard()
                    throw error
                }
                try file.close()
                staged.append((output, file, destination))
            } catch {
                removeStaged()
                throw Failure(output: output, reason: error, written: [])
            }
        }

        var written: [PlannedOutput] = []
        for (output, bytes) in outputs {
            switch output.target {
            case .replace:
                continue
            case .standardOutput:
                Terminal.write(String(decoding: bytes, as: UTF8.self))
            case .inPlace(let path):
                do throws(FileError) {
                    try FileOutput.writeInPlace(bytes, to: path)
                } catch {
                    removeStaged()
                    throw Failure(output: output, reason: error, written: written)
                }
            }
            written.append(output)
        }

        for (index, item) in staged.enumerated() {
            do throws(FileError) {
                try item.file.rename(over: item.destination)
            } catch {
                for later in staged[(index + 1)...] { later.file.remove() }
                throw Failure(output: item.output, reason: error, written: written)
            }
            written.append(item.output)
        }
    }
}
