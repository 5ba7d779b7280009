import Autograd
import Datasets
import Foundation

/// Small data files made for the CLI tests (never committed): labelled
/// texts, labelled item bags and a basket log, each with a planted signal.
enum Fixtures {
    /// A fresh path in the temporary folder ending in `name`.
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    /// label<TAB>text: a third spam about prizes, the rest ham about plans, with shared filler words.
    static func labelledText(count: Int = 240, seed: UInt64 = 11) throws -> String {
        var rng = SeededGenerator(seed: seed)
        let spam = ["win", "prize", "claim", "free", "cash", "call"], ham = ["lunch", "tomorrow", "meet", "home", "later", "see"]
        let filler = ["the", "a", "you", "now", "to", "and", "is", "it"]
        var text = ""
        for k in 0..<count {
            let words = k % 3 == 0 ? spam : ham
            let line = (0..<7).map { _ in rng.nextInt(below: 3) == 0 ? words[rng.nextInt(below: words.count)] : filler[rng.nextInt(below: filler.count)] }
            text += (k % 3 == 0 ? "spam" : "ham") + "\t" + line.joined(separator: " ") + "\n"
        }
        let path = temporary("messages.tsv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// label<TAB>item:weight …: "fraud" bags hold items f0–f4, "ok" bags items o0–o9, each with two shared items.
    static func itemBags(count: Int = 200) throws -> String {
        var rng = SeededGenerator(seed: 13)
        var text = ""
        for k in 0..<count {
            let fraud = k % 4 == 0
            let own = (0..<3).map { _ in fraud ? "f\(rng.nextInt(below: 5))" : "o\(rng.nextInt(below: 10))" }
            text += (fraud ? "fraud" : "ok") + "\t" + (own + ["s\(rng.nextInt(below: 3))", "s\(rng.nextInt(below: 3))"]).map { "\($0):1" }.joined(separator: " ") + "\n"
        }
        let path = temporary("bags.tsv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A basket log (user, product, order_number, add_to_cart_order) written out of order: each user's
    /// products follow a cycle, so the order columns, not the line order, say what comes next.
    static func basketLog(users: Int = 40) throws -> String {
        var rows: [String] = []
        for user in 0..<users {
            for order in 1...4 { for position in 1...3 { rows.append("u\(user),p\((user + order * 3 + position) % 15),\(order),\(position)") } }
        }
        var rng = SeededGenerator(seed: 14)
        IndexSplit.shuffle(&rows, &rng)
        let path = temporary("baskets.csv")
        try ("user,product,order_number,add_to_cart_order\n" + rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
