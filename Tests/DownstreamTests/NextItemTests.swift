import Archive
import Autograd
import Datasets
import Downstream
import Evaluation
import Foundation
import Layers
import Optimizers
import Testing

@Suite("Next-item recommenders")
struct NextItemTests {
    /// Users who walk a cycle of the catalogue from a random start: the next item is always (i + 1) mod N,
    /// so every transition a test target needs also occurs in training.
    func plantedSplit(users: Int = 80, items: Int = 30) -> (LeaveLastOutSplit, Vocabulary) {
        var rng = SeededGenerator(seed: 5)
        var uv = Vocabulary(), iv = Vocabulary()
        for i in 0..<items { iv.add("i\(i)") }
        var u: [Int32] = [], it: [Int32] = [], ts: [Double] = []
        for user in 0..<users {
            let start = rng.nextInt(below: items)
            for k in 0..<12 { u.append(uv.add("u\(user)")); it.append(Int32((start + k) % items)); ts.append(Double(k)) }
        }
        let data = Interactions(users: u, items: it, ratings: nil, timestamps: ts, weights: nil, userVocabulary: uv, itemVocabulary: iv, source: "planted")
        return (LeaveLastOutSplit(data), iv)
    }

    /// The planted split's data (max length 10) and a fresh GRU over it.
    func plantedGRU(users: Int, dimension: Int, seed: UInt64) -> (NextItemData, NextItemModel) {
        let (split, items) = plantedSplit(users: users)
        let data = NextItemData(split: split, items: items, maxLength: 10)
        var rng = SeededGenerator(seed: seed)
        let config = NextItemConfig(encoder: .gru, rows: data.rows, dimension: dimension, maxLength: 10)
        let table = Embedding(count: data.rows, dimension: dimension, std: 0.1, paddingIndex: 0, rng: &rng)
        return (data, NextItemModel(config: config, items: table, rng: &rng))
    }

    @Test("both encoders learn the planted next-item rule; the best weights are kept", arguments: SequenceEncoderKind.allCases)
    func learnsSequences(encoder: SequenceEncoderKind) throws {
        let (split, items) = plantedSplit()
        let data = NextItemData(split: split, items: items, maxLength: 10)
        var rng = SeededGenerator(seed: 1)
        var config = NextItemConfig(encoder: encoder, rows: data.rows, dimension: 16, maxLength: 10)
        config.dropout = 0
        let model = NextItemModel(config: config, items: Embedding(count: data.rows, dimension: 16, std: 0.1, paddingIndex: 0, rng: &rng), rng: &rng)
        var training = NextItemTrainingConfig()
        training.epochs = 100; training.batchSize = 16; training.learningRate = 0.01; training.evaluateEvery = 10; training.selection = .best
        var checkpoints = 0
        let reports = try NextItemTrainer.train(model, data: data, config: training, checkpoint: { _, _ in checkpoints += 1 })
        #expect(checkpoints >= 1 && reports.last!.loss < reports.first!.loss)
        let (test, coverage) = NextItemTrainer.evaluate(model, data: data, target: .test, k: 1)
        #expect(test.hitRate > 0.97, "\(encoder): HR@1 \(test.hitRate) (chance: 1/30)")
        #expect(coverage > 0)
        let best = reports.compactMap(\.validationNDCG).max()!
        #expect(abs(NextItemTrainer.evaluate(model, data: data, target: .validation).report.ndcg - best) < 1e-9)
    }

    @Test("each checkpoint selection ends with the evaluation it picks; the halves' NDCG@10 make up the whole", arguments: CheckpointSelection.allCases)
    func checkpointSelection(selection: CheckpointSelection) throws {
        let (data, model) = plantedGRU(users: 41, dimension: 8, seed: 2)
        var training = NextItemTrainingConfig()
        training.epochs = 30; training.batchSize = 8; training.learningRate = 0.05; training.evaluateEvery = 1; training.selection = selection
        let reports = try NextItemTrainer.train(model, data: data, config: training)
        let curve = reports.compactMap(\.validationNDCG)
        let smoothed = curve.indices.map { i in curve[max(0, i - 2)...i].reduce(0, +) / Double(i - max(0, i - 2) + 1) }
        func firstBest(_ v: [Double]) -> Int { v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) }! }
        let picks: [CheckpointSelection: Int] = [.best: firstBest(curve), .smoothed: firstBest(smoothed), .last: curve.count - 1]
        let picked = picks[selection]!
        #expect(Set(picks.values).count == 3, "the curve \(curve) tells the three selections apart")
        let now = NextItemTrainer.evaluate(model, data: data, target: .validation).report.ndcg
        #expect(abs(now - curve[picked]) < 1e-9, "\(selection): kept evaluation \(picked) of \(curve)")
        for report in reports where report.validationNDCG != nil {
            let halves = try #require(report.validationNDCGHalves)
            let users = 41.0, even = 21.0  // users 0, 2, ..., 40 and 1, 3, ..., 39
            #expect(abs((halves[0] * even + halves[1] * (users - even)) / users - report.validationNDCG!) < 1e-12)
        }
    }

    @Test("the sampled softmax and BPR losses also learn the planted rule (GRU)", arguments: [NextItemLoss.sampledSoftmax(negatives: 8), .popularitySampled(negatives: 8), .bpr])
    func sampledLosses(loss: NextItemLoss) throws {
        let (data, model) = plantedGRU(users: 80, dimension: 16, seed: 1)
        var training = NextItemTrainingConfig()
        training.epochs = 100; training.batchSize = 16; training.learningRate = 0.01; training.evaluateEvery = 10; training.loss = loss
        let reports = try NextItemTrainer.train(model, data: data, config: training)
        #expect(reports.last!.loss < reports.first!.loss)
        let (test, _) = NextItemTrainer.evaluate(model, data: data, target: .test, k: 1)
        #expect(test.hitRate > 0.9, "\(loss.name): HR@1 \(test.hitRate) (chance: 1/30)")
        // The sampled losses only touch the target and drawn rows: a row-sparse gradient, never a dense one.
        let tape = Tape()
        let hidden = model.hiddenStates([data.trainingWindow(user: 0).input], on: tape)
        var draws = SeededGenerator(seed: 2)
        try tape.backward(loss(model, hidden: tape.gather(hidden, [9]), targets: [3], rng: &draws))
        #expect(model.items.table.denseGradient == nil && model.items.table.hasGradient)
    }

    @Test("GRU dropout acts in training only: evaluation states equal those of the same weights without dropout")
    func gruDropout() {
        var rng = SeededGenerator(seed: 4)
        var config = NextItemConfig(encoder: .gru, rows: 12, dimension: 8, maxLength: 5)
        config.dropout = 0.5
        let items = Embedding(count: 12, dimension: 8, std: 0.1, paddingIndex: 0, rng: &rng)
        let dropped = NextItemModel(config: config, items: items, rng: &rng)
        config.dropout = 0
        let plain = NextItemModel(config: config, items: items, rng: &rng)
        for (p, q) in zip(plain.parameters, dropped.parameters) { p.value = q.value }
        let history: [[Int32]] = [[0, 3, 4, 5, 6]]
        let training = dropped.hiddenStates(history, on: Tape()).value.scalars
        dropped.setTraining(false)
        let evaluation = dropped.hiddenStates(history, on: Tape()).value.scalars
        #expect(evaluation == plain.hiddenStates(history, on: Tape()).value.scalars)
        #expect(training != evaluation && training.filter { $0 == 0 }.count > 5)
    }

    @Test("training windows: the last window as written, or one ending at a drawn position that covers every full window")
    func windows() {
        let (split, items) = plantedSplit(users: 2, items: 30)
        let data = NextItemData(split: split, items: items, maxLength: 4)
        let train = split.train[0].map { $0 + 1 }  // table rows
        #expect(data.trainingWindow(user: 0).input == Array(train.suffix(5).dropLast()))
        let early = data.trainingWindow(user: 0, end: 6)
        #expect(early.input == Array(train[1..<5]) && early.targets == Array(train[2..<6]))
        let short = data.trainingWindow(user: 0, end: 3)
        #expect(short.input == [0, 0] + Array(train[0..<2]) && short.targets == [-100, -100] + Array(train[1..<3]))
        var rng = SeededGenerator(seed: 3)
        let ends = Set((0..<500).map { _ in NextItemTrainer.randomWindowEnd(data, user: 0, &rng) })
        #expect(ends == Set(5...train.count))
    }

    @Test("a frozen warm start keeps the item table; the model reloads and scores bit-identically")
    func warmStartAndArchive() throws {
        let (split, items) = plantedSplit(users: 20)
        let data = NextItemData(split: split, items: items, maxLength: 6)
        var rng = SeededGenerator(seed: 2)
        let archive = try KeyedEmbeddings(keys: items.keys.filter { $0 != "i7" }, vectors: .normal(shape: [29, 8], using: &rng))
        let (table, report) = try WarmStart.embedding(keys: data.keys, paddingRow: 0, archive: archive, dimension: 8, mode: .frozen, rng: &rng)
        #expect(report.taskKeys == 30 && report.found == 29)
        let before = table.table.value
        let model = NextItemModel(config: NextItemConfig(encoder: .gru, rows: data.rows, dimension: 8, maxLength: 6), items: table, rng: &rng)
        var training = NextItemTrainingConfig()
        training.epochs = 3; training.batchSize = 8
        try NextItemTrainer.train(model, data: data, config: training)
        let after = model.items.table.value
        let row7 = Int(data.keys.firstIndex(of: "i7")!)
        for r in 0..<data.rows where r != row7 { for j in 0..<8 { #expect(after[r, j] == before[r, j], "row \(r)") } }
        #expect((0..<8).contains { after[row7, $0] != before[row7, $0] })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("next-\(UUID().uuidString).warm").path
        try NextItemArchive.save(model, keys: data.keys, metrics: nil, seed: 0, data: nil, toolVersion: "test", to: path)
        let (loaded, vocabulary) = try NextItemArchive.load(path: path)
        let histories = (0..<3).map { data.history(user: $0, for: .test) }
        #expect(NextItemTrainer.lastPositionScores(loaded, histories: histories).scalars
                == NextItemTrainer.lastPositionScores(model, histories: histories).scalars)
        #expect(vocabulary.paddingRow == 0 && loaded.config == model.config)
        #expect(throws: ArchiveError.self) { _ = try ClassifierArchive.load(path: path) }
        let (rows, unknown) = data.rows(for: ["i3", "nope", "<pad>", "i4"])
        #expect(rows.count == 2 && unknown == ["nope", "<pad>"])
        // A configuration whose sizes the stored weights do not bear out is refused before the model is built.
        for damage in [{ (c: inout NextItemConfig) in c.rows = 1_000_000_000_000 }, { $0.dimension = 1 << 40 },
                       { $0.maxLength = 1 << 40 }, { $0.blocks = 1 << 30 }, { $0.heads = 0 }] {
            var contents = try WarmArchive.read(path: path)
            var config = try JSONDecoder().decode(NextItemConfig.self, from: JSONEncoder().encode(contents.config))
            damage(&config)
            contents.config = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(config))
            try WarmArchive.write(contents, to: path + ".damaged")
            let error = #expect(throws: ArchiveError.self) { _ = try NextItemArchive.load(path: path + ".damaged") }
            #expect(error?.entry == "config.json", "\(String(describing: error))")
        }
    }

    @Test("popularity and repeat baselines on a hand-made split")
    func baselines() {
        var uv = Vocabulary(), iv = Vocabulary()
        for i in 0..<4 { iv.add("i\(i)") }
        // user 0: 0 0 1 | val 2 | test 0 (a repeat); user 1: 1 1 2 3 | val 1 | test 3
        let rows: [(Int, Int32)] = [(0, 0), (0, 0), (0, 1), (0, 2), (0, 0), (1, 1), (1, 1), (1, 2), (1, 3), (1, 1), (1, 3)]
        let data = Interactions(users: rows.map { uv.add("u\($0.0)") }, items: rows.map(\.1), ratings: nil,
                                timestamps: rows.indices.map(Double.init), weights: nil, userVocabulary: uv, itemVocabulary: iv, source: "hand")
        let split = LeaveLastOutSplit(data)
        // training counts: i0 2, i1 3, i2 1, i3 1. User 0 (seen i0, i1; target i0 kept): i0 first.
        // User 1 (seen i1, i2, i3; target i3 kept): i0 (2) above i3 (1) → rank 2.
        let popular = NextItemBaselines.popularity(split, k: 1)
        #expect(popular.ranks == [1, 2])
        let repeatBaseline = NextItemBaselines.mostFrequentRepeat(split, k: 1)
        #expect(repeatBaseline.ranks[0] == 1)
    }
}

@Suite("Next-item checkpoints")
struct NextItemResumeTests {
    @Test("a run resumed from a snapshot ends exactly where the uninterrupted run does", arguments: SequenceEncoderKind.allCases)
    func resume(encoder: SequenceEncoderKind) throws {
        let (split, items) = NextItemTests().plantedSplit(users: 24)
        let data = NextItemData(split: split, items: items, maxLength: 8)
        func fresh() -> NextItemModel {
            var rng = SeededGenerator(seed: 4)
            let table = Embedding(count: data.rows, dimension: 8, std: 0.1, paddingIndex: 0, rng: &rng)
            return NextItemModel(config: NextItemConfig(encoder: encoder, rows: data.rows, dimension: 8, maxLength: 8), items: table, rng: &rng)
        }
        var config = NextItemTrainingConfig()
        config.epochs = 6; config.batchSize = 8; config.evaluateEvery = 2; config.learningRate = 0.01
        let straight = fresh()
        let full = try NextItemTrainer.train(straight, data: data, config: config)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString).warm").path
        struct Interrupted: Error {}
        let interrupted = fresh()
        #expect(throws: Interrupted.self) {  // the process "dies" right after the epoch-3 snapshot
            try NextItemTrainer.train(interrupted, data: data, config: config, snapshot: { state in
                try NextItemArchive.saveSnapshot(interrupted, state: state, keys: data.keys, seed: 0, toolVersion: "test", to: path)
                if state.epoch == 3 { throw Interrupted() }
            })
        }
        let (restored, _, state) = try NextItemArchive.loadSnapshot(path: path)
        #expect(state.epoch == 3)
        let resumed = try NextItemTrainer.train(restored, data: data, config: config, resume: state)
        #expect(resumed.map(\.validationNDCG) == full.map(\.validationNDCG))
        #expect(restored.parameters.map(\.value.scalars) == straight.parameters.map(\.value.scalars))
    }
}
