import Archive
import Autograd
import Datasets
import Pretraining
import Testing

@Suite("Sessions, walks and matrix factorization recover planted structure")
struct CorpusTests {
    /// Users who each watch only cluster-a or only cluster-b items, an hour apart in bursts.
    func plantedInteractions() -> Interactions {
        var rng = SeededGenerator(seed: 4)
        var users = Vocabulary(), items = Vocabulary()
        var u: [Int32] = [], i: [Int32] = [], r: [Float] = [], t: [Double] = []
        for user in 0..<120 {
            let prefix = user % 2 == 0 ? "a" : "b"
            var time = 0.0
            for k in 0..<30 {
                u.append(users.add("u\(user)")); i.append(items.add(prefix + String(rng.nextInt(below: 10))))
                r.append(Float(k % 5 == 4 ? 5 : 3)); time += k % 6 == 5 ? 7200 : 60; t.append(time)
            }
        }
        return Interactions(users: u, items: i, ratings: r, timestamps: t, weights: nil,
                            userVocabulary: users, itemVocabulary: items, source: "planted")
    }

    func config() -> SkipGramConfig {
        var c = SkipGramConfig()
        c.dimension = 16; c.epochs = 5; c.threads = 1; c.minimumCount = 1; c.subsample = 0
        return c
    }

    @Test("sessions: cut at the gap, conversions as global context, clusters recovered")
    func sessions() throws {
        let split = LeaveLastOutSplit(plantedInteractions())
        let sessions = SequenceBuilder.sessions(split, maximumGap: 1800, conversionMinimumRating: 5)
        #expect(sessions.count > 120 && sessions.allSatisfy { $0.items.count <= 6 })
        let data = plantedInteractions()
        let corpus = Corpora.sessions(sessions, items: data.itemVocabulary)
        #expect(corpus.globalContext!.contains { $0 >= 0 })
        let t = SkipGramTrainer(config: config(), counts: corpus.counts)
        t.train(corpus)
        #expect(clusterPurity(try KeyedEmbeddings(keys: corpus.keys, vectors: t.input)) > 0.95)
    }

    @Test("walks: weighted (DeepWalk) and biased (node2vec) walks stay on the graph and recover clusters")
    func walks() throws {
        let data = plantedInteractions()
        let split = LeaveLastOutSplit(data)
        let graph = TransitionGraph(sequences: split.train, nodeCount: data.itemCount)
        for (p, q) in [(1.0, 1.0), (0.5, 2.0)] {
            var walker = RandomWalks()
            walker.walksPerNode = 5; walker.walkLength = 10; walker.p = p; walker.q = q
            let walks = walker.walks(on: graph)
            #expect(walks.count == 5 * 20 && walks.allSatisfy { $0.count == 10 })
            for w in walks { for (a, b) in zip(w, w.dropFirst()) { #expect(graph.neighbours(of: Int(a)).contains { $0.target == b }) } }
            let corpus = SkipGramCorpus(sentences: walks.map { $0.map { data.itemVocabulary.key(at: $0) } }, minimumCount: 1)
            let t = SkipGramTrainer(config: config(), counts: corpus.counts)
            t.train(corpus)
            #expect(clusterPurity(try KeyedEmbeddings(keys: corpus.keys, vectors: t.input)) > 0.95, "p \(p) q \(q)")
        }
    }

    @Test("matrix factorization and its feed-forward variant fit planted ratings; items cluster by taste")
    func matrixFactorization() throws {
        var rng = SeededGenerator(seed: 6)
        var u: [Int32] = [], i: [Int32] = [], r: [Float] = []
        for user in 0..<200 {
            for _ in 0..<20 {
                let item = rng.nextInt(below: 20)
                u.append(Int32(user)); i.append(Int32(item))
                r.append((user % 2 == 0) == (item < 10) ? 5 : 1)
            }
        }
        let data = RatingTriples(users: u, items: i, ratings: r)
        var config = RatingTrainingConfig()
        config.batchSize = 256; config.epochs = 30; config.learningRate = 0.02
        let mf = MatrixFactorization(userCount: 200, itemCount: 20, dimension: 8, std: 0.1, globalMean: data.mean, rng: &rng)
        let reports = try RatingTrainer.train(mf, data: data, config: config, regularizer: Regularizers.l2(1e-5))
        #expect(reports.last!.loss < reports.first!.loss)
        #expect(RatingTrainer.rootMeanSquaredError(mf, data) < 0.3)
        let keys = (0..<20).map { $0 < 10 ? "a\($0)" : "b\($0)" }
        #expect(clusterPurity(try KeyedEmbeddings(keys: keys, vectors: mf.items.table.value)) > 0.95)
        let ff = FeedForwardRecommender(userCount: 200, itemCount: 20, dimension: 8, hidden: [16], std: 0.1, globalMean: data.mean, rng: &rng)
        try RatingTrainer.train(ff, data: data, config: config, regularizer: Regularizers.none)
        #expect(RatingTrainer.rootMeanSquaredError(ff, data) < 0.5)
    }

    @Test("an averaged factorization scores exactly the mean of its members' scores")
    func averaging() {
        let members = (0..<3).map { k -> MatrixFactorization in
            var rng = SeededGenerator(seed: 40 + UInt64(k))
            let mf = MatrixFactorization(userCount: 5, itemCount: 4, dimension: 3, std: 0.5, globalMean: 3 + Float(k) * 0.1, rng: &rng)
            mf.userBias.table.value = .uniform(shape: [5, 1], low: -1, high: 1, using: &rng)
            mf.itemBias.table.value = .uniform(shape: [4, 1], low: -1, high: 1, using: &rng)
            return mf
        }
        let users: [Int32] = [0, 1, 2, 3, 4, 0, 2], items: [Int32] = [0, 1, 2, 3, 3, 2, 0]
        let scores = { (mf: MatrixFactorization) in mf.score(users: users, items: items, on: Tape()).scores.value.scalars }
        let mean = (0..<users.count).map { k in members.map { scores($0)[k] }.reduce(0, +) / 3 }
        let averaged = MatrixFactorization.averaging(members)
        #expect(averaged.items.table.value.shape == [4, 9])
        #expect(zip(scores(averaged), mean).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("SVD++ scores μ + b_u + b_i + q_i·(p_u + |N(u)|^-½ Σ y_j) by hand, its average scores the members' mean, and it fits planted ratings")
    func implicitFeedback() throws {
        let rated: [[Int32]] = [[0, 2], [1], [0, 1, 2, 3]]
        var rng = SeededGenerator(seed: 50)
        let members = (0..<2).map { _ in
            ImplicitFeedbackFactorization(ratedItems: rated, itemCount: 4, dimension: 3, std: 0.5, globalMean: 3.5, rng: &rng)
        }
        let model = members[0]
        model.base.userBias.table.value = .uniform(shape: [3, 1], low: -1, high: 1, using: &rng)
        model.base.itemBias.table.value = .uniform(shape: [4, 1], low: -1, high: 1, using: &rng)
        let users: [Int32] = [0, 2, 1, 0], items: [Int32] = [1, 3, 0, 2]
        let (scores, rows) = model.score(users: users, items: items, on: Tape())
        #expect(rows.count == 5 && rows[4].shape == [4, 3])  // every distinct implicit row the batch used, once
        let p = model.base.users.table.value.scalars, q = model.base.items.table.value.scalars, y = model.implicitItems.table.value.scalars
        let bu = model.base.userBias.table.value.scalars, bi = model.base.itemBias.table.value.scalars
        for (k, (u, i)) in zip(users, items).enumerated() {
            let n = rated[Int(u)], norm = 1 / Double(n.count).squareRoot()
            var expected = 3.5 + Double(bu[Int(u)] + bi[Int(i)])
            for d in 0..<3 {
                let user = Double(p[Int(u) * 3 + d]) + norm * n.reduce(0.0) { $0 + Double(y[Int($1) * 3 + d]) }
                expected += Double(q[Int(i) * 3 + d]) * user
            }
            #expect(abs(Double(scores.value[flat: k]) - expected) < 1e-5, "example \(k)")
        }
        let check = try GradientCheck.check(parameters: model.parameters, step: 1e-2) { tape in
            tape.sum(tape.square(model.score(users: users, items: items, on: tape).scores))
        }
        #expect(check.maxRelativeError < 5e-3, "\(check)")
        let mean = (0..<users.count).map { k in members.map { $0.score(users: users, items: items, on: Tape()).scores.value[flat: k] }.reduce(0, +) / 2 }
        let averaged = ImplicitFeedbackFactorization.averaging(members).score(users: users, items: items, on: Tape()).scores.value
        #expect((0..<users.count).allSatisfy { abs(averaged[flat: $0] - mean[$0]) < 1e-5 })

        // Planted tastes (as for plain MF): SVD++ fits them too.
        var u: [Int32] = [], i: [Int32] = [], r: [Float] = []
        for user in 0..<200 {
            for _ in 0..<20 {
                let item = rng.nextInt(below: 20)
                u.append(Int32(user)); i.append(Int32(item)); r.append((user % 2 == 0) == (item < 10) ? 5 : 1)
            }
        }
        let data = RatingTriples(users: u, items: i, ratings: r)
        var config = RatingTrainingConfig()
        config.batchSize = 256; config.epochs = 30; config.learningRate = 0.02
        let svdpp = ImplicitFeedbackFactorization(ratedItems: ImplicitFeedbackFactorization.ratedItems(data, userCount: 200), itemCount: 20,
                                                  dimension: 8, std: 0.1, globalMean: data.mean, rng: &rng)
        try RatingTrainer.train(svdpp, data: data, config: config, regularizer: Regularizers.l2(1e-5))
        #expect(RatingTrainer.rootMeanSquaredError(svdpp, data) < 0.3)
    }

    @Test("the regularizer is a function: L2 adds weight × Σ squares of the touched rows")
    func regularizer() {
        let tape = Tape()
        let rows = [tape.constant(Tensor(shape: [1, 2], scalars: [1, 2])), tape.constant(Tensor(shape: [2, 1], scalars: [3, 0]))]
        #expect(abs(Regularizers.l2(0.5)(tape, rows).value.scalar - 7) < 1e-6)
        #expect(Regularizers.none(tape, rows).value.scalar == 0)
    }
}

@Suite("Small corpora")
struct SmallCorpusNoteTests {
    @Test("word2vec's note fires under a million tokens when the epochs see under 5 million, and suggests enough epochs (at most 50)")
    func note() throws {
        let w3 = SkipGramConfig.w3  // 5 epochs
        #expect(w3.smallCorpusNote(tokens: 2_000_000) == nil)
        let note = try #require(w3.smallCorpusNote(tokens: 250_000))
        #expect(note.contains("--epochs 20"))  // 250k x 20 = 5M
        #expect(try #require(w3.smallCorpusNote(tokens: 62_674)).contains("--epochs 50"))  // capped
        var many = w3
        many.epochs = 25
        #expect(many.smallCorpusNote(tokens: 250_000) == nil)  // 6.25M already
    }
}
