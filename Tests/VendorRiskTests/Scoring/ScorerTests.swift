import Foundation
import Testing
@testable import VendorRisk

@Suite("Scoring")
struct ScorerTests {
    let asOf = Date(timeIntervalSince1970: 1_760_000_000)
    let model: ScoringModel = {
        var m = ScoringModel(categories: [
            "security-review-failed": .init(direction: .raise, halfLifeDays: 180),
            "export-controls": .init(direction: .raise, halfLifeDays: 365),
            "market-opening": .init(direction: .lower, halfLifeDays: 90),
        ])
        m.k = 7
        return m
    }()

    func signal(_ vendor: String = "Acme", _ category: String = "security-review-failed", weight: Double = 8,
                daysAgo: Double = 0, feed: String = "a.xml", item: String = UUID().uuidString, hash: String? = nil) -> ScoringSignal {
        let date = asOf.addingTimeInterval(-daysAgo * 86_400)
        return ScoringSignal(vendor: vendor, category: category, rule: "r", weight: weight, date: date, published: date,
                             feed: feed, itemID: item, contentHash: hash ?? item, title: "t", link: nil, evidence: "e")
    }

    func score(_ signals: [ScoringSignal]) -> VendorScore? {
        Scorer.score(signals, asOf: asOf, model: model, tiers: [:]).first
    }

    @Test("one fresh serious event lands in High")
    func freshSerious() throws {
        let s = try #require(score([signal()]))
        #expect(s.band == .high)
    }

    @Test("scores stay within 0...100", arguments: [1, 5, 50, 500])
    func bounds(count: Int) throws {
        let s = try #require(score((0..<count).map { signal(weight: 10, daysAgo: Double($0 * 4)) }))
        #expect((0...100).contains(s.score))
        let low = score((0..<count).map { signal(weight: 10, daysAgo: Double($0 * 4)) } + (0..<count * 3).map { signal("Acme", "market-opening", weight: 10, daysAgo: Double($0 * 4)) })
        #expect(low.map { (0...100).contains($0.score) } ?? true)
    }

    @Test("a new raising signal never lowers a score", arguments: 0..<40)
    func monotoneInSignals(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let categories = ["security-review-failed", "export-controls", "market-opening"]
        let base = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
            signal(categories.randomElement(using: &rng)!, weight: Double.random(in: 1...10, using: &rng),
                   daysAgo: Double.random(in: 0...700, using: &rng))
        }
        let before = score(base)?.raw ?? 0
        let extra = signal("Acme", ["security-review-failed", "export-controls"].randomElement(using: &rng)!,
                           weight: Double.random(in: 1...10, using: &rng), daysAgo: Double.random(in: 0...700, using: &rng))
        let after = score(base + [extra])?.raw ?? 0
        #expect(after >= before - 1e-9)
    }

    @Test("an older signal counts less", arguments: [(0.0, 30.0), (10, 200), (100, 500)])
    func olderCountsLess(newer: Double, older: Double) throws {
        let a = try #require(score([signal(daysAgo: newer)]))
        let b = try #require(score([signal(daysAgo: older)]))
        #expect(a.raw > b.raw)
    }

    @Test("signals past the cut-off carry nothing")
    func cutoff() {
        #expect(score([signal(daysAgo: 800)]) == nil)
    }

    @Test("copies of one event count once, with a capped bonus for independent sources")
    func events() throws {
        let one = try #require(score([signal(feed: "a")]))
        let three = try #require(score([signal(feed: "a"), signal(daysAgo: 1, feed: "b"), signal(daysAgo: 2, feed: "c")]))
        let ten = try #require(score((0..<10).map { signal(daysAgo: Double($0) * 0.2, feed: "f\($0)") }))
        #expect(three.contributions.count == 1)
        #expect(three.raw > one.raw)
        #expect(ten.raw <= one.raw * model.sourceBonusCap + 1e-9)
    }

    @Test("the same story outside the window is still one event")
    func sameContent() throws {
        let s = try #require(score([signal(feed: "a", hash: "h"), signal(daysAgo: 10, feed: "b", hash: "h")]))
        #expect(s.contributions.count == 1)
    }

    @Test("a lowering signal lowers the score but never below zero")
    func lowering() throws {
        let raised = try #require(score([signal()]))
        let eased = try #require(score([signal(), signal("Acme", "market-opening", weight: 6, daysAgo: 10)]))
        #expect(eased.raw < raised.raw)
        let onlyLowering = try #require(score([signal("Acme", "market-opening")]))
        #expect(onlyLowering.raw == 0 && onlyLowering.score == 0)
    }

    @Test("the score is recomputed from the listed contributions")
    func recompute() throws {
        let s = try #require(score([signal(), signal("Acme", "export-controls", weight: 6, daysAgo: 40), signal("Acme", "market-opening", weight: 5, daysAgo: 5)]))
        let raw = max(0, s.contributions.reduce(0) { $0 + $1.contribution })
        #expect(Scorer.scoreValue(raw: raw, model: model) == s.score)
    }

    @Test("equal scores rank by tier, critical first")
    func tierTieBreak() {
        let ranked = Scorer.score([signal("Low Co"), signal("Crit Co")], asOf: asOf, model: model,
                                  tiers: ["Low Co": .low, "Crit Co": .critical])
        #expect(ranked.map(\.vendor) == ["Crit Co", "Low Co"])
    }

    @Test("signals dated after the as-of are not scored")
    func future() {
        #expect(score([signal(daysAgo: -3)]) == nil)
    }
}

/// A small deterministic generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
