import Foundation

/// Writes a file through a temporary file in the same folder and renames it
/// into place, so a crash or an error never leaves half a file at `path`.
public enum AtomicFile {
    /// A fresh temporary path beside `path`.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))").path
    }

    /// The process id in a temporary file name made by `temporaryPath`
    /// (`.NAME.tmp-PID-XXXXXXXX`), or nil when `name` is not one.
    public static func writerProcess(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-")
        guard parts.count == 2, parts[1].count == 8, let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }

    /// Runs `write(temporaryPath)`, then renames the result to `path`
    /// (creating parent folders). On any error the temporary file is removed
    /// and whatever was at `path` before stays as it was.
    public static func write<T>(to path: String, _ write: (String) throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        removeStaleTemporaries(of: path)
        let temporary = temporaryPath(for: path)
        do {
            let result = try write(temporary)
            guard rename(temporary, path) == 0 else {
                throw FileIOError(path: path, "cannot rename \(temporary) into place: \(String(cString: strerror(errno)))")
            }
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// True when `name` is a temporary (from `temporaryPath`) whose writing process has ended.
    public static func isStaleTemporary(_ name: String) -> Bool {
        guard let pid = writerProcess(ofTemporary: name) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the temporaries of `path` that a killed writer left behind
    /// (those whose process has ended); a live writer's file is left alone.
    public static func removeStaleTemporaries(of path: String) {
        let url = URL(fileURLWithPath: path)
        let prefix = ".\(url.lastPathComponent).tmp-"
        let folder = url.deletingLastPathComponent().path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && isStaleTemporary(name) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { temporary in try data.write(to: URL(fileURLWithPath: temporary)) }
    }
}
