import Foundation
import Testing
@testable import VendorRisk

@Suite("Vendor catalogue")
struct CatalogueTests {
    @Test("columns in any order, quoted fields, ; aliases, unknown columns ignored")
    func parsesColumns() throws {
        let csv = """
        tier,extra,name,aliases,ticker,not
        critical,x,"Micron Technology, Inc.",Micron;Crucial,MU,
        ,y,"Block, Inc.",Square,XYZ,Block party;city block
        """
        let cat = try Catalogue.parse(csv, source: "v.csv")
        #expect(cat.vendors.count == 2)
        #expect(cat.vendors[0].name == "Micron Technology, Inc.")
        #expect(cat.vendors[0].aliases == ["Micron", "Crucial"])
        #expect(cat.vendors[0].tier == .critical)
        #expect(cat.vendors[1].tier == .medium)
        #expect(cat.vendors[1].exclusions == ["Block party", "city block"])
        #expect(cat.vendors[1].line == 3)
    }

    @Test("a missing name column is reported at line 1")
    func missingName() {
        #expect(throws: CatalogueError.missingColumn("name", file: "v.csv")) {
            try Catalogue.parse("vendor,aliases\nAcme,A\n", source: "v.csv")
        }
    }

    @Test("an empty name names its line")
    func emptyName() {
        #expect(throws: CatalogueError.emptyName(file: "v.csv", line: 3)) {
            try Catalogue.parse("name,aliases\nAcme,A\n,B\n", source: "v.csv")
        }
    }

    @Test("an unknown tier names its line")
    func unknownTier() {
        #expect(throws: CatalogueError.unknownTier("urgent", file: "v.csv", line: 2)) {
            try Catalogue.parse("name,tier\nAcme,urgent\n", source: "v.csv")
        }
    }

    @Test("a name or alias used twice after case-folding is an error with both vendors")
    func duplicateAcrossVendors() throws {
        do {
            _ = try Catalogue.parse("name,aliases\nAcme Corp,ACME\nAcme Inc,acme\n", source: "v.csv")
            Issue.record("expected an error")
        } catch let e as CatalogueError {
            #expect(e.description.hasPrefix("v.csv:3:"))
            #expect(e.description.contains("Acme Corp"))
        }
    }

    @Test("legal forms are stripped to derive the names news uses")
    func legalForms() {
        #expect(NameForms.stripLegalForm("Lam Research Corporation") == "Lam Research")
        #expect(NameForms.stripLegalForm("Block, Inc.") == "Block")
        #expect(NameForms.stripLegalForm("Samsung Electronics Co., Ltd.") == "Samsung Electronics")
        #expect(NameForms.stripLegalForm("Infineon Technologies AG") == "Infineon Technologies")
        #expect(NameForms.stripLegalForm("The Boeing Company") == "Boeing")
        #expect(NameForms.stripLegalForm("ASML Holding N.V.") == "ASML")
        #expect(NameForms.stripOneLegalForm("ASML Holding N.V.") == "ASML Holding")
        let forms = NameForms.forms(for: Vendor(name: "Kioxia Holdings Corporation")).map(\.text)
        #expect(forms == ["Kioxia Holdings Corporation", "Kioxia Holdings", "Kioxia"])
    }

    /// The fast path must trim exactly as Foundation: every ASCII character alone, at either end
    /// and inside, and text with other white space (NBSP, ideographic space, NEL) around it.
    @Test("cell trimming equals Foundation's")
    func trimmingEqualsFoundation() {
        var texts: [String] = ["", " ", "\u{00A0}Acme\u{00A0}", "\u{3000}Acme", "Acme\u{0085}", "\u{2028}x", "Zürich ", " é"]
        for v in 0..<128 {
            let c = String(UnicodeScalar(UInt8(v)))
            texts += [c, "\(c)Acme", "Acme\(c)", "A\(c)B", "\(c)\(c)", " \(c) "]
        }
        for t in texts {
            #expect(Trimming.whitespaces(t) == t.trimmingCharacters(in: .whitespaces), "\(Array(t.unicodeScalars))")
            #expect(Trimming.whitespacesAndNewlines(t) == t.trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(Array(t.unicodeScalars))")
            let sub = t.dropFirst(0)
            #expect(Trimming.whitespaces(sub) == sub.trimmingCharacters(in: .whitespaces))
        }
    }
}
