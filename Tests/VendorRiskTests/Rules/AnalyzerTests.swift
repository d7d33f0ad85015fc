import Foundation
import Testing
@testable import VendorRisk

@Suite("Signals")
struct AnalyzerTests {
    static let analyzer = RuleExampleRunner(rules: .builtIn).analyzer

    /// (placeholder short name, category) pairs for a title and body.
    func signals(_ body: String, title: String? = nil) -> Set<String> {
        let r = Self.analyzer.analyze(title: title, body: body)
        let names = Self.analyzer.matcher.catalogue.vendors.map { String($0.name.split(separator: " ")[0]) }
        return Set(r.signals.map { "\(names[$0.vendor]) \($0.category)" })
    }

    @Test("the seed case: one signal, for the reviewed vendor only")
    func seed() {
        let body = """
        The cyberspace regulator said Acme's chips did not pass a network security review and told operators of critical infrastructure to stop buying them.

        Buyers that drop Acme are likely to turn to Globex and Initech, analysts said.

        Advertisement — Security reviews and market access, tracked daily: the Umbrella Supply Tracker. Ask Umbrella for a free trial.

        A trade official said the step did not square with claims that the market is opening.
        """
        #expect(signals(body, title: "Regulator says Acme chips failed its security review") == ["Acme security-review-failed"])
    }

    /// The nightly run asks for no cancelled cues and so skips the rules for items that name no
    /// vendor: its mentions and signals must be those of the full analysis.
    @Test("the run's analysis keeps every mention and signal")
    func runAnalysisKeepsMentionsAndSignals() throws {
        var items: [(title: String?, body: String)] = [
            ("Regulator says Acme chips failed its security review", "Acme's routers failed a network security review."),
            (nil, "Two suppliers failed a network security review conducted by regulators."),
            ("US adds several chip firms to Entity List", "Washington added several companies to the Entity List on Monday."),
            (nil, "Acme was not added to the Entity List."),
            ("Markets", "Regulators eased restrictions on foreign suppliers.\n\nGlobex said demand was steady."),
        ]
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let catalogue = try Catalogue.load(path: root.appendingPathComponent("Feeds/vendors.csv").path)
        let samples = Analyzer(rules: .builtIn, matcher: VendorMatcher(catalogue: catalogue))
        for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Feeds/samples").path) {
            let feed = try FeedReader().readFeed(atPath: root.appendingPathComponent("Feeds/samples/\(name)").path)
            for item in feed.items {
                let full = samples.analyze(item), run = samples.analyze(item, cancelledCues: false)
                #expect(String(describing: run.mentions) == String(describing: full.mentions))
                #expect(String(describing: run.signals) == String(describing: full.signals))
                #expect(run.cancelled.isEmpty)
            }
        }
        items.append(("", ""))
        for (title, body) in items {
            let full = Self.analyzer.analyze(title: title, body: body)
            let run = Self.analyzer.analyze(title: title, body: body, cancelledCues: false)
            #expect(String(describing: run.mentions) == String(describing: full.mentions))
            #expect(String(describing: run.signals) == String(describing: full.signals))
            #expect(run.cancelled.isEmpty)
        }
    }

    /// The item scan lets most items skip the sentence model (and most words skip its slower
    /// path), and must never skip one where the model finds something: on texts made of the rule
    /// examples' words, the catalogue's names, numbers and punctuation, shuffled, the analysis
    /// must equal the sentence model and rules run on every item.
    @Test("the item scan skips nothing the full model finds", arguments: [1, 2, 3])
    func scanSkipsNothing(seed: Int) {
        let analyzer = Self.analyzer
        var rng = WordTrieTests.LCG(state: UInt64(seed))
        var pool = Set(analyzer.rules.examples.flatMap { $0.text.split(whereSeparator: { $0 == " " }).map(String.init) })
        for v in analyzer.matcher.catalogue.vendors { pool.insert(v.name); pool.formUnion(v.aliases) }
        pool.formUnion(["3.5", "1,200", "&", ";", ",", ".", "U.S.", "(", ")", "—", "\n", "\n\n", "ACME", "Inc.", "said."])
        let words = pool.sorted()
        for _ in 0..<150 {
            let pieces = (0..<(3 + rng.next(40))).map { _ in words[rng.next(words.count)] }
            var body = ""
            for piece in pieces {
                // Mostly a space between pieces; sometimes none (punctuation against a word), sometimes ", ".
                switch rng.next(8) {
                case 0: body += piece
                case 1: body += ", " + piece
                default: body += (body.isEmpty ? "" : " ") + piece
                }
            }
            let title = rng.next(2) == 0 ? nil : pieces.prefix(6).joined(separator: " ")
            let result = analyzer.analyze(title: title, body: body)
            let doc = Document(title: title, body: body, matcher: analyzer.matcher, lexicon: analyzer.rules.lexicon,
                               anchors: analyzer.boilerplate)
            var engine = SignalEngine(rules: analyzer.rules, doc: doc, index: analyzer.index, scanner: analyzer.scanner,
                                      lists: analyzer.lists)
            let (signals, _) = engine.run()
            var counts: [(vendor: Int, count: Int)] = []
            for m in doc.sentences.flatMap({ $0.mentions.map(\.mention) }) {
                if let k = counts.firstIndex(where: { $0.vendor == m.vendor }) { counts[k].count += 1 }
                else { counts.append((m.vendor, 1)) }
            }
            #expect(result.mentions.map { "\($0.vendor):\($0.count)" } == counts.map { "\($0.vendor):\($0.count)" },
                    "\(title ?? "-") | \(body)")
            #expect(String(describing: result.signals) == String(describing: signals), "\(title ?? "-") | \(body)")
        }
    }

    @Test("negation cancels a cue", arguments: [
        "Acme was not added to the Entity List.", "Acme denied that it was added to the Entity List.",
        "Acme said no export licence is required for its older parts.",
    ])
    func negation(_ body: String) {
        #expect(signals(body).isEmpty)
    }

    @Test("speculation cancels a cue", arguments: [
        "Analysts say Acme could face licence requirements.", "Officials are weighing adding Acme to the Entity List.",
        "Lawmakers urged officials to ban Acme's app over security concerns.",
        "A draft rule would bar agencies from buying Acme radios over security concerns.",
        "Acme reportedly may be placed on the covered list.",
    ])
    func speculation(_ body: String) {
        #expect(signals(body).isEmpty)
    }

    @Test("an official decision reported as made counts: 'said it would add'")
    func reportedDecision() {
        #expect(signals("The Commerce Department said it would add Acme to the Entity List.") == ["Acme export-controls"])
    }

    @Test("boilerplate paragraphs carry no signal")
    func boilerplate() {
        let body = """
        Acme opened a new plant on Monday.

        Related
        Globex added to the Entity List
        Initech fails security review

        Sponsored — Which firms were added to the Entity List? The Umbrella tracker knows. Subscribe today.
        """
        #expect(signals(body).isEmpty)
    }

    @Test("a sponsored item carries no signal at all")
    func sponsoredItem() {
        #expect(signals("Globex was added to the Entity List this year.", title: "Sponsored: a year of bans").isEmpty)
    }

    @Test("every vendor of a list gets the signal")
    func lists() {
        #expect(signals("The ministry added Acme, Globex and Initech to its unreliable entity list.")
                == ["Acme export-controls", "Globex export-controls", "Initech export-controls"])
    }

    @Test("a lifted ban is market-opening, not the restriction it lifts")
    func liftedBan() {
        #expect(signals("The government lifted the ban it imposed on Acme's drones last year.") == ["Acme market-opening"])
        #expect(signals("Regulators suspended the order that had barred Acme over security concerns.") == ["Acme market-opening"])
    }

    @Test("a suspended licence is a restriction; a suspended rule is an opening")
    func suspendWhat() {
        #expect(signals("Officials suspended the export licences covering sales to Acme.") == ["Acme export-controls"])
        #expect(signals("Officials suspended the rule that pulled Acme into export curbs.") == ["Acme market-opening"])
    }

    @Test("rivals, parents and bid targets get nothing")
    func attribution() {
        #expect(signals("The president blocked Acme's bid for Globex on national security grounds.")
                == ["Acme security-review-failed"])
        #expect(signals("The government ordered Acme, owned by Globex, to sell the plant on national security grounds.")
                == ["Acme security-review-failed"])
        #expect(signals("A buyer blocked Acme's software on its computers over security concerns, and rivals such as Globex gained.")
                == ["Acme security-review-failed"])
    }

    @Test("bans on grounds outside the categories give nothing")
    func otherGrounds() {
        #expect(signals("Airlines were told to stop buying Acme jets in retaliation for tariffs.").isEmpty)
        #expect(signals("The commission prohibited the merger of Acme and Globex over competition concerns.").isEmpty)
    }

    @Test("a headline clause that is negated lends no vendor to the lead")
    func negatedHeadlineClause() {
        let s = signals("The department added 140 organisations to its Entity List on Monday.",
                        title: "Globex added to Entity List; Acme left off")
        #expect(s == ["Globex export-controls"])
    }

    /// With no cue in sight the analyzer tokenises only the sentences the scan marks (cut at
    /// plain sentence ends); the mentions must be those the sentence model finds in whole lines:
    /// the same vendors, counts, first forms and order, with tickers, possessives, initials,
    /// abbreviations, all-caps lines, exclusion phrases that reach across a full stop, and
    /// non-ASCII text.
    @Test("mentions read from marked sentences equal those of whole lines")
    func mentionsFromSentences() throws {
        let csv = """
        name,aliases,ticker,not
        Acme Corporation,Acme,ACME,
        Globex Holdings,Globex,GBX,
        "Pie Systems, Inc.",Pie,,apple pie;pie chart
        Zürich Components AG,Zürich Components,,
        Ford Motor Company,Ford,F,
        """
        let catalogue = try Catalogue.parse(csv, source: "test.csv")
        let analyzer = Analyzer(rules: .builtIn, matcher: VendorMatcher(catalogue: catalogue))
        let pieces = ["Acme said demand was steady.", "Shares of Globex (GBX) rose.", "NASDAQ: ACME fell.",
                      "Gerald R. Ford spoke.", "Mr. Ford left.", "Ford Motor Co. sold cars.", "Acme's chips sold well!",
                      "Is Globex next?", "I like apple.", "Pie said so.", "apple pie sales rose.", "A pie chart.",
                      "ACME AND GLOBEX SHARES JUMP ON NEWS.", "Zürich Components shipped “parts”.", "$ACME rallied.",
                      "The U.S. market grew 1.5 percent.", "Globex Shipping Company is unrelated.", "It rained.",
                      "Acme Corp. and Globex agreed; Pie too.", "Ford (F) and Acme (ACME) rose.", "No. 1 is Acme."]
        var state: UInt64 = 5
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        func aggregate(_ mentions: [Mention]) -> String {
            var order: [Int] = []
            var counts: [Int: (form: String, count: Int)] = [:]
            for m in mentions {
                if let c = counts[m.vendor] { counts[m.vendor] = (c.form, c.count + 1) } else {
                    counts[m.vendor] = (m.form, 1)
                    order.append(m.vendor)
                }
            }
            return order.map { "\($0):\(counts[$0]!.form):\(counts[$0]!.count)" }.joined(separator: " ")
        }
        var named = 0
        for _ in 0..<1500 {
            let lines = (0..<(1 + next(3))).map { _ in
                (0..<(1 + next(5))).map { _ in pieces[next(pieces.count)] }.joined(separator: next(5) == 0 ? "  " : " ")
            }
            let body = lines.joined(separator: next(2) == 0 ? "\n" : "\n\n")
            let run = analyzer.analyze(title: nil, body: body, cancelledCues: false)
            let doc = Document(title: nil, body: body, matcher: analyzer.matcher, lexicon: analyzer.rules.lexicon,
                               anchors: analyzer.boilerplate)
            let expected = aggregate(doc.sentences.flatMap { $0.mentions.map(\.mention) })
            let got = run.mentions.map { "\($0.vendor):\($0.alias):\($0.count)" }.joined(separator: " ")
            #expect(got == expected, "\(body)")
            if !expected.isEmpty { named += 1 }
        }
        #expect(named > 1000)
    }
}
