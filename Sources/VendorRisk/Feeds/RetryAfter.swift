import Foundation

/// The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
    /// The time to retry at, for a response received at `now`; nil when the header is absent or
    /// unreadable. A date in the past means "now"; anything beyond `now + maximum` is cut to it.
    public static func until(_ header: String?, now: Date, maximum: Duration) -> Date? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let cap = now.addingTimeInterval(maximum.seconds)
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // A very long digit string is a far-away time, not an overflow.
            guard let seconds = Double(text) else { return nil }
            return min(cap, now.addingTimeInterval(seconds))
        }
        // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is RFC 822 with a four-digit year, which
        // the feed date parser reads; the obsolete RFC 850 and asctime forms give nil.
        guard let date = FeedDate.parse(text) else { return nil }
        return min(cap, max(now, date))
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
