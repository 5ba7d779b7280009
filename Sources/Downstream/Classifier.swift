import Autograd
import Layers

/// What a classifier predicts.
public enum ClassifierHead: String, Sendable, Codable {
    /// One logit, sigmoid: spam or not.
    case binary
    /// One logit per class, softmax: exactly one class.
    case multiclass
    /// One logit per label, sigmoid each: any number of labels (genres).
    case multilabel
}

/// Everything needed to rebuild a classifier, saved beside its weights.
public struct ClassifierConfig: Sendable, Codable, Equatable {
    /// The prediction head.
    public var head: ClassifierHead
    /// Label names (binary: the negative then the positive label).
    public var labels: [String]
    /// Embedding width.
    public var dimension: Int
    /// Hidden layer widths of the MLP after the bag.
    public var hidden: [Int]
    /// Dropout after each hidden activation.
    public var dropout: Float
    /// How a bag's rows combine.
    public var bagMode: Tape.BagMode
    /// Width of a linear projection after the bag (for archives of another dimension), if any.
    public var projection: Int?
    /// Extra dense features concatenated after the bag.
    public var denseFeatures: Int
    /// Decision threshold of the binary head (chosen on validation data).
    public var threshold: Float
    /// The tokenizer's n-gram size for text tasks (1 = words), or nil for item bags.
    public var textNGrams: Int?

    /// A configuration.
    public init(head: ClassifierHead, labels: [String], dimension: Int, hidden: [Int] = [64], dropout: Float = 0,
                bagMode: Tape.BagMode = .mean, projection: Int? = nil, denseFeatures: Int = 0, threshold: Float = 0.5,
                textNGrams: Int? = nil) {
        self.head = head
        self.labels = labels
        self.dimension = dimension
        self.hidden = hidden
        self.dropout = dropout
        self.bagMode = bagMode
        self.projection = projection
        self.denseFeatures = denseFeatures
        self.threshold = threshold
        self.textNGrams = textNGrams
    }

    /// Logits per example.
    public var outputs: Int { head == .binary ? 1 : labels.count }
}

/// Bags of ids in the flat form embedding bags take.
public struct Bags: Sendable {
    /// All ids back to back.
    public var ids: [Int32]
    /// Bag b starts at offsets[b].
    public var offsets: [Int]
    /// A weight per id, if any.
    public var weights: [Float]?

    /// Flattens `bags` (and their per-id weights).
    public init(_ bags: [[Int32]], weights: [[Float]]? = nil) {
        ids = []
        offsets = []
        for b in bags { offsets.append(ids.count); ids.append(contentsOf: b) }
        self.weights = weights.map { $0.flatMap { $0 } }
    }

    /// Number of bags.
    public var count: Int { offsets.count }
}

/// Bag (or single id) of embeddings -> [projection] -> [dense features] -> MLP -> logits.
public final class Classifier: Module {
    /// The configuration (the runner records the threshold it chose on validation data here).
    public var config: ClassifierConfig
    /// The embedding table and its bag reduction.
    public let bag: EmbeddingBag
    /// The optional projection.
    public let projection: Linear?
    /// The network after the bag.
    public let mlp: MLP

    /// A classifier over `embedding` (random, or warm-started by `WarmStart`).
    public init(config: ClassifierConfig, embedding: Embedding, rng: inout SeededGenerator) {
        self.config = config
        bag = EmbeddingBag(embedding: embedding, mode: config.bagMode)
        projection = config.projection.map { Linear(inputs: config.dimension, outputs: $0, rng: &rng) }
        let width = (config.projection ?? config.dimension) + config.denseFeatures
        mlp = MLP(widths: [width] + config.hidden + [config.outputs], dropout: config.dropout, rng: &rng)
    }

    /// "embedding", "projection", "mlp".
    public var children: [(name: String, module: any Module)] {
        [("embedding", bag as any Module)] + (projection.map { [("projection", $0 as any Module)] } ?? []) + [("mlp", mlp)]
    }

    /// Logits `[bags, outputs]`.
    public func logits(_ bags: Bags, dense: Tensor? = nil, on tape: Tape) -> Variable {
        var h = bag(bags.ids, offsets: bags.offsets, weights: bags.weights, on: tape)
        if let projection { h = projection(h) }
        if let dense {
            precondition(dense.shape == [bags.count, config.denseFeatures],
                         "Classifier: dense features \(dense.shape) should be [\(bags.count), \(config.denseFeatures)]")
            h = tape.concat([h, tape.constant(dense)], axis: 1)
        }
        return mlp(h)
    }

    /// Probabilities `[bags, outputs]` in evaluation mode (sigmoid, or softmax for multiclass).
    public func probabilities(_ bags: Bags, dense: Tensor? = nil) -> Tensor {
        setTraining(false)
        defer { setTraining(true) }
        let tape = Tape()
        let z = logits(bags, dense: dense, on: tape)
        return (config.head == .multiclass ? tape.softmax(z) : tape.sigmoid(z)).value
    }
}
