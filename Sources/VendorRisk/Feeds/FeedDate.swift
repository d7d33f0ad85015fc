import Foundation

/// Parses the dates feeds carry: RFC 822 with its real-world variants and W3C-DTF / RFC 3339.
///
/// Hand-written: `DateFormatter` is slow, locale-bound and needs one pattern per variant. Invalid
/// field values (hour 25, day 99, a zone offset of -99:99) give nil rather than a rolled-over date.
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        var start = 0, end = s.count
        while start < end, s[start].isXMLSpace { start += 1 }
        while end > start, s[end - 1].isXMLSpace { end -= 1 }
        guard end > start else { return nil }
        // Most dates need no trimming: no second copy then.
        let trimmed = start == 0 && end == s.count ? s : Array(s[start..<end])
        if trimmed[0].isASCIIDigit, trimmed.count >= 4, trimmed[0..<4].allSatisfy(\.isASCIIDigit) {
            return parseW3C(trimmed)
        }
        return parseRFC822(trimmed)
    }

    // MARK: - W3C-DTF / RFC 3339

    static func parseW3C(_ s: [UInt8]) -> Date? {
        var scanner = ByteScanner(s)
        guard let year = scanner.number(digits: 4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0
        var offset = 0
        if scanner.skip(0x2D) {
            guard let m = scanner.number(digits: 2) else { return nil }
            month = m
            if scanner.skip(0x2D) {
                guard let d = scanner.number(digits: 2) else { return nil }
                day = d
            }
        }
        if scanner.skip(0x54) || scanner.skip(0x74) || (scanner.peek == 0x20 && scanner.peekDigit(at: 1)) {
            if scanner.peek == 0x20 { scanner.advance() }
            guard let h = scanner.number(digits: 2), scanner.skip(0x3A), let mi = scanner.number(digits: 2) else { return nil }
            hour = h; minute = mi
            if scanner.skip(0x3A) {
                guard let sec = scanner.number(digits: 2) else { return nil }
                second = sec
                if scanner.skip(0x2E) || scanner.skip(0x2C) {
                    guard scanner.digitRun() > 0 else { return nil }
                }
            }
            scanner.skipSpaces()
            if scanner.skip(0x5A) || scanner.skip(0x7A) {
                offset = 0
            } else if let sign = scanner.peek, sign == 0x2B || sign == 0x2D {
                scanner.advance()
                guard let oh = scanner.number(digits: 2) else { return nil }
                _ = scanner.skip(0x3A)
                let om = scanner.number(digits: 2) ?? 0
                guard oh <= 23, om <= 59 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == 0x2D ? -1 : 1)
            }
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { return nil }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    // MARK: - RFC 822

    /// Names as `key(_:)` packs them: compared as integers, without a `String` or a hash.
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { key($0.utf8)! }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { key($0.utf8)! }

    private static let zones: [(key: UInt64, hours: Int)] = [
        ("ut", 0), ("utc", 0), ("gmt", 0), ("z", 0),
        ("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5), ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7),
        ("ast", -4), ("adt", -3), ("akst", -9), ("akdt", -8), ("hst", -10),
        ("bst", 1), ("cet", 1), ("cest", 2), ("eet", 2), ("eest", 3), ("wet", 0), ("west", 1),
        ("ist", 5), ("jst", 9), ("kst", 9), ("aest", 10), ("aedt", 11), ("nzst", 12), ("nzdt", 13),
    ].map { (key($0.0.utf8)!, $0.1) }

    static func parseRFC822(_ s: [UInt8]) -> Date? {
        // Tokens are slices of a pointer: slices of the array each held (retained) its storage.
        s.withUnsafeBufferPointer { parseRFC822($0) }
    }

    private static func parseRFC822(_ s: UnsafeBufferPointer<UInt8>) -> Date? {
        // Tokens split on white space and commas: "[Wkd,] D Mon YYYY HH:MM[:SS] [zone]".
        var tokens: [Slice<UnsafeBufferPointer<UInt8>>] = []
        tokens.reserveCapacity(8)
        var i = 0
        while i < s.count, tokens.count < 8 {
            while i < s.count, s[i] == 0x2C || s[i].isXMLSpace { i += 1 }
            let start = i
            while i < s.count, s[i] != 0x2C, !s[i].isXMLSpace { i += 1 }
            if i > start { tokens.append(s[start..<i]) }
        }
        guard !tokens.isEmpty else { return nil }
        if let first = tokens.first, first.count >= 3, key(first.prefix(3)).map(weekdays.contains) == true {
            tokens.removeFirst()  // a weekday, right or wrong, carries no information
        }
        guard tokens.count >= 3 else { return nil }
        var dayToken = tokens[0], monthToken = tokens[1]
        if integer(dayToken) == nil, integer(monthToken) != nil { swap(&dayToken, &monthToken) }  // "Jan 01 2004"
        guard let day = integer(dayToken), monthToken.count >= 3,
              let monthKey = key(monthToken.prefix(3)), let m = months.firstIndex(of: monthKey) else { return nil }
        let month = m + 1
        guard var year = integer(tokens[2]) else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 }
        else if tokens[2].count != 4 { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if tokens.count >= 4 {
            // "HH:MM" or "HH:MM:SS", cut at its colons in place.
            let time = tokens[3]
            guard let c1 = time.firstIndex(of: 0x3A) else { return nil }
            let rest = time[(c1 + 1)...]
            let c2 = rest.firstIndex(of: 0x3A)
            guard c2.map({ !time[($0 + 1)...].contains(0x3A) }) ?? true,
                  let h = integer(time[..<c1]), let mi = integer(rest[..<(c2 ?? rest.endIndex)]) else { return nil }
            hour = h; minute = mi
            if let c2 { guard let sec = integer(time[(c2 + 1)...]) else { return nil }; second = sec }
        }
        if tokens.count >= 5 {
            let zone = tokens[4]
            let sign = zone.first!
            if sign == 0x2B || sign == 0x2D {
                // The digits after the sign, colons skipped ("+08:00"), read in place.
                var value = 0, count = 0
                for b in zone.dropFirst() where b != 0x3A {
                    guard b.isASCIIDigit, count < 4 else { return nil }
                    value = value * 10 + Int(b - 0x30)
                    count += 1
                }
                guard count == 4 || count == 2 else { return nil }
                let oh = count == 4 ? value / 100 : value, om = count == 4 ? value % 100 : 0
                guard oh <= 23, om <= 59 else { return nil }
                offset = (oh * 3600 + om * 60) * (sign == 0x2D ? -1 : 1)
            } else if let k = key(zone), let known = zones.first(where: { $0.key == k }) {
                offset = known.hours * 3600
            } else if zone.count == 1, zone.first!.isASCIILetter {
                offset = 0  // military zones are unreliable in practice: read as UTC
            } else {
                return nil
            }
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    /// The bytes, ASCII letters lower-cased, packed into an integer behind a leading 1 (so that
    /// lengths differ); nil past 7 bytes, longer than any name looked up.
    private static func key<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var k: UInt64 = 1
        for b in bytes { k = k << 8 | UInt64(b.asciiLowercased) }
        return k
    }

    /// A non-negative decimal of at most 9 digits, nothing else.
    private static func integer<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var v = 0
        for b in bytes {
            guard b.isASCIIDigit else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    // MARK: - Calendar arithmetic

    static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the contract's time format.
    public static func iso8601(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        // Written digit by digit into the string (reports format one per contribution: string
        // interpolation of padded parts cost a dozen allocations each).
        guard (0...9999).contains(year) else {
            func pad(_ v: Int, _ width: Int) -> String {
                let s = String(v)
                return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
            }
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ v: Int, at i: Int, digits: Int) {
                var v = v
                for k in stride(from: i + digits - 1, through: i, by: -1) {
                    out[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(year, at: 0, digits: 4)
            put(month, at: 5, digits: 2)
            put(day, at: 8, digits: 2)
            put(rest / 3600, at: 11, digits: 2)
            put(rest % 3600 / 60, at: 14, digits: 2)
            put(rest % 60, at: 17, digits: 2)
            (out[4], out[7], out[10], out[13], out[16], out[19]) = (0x2D, 0x2D, 0x54, 0x3A, 0x3A, 0x5A)  // - - T : : Z
            return 20
        }
    }
}

/// A cursor over ASCII bytes for the W3C-DTF parser.
private struct ByteScanner {
    let s: [UInt8]
    var i = 0
    init(_ s: [UInt8]) { self.s = s }
    var atEnd: Bool { i >= s.count }
    var peek: UInt8? { i < s.count ? s[i] : nil }
    func peekDigit(at k: Int) -> Bool { i + k < s.count && s[i + k].isASCIIDigit }
    mutating func advance() { i += 1 }
    mutating func skip(_ b: UInt8) -> Bool {
        guard i < s.count, s[i] == b else { return false }
        i += 1
        return true
    }
    mutating func skipSpaces() { while i < s.count, s[i] == 0x20 { i += 1 } }
    mutating func number(digits: Int) -> Int? {
        guard i + digits <= s.count else { return nil }
        var v = 0
        for k in 0..<digits {
            let c = s[i + k]
            guard c.isASCIIDigit else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        i += digits
        return v
    }
    mutating func digitRun() -> Int {
        let start = i
        while i < s.count, s[i].isASCIIDigit { i += 1 }
        return i - start
    }
}
