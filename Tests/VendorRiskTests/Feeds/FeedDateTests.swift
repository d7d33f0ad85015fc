import Foundation
import Testing
@testable import VendorRisk

@Suite("Feed dates")
struct FeedDateTests {
    private func iso(_ s: String) -> String? { FeedDate.parse(s).map(FeedDate.iso8601) }

    @Test("the contract's time format agrees with Foundation's ISO 8601 formatter, second by second and across eras")
    func iso8601Formatting() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        // 1600-01-01 to 9999-12-31 (before 1582 Foundation's calendar is the Julian one), fractions dropped.
        let samples = (0..<2_000).map { _ in Double.random(in: -11_676_096_000 ..< 253_402_300_800, using: &generator) }
            + [0, -1, 0.999, 951_782_400, 951_868_799.5, 4_107_542_400, 253_402_300_799]
        for t in samples {
            let date = Date(timeIntervalSince1970: t)
            #expect(FeedDate.iso8601(date) == formatter.string(from: Date(timeIntervalSince1970: t.rounded(.down))), "\(t)")
        }
    }

    @Test("RFC 822 and its real-world variants", arguments: [
        ("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),
        ("01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),            // no weekday
        ("Mon, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"),       // wrong weekday
        ("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"),         // two-digit year
        ("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z"),       // one-digit day
        ("Thu, 01 Jan 2004 00:00 GMT", "2004-01-01T00:00:00Z"),          // no seconds
        ("Fri,24 Nov 2023 18:28:36 -0000", "2023-11-24T18:28:36Z"),      // no space after comma
        ("Tue, 10 Jun 2003 04:00:00 -0400", "2003-06-10T08:00:00Z"),
        ("Sat, 07 Sep 2002 00:00:01 EST", "2002-09-07T05:00:01Z"),       // named zones
        ("Sat, 07 Sep 2002 00:00:01 PDT", "2002-09-07T07:00:01Z"),
        ("Wed, 01 Jan 2020 01:30:00 +0200", "2019-12-31T23:30:00Z"),     // crosses the year
        ("Thu, 01 January 2004 19:48:21 UT", "2004-01-01T19:48:21Z"),    // full month name
        ("Tue, 10 Jun 2003 04:00:00 +05:30", "2003-06-09T22:30:00Z"),    // colon in the offset
        ("Tue, 10 Jun 2003 04:00:00 +05", "2003-06-09T23:00:00Z"),       // hours only
        ("  Tue, 10 Jun 2003 04:00 GMT\n", "2003-06-10T04:00:00Z"),      // white space around
    ])
    func rfc822(_ input: String, _ expected: String) {
        #expect(iso(input) == expected)
    }

    @Test("W3C-DTF and RFC 3339", arguments: [
        ("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"),
        ("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z"),
        ("2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47Z"),       // fraction
        ("2003-12-31", "2003-12-31T00:00:00Z"),                          // date only
        ("2003-12", "2003-12-01T00:00:00Z"),
        ("2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z"),           // leap day
        ("2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z"),          // space, odd offset
    ])
    func w3c(_ input: String, _ expected: String) {
        #expect(iso(input) == expected)
    }

    @Test("invalid dates are nil, never rolled over", arguments: [
        "Sun, 16 Dec 2012 1:2:3:4 GMT", "Sun, 16 zzz 2012 11:47:32 GMT", "Sun, 99 Jun 2009 12:00:00 GMT",
        "2003-12-31T25:14:55Z", "2003-12-31T10:61:55Z", "2013-xx-27", "9999-12-31T23:59:59-99:99",
        "2003-02-29", "yesterday", "",
        "Sun, 16 Dec 2012 11:47: GMT", "Sun, 16 Dec 2012 11 GMT", "Sun, 16 Dec 2012 :47 GMT",
        "Sun, 16 Dec 2012 11:47:32 +08000", "Sun, 16 Dec 2012 11:47:32 +8", "Sun, 16 Dec 2012 11:47:32 +08a0",
    ])
    func invalid(_ input: String) {
        #expect(FeedDate.parse(input) == nil)
    }

    @Test("an ISO date in pubDate is read")
    func isoInPubDate() throws {
        let feed = try parseFeed(rss("<item><title>a</title><pubDate>2024-03-05T10:00:00Z</pubDate></item>"))
        #expect(feed.items[0].published.map(FeedDate.iso8601) == "2024-03-05T10:00:00Z")
    }

    @Test("an unparseable date is null with a warning")
    func warning() throws {
        let feed = try parseFeed(rss("<item><title>a</title><pubDate>next Tuesday</pubDate></item>"))
        #expect(feed.items[0].published == nil)
        #expect(feed.warnings.contains { $0.contains("unparseable date") })
    }
}
