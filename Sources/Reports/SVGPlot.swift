import Foundation

/// Small self-contained SVG charts (no scripts, no external resources).
public enum SVGPlot {
    /// A line of points, with optional ± error bars.
    public struct Series {
        /// Legend label.
        public var label: String
        /// (x, y, error) points.
        public var points: [(x: Double, y: Double, error: Double)]

        /// A series.
        public init(label: String, points: [(x: Double, y: Double, error: Double)]) {
            self.label = label
            self.points = points
        }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
                          "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1"]

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A line chart; `logX` puts x on a log scale.
    public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String, logX: Bool = false,
                             width: Double = 640, height: Double = 380) -> String {
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>" }
        let fx = { (x: Double) in logX ? log10(max(x, 1e-9)) : x }
        let xs = all.map { fx($0.x) }, ys = all.flatMap { [$0.y - $0.error, $0.y + $0.error] }
        var (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        if x1 == x0 { x0 -= 1; x1 += 1 }
        if y1 == y0 { y0 -= 0.01; y1 += 0.01 }
        let pad = (y1 - y0) * 0.08
        y0 -= pad; y1 += pad
        let (left, right, top, bottom) = (60.0, 170.0, 30.0, 45.0)
        let px = { (x: Double) in left + (fx(x) - x0) / (x1 - x0) * (width - left - right) }
        let py = { (y: Double) in top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#333\"/>"
        for k in 0...4 {
            let y = y0 + (y1 - y0) * Double(k) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(py(y) + 4)\" text-anchor=\"end\">\(String(format: "%.3f", y))</text>"
            svg += "<line x1=\"\(left)\" y1=\"\(py(y))\" x2=\"\(width - right)\" y2=\"\(py(y))\" stroke=\"#eee\"/>"
        }
        let ticks = Set(all.map(\.x)).sorted()
        let every = max(1, (ticks.count + 11) / 12)
        for (n, x) in ticks.enumerated() where n % every == 0 {
            svg += "<text x=\"\(px(x))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(String(format: "%g", x))</text>"
        }
        svg += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        svg += "<text x=\"14\" y=\"\((top + height - bottom) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \((top + height - bottom) / 2))\">\(escape(yLabel))</text>"
        for (i, s) in series.enumerated() {
            let color = palette[i % palette.count]
            let points = s.points.sorted { $0.x < $1.x }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"" + points.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ") + "\"/>"
            for p in points {
                if p.error > 0 { svg += "<line x1=\"\(px(p.x))\" y1=\"\(py(p.y - p.error))\" x2=\"\(px(p.x))\" y2=\"\(py(p.y + p.error))\" stroke=\"\(color)\"/>" }
                svg += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"3\" fill=\"\(color)\"/>"
            }
            svg += "<rect x=\"\(width - right + 10)\" y=\"\(top + Double(i) * 16)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(width - right + 25)\" y=\"\(top + Double(i) * 16 + 9)\">\(escape(s.label))</text>"
        }
        return svg + "</svg>"
    }

    /// A scatter of labelled points coloured by group (the embedding map).
    public static func scatter(_ points: [(x: Double, y: Double, group: String, label: String)], title: String,
                               width: Double = 640, height: Double = 480) -> String {
        guard !points.isEmpty else { return "" }
        let groups = Array(Set(points.map(\.group))).sorted()
        let (x0, x1) = (points.map(\.x).min()!, points.map(\.x).max()!), (y0, y1) = (points.map(\.y).min()!, points.map(\.y).max()!)
        let (left, right, top, bottom) = (20.0, 150.0, 30.0, 20.0)
        let px = { (x: Double) in left + (x - x0) / max(x1 - x0, 1e-9) * (width - left - right) }
        let py = { (y: Double) in top + (1 - (y - y0) / max(y1 - y0, 1e-9)) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += "<text x=\"\(left)\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>"
        for p in points {
            let color = palette[groups.firstIndex(of: p.group)! % palette.count]
            svg += "<circle cx=\"\(String(format: "%.1f", px(p.x)))\" cy=\"\(String(format: "%.1f", py(p.y)))\" r=\"2.5\" fill=\"\(color)\" fill-opacity=\"0.7\"><title>\(escape(p.label))</title></circle>"
        }
        for (i, g) in groups.enumerated() {
            svg += "<rect x=\"\(width - right + 10)\" y=\"\(top + Double(i) * 15)\" width=\"10\" height=\"10\" fill=\"\(palette[i % palette.count])\"/>"
            svg += "<text x=\"\(width - right + 25)\" y=\"\(top + Double(i) * 15 + 9)\">\(escape(g))</text>"
        }
        return svg + "</svg>"
    }
}
