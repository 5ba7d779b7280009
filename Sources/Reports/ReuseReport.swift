import Archive
import Evaluation
import FileIO
import Foundation

/// Aggregates a reuse grid and writes it as Markdown and a self-contained HTML page.
public struct ReuseReport {
    /// Mean, spread and paired gain of one (archive, start, fraction) cell.
    public struct Cell: Sendable {
        /// Archive name ("none" for random).
        public var archive: String
        /// Start mode.
        public var start: String
        /// Label fraction.
        public var fraction: Double
        /// Mean training examples.
        public var examples: Int
        /// Headline metric per seed, in seed order.
        public var values: [Double]
        /// Mean of `values`.
        public var mean: Double
        /// Sample standard deviation of `values`.
        public var spread: Double
        /// Paired test against random on the same seeds (nil for random itself).
        public var gain: Statistics.PairedTest?
    }

    /// The results.
    public let results: ReuseResults
    /// The cells, by fraction then archive and start.
    public let cells: [Cell]

    /// Aggregates `results` on their headline metric.
    public init(_ results: ReuseResults) {
        self.results = results
        let metric = results.headline
        var groups: [String: [ReuseRun]] = [:]
        for r in results.runs { groups["\(r.archive)|\(r.start)|\(r.fraction)", default: []].append(r) }
        var cells: [Cell] = []
        for (_, runs) in groups {
            let sorted = runs.sorted { $0.seed < $1.seed }
            let values = sorted.map { $0.metrics[metric] ?? .nan }
            var gain: Statistics.PairedTest?
            if sorted[0].start != "random" {
                let control = groups["none|random|\(sorted[0].fraction)"]?.sorted { $0.seed < $1.seed } ?? []
                let common = Set(control.map(\.seed)).intersection(sorted.map(\.seed))
                let t = sorted.filter { common.contains($0.seed) }.map { $0.metrics[metric] ?? .nan }
                let c = control.filter { common.contains($0.seed) }.map { $0.metrics[metric] ?? .nan }
                if !t.isEmpty { gain = Statistics.pairedTest(treatment: t, control: c) }
            }
            cells.append(Cell(archive: sorted[0].archive, start: sorted[0].start, fraction: sorted[0].fraction,
                              examples: sorted.map(\.trainingExamples).reduce(0, +) / sorted.count, values: values,
                              mean: Statistics.mean(values), spread: Statistics.standardDeviation(values), gain: gain))
        }
        self.cells = cells.sorted { ($0.fraction, $0.archive, $0.start) < ($1.fraction, $1.archive, $1.start) }
    }

    /// Series names (archive/start), random first.
    var lines: [String] {
        let names = Set(cells.map { $0.start == "random" ? "random" : "\($0.archive) \($0.start)" })
        return ["random"] + names.subtracting(["random"]).sorted()
    }

    func cell(_ line: String, _ fraction: Double) -> Cell? {
        cells.first { ($0.start == "random" ? "random" : "\($0.archive) \($0.start)") == line && $0.fraction == fraction }
    }

    /// For each pretrained line: the smallest label fraction from which it is no longer significantly
    /// better than random (mean gain ≤ 0, or p ≥ 0.05) at that and every larger fraction.
    public func meetingPoints() -> [(line: String, fraction: Double?, examples: Int?)] {
        let fractions = Array(Set(cells.map(\.fraction))).sorted()
        return lines.dropFirst().map { line in
            var meet: Double?
            for f in fractions.reversed() {
                guard let c = cell(line, f), let g = c.gain else { break }
                let better = g.meanDifference > 0 && (g.pValue ?? 1) < 0.05
                if better { break }
                meet = f
            }
            return (line, meet, meet.flatMap { f in cell(line, f)?.examples })
        }
    }

    /// The data-efficiency plot: headline metric against label fraction, one line per start.
    public func efficiencySVG() -> String {
        let series = lines.map { line in
            SVGPlot.Series(label: line, points: cells.filter { ($0.start == "random" ? "random" : "\($0.archive) \($0.start)") == line }
                .map { ($0.fraction, $0.mean, $0.spread) })
        }
        return SVGPlot.lines(series, title: "\(results.task): \(results.headline) vs share of training labels (mean ± sd over seeds)",
                             xLabel: "share of training labels (log scale)", yLabel: results.headline,
                             logX: Set(cells.map(\.fraction)).count > 1)
    }

    /// Learning curves (validation figure per evaluation) at `fraction`, seed-averaged.
    public func learningCurveSVG(fraction: Double) -> String {
        let series = lines.compactMap { line -> SVGPlot.Series? in
            let runs = results.runs.filter { ($0.start == "random" ? "random" : "\($0.archive) \($0.start)") == line && $0.fraction == fraction }
            guard let longest = runs.map(\.curve.count).max(), longest > 0 else { return nil }
            let points = (0..<longest).map { i -> (x: Double, y: Double, error: Double) in
                let v = runs.compactMap { i < $0.curve.count ? $0.curve[i] : $0.curve.last }
                return (Double(i + 1), Statistics.mean(v), 0)
            }
            return SVGPlot.Series(label: line, points: points)
        }
        return SVGPlot.lines(series, title: "validation curve at \(String(format: "%g", fraction)) of the labels (mean over seeds)",
                             xLabel: "evaluation (epoch, or every N epochs)", yLabel: "validation figure")
    }

    /// The Markdown report (plots referenced as files written beside it).
    public func markdown(plots: [(file: String, caption: String)]) -> String {
        let seeds = Set(results.runs.map(\.seed)).sorted().map(String.init).joined(separator: ", ")
        var md = "# Embedding reuse: \(results.task)\n\n\(results.description)\n\n"
        md += "Headline metric: **\(results.headline)** on the test split; seeds \(seeds); \(results.runs.count) runs. "
        md += "Gains are paired over seeds against the random start (t-test, two-sided).\n\n"
        md += "## Archives\n\n| archive | method | rows x dim | task coverage | genre agreement@10 (chance) | overlap@10 with others |\n| --- | --- | --- | --- | --- | --- |\n"
        for p in results.probes {
            let genre = p.genreAgreement.map { String(format: "%.3f (%.3f)", $0, p.genreChance ?? 0) } ?? "-"
            let overlap = p.overlap.keys.sorted().map { "\($0): \(String(format: "%.2f", p.overlap[$0]!))" }.joined(separator: ", ")
            md += "| \(p.name) | \(p.method) | \(p.rows) x \(p.dimension) | \(String(format: "%.1f%%", 100 * p.coverage)) | \(genre) | \(overlap.isEmpty ? "-" : overlap) |\n"
        }
        md += "\n## Results (mean ± sd over seeds)\n\n| label share | examples | start | \(results.headline) | gain over random | p |\n| --- | --- | --- | --- | --- | --- |\n"
        for c in cells {
            let line = c.start == "random" ? "random" : "\(c.archive) \(c.start)"
            let gain = c.gain.map { String(format: "%+.4f", $0.meanDifference) } ?? "-"
            let p = c.gain.flatMap(\.pValue).map { String(format: "%.3f", $0) } ?? "-"
            md += "| \(String(format: "%g", c.fraction)) | \(c.examples) | \(line) | \(String(format: "%.4f ± %.4f", c.mean, c.spread)) | \(gain) | \(p) |\n"
        }
        md += "\n## Where pretrained and random meet\n\n"
        for m in meetingPoints() {
            if let f = m.fraction {
                md += "- \(m.line): no significant gain over random from \(String(format: "%g", f)) of the labels (about \(m.examples ?? 0) examples) upward.\n"
            } else {
                md += "- \(m.line): better than random (p < 0.05) at the largest label share tried.\n"
            }
        }
        for c in cells where (c.gain?.meanDifference ?? 0) < 0 && (c.gain?.pValue ?? 1) < 0.05 {
            md += "- \(c.archive) \(c.start) is significantly worse than random at \(String(format: "%g", c.fraction)) of the labels (\(String(format: "%+.4f", c.gain!.meanDifference)), p = \(String(format: "%.3f", c.gain!.pValue!))).\n"
        }
        let helped = cells.contains { ($0.gain?.meanDifference ?? 0) > 0 && ($0.gain?.pValue ?? 1) < 0.05 }
        md += helped ? "\n" : "\n**On this task and grid, no pretrained start beat the random start significantly.**\n\n"
        for p in plots { md += "![\(p.caption)](\(p.file))\n\n" }
        return md
    }

    /// A self-contained HTML page: the same content with the SVGs inline.
    public func html(markdown: String, svgs: [String: String]) -> String {
        var body = ""
        var inTable = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                if line.contains("---") { continue }
                let cellsHTML = line.split(separator: "|").map { SVGPlot.escape($0.trimmingCharacters(in: .whitespaces)) }
                if !inTable { body += "<table><tr>" + cellsHTML.map { "<th>\($0)</th>" }.joined() + "</tr>"; inTable = true; continue }
                body += "<tr>" + cellsHTML.map { "<td>\($0)</td>" }.joined() + "</tr>"
                continue
            }
            if inTable { body += "</table>"; inTable = false }
            if line.hasPrefix("# ") { body += "<h1>\(SVGPlot.escape(String(line.dropFirst(2))))</h1>" }
            else if line.hasPrefix("## ") { body += "<h2>\(SVGPlot.escape(String(line.dropFirst(3))))</h2>" }
            else if line.hasPrefix("!["), let open = line.firstIndex(of: "("), let file = Optional(String(line[line.index(after: open)..<line.index(before: line.endIndex)])) {
                body += "<figure>\(svgs[file] ?? "")</figure>"
            } else if line.hasPrefix("- ") { body += "<p>• \(SVGPlot.escape(String(line.dropFirst(2))))</p>" }
            else if !line.isEmpty { body += "<p>\(SVGPlot.escape(line).replacingOccurrences(of: "**", with: ""))</p>" }
        }
        if inTable { body += "</table>" }
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>Warmstart reuse report: \(SVGPlot.escape(results.task))</title>
        <style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}
        td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}th{background:#f3f3f3}figure{margin:1em 0}</style></head>
        <body>\(body)</body></html>
        """
    }

    /// Writes report.md, report.html and the SVG files into `folder`; `map` adds the embedding map.
    public func write(to folder: String, map: (svg: String, caption: String)? = nil) throws {
        var svgs = ["efficiency.svg": efficiencySVG()]
        var plots = [("efficiency.svg", "data efficiency")]
        let fractions = Set(cells.map(\.fraction)).sorted()
        if let smallest = fractions.first {
            svgs["curves-small.svg"] = learningCurveSVG(fraction: smallest)
            plots.append(("curves-small.svg", "learning curves, smallest label share"))
        }
        if let largest = fractions.last, fractions.count > 1 {
            svgs["curves-full.svg"] = learningCurveSVG(fraction: largest)
            plots.append(("curves-full.svg", "learning curves, largest label share"))
        }
        if let map { svgs["embedding-map.svg"] = map.svg; plots.append(("embedding-map.svg", map.caption)) }
        for (file, svg) in svgs { try AtomicFile.write(Data(svg.utf8), to: folder + "/" + file) }
        let md = markdown(plots: plots)
        try AtomicFile.write(Data(md.utf8), to: folder + "/report.md")
        try AtomicFile.write(Data(html(markdown: md, svgs: svgs).utf8), to: folder + "/report.html")
    }

    /// A PCA map of `embeddings` coloured by each key's first category.
    public static func embeddingMap(_ embeddings: KeyedEmbeddings, categories: [String: [String]], titles: [String: String],
                                    name: String, limit: Int = 800) -> String {
        let keys = embeddings.keys.filter { !(categories[$0] ?? []).isEmpty }.prefix(limit)
        let rows = keys.map { embeddings.vector(for: $0)! }
        let coordinates = PrincipalComponents.project(Array(rows))
        let points = zip(keys, coordinates).map { (k, c) in (x: c[0], y: c[1], group: categories[k]![0], label: titles[k] ?? k) }
        return SVGPlot.scatter(points, title: "\(name): items on their first two principal components, coloured by first genre")
    }
}
