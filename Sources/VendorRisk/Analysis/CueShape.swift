/// A cue reduced to what the item scan can test on word rows (`ItemScanner`): each word position
/// is one requirement bit (its alternatives' first words) spanning as many words as its
/// alternatives do; gaps are as in `CuePattern`, except that tight gaps are taken as plain ones
/// (commas ignored). Every simplification makes the test looser, never stricter, so a cue that
/// `CuePattern` matches in a clause always matches here.
struct CueShape: Sendable {
    enum Step: Sendable {
        /// A word position: requirement `bit` (-1: none) at the first word; spans min...max words.
        case words(bit: Int, min: Int, max: Int)
        case gap(Int)
    }

    let steps: [Step]
    /// Every requirement bit of the cue, `width` words: all must be in a block for the cue to match.
    let mask: [UInt64]

    init(_ cue: CuePattern, bit: (CuePattern.WordSet) -> Int?, width: Int) {
        var steps: [Step] = []
        var mask = [UInt64](repeating: 0, count: width)
        for e in cue.elements {
            switch e {
            case let .gap(n), let .tightGap(n):
                steps.append(.gap(n))
            case let .words(set):
                var lengths = Set<Int>()
                if !set.exact.isEmpty || !set.prefixes.isEmpty { lengths.insert(1) }
                for t in set.others {
                    switch t {
                    case let .exact(w), let .prefix(w): lengths.insert(w.split(separator: " ").count)
                    }
                }
                let b = bit(set) ?? -1
                if b >= 0 { mask[b / 64] |= 1 << UInt64(b % 64) }
                steps.append(.words(bit: b, min: lengths.min() ?? 1, max: lengths.max() ?? 1))
            }
        }
        self.steps = steps
        self.mask = mask
    }

    /// Whether the cue of `steps` (a shape's `steps`, read in place: the scan tests shapes per
    /// block of every item, and reading them out of an array retained it each time) can match in
    /// one clause, given each word's row of requirement bits.
    static func mayMatch(steps: UnsafeBufferPointer<Step>, clause: UnsafeBufferPointer<Int32>,
                         rows: UnsafeBufferPointer<UInt64>, width: Int) -> Bool {
        func has(_ pos: Int, _ bit: Int) -> Bool {
            bit < 0 || rows[Int(clause[pos]) * width + bit / 64] & (1 << UInt64(bit % 64)) != 0
        }
        func step(_ s: Int, _ pos: Int) -> Bool {
            if s == steps.count { return true }
            switch steps[s] {
            case let .words(bit, lo, hi):
                if lo == 0, step(s + 1, pos) { return true }
                guard pos < clause.count, has(pos, bit) else { return false }
                for len in max(lo, 1)...max(hi, 1) where pos + len <= clause.count {
                    if step(s + 1, pos + len) { return true }
                }
                return false
            case let .gap(n):
                for skip in 0...n where pos + skip <= clause.count {
                    if step(s + 1, pos + skip) { return true }
                }
                return false
            }
        }
        // Most cues open with a required word: only the positions holding it are tried (the
        // search's first test, made here without a call per word of the clause).
        if case let .words(bit, lo, _) = steps.first, lo >= 1, bit >= 0 {
            let word = bit / 64, mask: UInt64 = 1 << UInt64(bit % 64)
            for start in 0..<clause.count where rows[Int(clause[start]) * width + word] & mask != 0 && step(0, start) {
                return true
            }
            return false
        }
        for start in 0..<clause.count where step(0, start) { return true }
        return false
    }
}
