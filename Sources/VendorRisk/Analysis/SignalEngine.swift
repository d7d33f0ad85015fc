/// Finds cues sentence by sentence, cancels negated, speculative and background ones, and
/// attributes the rest to the vendors the clause is about.
struct SignalEngine {
    let rules: RuleSet
    let doc: Document
    private var lex: Lexicon { rules.lexicon }

    struct Candidate {
        let vendor: Int
        let rule: Rule
        let sentence: Int
        let direction: Direction
    }

    let index: CueIndex
    let scanner: ItemScanner
    let lists: LexiconLists

    /// The lexicon's pattern lists, named so their matches can be kept per clause.
    private enum PatternList: Hashable {
        case negation, reporting, speculation, background, thirdPartyBefore, thirdPartyAfter
    }
    private struct FindKey: Hashable {
        let list: PatternList
        let sentence: Int
        let clause: Range<Int>
    }
    /// Matches of a list in a clause of a sentence (offsets within the clause). The same lists
    /// are searched in the same clause once per cue match and once per mention (third-party
    /// tests), so each search runs once per item; the clause is named by its sentence and range
    /// (hashing its words cost more than most searches).
    private final class FindCache {
        var entries: [FindKey: [(Range<Int>, String)]] = [:]
    }
    private let findCache = FindCache()

    init(rules: RuleSet, doc: Document, index: CueIndex, scanner: ItemScanner, lists: LexiconLists) {
        self.rules = rules
        self.doc = doc
        self.index = index
        self.scanner = scanner
        self.lists = lists
    }

    mutating func run() -> ([Signal], [CancelledCue]) {
        var candidates: [Candidate] = []
        var cancelled: [CancelledCue] = []
        let sentences = doc.sentences
        let titleIndex = sentences.firstIndex { $0.isTitle }
        let bodyStart = sentences.firstIndex { !$0.isTitle } ?? sentences.count

        // A sentence where no cue can match (the scanner's test, per clause) finds nothing below.
        for (si, s) in sentences.enumerated() where !s.boilerplate && scanner.mayHoldCue(s) {
            let clauses = Self.clauses(s)
            let clauseWords = clauses.map { Array(s.words[$0]) }
            let clauseCommas = clauses.map { c in Set(s.commas.filter { c.contains($0) }.map { $0 - c.lowerBound }) }
            // All cue matches of the sentence, per rule in rule order, non-overlapping per cue.
            var found: [Int: [(clause: Int, cue: Int, match: CuePattern.Match)]] = [:]
            for (ci, words) in clauseWords.enumerated() {
                var lastEnd: [CueIndex.Ref: Int] = [:]
                for (pos, ref) in index.candidates(words) {
                    if let e = lastEnd[ref], pos < e { continue }
                    guard let m = rules.rules[ref.rule].cues[ref.cue].match(in: words, at: pos, commas: clauseCommas[ci])
                    else { continue }
                    lastEnd[ref] = m.end
                    found[ref.rule, default: []].append((ci, ref.cue, m))
                }
            }
            for ri in found.keys.sorted() {
                let rule = rules.rules[ri]
                // `unless` is looked at only once a cue of the rule has matched.
                if !rule.unless.isEmpty, unlessScope(si).contains(where: { i in
                    rule.unless.contains { $0.firstMatch(in: sentences[i].words) != nil } }) { continue }
                for (ci, _, m) in found[ri]! {
                    let clause = clauses[ci]
                    let start = m.start + clause.lowerBound, end = m.end + clause.lowerBound
                    let literals = Set(m.literals.map { $0 + clause.lowerBound })
                    if let reason = cancelReason(s, clause: clause, start: start, end: end, literals: literals)
                        ?? notAfterReason(rule, s, clause: clause, start: start) {
                        cancelled.append(CancelledCue(rule: rule.id, category: rule.category, reason: reason,
                                                      evidence: s.text, vendors: []))
                        continue
                    }
                    if let ctx = rule.requiresContext, !contextAllows(ctx, sentence: si) {
                        cancelled.append(CancelledCue(rule: rule.id, category: rule.category,
                                                      reason: "no \(ctx) grounds near the cue, other grounds given",
                                                      evidence: s.text, vendors: []))
                        continue
                    }
                    var vendors = attribute(s, clause: clause, start: start, end: end, literals: literals,
                                            target: rule.target)
                    if vendors.isEmpty { vendors = fallback(si, bodyStart: bodyStart, titleIndex: titleIndex) }
                    let direction = rules.categories[rule.category]?.direction ?? .raise
                    for v in vendors {
                        candidates.append(Candidate(vendor: v, rule: rule, sentence: si, direction: direction))
                    }
                }
            }
        }
        return (resolve(candidates), cancelled)
    }

    /// Word ranges of the clauses of a sentence (split at semicolons).
    static func clauses(_ s: Sentence) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var lo = 0
        for b in s.clauseBreaks where b > lo && b < s.words.count { out.append(lo..<b); lo = b }
        out.append(lo..<s.words.count)
        return out
    }

    private func patterns(_ list: PatternList) -> IndexedPatterns {
        switch list {
        case .negation: lists.negation
        case .reporting: lists.reporting
        case .speculation: lists.speculation
        case .background: lists.background
        case .thirdPartyBefore: lists.thirdPartyBefore
        case .thirdPartyAfter: lists.thirdPartyAfter
        }
    }

    /// `find(patterns(list), s, clause)`, searched once per item for the same words.
    private func find(_ list: PatternList, _ s: Sentence, _ clause: Range<Int>) -> [(Range<Int>, String)] {
        let key = FindKey(list: list, sentence: s.index, clause: clause)
        let relative: [(Range<Int>, String)]
        if let hit = findCache.entries[key] {
            relative = hit
        } else {
            let words = Array(s.words[clause])
            let indexed = patterns(list)
            relative = indexed.matches(in: words).map { ($0.match.start..<$0.match.end, indexed.patterns[$0.pattern].source) }
            findCache.entries[key] = relative
        }
        return relative.map { (($0.0.lowerBound + clause.lowerBound)..<($0.0.upperBound + clause.lowerBound), $0.1) }
    }

    /// Matches of `patterns` in a clause, as absolute word ranges.
    private func find(_ patterns: [CuePattern], _ s: Sentence, _ clause: Range<Int>) -> [(Range<Int>, String)] {
        let words = Array(s.words[clause])
        return patterns.flatMap { p in
            p.matches(in: words).map { ((($0.start + clause.lowerBound)..<($0.end + clause.lowerBound)), p.source) }
        }
    }

    /// The sentence, and for a headline its lead sentence, or for a body sentence the headline.
    private func unlessScope(_ si: Int) -> [Int] {
        let ss = doc.sentences
        if ss[si].isTitle, let b = ss.firstIndex(where: { !$0.isTitle }) { return [si, b] }
        if let t = ss.firstIndex(where: \.isTitle) { return [si, t] }
        return [si]
    }

    private func cancelReason(_ s: Sentence, clause: Range<Int>, start: Int, end: Int, literals: Set<Int>) -> String? {
        // Windows reach back to the cue's own stretch of the clause: a comma or dash ends them
        // (", which analysts expected to pay," says nothing about what follows).
        let fence = max(clause.lowerBound, s.commas.last { $0 <= start } ?? clause.lowerBound)
        // Negation: before the cue or inside its gaps ("poses no threat"), never the cue's own words.
        let negLo = max(fence, start - lex.negationWindow)
        for (r, src) in find(.negation, s, clause)
        where r.lowerBound >= negLo && r.lowerBound < end && !r.contains(where: literals.contains) {
            return "negated ('\(src)')"
        }
        let specLo = max(fence, start - lex.speculationWindow)
        let reporting = find(.reporting, s, clause)
        for (r, src) in find(.speculation, s, clause)
        where r.lowerBound >= specLo && r.lowerBound < start && !r.contains(where: literals.contains) {
            // "said it would add…" reports a decision; "would" alone is a condition.
            if src == "would", reporting.contains(where: { $0.0.upperBound <= r.lowerBound && $0.0.upperBound >= r.lowerBound - 4 }) {
                continue
            }
            // "may resume", "can ship": permission.
            if src == "may", r.upperBound < s.words.count, lex.permissionVerbs.contains(s.words[r.upperBound]) { continue }
            return "speculative ('\(src)')"
        }
        for (r, src) in find(.background, s, clause)
        where r.lowerBound >= max(fence, start - lex.speculationWindow) && r.upperBound <= start {
            return "background ('\(src)')"
        }
        return nil
    }

    private func notAfterReason(_ rule: Rule, _ s: Sentence, clause: Range<Int>, start: Int) -> String? {
        guard !rule.notAfter.isEmpty else { return nil }
        let fence = max(clause.lowerBound, s.commas.last { $0 <= start } ?? clause.lowerBound)
        let lo = max(fence, start - lex.speculationWindow)
        for (r, src) in find(rule.notAfter, s, clause) where r.lowerBound >= lo && r.upperBound <= start {
            return "obligation, not permission ('\(src)')"
        }
        return nil
    }

    /// The named context (e.g. security grounds) is near the sentence, or no other grounds are given.
    private func contextAllows(_ name: String, sentence si: Int) -> Bool {
        let near = nearby(si)
        if let ctx = lists.contexts[name], near.contains(where: { ctx.anyMatches(in: doc.sentences[$0].words) }) { return true }
        let other = near.contains { lists.otherGrounds.anyMatches(in: doc.sentences[$0].words) }
        return !other
    }

    private func nearby(_ si: Int) -> [Int] {
        let ss = doc.sentences
        var out = ss.indices.filter { ss[$0].block == ss[si].block && !ss[$0].boilerplate }
        if si > 0, !ss[si - 1].boilerplate, !out.contains(si - 1) { out.append(si - 1) }
        if si + 1 < ss.count, !ss[si + 1].boilerplate, !out.contains(si + 1) { out.append(si + 1) }
        if let t = ss.firstIndex(where: \.isTitle), !out.contains(t) { out.append(t) }
        if ss[si].isTitle, let b = ss.firstIndex(where: { !$0.isTitle }) {
            for i in b..<min(b + 3, ss.count) where !out.contains(i) && !ss[i].boilerplate { out.append(i) }
        }
        return out
    }

    private func isThirdParty(_ s: Sentence, _ m: Sentence.Located, clause: Range<Int>) -> Bool {
        for (r, _) in find(.thirdPartyBefore, s, clause) where r.upperBound <= m.start && r.upperBound >= m.start - 3 {
            return true
        }
        // "Geely-controlled Polestar": only directly attached, not "Acme, owned by Globex".
        for (r, _) in find(.thirdPartyAfter, s, clause) where r.lowerBound == m.end && !s.commas.contains(m.end) {
            return true
        }
        return false
    }

    private func attribute(_ s: Sentence, clause: Range<Int>, start: Int, end: Int, literals: Set<Int>,
                           target: Target) -> [Int] {
        let inClause = s.mentions.filter { clause.contains($0.start) && !isThirdParty(s, $0, clause: clause) }
        let before = inClause.filter { $0.end <= start }
        let after = inClause.filter { $0.start >= start }
        var chosen: [Sentence.Located]
        switch target {
        case .any:
            chosen = inClause
        case .subject:
            chosen = before.isEmpty ? inClause : before
        case .object:
            chosen = after
            if chosen.isEmpty, isPassive(s, start: start, literals: literals) { chosen = before }
        }
        if chosen.isEmpty, target == .any || inClause.isEmpty {
            // Nothing in the clause: another clause of the sentence ("…; Ford idled its line").
            let others = s.mentions.filter { !clause.contains($0.start) }
            if inClause.isEmpty {
                chosen = others.filter { o in
                    let c = Self.clauses(s).first { $0.contains(o.start) } ?? clause
                    return !isThirdParty(s, o, clause: c)
                }
            }
        }
        var seen = Set<Int>()
        return chosen.map(\.mention.vendor).filter { seen.insert($0).inserted }
    }

    /// "was added to", "were banned", or a headline participle ("Acme added to Entity List").
    private func isPassive(_ s: Sentence, start: Int, literals: Set<Int>) -> Bool {
        let lo = max(0, start - 2)
        let before = Array(s.words[lo..<start])
        if lists.passive.anyMatches(in: before) { return true }
        let verb = s.words[start]
        if verb.hasSuffix("ed") || verb == "put" || verb == "set" {
            let next = start + 1 < s.words.count ? s.words[start + 1] : ""
            return ["to", "on", "from", "by", "in", "as", "onto", "under", "among", "off", "out"].contains(next)
        }
        return false
    }

    /// When a cue's sentence names nobody: a list continued in the next sentence ("The entities
    /// include…"), or, in the title and lead, the vendors the title names.
    private func fallback(_ si: Int, bodyStart: Int, titleIndex: Int?) -> [Int] {
        let ss = doc.sentences
        let s = ss[si]
        guard s.mentions.isEmpty else { return [] }
        func vendors(_ x: Sentence) -> [Int] {
            unique(x.mentions.filter { m in
                let c = Self.clauses(x).first { $0.contains(m.start) } ?? 0..<x.words.count
                return !isThirdParty(x, m, clause: c)
            }.map(\.mention.vendor))
        }
        if si + 1 < ss.count, !ss[si + 1].boilerplate, !ss[si + 1].isTitle {
            let next = ss[si + 1]
            let opensList = lex.listContinuation.contains { p in p.firstMatch(in: next.words).map { $0.start == 0 } ?? false }
            if opensList { return vendors(next) }
        }
        if s.isTitle, bodyStart < ss.count, !ss[bodyStart].boilerplate {
            // A headline that names nobody: the lead sentence says who.
            let v = vendors(ss[bodyStart])
            if !v.isEmpty { return v }
        }
        if let t = titleIndex, si < bodyStart + 2 {
            let title = ss[t]
            // Only the headline's affirmed clauses ("Acme added to list; Globex left off").
            let affirmed = Self.clauses(title).filter { c in
                !find(.negation, title, c).contains { _ in true }
            }
            let v = unique(title.mentions.filter { m in
                affirmed.contains { $0.contains(m.start) } && !isThirdParty(title, m, clause: affirmed.first { $0.contains(m.start) }!)
            }.map(\.mention.vendor))
            if !v.isEmpty { return v }
        }
        // A lead that names nobody, in an item about a single vendor, is about that vendor
        // ("Moscow curbs uranium exports … Rosatom said …").
        if s.isTitle || si < bodyStart + 2 {
            let all = Set(ss.filter { !$0.boilerplate }.flatMap { $0.mentions.map(\.mention.vendor) })
            if all.count == 1 { return Array(all) }
        }
        return []
    }

    private func unique(_ v: [Int]) -> [Int] {
        var seen = Set<Int>()
        return v.filter { seen.insert($0).inserted }
    }

    /// An easing reported in the same sentence (or the headline) outranks the restriction it eases.
    private func resolve(_ candidates: [Candidate]) -> [Signal] {
        let ss = doc.sentences
        var lowerIn = Set<[Int]>()   // [sentence, vendor]
        var titleLower = Set<Int>(), titleRaise = Set<Int>()
        for c in candidates {
            if c.direction == .lower { lowerIn.insert([c.sentence, c.vendor]) }
            if ss[c.sentence].isTitle {
                if c.direction == .lower { titleLower.insert(c.vendor) } else { titleRaise.insert(c.vendor) }
            }
        }
        var out: [Signal] = []
        var index: [String: Int] = [:]
        for c in candidates {
            if c.direction == .raise {
                if lowerIn.contains([c.sentence, c.vendor]) { continue }
                if titleLower.contains(c.vendor), !titleRaise.contains(c.vendor) { continue }
            }
            let key = "\(c.vendor)\u{1}\(c.rule.category)"
            if let i = index[key] {
                if c.rule.weight > out[i].weight {
                    out[i] = Signal(vendor: c.vendor, category: c.rule.category, rule: c.rule.id,
                                    weight: c.rule.weight, evidence: ss[c.sentence].text)
                }
                continue
            }
            index[key] = out.count
            out.append(Signal(vendor: c.vendor, category: c.rule.category, rule: c.rule.id, weight: c.rule.weight,
                              evidence: ss[c.sentence].text))
        }
        return out
    }
}

/// The lexicon's lists that the engine searches in every clause with a cue, indexed once per rule set.
/// A class: shared by the workers, copied into each item's engine (one retain, not one per list).
final class LexiconLists: Sendable {
    let negation, reporting, speculation, background, thirdPartyBefore, thirdPartyAfter: IndexedPatterns
    /// Searched for presence only: near a cue that requires a context, and before a cue.
    let otherGrounds, passive: IndexedPatterns
    let contexts: [String: IndexedPatterns]

    init(_ lex: Lexicon) {
        negation = IndexedPatterns(lex.negation)
        reporting = IndexedPatterns(lex.reporting)
        speculation = IndexedPatterns(lex.speculation)
        background = IndexedPatterns(lex.background)
        thirdPartyBefore = IndexedPatterns(lex.thirdPartyBefore)
        thirdPartyAfter = IndexedPatterns(lex.thirdPartyAfter)
        otherGrounds = IndexedPatterns(lex.otherGrounds)
        passive = IndexedPatterns(lex.passive)
        contexts = lex.contexts.mapValues(IndexedPatterns.init)
    }
}
