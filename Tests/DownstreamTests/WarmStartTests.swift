import Archive
import Autograd
import Downstream
import Foundation
import Layers
import Testing

@Suite("Warm start and the classifier")
struct WarmStartTests {
    let archive = try! KeyedEmbeddings(keys: ["good", "bad", "free", "win"],
                                       vectors: Tensor(shape: [4, 2], scalars: [1, 0, -1, 0, 0, 1, 0, -1]))

    @Test("rows are aligned by key, coverage counts task keys only, missing keys follow the policy")
    func alignment() throws {
        var rng = SeededGenerator(seed: 1)
        let keys = ["<unk>", "win", "hello", "good"]
        // The same rows shifted by (2, 1): a mean that neither zero nor a draw around zero can pass for.
        let shifted = try KeyedEmbeddings(keys: archive.keys, vectors: Tensor(shape: [4, 2], scalars: [3, 1, 1, 1, 2, 2, 2, 0]))
        for policy in MissingKeyPolicy.allCases {
            let (e, report) = try WarmStart.embedding(keys: keys, paddingRow: nil, unknownRow: 0, archive: shifted, dimension: 2,
                                                      mode: .frozen, missing: policy, rng: &rng)
            #expect(report.taskKeys == 3 && report.found == 2 && abs(report.coverage - 2.0 / 3.0) < 1e-9)
            #expect(e.table.value[1, 0] == 2 && e.table.value[1, 1] == 0 && e.table.value[3, 0] == 3 && e.table.value[3, 1] == 1)
            #expect(e.table.rowLearningRateScale == [1, 0, 1, 0])
            let missingRows = [0, 2].map { [e.table.value[$0, 0], e.table.value[$0, 1]] }  // the unknown row and "hello"
            switch policy {
            case .zero: #expect(missingRows == [[0, 0], [0, 0]])
            case .mean: #expect(missingRows == [[2, 1], [2, 1]])
            case .random:
                // Drawn around zero with the archive's spread (std 0.707 here): distinct, and neither the mean nor zero.
                #expect(missingRows[0] != missingRows[1] && !missingRows.contains([2, 1]) && !missingRows.contains([0, 0]))
                #expect(missingRows.joined().allSatisfy { abs($0) < 5 * 0.7072 })
            }
        }
        let slow = try WarmStart.embedding(keys: keys, paddingRow: nil, unknownRow: 0, archive: archive, dimension: 2,
                                           mode: .finetunedSlow, slowScale: 0.25, rng: &rng).0
        #expect(slow.table.rowLearningRateScale == [1, 0.25, 1, 0.25])
        #expect(throws: ArchiveError.self) {
            _ = try WarmStart.embedding(keys: keys, paddingRow: nil, archive: archive, dimension: 3, mode: .finetuned, rng: &rng)
        }
        #expect(throws: ArchiveError.self) {
            _ = try WarmStart.embedding(keys: keys, paddingRow: nil, archive: nil, dimension: 2, mode: .frozen, rng: &rng)
        }
    }

    /// A tiny binary text task: "win"/"free" mean spam.
    func tinyTask() -> ClassificationTask {
        var rng = SeededGenerator(seed: 2)
        let keys = ["<unk>", "win", "free", "good", "hello", "new"]
        func example() -> ([Int32], [Float]) {
            let spam = rng.nextInt(below: 2) == 1
            var bag: [Int32] = [Int32(3 + rng.nextInt(below: 3))]
            if spam { bag.append(Int32(1 + rng.nextInt(below: 2))) }
            return (bag, [spam ? 1 : 0])
        }
        func examples(_ n: Int) -> ClassificationExamples {
            let e = (0..<n).map { _ in example() }
            return ClassificationExamples(bags: e.map(\.0), targets: e.map(\.1))
        }
        return ClassificationTask(name: "tiny", head: .binary, labels: ["ham", "spam"], keys: keys, unknownRow: 0,
                                  fit: examples(300), validation: examples(60), test: examples(100), trainingTexts: [], textNGrams: 1)
    }

    @Test("frozen rows keep their pretrained values, new rows train, and the model learns")
    func frozenRowsUnchanged() throws {
        var config = ClassificationRunConfig()
        config.start = .frozen; config.dimension = 2; config.hidden = [8]
        config.training.epochs = 20; config.training.learningRate = 0.01
        let result = try ClassificationRunner.run(tinyTask(), archive: archive, config: config)
        let table = result.model.bag.embedding.table.value
        #expect(table[1, 0] == 0 && table[1, 1] == -1 && table[2, 0] == 0 && table[2, 1] == 1 && table[3, 0] == 1 && table[3, 1] == 0)
        #expect(result.warmStart.found == 3)
        var rng = SeededGenerator(seed: 0)
        let fresh = try WarmStart.embedding(keys: tinyTask().keys, paddingRow: nil, unknownRow: 0, archive: archive, dimension: 2,
                                            mode: .frozen, rng: &rng).0
        #expect(table[4, 0] != fresh.table.value[4, 0] || table[5, 0] != fresh.table.value[5, 0])
        #expect(result.binary!.accuracy > 0.95, "accuracy \(result.binary!.accuracy)")
    }

    @Test("a saved classifier reloads and predicts bit-identically; other archives are refused")
    func saveLoad() throws {
        var config = ClassificationRunConfig()
        config.dimension = 4; config.training.epochs = 2
        let result = try ClassificationRunner.run(tinyTask(), archive: nil, config: config)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clf-\(UUID().uuidString).warm").path
        try ClassifierArchive.save(result.model, keys: tinyTask().keys, reserved: [0: .unknown], metrics: nil, seed: 0, data: nil,
                                   toolVersion: "test", to: path)
        let (loaded, vocabulary) = try ClassifierArchive.load(path: path)
        let bags = Bags([[1, 3], [4], [], [2, 2, 5]])
        #expect(loaded.probabilities(bags).scalars == result.model.probabilities(bags).scalars)
        #expect(loaded.config == result.model.config && vocabulary.unknownRow == 0)
        let embeddings = path + ".emb.warm"
        try WarmArchive.write(ArchiveContents(manifest: ArchiveManifest(kind: "embeddings", method: "x", seed: 0, threads: 1, toolVersion: "t"),
                                              vocabulary: ArchiveVocabulary(keys: ["a"]), tensors: ["vectors": Tensor(zeros: [1, 2])]), to: embeddings)
        #expect(throws: ArchiveError.self) { _ = try ClassifierArchive.load(path: embeddings) }
    }

    @Test("label fractions are stratified subsets of the training examples")
    func labelFraction() {
        let task = tinyTask()
        let small = task.withLabelFraction(0.1, seed: 3)
        #expect(small.fit.count < task.fit.count / 5 && Set(small.fit.targets.map { $0[0] }) == [0, 1])
        #expect(small.test.count == task.test.count)
    }
}
