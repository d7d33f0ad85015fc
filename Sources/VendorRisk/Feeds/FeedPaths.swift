import Foundation

/// Expands command-line feed arguments: files as given, directories to their feed files.
public enum FeedPaths {
    public static let feedExtensions: Set<String> = ["xml", "rss", "atom", "rdf"]

    /// Files in a directory (recursively, sorted) whose extension marks a feed; other arguments
    /// (files, URLs) unchanged.
    public static func expand(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard !argument.contains("://"),
                  FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                out.append(argument)
                continue
            }
            out.append(contentsOf: files(in: argument))
        }
        return out
    }

    public static func files(in directory: String) -> [String] {
        var found: [String] = []
        collect(directory, relative: "", into: &found)
        return found.sorted()
    }

    /// A walk with `readdir`: Foundation's directory enumerator took about 10 µs a file (50 ms
    /// for a directory of 2,000 feeds, before any was read). The same files: directories are
    /// entered but not links to them, hidden ones too; an entry with a feed extension counts when
    /// it is (or links to) anything but a directory; paths are joined as `appendingPathComponent`.
    private static func collect(_ root: String, relative: String, into found: inout [String]) {
        let directory = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat((directory as NSString).appendingPathComponent(name), &info) == 0 else { continue }
                type = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : info.st_mode & S_IFMT == S_IFREG ? UInt8(DT_REG) : UInt8(DT_LNK)
            }
            if type == UInt8(DT_DIR) {
                collect(root, relative: path, into: &found)
                continue
            }
            guard feedExtensions.contains((name as NSString).pathExtension.lowercased()) else { continue }
            let full = (root as NSString).appendingPathComponent(path)
            if type != UInt8(DT_REG) {
                var info = stat()
                guard stat(full, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            }
            found.append(full)
        }
    }
}
