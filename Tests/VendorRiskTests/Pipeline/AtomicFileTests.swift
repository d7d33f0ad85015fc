import Foundation
import Testing
@testable import VendorRisk

@Suite struct AtomicFileTests {
    func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    @Test("link gives a second name to the same file, replacing what was there; the next write under the first name leaves the second as it was")
    func linkSharesTheFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vr-atomic-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dated = root + "/2025-11-01/report.md", latest = root + "/latest/report.md"
        try AtomicFile.write("old latest", to: latest)
        try AtomicFile.write("day one", to: dated)
        try AtomicFile.link(dated, to: latest)
        #expect(try String(contentsOfFile: latest, encoding: .utf8) == "day one")
        #expect(inode(latest) != nil && inode(latest) == inode(dated))
        // A later write replaces the dated name's file: the linked name keeps the old one.
        try AtomicFile.write("day one, again", to: dated)
        #expect(try String(contentsOfFile: latest, encoding: .utf8) == "day one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/latest") == ["report.md"])
    }

    @Test("across file systems, link copies the file")
    func linkCopiesAcrossFileSystems() throws {
        let shm = "/dev/shm"
        guard FileManager.default.isWritableFile(atPath: shm) else { return }
        let source = shm + "/vr-atomic-\(getpid()).md"
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("vr-atomic-x-\(getpid())/report.md").path
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: (target as NSString).deletingLastPathComponent)
        }
        try AtomicFile.write("copied", to: source)
        try AtomicFile.link(source, to: target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "copied")
    }
}
