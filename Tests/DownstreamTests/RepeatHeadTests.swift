import Archive
import Autograd
import Datasets
import Downstream
import Foundation
import Layers
import Testing

@Suite("Repeat-aware next-item head")
struct RepeatHeadTests {
    /// A small repeat-aware GRU model over 6 table rows (padding + 5 items).
    func model(seed: UInt64 = 1) -> NextItemModel {
        var rng = SeededGenerator(seed: seed)
        var config = NextItemConfig(encoder: .gru, rows: 6, dimension: 4, maxLength: 4)
        config.repeatAware = true
        let items = Embedding(count: 6, dimension: 4, std: 0.5, paddingIndex: 0, rng: &rng)
        return NextItemModel(config: config, items: items, rng: &rng)
    }

    @Test("the mixture loss's gradients match finite differences for every parameter")
    func gradients() throws {
        let net = model()
        let histories: [[Int32]] = [[0, 3, 5, 3], [2, 2, 4, 1]]
        // Positions b·T + τ with a next item: a repeat (3 after 3, 5, 3), a new item, a repeat of 2.
        let positions: [Int32] = [3, 1, 6], targets: [Int32] = [3, 4, 2]
        let report = try GradientCheck.check(parameters: net.parameters, step: 1e-3) { tape in
            net.repeatHead!.loss(net, hidden: net.hiddenStates(histories, on: tape), histories: histories, positions: positions, targets: targets)
        }
        #expect(report.maxRelativeError < 1e-2, "\(report)")
    }

    @Test("scores are log-probabilities of g · copy + (1 − g) · softmax, computed by hand")
    func mixtureByHand() {
        let net = model()
        let head = net.repeatHead!
        // No query, no recency, a zero gate logit: copy attention is uniform over the
        // history's items and g = 1/2.
        head.query.weight.value = Tensor(zeros: [4, 4])
        head.gate.weight.value = Tensor(zeros: [1, 4])
        head.gate.bias!.value = Tensor(zeros: [1])
        let history: [Int32] = [0, 3, 5, 3]
        let scores = NextItemTrainer.lastPositionScores(net, histories: [history]).scalars
        // The catalogue part alone, from the same model without the head's mixing.
        let tape = Tape()
        let hidden = net.hiddenStates([history], on: tape)
        let logits = net.scores(tape.gather(hidden, [3])).value.scalars
        let top = logits.max()!, total = logits.map { exp(Double($0 - top)) }.reduce(0, +)
        for i in 0..<6 {
            let softmax = exp(Double(logits[i] - top)) / total
            let copy = i == 3 ? 2.0 / 3 : (i == 5 ? 1.0 / 3 : 0)
            #expect(abs(exp(Double(scores[i])) - (0.5 * copy + 0.5 * softmax)) < 1e-5, "item \(i)")
        }
        #expect(abs(scores.map { exp(Double($0)) }.reduce(0, +) - 1) < 1e-4)
    }

    @Test("on a re-buying log it learns what the plain model cannot, and a saved model scores as it did in training")
    func learnsRepeatsAndSaves() throws {
        var log = SyntheticLogConfig().withRepeatShare(0.5)
        log.users = 300; log.items = 600; log.events = 12_000; log.clusterSize = 20; log.seed = 3
        let dir = NSTemporaryDirectory() + "repeat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try SyntheticLog.write(log, to: dir + "/log.inter")
        let loaded = try DataSource(dir + "/log.inter").interactions()
        var config = NextItemRunConfig()
        config.training.epochs = 4; config.training.keepSeen = true
        let plain = try NextItemRunner.train(loaded, archive: nil, config: config)
        config.repeatAware = true
        let aware = try NextItemRunner.train(loaded, archive: nil, config: config, files: NextItemFiles(model: dir + "/aware.warm"))
        let figure = { (m: [String: JSONValue], k: String) in m[k]?.number ?? -1 }
        // Half the events repeat an earlier item: copying from the history must help a lot.
        #expect(figure(aware, "best_validation_ndcg@10") > figure(plain, "best_validation_ndcg@10") + 0.05, "aware \(aware), plain \(plain)")
        let again = try NextItemRunner.evaluate(modelAt: dir + "/aware.warm", on: loaded, keepSeen: true)
        #expect(figure(again, "test_hr@10") == figure(aware, "test_hr@10"))
        #expect(try NextItemArchive.settings(path: dir + "/aware.warm")?.repeatAware == true)
    }

    @Test("the gate starts at the training data's share of repeats, counted by hand")
    func gateStartsAtTheShare() {
        // Two users, 6 events each: training parts a b a c and p q p p (validation and test cut off).
        var uv = Vocabulary(), iv = Vocabulary()
        var users: [Int32] = [], items: [Int32] = [], times: [Double] = []
        for (user, sequence) in [("u0", ["a", "b", "a", "c", "x", "y"]), ("u1", ["p", "q", "p", "p", "z", "w"])] {
            for (k, item) in sequence.enumerated() { users.append(uv.add(user)); items.append(iv.add(item)); times.append(Double(k)) }
        }
        let data = Interactions(users: users, items: items, ratings: nil, timestamps: times, weights: nil, userVocabulary: uv, itemVocabulary: iv, source: "hand")
        let split = LeaveLastOutSplit(data)
        // Repeats among the 6 next items: a (u0, 3rd), p and p (u1).
        #expect(NextItemData(split: split, items: iv, maxLength: 50).repeatShare == 0.5)
        // Looking one item back only, just u1's last p repeats.
        #expect(abs(NextItemData(split: split, items: iv, maxLength: 1).repeatShare - 1.0 / 6) < 1e-12)
        let head = model().repeatHead!
        head.startGate(atShare: 0.25)
        let tape = Tape()
        let g = tape.sigmoid(head.gate(tape.constant(Tensor(shape: [1, 4], scalars: [3, -1, 2, 5])))).value.scalars[0]
        #expect(abs(g - 0.25) < 1e-6)
        head.startGate(atShare: 0)
        #expect(abs(1 / (1 + exp(-head.gate.bias!.value.scalars[0])) - 0.001) < 1e-6)
    }

    @Test("off by default: the model has no repeat parameters and the same names as before")
    func offByDefault() {
        var rng = SeededGenerator(seed: 1)
        let plain = NextItemModel(config: NextItemConfig(encoder: .gru, rows: 6, dimension: 4, maxLength: 4),
                                  items: Embedding(count: 6, dimension: 4, std: 0.5, paddingIndex: 0, rng: &rng), rng: &rng)
        #expect(plain.repeatHead == nil)
        #expect(!plain.namedParameters().contains { $0.name.hasPrefix("repeat") })
        #expect(model().namedParameters().filter { $0.name.hasPrefix("repeat") }.count == 4)
    }
}
