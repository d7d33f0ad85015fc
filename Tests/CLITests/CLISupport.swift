import Foundation

/// Runs the built `vendor-risk` binary, as cron would.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary beside the test bundle (SwiftPM builds it: the test target depends on it).
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("vendor-risk").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/vendor-risk"
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        return Result(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A throw-away project folder with feeds, a catalogue and an Output/ folder.
struct Workspace {
    let root: URL
    var path: String { root.path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("feeds"), withIntermediateDirectories: true)
        try write("vendors.csv", """
            name,aliases,tier
            "Acme Semiconductor, Inc.",Acme,critical
            Globex Corp.,Globex,high
            Initech Ltd.,Initech,medium
            """)
        try feed("one.xml", items: [
            ("a1", "Regulator says Acme failed a network security review", "The cyberspace regulator said Acme's chips failed a network security review and banned them from critical infrastructure.", "2025-10-28T08:00:00Z"),
            ("a2", "Commerce adds Globex to the Entity List", "The Commerce Department added Globex to the Entity List on Monday.", "2025-10-27T08:00:00Z"),
        ])
        try feed("two.xml", items: [
            ("b1", "Initech wins licence", "Regulators granted Initech a licence to sell its routers after lifting a ban.", "2025-10-20T08:00:00Z"),
        ])
    }

    func write(_ name: String, _ text: String) throws {
        let url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func feed(_ name: String, items: [(String, String, String, String)]) throws {
        let body = items.map { id, title, text, date in
            "<item><guid>http://example.com/\(id)</guid><title>\(title)</title><description>\(text)</description><dc:date>\(date)</dc:date></item>"
        }.joined(separator: "\n")
        try write("feeds/\(name)", """
            <?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>\(name)</title>
            \(body)
            </channel></rss>
            """)
    }

    func read(_ name: String) throws -> String { try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8) }

    func data(_ name: String) -> Data? { FileManager.default.contents(atPath: root.appendingPathComponent(name).path) }

    /// `run` with this workspace's files and an explicit state/output.
    func runArguments(state: String = "Output/state.sqlite", asOf: String = "2025-11-01T00:00:00Z", extra: [String] = []) -> [String] {
        ["run", "--home", path, "--feeds", root.appendingPathComponent("feeds").path, "--vendors", root.appendingPathComponent("vendors.csv").path,
         "--state", root.appendingPathComponent(state).path, "--output", root.appendingPathComponent("Output").path,
         "--as-of", asOf, "--quiet"] + extra
    }

    func copy(_ from: String, _ to: String) throws {
        let target = root.appendingPathComponent(to)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: root.appendingPathComponent(from), to: target)
    }
}
