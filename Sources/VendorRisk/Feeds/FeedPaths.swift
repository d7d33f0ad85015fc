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
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let ext = (relative as NSString).pathExtension.lowercased()
            guard feedExtensions.contains(ext) else { continue }
            let full = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(full)
            }
        }
        return found.sorted()
    }
}
