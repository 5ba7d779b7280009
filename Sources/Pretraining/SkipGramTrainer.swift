import Autograd
import Datasets
import Dispatch
import RealModule

/// What one epoch of skip-gram training did.
public struct EpochReport: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean negative-sampling loss per trained pair.
    public var loss: Double
    /// Corpus tokens processed (before subsampling) in the epoch.
    public var tokens: Int
    /// Wall-clock seconds of the epoch.
    public var seconds: Double
    /// The learning rate at the end of the epoch.
    public var learningRate: Float
}

/// Skip-gram with negative sampling as a fused kernel beside the tape: each
/// (input row, target) pair costs one dot product and two axpys over the
/// vectors, with no allocation. Several threads update the shared tables
/// without locks, as word2vec does; with one thread a run is exactly
/// repeatable from its seed.
public final class SkipGramTrainer: @unchecked Sendable {
    /// The settings.
    public let config: SkipGramConfig
    /// Input vectors (the embeddings), `[keys, dimension]`.
    public private(set) var input: Tensor
    /// Output (context) vectors, kept so training can continue.
    public private(set) var output: Tensor
    private let noise: AliasTable
    private let marketNoise: [AliasTable]
    private let marketOf: [Int32]?
    private let table = SigmoidTable()
    private var generators: [SeededGenerator]
    /// Epochs trained so far.
    public private(set) var epochsDone = 0

    /// A trainer for a vocabulary with these `counts`. Input vectors start
    /// uniform in ±0.5/dimension and output vectors at zero (word2vec's
    /// initialisation). With `markets` (a market id per key), each positive
    /// pair also gets one negative from its target's market (Airbnb).
    public init(config: SkipGramConfig, counts: [Int], markets: [Int32]? = nil) {
        precondition(!counts.isEmpty, "SkipGramTrainer: the vocabulary is empty")
        self.config = config
        var rng = SeededGenerator(seed: config.seed)
        let d = config.dimension
        input = Tensor.uniform(shape: [counts.count, d], low: -0.5 / Float(d), high: 0.5 / Float(d), using: &rng)
        output = Tensor(zeros: [counts.count, d])
        let weights = counts.map { Double.pow(Double(max($0, 0)), config.noiseExponent) }
        noise = AliasTable(weights: weights.contains { $0 > 0 } ? weights : weights.map { _ in 1 })
        marketOf = markets
        if let markets {
            let marketCount = Int(markets.max() ?? -1) + 1
            marketNoise = (0..<marketCount).map { m in
                let w = weights.enumerated().map { markets[$0.offset] == Int32(m) ? $0.element : 0 }
                return AliasTable(weights: w.contains { $0 > 0 } ? w : weights)
            }
        } else {
            marketNoise = []
        }
        generators = (0..<max(config.threads, 1)).map { _ in rng.split() }
    }

    /// One update of input row `row` towards `positive` and away from
    /// `negatives` at learning rate `alpha`; returns the loss before it.
    /// The training loop runs exactly this kernel.
    @discardableResult
    public func step(inputRow row: Int, positive: Int32, negatives: [Int32], learningRate alpha: Float) -> Float {
        let d = config.dimension
        let targets = [positive] + negatives
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: d)
        defer { scratch.deallocate() }
        input.makeUnique(); output.makeUnique()
        return targets.withUnsafeBufferPointer { t in
            SkipGramTrainer.kernel(input: input.storage.pointer + row * d, output: output.storage.pointer, dimension: d,
                                   targets: t.baseAddress!, count: t.count, alpha: alpha, scratch: scratch, table: table)
        }
    }

    /// The fused update: target 0 is the positive, the rest negatives.
    @inline(__always)
    static func kernel(input l1: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, dimension d: Int,
                       targets: UnsafePointer<Int32>, count: Int, alpha: Float,
                       scratch neu1e: UnsafeMutablePointer<Float>, table: SigmoidTable) -> Float {
        for j in 0..<d { neu1e[j] = 0 }
        var loss: Float = 0
        for k in 0..<count {
            let l2 = output + Int(targets[k]) * d
            var f: Float = 0
            for j in 0..<d { f = Relaxed.multiplyAdd(l1[j], l2[j], f) }
            let label: Float = k == 0 ? 1 : 0
            let g = (label - table.sigma(f)) * alpha
            loss += table.softplusOf(k == 0 ? -f : f)
            for j in 0..<d { neu1e[j] += g * l2[j] }
            for j in 0..<d { l2[j] += g * l1[j] }
        }
        for j in 0..<d { l1[j] += neu1e[j] }
        return loss
    }

    /// Trains `corpus` for `config.epochs` epochs (more calls continue
    /// training), calling `progress` after each epoch.
    public func train(_ corpus: SkipGramCorpus, progress: ((EpochReport) -> Void)? = nil) {
        precondition(corpus.keys.count == input.shape[0], "SkipGramTrainer: corpus has \(corpus.keys.count) keys, tables \(input.shape[0])")
        let threads = max(config.threads, 1)
        let blocks = SkipGramTrainer.partition(corpus, parts: threads)
        let keep = SkipGramTrainer.keepProbabilities(corpus, subsample: config.subsample)
        input.makeUnique(); output.makeUnique()
        let inputPointer = input.storage.pointer, outputPointer = output.storage.pointer
        let totalEpochs = epochsDone + config.epochs
        for _ in 0..<config.epochs {
            let epoch = epochsDone
            var losses = [Double](repeating: 0, count: threads), pairs = [Int](repeating: 0, count: threads)
            var lastRate = [Float](repeating: 0, count: threads)
            let start = DispatchTime.now().uptimeNanoseconds
            losses.withUnsafeMutableBufferPointer { lossOut in
                pairs.withUnsafeMutableBufferPointer { pairOut in
                    lastRate.withUnsafeMutableBufferPointer { rateOut in
                        generators.withUnsafeMutableBufferPointer { rngs in
                            let shared = (LockFreeShare(pointer: inputPointer), LockFreeShare(pointer: outputPointer),
                                          LockFreeShare(pointer: rngs.baseAddress!), LockFreeShare(pointer: lossOut.baseAddress!),
                                          LockFreeShare(pointer: pairOut.baseAddress!), LockFreeShare(pointer: rateOut.baseAddress!))
                            DispatchQueue.concurrentPerform(iterations: threads) { t in
                                let result = self.trainBlock(corpus, sentences: blocks[t], keep: keep, input: shared.0.pointer,
                                                             output: shared.1.pointer, epoch: epoch, totalEpochs: totalEpochs,
                                                             rng: &shared.2.pointer[t])
                                shared.3.pointer[t] = result.loss
                                shared.4.pointer[t] = result.pairs
                                shared.5.pointer[t] = result.rate
                            }
                        }
                    }
                }
            }
            epochsDone += 1
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let totalPairs = pairs.reduce(0, +)
            progress?(EpochReport(epoch: epochsDone, loss: losses.reduce(0, +) / Double(max(totalPairs, 1)),
                                  tokens: corpus.tokenCount, seconds: seconds, learningRate: lastRate.min() ?? 0))
        }
    }

    private func trainBlock(_ corpus: SkipGramCorpus, sentences: Range<Int>, keep: [Float]?,
                            input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                            epoch: Int, totalEpochs: Int, rng: inout SeededGenerator) -> (loss: Double, pairs: Int, rate: Float) {
        let d = config.dimension, window = config.window, negatives = config.negatives
        let blockTokens = corpus.offsets[sentences.upperBound] - corpus.offsets[sentences.lowerBound]
        let totalWork = Double(max(blockTokens * totalEpochs, 1))
        var done = Double(blockTokens * epoch)
        let a0 = config.startLearningRate, a1 = config.endLearningRate
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let targets = UnsafeMutablePointer<Int32>.allocate(capacity: negatives + 2)
        defer { scratch.deallocate(); targets.deallocate() }
        var sentence = [Int32]()
        var loss: Double = 0, pairs = 0
        var alpha = a0
        for s in sentences {
            let from = corpus.offsets[s], to = corpus.offsets[s + 1]
            alpha = max(a1, a0 - (a0 - a1) * Float(done / totalWork))
            done += Double(to - from)
            sentence.removeAll(keepingCapacity: true)
            for k in from..<to {
                let id = corpus.tokens[k]
                if let keep, keep[Int(id)] < 1, rng.nextUnitFloat() >= keep[Int(id)] { continue }
                sentence.append(id)
            }
            let context = corpus.globalContext?[s] ?? -1
            for i in sentence.indices {
                let reduced = config.shrinkWindow ? rng.nextInt(below: window) : 0
                let lo = max(0, i - window + reduced), hi = min(sentence.count - 1, i + window - reduced)
                let center = sentence[i]
                for c in lo...hi where c != i {
                    let count = fillTargets(targets, positive: center, negatives: negatives, rng: &rng)
                    loss += Double(SkipGramTrainer.kernel(input: input + Int(sentence[c]) * d, output: output, dimension: d,
                                                          targets: targets, count: count, alpha: alpha, scratch: scratch, table: table))
                    pairs += 1
                }
                if context >= 0 && context != center {
                    let count = fillTargets(targets, positive: context, negatives: negatives, rng: &rng)
                    loss += Double(SkipGramTrainer.kernel(input: input + Int(center) * d, output: output, dimension: d,
                                                          targets: targets, count: count, alpha: alpha, scratch: scratch, table: table))
                    pairs += 1
                }
            }
        }
        return (loss, pairs, alpha)
    }

    /// Writes the positive, then negatives that differ from it (plus one
    /// from the positive's market when markets are set); returns the count.
    @inline(__always)
    private func fillTargets(_ targets: UnsafeMutablePointer<Int32>, positive: Int32, negatives: Int,
                             rng: inout SeededGenerator) -> Int {
        targets[0] = positive
        var count = 1
        for _ in 0..<negatives {
            let n = noise.sample(&rng)
            if n != positive { targets[count] = n; count += 1 }
        }
        if let marketOf {
            let n = marketNoise[Int(marketOf[Int(positive)])].sample(&rng)
            if n != positive { targets[count] = n; count += 1 }
        }
        return count
    }

    /// word2vec's keep probability per id: (√(f/(s·N)) + 1)·(s·N)/f, capped at 1.
    static func keepProbabilities(_ corpus: SkipGramCorpus, subsample: Double) -> [Float]? {
        guard subsample > 0 else { return nil }
        let threshold = subsample * Double(corpus.tokenCount)
        return corpus.counts.map { c in
            guard c > 0 else { return 1 }
            let f = Double(c)
            return Float(min(1, ((f / threshold).squareRoot() + 1) * threshold / f))
        }
    }

    /// Contiguous blocks of sentences with about the same number of tokens.
    static func partition(_ corpus: SkipGramCorpus, parts: Int) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var start = 0
        for p in 1...parts {
            let goal = corpus.tokenCount * p / parts
            var end = start
            while end < corpus.sentenceCount && (corpus.offsets[end + 1] <= goal || p == parts) { end += 1 }
            blocks.append(start..<end)
            start = end
        }
        return blocks
    }
}

/// Exposes internal figures of the trainer to tests.
public enum SkipGramTrainerProbe {
    /// The keep probability of id 0 under `subsample`.
    public static func keep(_ corpus: SkipGramCorpus, subsample: Double) -> Float {
        SkipGramTrainer.keepProbabilities(corpus, subsample: subsample)?[0] ?? 1
    }
}
