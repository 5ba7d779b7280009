/// Binary classification figures from scores and 0/1 labels.
public struct BinaryClassificationReport: Codable, Sendable, Equatable {
    /// Share of correct decisions at the threshold.
    public var accuracy: Double
    /// Of those called positive, the share that are.
    public var precision: Double
    /// Of the positives, the share called positive.
    public var recall: Double
    /// Harmonic mean of precision and recall.
    public var f1: Double
    /// Area under the ROC curve (ties count half).
    public var rocAUC: Double
    /// Area under the precision-recall curve (average precision).
    public var prAUC: Double
    /// [[true negatives, false positives], [false negatives, true positives]].
    public var confusion: [[Int]]
    /// The decision threshold used.
    public var threshold: Float

    /// The report for `scores` against `labels` at `threshold`.
    public init(scores: [Float], labels: [Bool], threshold: Float) {
        precondition(scores.count == labels.count, "BinaryClassificationReport: \(scores.count) scores, \(labels.count) labels")
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (s, y) in zip(scores, labels) {
            switch (s >= threshold, y) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        self.threshold = threshold
        accuracy = Double(tp + tn) / Double(max(scores.count, 1))
        precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        confusion = [[tn, fp], [fn, tp]]
        rocAUC = Self.rocAUC(scores: scores, labels: labels)
        prAUC = Self.averagePrecision(scores: scores, labels: labels)
    }

    /// ROC AUC by the rank-sum (Mann–Whitney) formula, ties given half credit.
    public static func rocAUC(scores: [Float], labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return 0 }
        let rankSum = zip(ranks, labels).filter { $0.1 }.map(\.0).reduce(0, +)
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// Average precision: the mean of precision at each positive, by descending score.
    public static func averagePrecision(scores: [Float], labels: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var hits = 0, total = 0.0
        for (k, i) in order.enumerated() where labels[i] {
            hits += 1
            total += Double(hits) / Double(k + 1)
        }
        let positives = labels.filter { $0 }.count
        return positives == 0 ? 0 : total / Double(positives)
    }

    /// The threshold with the best F1, for choosing on validation data:
    /// the lowest score (everything positive) or a midpoint between two
    /// neighbouring distinct scores, so that a new example scoring the same
    /// as a validation one, up to rounding, gets the same call (ties: the
    /// threshold nearest 0.5).
    public static func bestThreshold(scores: [Float], labels: [Bool]) -> Float {
        let distinct = Set(scores).sorted()
        guard let lowest = distinct.first else { return 0.5 }
        var best: (f1: Double, threshold: Float) = (-1, 0.5)
        for t in [lowest] + zip(distinct, distinct.dropFirst()).map({ $0 / 2 + $1 / 2 }) {
            let f1 = BinaryClassificationReport(scores: scores, labels: labels, threshold: t).f1
            if f1 > best.f1 || (f1 == best.f1 && abs(t - 0.5) < abs(best.threshold - 0.5)) { best = (f1, t) }
        }
        return best.threshold
    }
}

/// Multi-label figures: micro-averaged F1 at a threshold and the mean ROC AUC over labels.
public struct MultiLabelReport: Codable, Sendable {
    /// Micro-averaged F1 over every (example, label) decision.
    public var microF1: Double
    /// Mean over labels (with both classes present) of ROC AUC.
    public var meanRocAUC: Double
    /// Share of examples whose label set is predicted exactly.
    public var exactMatch: Double

    /// Figures for `scores[example][label]` against `labels[example][label]`.
    public init(scores: [[Float]], labels: [[Bool]], threshold: Float = 0.5) {
        var tp = 0, fp = 0, fn = 0, exact = 0
        for (s, y) in zip(scores, labels) {
            var allRight = true
            for (p, t) in zip(s, y) {
                let call = p >= threshold
                if call && t { tp += 1 } else if call { fp += 1; allRight = false } else if t { fn += 1; allRight = false }
            }
            if allRight { exact += 1 }
        }
        microF1 = tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
        exactMatch = Double(exact) / Double(max(scores.count, 1))
        let labelCount = labels.first?.count ?? 0
        let aucs = (0..<labelCount).compactMap { l -> Double? in
            let y = labels.map { $0[l] }
            guard y.contains(true), y.contains(false) else { return nil }
            return BinaryClassificationReport.rocAUC(scores: scores.map { $0[l] }, labels: y)
        }
        meanRocAUC = aucs.isEmpty ? 0 : aucs.reduce(0, +) / Double(aucs.count)
    }
}
