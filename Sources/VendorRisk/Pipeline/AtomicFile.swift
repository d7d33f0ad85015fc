import Foundation

/// Writes files so that a reader never sees half of one: a temporary name, then a rename.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let temporary = try temporaryName(for: path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try put(temporary, at: path)
    }

    /// Makes `path` name the file `existing` names (a hard link, put in place by a rename): the
    /// newest report is in its day's folder and in `latest/`, and writing its megabytes twice was
    /// a tenth of an unchanged night's run. Where a link cannot be made (another file system),
    /// `path` gets a copy. A file written by `write` is never changed in place, so the two names
    /// cannot come to differ.
    public static func link(_ existing: String, to path: String) throws {
        let temporary = try temporaryName(for: path)
        unlink(temporary)  // left by a run that was killed
        if Foundation.link(existing, temporary) != 0 {
            try Data(contentsOf: URL(fileURLWithPath: existing)).write(to: URL(fileURLWithPath: temporary))
        }
        try put(temporary, at: path)
    }

    /// A name beside `path` for the file to be renamed to it (the folder made if missing).
    private static func temporaryName(for path: String) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid()).tmp")
    }

    private static func put(_ temporary: String, at path: String) throws {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path): \(reason)"])
        }
    }
}
