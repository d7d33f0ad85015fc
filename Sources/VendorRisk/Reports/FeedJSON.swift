/// The `parse` command's JSON, per `interfaces.md`: text folded to one line.
public enum FeedJSON {
    public static func write(_ item: FeedItem, source: String? = nil, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(item.id)
        w.key("title"); w.string(item.title, fold: true)
        w.key("link"); w.string(item.link)
        w.key("published"); w.time(item.published)
        w.key("updated"); w.time(item.updated)
        w.key("author"); w.string(item.author, fold: true)
        w.key("summary"); w.string(item.summary, fold: true)
        w.key("content"); w.string(item.content, fold: true)
        w.key("categories")
        w.beginArray()
        for category in item.categories { w.string(category, fold: true) }
        w.endArray()
        if let source { w.key("source"); w.string(source) }
        w.endObject()
    }

    public static func write(_ header: FeedHeader, into w: inout JSONWriter) {
        w.beginObject()
        w.key("format"); w.string(header.format.rawValue)
        w.key("title"); w.string(header.title, fold: true)
        w.key("link"); w.string(header.link)
        w.endObject()
    }

    public static func write(warnings: [String], into w: inout JSONWriter) {
        w.beginArray()
        for warning in warnings { w.string(warning, fold: true) }
        w.endArray()
    }
}
