import Foundation
import Testing
@testable import VendorRisk

@Suite("Feed lists")
struct FeedListTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vr-list-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("OPML outlines, nested, relative to the OPML's folder")
    func opml() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("feeds.opml").path
        try """
        <opml version="2.0"><body><outline text="g"><outline xmlUrl="samples/a.xml"/>
        <outline xmlUrl="https://example.com/rss"/></outline></body></opml>
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try FeedList.load(path) == [dir.appendingPathComponent("samples/a.xml").path, "https://example.com/rss"])
    }

    @Test("a broken OPML names the file and line")
    func brokenOPML() throws {
        let path = try folder().appendingPathComponent("bad.opml").path
        try "<opml>\n<body>\n<outline xmlUrl='a.xml'>\n</body></opml>".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try FeedList.load(path)
        } throws: { error in
            let e = error as? FeedListError
            return e?.file == path && e?.line != nil && e!.description.hasPrefix("\(path):")
        }
    }

    @Test("a list file: one path or URL a line, comments and blanks skipped")
    func listFile() throws {
        let dir = try folder()
        let path = dir.appendingPathComponent("feeds.txt").path
        try "# feeds\n\na.xml\n/abs/b.rss\nhttp://example.com/c\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try FeedList.load(path) == [dir.appendingPathComponent("a.xml").path, "/abs/b.rss", "http://example.com/c"])
    }

    @Test("an empty folder is an error")
    func emptyFolder() throws {
        let dir = try folder()
        #expect(throws: FeedListError.self) { try FeedList.load(dir.path) }
    }
}
