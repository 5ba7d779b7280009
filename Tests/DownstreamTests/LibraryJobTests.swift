import Archive
import Autograd
import Datasets
import Downstream
import Evaluation
import Foundation
import Layers
import Pretraining
import Testing

/// The pieces of the library the CLI's commands now only call: checked on
/// small data against what they must equal.
@Suite("Library jobs: scoring, recommending, predicting, split files and data sources")
struct LibraryJobTests {
    private func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    @Test("a factorization's scores of every item are μ + b_u + b_i + p_u·q_i, computed by hand")
    func scoresOfAllItems() {
        var rng = SeededGenerator(seed: 1)
        let mf = MatrixFactorization(userCount: 3, itemCount: 4, dimension: 2, std: 0.5, globalMean: 0.25, rng: &rng)
        mf.userBias.table.value[flat: 1] = 0.5
        mf.itemBias.table.value[flat: 2] = -1
        var scores: [Float] = []
        mf.scoresOfAllItems(user: 1, into: &scores)
        let p = mf.users.table.value, q = mf.items.table.value
        let expected = (0..<4).map { i in 0.25 + 0.5 + (i == 2 ? -1 : 0) + p[1, 0] * q[i, 0] + p[1, 1] * q[i, 1] }
        #expect(scores.count == 4)
        for i in 0..<4 { #expect(abs(scores[i] - expected[i]) < 1e-6, "item \(i): \(scores[i]) vs \(expected[i])") }
    }

    @Test("a factorization's block ranking gives the ranks of its scores of every item, user by user")
    func factorizationRanking() throws {
        var rng = SeededGenerator(seed: 3)
        var uv = Vocabulary(), iv = Vocabulary()
        var users: [Int32] = [], items: [Int32] = [], times: [Double] = []
        for user in 0..<30 { for k in 0..<6 { users.append(uv.add("u\(user)")); items.append(iv.add("i\(rng.nextInt(below: 25))")); times.append(Double(k)) } }
        let split = LeaveLastOutSplit(Interactions(users: users, items: items, ratings: nil, timestamps: times, weights: nil,
                                                   userVocabulary: uv, itemVocabulary: iv, source: "seeded"))
        let mf = MatrixFactorization(userCount: uv.count, itemCount: iv.count, dimension: 3, std: 0.5, globalMean: 0.25, rng: &rng)
        for u in 0..<uv.count { mf.userBias.table.value[flat: u] = Float(u % 3) }
        for i in 0..<iv.count { mf.itemBias.table.value[flat: i] = Float(i % 4) * 0.3 }
        for target in [FullRankingEvaluation.Target.test, .validation] {
            let slow = FullRankingEvaluation.evaluate(split: split, target: target) { user, _, scores in
                mf.scoresOfAllItems(user: user, into: &scores)
                return true
            }
            #expect(mf.rankTargets(split: split, target: target).ranks == slow.ranks)
        }
    }

    @Test("the recommender ranks by the model's last-position scores and leaves out the history")
    func recommender() throws {
        var rng = SeededGenerator(seed: 2)
        let config = NextItemConfig(encoder: .gru, rows: 9, dimension: 8, maxLength: 4)
        let model = NextItemModel(config: config, items: Embedding(count: 9, dimension: 8, std: 0.3, paddingIndex: 0, rng: &rng), rng: &rng)
        let keys = ["<pad>"] + (1...8).map { "k\($0)" }
        let path = temporary("next.warm")
        try NextItemArchive.save(model, keys: keys, metrics: nil, seed: 2, data: nil, to: path)
        let recommender = try NextItemRecommender(path: path)
        #expect(recommender.unknownKeys(["k1", "nope", "<pad>"]) == ["nope", "<pad>"])
        let shown = recommender.recommend(after: ["k1", "nope", "k3"], k: 4)
        let scores = NextItemTrainer.lastPositionScores(model, histories: [[0, 0, 1, 3]]).scalars
        let expected = (1...8).filter { $0 != 1 && $0 != 3 }.sorted { scores[$0] > scores[$1] }.prefix(4).map { "k\($0)" }
        #expect(shown.map(\.key) == expected)
        #expect(recommender.recommend(after: ["k1", "k3"], k: 20, keepSeen: true).count == 8)
        let (_, notes) = try recommender.lines(forList: "k1,nope", k: 3)
        #expect(notes == ["ignored 1 unknown item(s): nope"])
    }

    @Test("a recommender's titles: the file asked for (a bad one refused by name), ml-100k's only for a model trained on ml-100k")
    func recommenderTitles() throws {
        var rng = SeededGenerator(seed: 4)
        let config = NextItemConfig(encoder: .gru, rows: 3, dimension: 4, maxLength: 2)
        let model = NextItemModel(config: config, items: Embedding(count: 3, dimension: 4, std: 0.3, paddingIndex: 0, rng: &rng), rng: &rng)
        let cache = DataCache(root: temporary("cache"))
        try FileManager.default.createDirectory(atPath: cache.path("ml-100k"), withIntermediateDirectories: true)
        try "item_id:token\tmovie_title:token_seq\tclass:token_seq\n1\tToy Story\tAnimation\n".write(toFile: cache.path("ml-100k/ml-100k.item"), atomically: true, encoding: .utf8)
        var titled: [String: String?] = [:], recommenders: [NextItemRecommender] = []
        for name in ["ml-100k", "mine.inter"] {
            let path = temporary("\(name).warm")
            try NextItemArchive.save(model, keys: ["<pad>", "1", "2"], metrics: nil, seed: 4, data: .init(name: name, fingerprint: "f", split: "s"), to: path)
            let recommender = try NextItemRecommender(path: path)
            #expect(recommender.trainedOn?.name == name)
            titled[name] = try recommender.catalog(path: nil, cache: cache)?.titles["1"]
            recommenders.append(recommender)
        }
        #expect(titled["ml-100k"] == "Toy Story" && titled["mine.inter"] == .some(nil))
        let bad = temporary("bad.item")
        try "no header here\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let recommender = recommenders[0]
        #expect(throws: (any Error).self) { try recommender.catalog(path: bad, cache: cache) }
    }

    @Test("the predictor calls spam exactly when the positive probability reaches the saved threshold")
    func predictor() throws {
        var rng = SeededGenerator(seed: 3)
        var config = ClassifierConfig(head: .binary, labels: ["ham", "spam"], dimension: 4, hidden: [], threshold: 0.5)
        config.textNGrams = 1
        let model = Classifier(config: config, embedding: Embedding(count: 4, dimension: 4, std: 1, rng: &rng), rng: &rng)
        let path = temporary("classifier.warm")
        try ClassifierArchive.save(model, keys: ["<unk>", "free", "prize", "lunch"], reserved: [0: .unknown], metrics: nil, seed: 3, data: nil, to: path)
        let predictor = try ClassifierPredictor(path: path)
        #expect(predictor.bag(text: "free lunch zebra") == [1, 3, 0])
        let bags: [[Int32]] = [[1, 2], [3], [0]]
        let p = model.probabilities(Bags(bags))
        for (row, prediction) in predictor.predict(bags).enumerated() {
            #expect(prediction.probabilities[1] == p[row, 0] && abs(prediction.probabilities[0] + prediction.probabilities[1] - 1) < 1e-6)
            #expect(prediction.call == (p[row, 0] >= 0.5 ? "spam" : "ham"))
        }
        #expect(throws: DatasetError.self) { try predictor.lines(texts: [], items: nil) }
        let (lines, notes) = try predictor.lines(texts: ["free prize"], items: nil)
        #expect(lines.count == 1 && lines[0].hasSuffix("free prize") && notes.isEmpty)
    }

    @Test("leave-last-out split files hold exactly the split's parts, in the split's order")
    func splitFiles() throws {
        var text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for (user, count) in [(1, 5), (2, 2), (3, 3)] { for k in 0..<count { text += "u\(user)\ti\(k * 3 + user)\t4\t\(100 - k)\n" } }
        let input = temporary("small.inter")
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let data = try Interactions.read(path: input, layout: .recBole, columns: .recBole)
        let folder = temporary("splits")
        let written = try SplitFiles.write(data, kind: .leaveLastOut, to: folder)
        // u1: 5 events (train 3, validation, test); u2: 2 (both train); u3: 3 (train 1, validation, test)
        #expect(written.map(\.count) == [6, 2, 2])
        let split = LeaveLastOutSplit(data)
        let test = try String(contentsOfFile: folder + "/test.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(test.map { String($0.split(separator: "\t")[1]) } == split.test.compactMap { $0 }.map { data.itemVocabulary.key(at: $0) })
        // u1's lines run backwards in time: its test target is its first line (timestamp 100)
        #expect(test.first?.hasPrefix("u1\ti1\t") == true)
    }

    @Test("several text sources join in order, and a folder or missing file is refused by name")
    func textSources() throws {
        let a = temporary("a.txt"), b = temporary("b.txt")
        try "one\ntwo\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "three\n".write(toFile: b, atomically: true, encoding: .utf8)
        let joined = try DataSource.textLines([DataSource(a), DataSource(b)])
        #expect(joined.lines == ["one", "two", "three"])
        #expect(joined.name.contains(" + ") && joined.fingerprint.split(separator: "+").count == 2)
        #expect(throws: DatasetError.self) { try DataSource(FileManager.default.temporaryDirectory.path).textLines() }
        #expect(throws: DatasetError.self) { try DataSource(temporary("missing.inter")).interactions() }
    }

    /// A RecBole log where user u views items u, u + 1, … (mod 12) in turn, read back as interactions.
    func cycleLog(users: Int, events: Int, name: String) throws -> LoadedInteractions {
        var text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<users { for k in 0..<events { text += "u\(user)\ti\((user + k) % 12)\t4\t\(k)\n" } }
        let input = temporary(name)
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        return try DataSource(input).interactions()
    }

    @Test("a next-item model archive records the whole run configuration it was trained with, and evaluating it gives the run's figures")
    func recordedSettings() throws {
        let loaded = try cycleLog(users: 30, events: 8, name: "cycles.inter")
        var config = NextItemRunConfig()
        config.encoder = .sasrec; config.dimension = 8; config.maxLength = 6; config.dropout = 0.1; config.seed = 9
        config.training.epochs = 2; config.training.evaluateEvery = 1; config.training.loss = .sampledSoftmax(negatives: 5)
        config.training.threads = 0
        #expect(throws: DatasetError.self) { try NextItemRunner.train(loaded, archive: nil, config: config) }
        config.training.threads = 1
        let path = temporary("recorded.warm")
        let metrics = try NextItemRunner.train(loaded, archive: nil, config: config, files: NextItemFiles(model: path))
        var recorded = config
        recorded.training.learningRate = 0.003  // the rate the run chose is written down, not "none named"
        #expect(try NextItemArchive.settings(path: path) == recorded)
        #expect(metrics["learning_rate"] == .number(Double(Float(0.003))))
        let evaluated = try NextItemRunner.evaluate(modelAt: path, on: loaded, keepSeen: false)
        #expect(evaluated["test_hr@10"] == metrics["test_hr@10"] && evaluated["test_ndcg@10"] == metrics["test_ndcg@10"])
    }

    @Test("`auto` gives a warm start's rows length 1 for SASRec and keeps them as stored for the GRU")
    func sasrecWarmStartRowsAreUnit() throws {
        let loaded = try cycleLog(users: 10, events: 6, name: "rescale.inter")
        let data = NextItemData(split: try LeaveLastOutSplit(checking: loaded.data), items: loaded.data.itemVocabulary, maxLength: 6)
        var rng = SeededGenerator(seed: 4)
        let rows = (0..<12 * 8).map { i in rng.nextNormal() * Float(1 + i / 8) }  // rows of growing length, as popular items get
        let archive = try KeyedEmbeddings(keys: (0..<12).map { "i\($0)" }, vectors: Tensor(shape: [12, 8], scalars: rows))
        func rowLengths(_ encoder: SequenceEncoderKind) throws -> [Float] {
            var config = NextItemRunConfig()
            config.encoder = encoder; config.start = .finetuned
            #expect(config.rescale == .auto)
            let table = try NextItemRunner.model(for: data, archive: archive, config: config).0.items.table.value.scalars
            return (1..<data.rows).map { r in table[(r * 8)..<(r * 8 + 8)].reduce(0) { $0 + $1 * $1 }.squareRoot() }
        }
        #expect(try rowLengths(.sasrec).allSatisfy { abs($0 - 1) < 1e-5 })
        let stored = (0..<12).map { r in rows[(r * 8)..<(r * 8 + 8)].reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(Set(try rowLengths(.gru).map { ($0 * 1e4).rounded() }) == Set(stored.map { ($0 * 1e4).rounded() }))
    }

    @Test("a named learning rate wins; unnamed, a run trains at 0.003, or 0.001 for a GRU started from an archive (W5/W6 as written: 0.001); dropout 0.2 unless named")
    func learningRateDefaults() throws {
        var config = NextItemRunConfig()
        #expect(config.learningRate == 0.003)
        config.start = .finetuned
        #expect(config.learningRate == 0.001)
        config.encoder = .sasrec
        #expect(config.learningRate == 0.003)
        config.training.learningRate = 0.02
        #expect(config.learningRate == 0.02)
        #expect(NextItemRunConfig.asWritten(.gru).learningRate == 0.001 && NextItemRunConfig.asWritten(.sasrec).learningRate == 0.001)
        // Dropout: 0.2 unless named; W5 as written has none, W6 0.2; the model gets the resolved figure.
        #expect(NextItemRunConfig().modelDropout == 0.2 && NextItemRunConfig.asWritten(.gru).modelDropout == 0)
        #expect(NextItemRunConfig.asWritten(.sasrec).modelDropout == 0.2)
        // The run trains at the rate it reports: unnamed and 0.003 named give the same losses, 0.001 others.
        let loaded = try cycleLog(users: 12, events: 8, name: "rates.inter")
        let data = NextItemData(split: try LeaveLastOutSplit(checking: loaded.data), items: loaded.data.itemVocabulary, maxLength: 6)
        func losses(_ rate: Float?) throws -> [Double] {
            var run = NextItemRunConfig()
            run.dimension = 8; run.maxLength = 6; run.training.epochs = 3; run.training.learningRate = rate
            return try NextItemRunner.run(data, archive: nil, config: run).epochs.map(\.loss)
        }
        #expect(try losses(nil) == losses(0.003))
        #expect(try losses(nil) != losses(0.001))
        let loadedModel = try cycleLog(users: 4, events: 8, name: "dropout.inter")
        let small = NextItemData(split: try LeaveLastOutSplit(checking: loadedModel.data), items: loadedModel.data.itemVocabulary, maxLength: 6)
        var plain = NextItemRunConfig()
        plain.dimension = 8; plain.maxLength = 6
        #expect(try NextItemRunner.model(for: small, archive: nil, config: plain).0.config.dropout == 0.2)
        plain.dropout = 0
        #expect(try NextItemRunner.model(for: small, archive: nil, config: plain).0.config.dropout == 0)
    }
}
