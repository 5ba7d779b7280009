import Evaluation
import Testing

@Suite("Metrics against hand-computed cases")
struct MetricTests {
    @Test("HR, NDCG and MRR from ranks")
    func ranking() {
        let report = RankingReport(ranks: [1, 3, 11, nil], k: 10)
        #expect(report.hitRate == 0.5)
        #expect(abs(report.ndcg - (1 + 0.5) / 4) < 1e-12)  // 1/log2(2) + 1/log2(4)
        #expect(abs(report.mrr - (1 + 1.0 / 3 + 1.0 / 11) / 4) < 1e-12)
        let scores: [Float] = [0.9, 0.5, 0.7, 0.5, 0.1]
        scores.withUnsafeBufferPointer { s in
            #expect(RankingMetrics.rank(of: 1, scores: s, excluded: []) == 4)      // ties count against the target
            #expect(RankingMetrics.rank(of: 1, scores: s, excluded: [0, 3]) == 2)
            #expect(RankingMetrics.rank(of: 0, scores: s, excluded: [0]) == 1)     // the target is never excluded
        }
    }

    @Test("binary: confusion, precision, recall, F1, ROC AUC with ties, average precision, threshold choice")
    func binary() {
        let scores: [Float] = [0.9, 0.8, 0.8, 0.3, 0.2]
        let labels = [true, false, true, false, true]
        let r = BinaryClassificationReport(scores: scores, labels: labels, threshold: 0.5)
        #expect(r.confusion == [[1, 1], [1, 2]] && r.accuracy == 0.6)
        #expect(abs(r.precision - 2.0 / 3) < 1e-12 && abs(r.recall - 2.0 / 3) < 1e-12 && abs(r.f1 - 2.0 / 3) < 1e-12)
        // pairs (pos, neg): (0.9>0.8)=1 (0.9>0.3)=1 (0.8=0.8)=0.5 (0.8>0.3)=1 (0.2<0.8)=0 (0.2<0.3)=0 → 3.5/6
        #expect(abs(r.rocAUC - 3.5 / 6) < 1e-12)
        // by score: + (1/1), - , + (2/3), -, + (3/5) → (1 + 2/3 + 3/5) / 3 (ties in sorted order)
        #expect(abs(r.prAUC - (1 + 2.0 / 3 + 3.0 / 5) / 3) < 1e-9)
        // the midpoint between the highest negative and the lowest positive, not the positive's own score
        #expect(BinaryClassificationReport.bestThreshold(scores: [0.1, 0.4, 0.6, 0.9], labels: [false, false, true, true]) == 0.5)
        #expect(BinaryClassificationReport.bestThreshold(scores: [0.2, 0.3, 0.95, 0.97], labels: [false, false, true, true]) == 0.625)
        #expect(BinaryClassificationReport.bestThreshold(scores: [0.7, 0.7], labels: [true, true]) == 0.7)  // one score: all positive
    }

    @Test("multi-label: micro-F1, exact match, mean AUC")
    func multiLabel() {
        let r = MultiLabelReport(scores: [[0.9, 0.1], [0.8, 0.7], [0.2, 0.6]], labels: [[true, false], [true, false], [false, true]])
        // decisions: tp = 3 (0,0)(1,0)(2,1), fp = 1 (1,1), fn = 0 → 6/7
        #expect(abs(r.microF1 - 6.0 / 7) < 1e-12 && abs(r.exactMatch - 2.0 / 3) < 1e-12)
        #expect(r.meanRocAUC == 0.75)  // label 0: 1; label 1: the positive 0.6 beats 0.1, loses to 0.7 → 0.5
    }
}
