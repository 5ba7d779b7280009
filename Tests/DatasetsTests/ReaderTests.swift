import Datasets
import Testing

@Suite("Readers on fixture files")
struct ReaderTests {
    @Test("RecBole atomic file: typed header, dense ids, all columns")
    func recBole() throws {
        let data = try Interactions.read(path: fixture("tiny-recbole.tsv"), layout: .recBole, columns: .recBole)
        #expect(data.count == 7 && data.userCount == 3 && data.itemCount == 4)
        #expect(data.userVocabulary.keys == ["1", "2", "3"])
        #expect(data.itemVocabulary.keys == ["10", "11", "12", "13"])
        #expect(data.ratings! == [5, 3, 4, 2, 4, 1, 5] && data.timestamps![3] == 4000)
        #expect(data.itemVocabulary.counts == [2, 2, 2, 1])
    }

    @Test("MovieLens u.data and ratings.csv (with quotes)")
    func movieLens() throws {
        let u = try Interactions.read(path: fixture("udata-sample.tsv"), layout: .movieLensUData, columns: .recBole)
        #expect(u.count == 3 && u.items == [0, 1, 0])
        let csv = try Interactions.read(path: fixture("ratings-sample.csv"), layout: .movieLensCSV, columns: .movieLensCSV)
        #expect(csv.itemVocabulary.keys == ["10", "11"] && csv.ratings! == [4.5, 3])
    }

    @Test("item files: u.item in Latin-1 and movies.csv")
    func itemCatalogs() throws {
        let u = try ItemCatalog.readMovieLensUItem(path: fixture("uitem-sample.txt"))
        #expect(u.titles["2"] == "Café (1995)")
        #expect(u.categories["1"] == ["Animation", "Children's", "Comedy"] && u.categories["2"] == ["Action", "Thriller"])
        let m = try ItemCatalog.readMovieLensCSV(path: fixture("movies-sample.csv"))
        #expect(m.titles["2"] == "Heat, The (1995)" && m.categories["2"] == [] && m.categories["1"]!.count == 3)
    }

    @Test("labelled text: tab-separated and CSV with quoted commas and quotes")
    func labelledText() throws {
        let sms = try LabelledTexts.readTabSeparated(path: fixture("sms.txt"))
        #expect(sms.count == 5 && sms.labelVocabulary.keys == ["ham", "spam"] && sms.labels == [0, 1, 0, 0, 1])
        let csv = try LabelledTexts.readTable(path: fixture("labelled.csv"), layout: TableLayout(delimiter: ",", quoted: true),
                                              labelColumn: "label", textColumn: "text")
        #expect(csv.texts == ["Free, really free \"prize\"", "see you"])
    }

    @Test("bad input names the file, the line and what was expected")
    func errors() {
        let bad = datasetError { _ = try Interactions.read(path: fixture("bad-rating-recbole.tsv"), layout: .recBole, columns: .recBole) }
        #expect(bad == .malformedLine(file: fixture("bad-rating-recbole.tsv"), line: 3, message: "column 'rating' should be a number, found 'five'"))
        let short = datasetError { _ = try Interactions.read(path: fixture("short-line-recbole.tsv"), layout: .recBole, columns: .recBole) }
        guard case .malformedLine(_, 3, let message)? = short else { Issue.record("short line: \(String(describing: short))"); return }
        #expect(message.contains("expected 4 fields"))
        let columns = datasetError { _ = try Interactions.read(path: fixture("wrong-columns-recbole.tsv"), layout: .recBole, columns: .recBole) }
        #expect(columns == .missingColumns(file: fixture("wrong-columns-recbole.tsv"), wanted: ["user_id", "item_id", "rating", "timestamp"],
                                           found: ["customer", "product", "stars"]))
        #expect(columns!.description.contains("the file has customer, product, stars"))
        guard case .empty? = datasetError({ _ = try Interactions.read(path: fixture("empty-recbole.tsv"), layout: .recBole, columns: .recBole) }),
              case .empty? = datasetError({ _ = try Interactions.read(path: fixture("header-only-recbole.tsv"), layout: .recBole,
                                                                     columns: InteractionColumns(user: "user_id", item: "item_id")) })
        else { Issue.record("empty files must be a clear error"); return }
        #expect(datasetError { _ = try LabelledTexts.readTabSeparated(path: fixture("not-utf8.txt")) }
                == .invalidUTF8(file: fixture("not-utf8.txt"), line: 2))
        #expect(datasetError { _ = try LabelledTexts.readTabSeparated(path: fixture("no-tab.txt")) }
                == .malformedLine(file: fixture("no-tab.txt"), line: 1, message: "expected 'label<TAB>text', found no tab"))
        guard case .malformedLine(_, 2, let quote)? = datasetError({
            _ = try LabelledTexts.readTable(path: fixture("open-quote.csv"), layout: TableLayout(delimiter: ",", quoted: true),
                                            labelColumn: "label", textColumn: "text") }) else { Issue.record("open quote"); return }
        #expect(quote.contains("not closed"))
        guard case .unreadable(let file, _)? = datasetError({ _ = try PlainText.readLines(path: "/nonexistent/file.txt") }) else {
            Issue.record("a missing file must be reported"); return
        }
        #expect(file == "/nonexistent/file.txt")
    }

    @Test("tokenizer: lower-case, split on non-alphanumerics, optional n-grams")
    func tokenizer() {
        #expect(Tokenizer().tokens("Hello, World! 2nd-place ÉTÉ") == ["hello", "world", "2nd", "place", "été"])
        #expect(Tokenizer().tokens("  ...  ") == [])
        #expect(Tokenizer(maximumNGram: 2).tokens("a b c") == ["a", "b", "c", "a_b", "b_c"])
    }

    @Test("vocabulary: reserved rows first, unknown fallback, pruning by count")
    func vocabulary() {
        var v = Vocabulary(reservePadding: true, reserveUnknown: true)
        for w in ["b", "a", "b", "c", "b", "a"] { v.add(w) }
        #expect(v.keys == ["<pad>", "<unk>", "b", "a", "c"] && v.paddingIndex == 0 && v.unknownIndex == 1)
        #expect(v.index(of: "zzz") == 1 && v.index(of: "a") == 3)
        let pruned = v.pruned(minimumCount: 2)
        #expect(pruned.keys == ["<pad>", "<unk>", "b", "a"] && pruned.counts == [0, 0, 3, 2])
    }
}

@Suite("Labelled item bags")
struct ItemBagReaderTests {
    @Test("label<TAB>item item:weight lines; a bad weight names its line")
    func itemBags() throws {
        let bags = try LabelledItemBags.read(path: fixture("item-bags.tsv"))
        #expect(bags.count == 4 && bags.labelVocabulary.keys == ["fake", "real"])
        #expect(bags.items[0] == ["I1", "I2", "I3"] && bags.weights[0] == [1, 5, 1] && bags.weights[2] == [5, 1])
        #expect(datasetError { _ = try LabelledItemBags.read(path: fixture("item-bags-bad.tsv")) }
                == .malformedLine(file: fixture("item-bags-bad.tsv"), line: 1, message: "weight 'five' of item 'I2' is not a finite number"))
    }
}
