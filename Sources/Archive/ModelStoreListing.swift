import Foundation

extension ModelStore {
    /// `entries` as a table: name@version, kind, method, rows x dimensions, size; a line saying so when there are none.
    public func listing(_ entries: [StoreEntry]) -> [String] {
        guard !entries.isEmpty else { return ["the store \(root) is empty"] }
        func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        let rows: [String] = entries.map { e in
            let shape: String = e.rows.map { "\($0) x \(e.dimensions ?? 0)" } ?? "-"
            let size: String = ByteCountFormatter.string(fromByteCount: e.size, countStyle: .file)
            return pad(e.reference, 28) + pad(e.kind, 12) + pad(e.method, 18) + pad(shape, 15) + size
        }
        return [pad("NAME@VERSION", 28) + "KIND        METHOD            ROWS x DIM     SIZE"] + rows
    }
}

extension ModelStore.Report {
    /// One line per check, stray archive and stale temporary, saying what to do about the strays.
    public var lines: [String] {
        checks.map { "\($0.entry.reference): \($0.problem ?? "ok")" }
            + unlisted.map { "\($0): not in the index (left by an interrupted add; `warmstart store gc` removes it)" }
            + temporaries.map { "\($0): temporary file of an interrupted write (`warmstart store gc` removes it)" }
    }
}
