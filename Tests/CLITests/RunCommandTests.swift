import Foundation
import Testing

@Suite("vendor-risk run, end to end", .serialized)
struct RunCommandTests {
    @Test("a run writes report.md and report.json, ranks the reviewed vendor first and exits 0")
    func firstRun() throws {
        let ws = try Workspace()
        let r = try CLI.run(ws.runArguments())
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-01/report.json")!) as! [String: Any]
        let vendors = json["vendors"] as! [[String: Any]]
        #expect(vendors.first?["name"] as? String == "Acme Semiconductor, Inc.")
        #expect((json["items"] as! [String: Any])["new"] as? Int == 3)
        #expect(try ws.read("Output/reports/latest/report.md").contains("Acme Semiconductor"))
    }

    @Test("the same state, inputs and as-of give byte-identical reports")
    func reproducible() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments(asOf: "2025-10-30T00:00:00Z"))
        try ws.copy("Output/state.sqlite", "base.sqlite")
        try ws.copy("base.sqlite", "s1.sqlite")
        try ws.copy("base.sqlite", "s2.sqlite")
        try ws.write("feeds/three.xml", "<rss version='2.0'><channel><item><guid>c1</guid><title>Commerce adds Initech to the Entity List</title><description>The Commerce Department added Initech to the Entity List.</description></item></channel></rss>")
        #expect(try CLI.run(ws.runArguments(state: "s1.sqlite")).status == 0)
        let first = try ws.read("Output/reports/2025-11-01/report.json") + ws.read("Output/reports/2025-11-01/report.md")
        #expect(try CLI.run(ws.runArguments(state: "s2.sqlite")).status == 0)
        let second = try ws.read("Output/reports/2025-11-01/report.json") + ws.read("Output/reports/2025-11-01/report.md")
        #expect(first == second)
    }

    @Test("kill -9 in the middle of a run, then a normal run, gives the report of an uninterrupted run")
    func crashSafety() throws {
        let ws = try Workspace()
        for i in 0..<6 {
            try ws.feed("extra\(i).xml", items: [("x\(i)", "Commerce adds Globex unit \(i) to the Entity List", "The Commerce Department added Globex to the Entity List.", "2025-10-2\(i)T08:00:00Z")])
        }
        let killed = try CLI.run(ws.runArguments(state: "crash.sqlite"), environment: ["VENDOR_RISK_FAULT_KILL_AFTER_FEEDS": "3"])
        #expect(killed.status == -9)
        #expect(try CLI.run(ws.runArguments(state: "crash.sqlite")).status == 0)
        let recovered = try ws.read("Output/reports/2025-11-01/report.json")
        #expect(try CLI.run(ws.runArguments(state: "clean.sqlite")).status == 0)
        #expect(try ws.read("Output/reports/2025-11-01/report.json") == recovered)
    }

    @Test("a second run while the first holds the lock exits 75 and changes nothing")
    func lock() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        let before = ws.data("Output/state.sqlite")
        let lockPath = ws.root.appendingPathComponent("Output/state.sqlite.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let r = try CLI.run(ws.runArguments(asOf: "2025-11-02T00:00:00Z"))
        #expect(r.status == 75)
        #expect(r.stderr.contains("lock"))
        #expect(ws.data("Output/state.sqlite") == before)
    }

    @Test("bad configuration exits 2 with file:line and leaves the state untouched", arguments: ["opml", "csv", "rules"])
    func badConfiguration(kind: String) throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        let before = ws.data("Output/state.sqlite")
        var args = ws.runArguments(asOf: "2025-11-02T00:00:00Z")
        let expected: String
        switch kind {
        case "opml":
            try ws.write("bad.opml", "<opml version='2.0'>\n<body>\n<outline xmlUrl='x.xml'>\n</body>\n</opml>")
            args[args.firstIndex(of: "--feeds")! + 1] = ws.root.appendingPathComponent("bad.opml").path
            expected = "bad.opml:"
        case "csv":
            try ws.write("bad.csv", "name,tier\nAcme,critical\nGlobex,enormous\n")
            args[args.firstIndex(of: "--vendors")! + 1] = ws.root.appendingPathComponent("bad.csv").path
            expected = "bad.csv:3"
        default:
            try ws.write("bad.yml", "version: 1\ncategories:\n  x: [unclosed\n")
            args += ["--rules", ws.root.appendingPathComponent("bad.yml").path]
            expected = "bad.yml:"
        }
        let r = try CLI.run(args)
        #expect(r.status == 2)
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect(ws.data("Output/state.sqlite") == before)
        #expect(!FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("Output/reports/2025-11-02").path))
    }

    @Test("one unreadable feed: exit 3, the report is still written and names it")
    func unreadableFeed() throws {
        let ws = try Workspace()
        try ws.write("feeds/broken.xml", "<html><body>not a feed</body></html>")
        let r = try CLI.run(ws.runArguments())
        #expect(r.status == 3)
        #expect(r.stderr.contains("broken.xml"))
        #expect(try ws.read("Output/reports/2025-11-01/report.md").contains("broken.xml"))
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-01/report.json")!) as! [String: Any]
        let failed = (json["feeds"] as! [String: Any])["failed"] as! [[String: Any]]
        #expect(failed.count == 1 && (failed[0]["feed"] as! String).hasSuffix("broken.xml"))
    }

    @Test("every vendor's score in report.json is recomputed from its contributions and the model")
    func recompute() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-01/report.json")!) as! [String: Any]
        let k = (json["model"] as! [String: Any])["K"] as! Double
        let vendors = json["vendors"] as! [[String: Any]]
        #expect(!vendors.isEmpty)
        for v in vendors {
            let raw = max(0, (v["signals"] as! [[String: Any]]).reduce(0.0) { $0 + ($1["contribution"] as! Double) })
            #expect(Int((100 * (1 - exp(-raw / k))).rounded()) == v["score"] as! Int)
        }
    }

    @Test("an unchanged second run parses nothing and adds nothing")
    func unchangedSecondRun() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        #expect(try CLI.run(ws.runArguments(asOf: "2025-11-02T00:00:00Z")).status == 0)
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-02/report.json")!) as! [String: Any]
        let feeds = json["feeds"] as! [String: Any]
        #expect(feeds["read"] as? Int == 0 && feeds["not_modified"] as? Int == 2)
        #expect((json["items"] as! [String: Any])["new"] as? Int == 0)
        #expect((json["changes"] as! [String: Any])["previous_as_of"] as? String == "2025-11-01T00:00:00Z")
    }

    @Test("a changed feed adds only the items the state has not seen")
    func changedFeedAddsOnlyNewItems() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        try ws.feed("one.xml", items: [
            ("a1", "Regulator says Acme failed a network security review", "The cyberspace regulator said Acme's chips failed a network security review and banned them from critical infrastructure.", "2025-10-28T08:00:00Z"),
            ("a2", "Commerce adds Globex to the Entity List", "The Commerce Department added Globex to the Entity List on Monday.", "2025-10-27T08:00:00Z"),
            ("a3", "Globex opens a plant", "Globex opened a plant in Ohio.", "2025-11-01T08:00:00Z"),
        ])
        #expect(try CLI.run(ws.runArguments(asOf: "2025-11-02T00:00:00Z")).status == 0)
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-02/report.json")!) as! [String: Any]
        let feeds = json["feeds"] as! [String: Any]
        #expect(feeds["read"] as? Int == 1 && feeds["not_modified"] as? Int == 1)
        let items = json["items"] as! [String: Any]
        #expect(items["read"] as? Int == 3 && items["new"] as? Int == 1)
    }

    @Test("an item a feed gives twice (the same guid) is stored once, and the run goes on")
    func duplicateGuidInOneFeed() throws {
        let ws = try Workspace()
        try ws.feed("one.xml", items: [
            ("d1", "Regulator says Acme failed a network security review", "The cyberspace regulator said Acme's chips failed a network security review.", "2025-10-28T08:00:00Z"),
            ("d1", "Regulator says Acme failed a network security review", "The same story, carried twice.", "2025-10-28T08:00:00Z"),
            ("d2", "Globex opens a plant", "Globex opened a plant in Ohio.", "2025-10-29T08:00:00Z"),
        ])
        let result = try CLI.run(ws.runArguments())
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-01/report.json")!) as! [String: Any]
        let items = json["items"] as! [String: Any]
        // two.xml's items and one.xml's three, of which two are new items.
        #expect((items["read"] as? Int ?? 0) - (items["new"] as? Int ?? 0) == 1)
        #expect(((json["feeds"] as! [String: Any])["failed"] as? [Any])?.isEmpty == true)
    }

    @Test("a feed list that names a feed twice stores its items once, and the run goes on")
    func feedNamedTwice() throws {
        let ws = try Workspace()
        let one = ws.root.appendingPathComponent("feeds/one.xml").path, two = ws.root.appendingPathComponent("feeds/two.xml").path
        try ws.write("list.txt", "\(one)\n\(two)\n\(one)\n")
        var arguments = ws.runArguments()
        arguments[arguments.firstIndex(of: "--feeds")! + 1] = ws.root.appendingPathComponent("list.txt").path
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-01/report.json")!) as! [String: Any]
        // one.xml's two items and two.xml's one, each once.
        #expect((json["items"] as! [String: Any])["new"] as? Int == 3)
    }

    @Test("a feed that failed and comes back unchanged counts as read again: its failure streak starts over")
    func failedFeedBackUnchanged() throws {
        let ws = try Workspace()
        let one = ws.root.appendingPathComponent("feeds/one.xml").path, two = ws.root.appendingPathComponent("feeds/two.xml").path
        try ws.write("feeds.txt", "\(one)\n\(two)\n")
        func run(_ day: Int) throws -> (status: Int32, failed: [[String: Any]], notModified: Int?) {
            var arguments = ws.runArguments(asOf: "2025-11-0\(day)T00:00:00Z")
            arguments[arguments.firstIndex(of: "--feeds")! + 1] = ws.root.appendingPathComponent("feeds.txt").path
            let status = try CLI.run(arguments).status
            let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-0\(day)/report.json")!) as! [String: Any]
            let feeds = json["feeds"] as! [String: Any]
            return (status, feeds["failed"] as! [[String: Any]], feeds["not_modified"] as? Int)
        }
        #expect(try run(1).status == 0)
        // Moved away and back: the same bytes and modification time, so the feed is unchanged.
        try FileManager.default.moveItem(atPath: two, toPath: two + ".away")
        let failed = try run(2)
        #expect(failed.status == 3 && failed.failed.first?["consecutive_failures"] as? Int == 1)
        try FileManager.default.moveItem(atPath: two + ".away", toPath: two)
        let back = try run(3)
        #expect(back.status == 0 && back.failed.isEmpty && back.notModified == 2)
        try FileManager.default.moveItem(atPath: two, toPath: two + ".away")
        #expect(try run(4).failed.first?["consecutive_failures"] as? Int == 1)
    }

    @Test("score NAME answers by alias, any case; an unknown name exits 2 with the closest names")
    func score() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        let state = ws.root.appendingPathComponent("Output/state.sqlite").path
        let vendors = ws.root.appendingPathComponent("vendors.csv").path
        let ok = try CLI.run(["score", "acme", "--state", state, "--vendors", vendors, "--format", "json"])
        #expect(ok.status == 0)
        let doc = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as! [String: Any]
        #expect(doc["name"] as? String == "Acme Semiconductor, Inc.")
        let unknown = try CLI.run(["score", "Acmee", "--state", state, "--vendors", vendors])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Acme Semiconductor, Inc."))
    }

    @Test("report renders from the state alone, as md, json and csv")
    func report() throws {
        let ws = try Workspace()
        try CLI.run(ws.runArguments())
        let common = ["--state", ws.root.appendingPathComponent("Output/state.sqlite").path, "--vendors", ws.root.appendingPathComponent("vendors.csv").path]
        let md = try CLI.run(["report"] + common)
        #expect(md.status == 0 && md.stdout.contains("| Rank | Vendor |"))
        let csv = try CLI.run(["report", "--format", "csv", "--top", "1"] + common)
        #expect(csv.stdout.split(separator: "\n").count == 2)
        let json = try CLI.run(["report", "--format", "json"] + common)
        #expect(json.stdout == (try ws.read("Output/reports/2025-11-01/report.json")))
    }

    @Test("a vendor added to the catalogue gets the stories already stored")
    func catalogueChange() throws {
        let ws = try Workspace()
        try ws.feed("three.xml", items: [("d1", "Commerce adds Hooli to the Entity List", "The Commerce Department added Hooli to the Entity List on Friday.", "2025-10-24T08:00:00Z")])
        try CLI.run(ws.runArguments())
        try ws.write("vendors.csv", try ws.read("vendors.csv") + "\nHooli Inc.,Hooli,low\n")
        #expect(try CLI.run(ws.runArguments(asOf: "2025-11-02T00:00:00Z")).status == 0)
        let json = try JSONSerialization.jsonObject(with: ws.data("Output/reports/2025-11-02/report.json")!) as! [String: Any]
        let names = (json["vendors"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names.contains("Hooli Inc."))
    }
}
