import Autograd
import Layers

/// What a classifier predicts.
public enum ClassifierHead: String, Sendable, Codable {
    /// One logit, sigmoid: spam or not.
    case binary
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
    /// Decision threshold of the binary head (chosen on validation data).
    public var threshold: Float
    /// The tokenizer's n-gram size for text tasks (1 = words), or nil for item bags.
    public var textNGrams: Int?

    /// A configuration.
    public init(head: ClassifierHead, labels: [String], dimension: Int, hidden: [Int] = [64], dropout: Float = 0,
                bagMode: Tape.BagMode = .mean, threshold: Float = 0.5,
                textNGrams: Int? = nil) {
        self.head = head
        self.labels = labels
        self.dimension = dimension
        self.hidden = hidden
        self.dropout = dropout
        self.bagMode = bagMode
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

/// Bag (or single id) of embeddings -> MLP -> logits.
public final class Classifier: Module {
    /// The configuration (the runner records the threshold it chose on validation data here).
    public var config: ClassifierConfig
    /// The embedding table and its bag reduction.
    public let bag: EmbeddingBag
    /// The network after the bag.
    public let mlp: MLP

    /// A classifier over `embedding` (random, or warm-started by `WarmStart`).
    public init(config: ClassifierConfig, embedding: Embedding, rng: inout SeededGenerator) {
        self.config = config
        bag = EmbeddingBag(embedding: embedding, mode: config.bagMode)
        mlp = MLP(widths: [config.dimension] + config.hidden + [config.outputs], dropout: config.dropout, rng: &rng)
    }

    /// "embedding", "mlp".
    public var children: [(name: String, module: any Module)] { [("embedding", bag), ("mlp", mlp)] }

    /// Logits `[bags, outputs]`.
    public func logits(_ bags: Bags, on tape: Tape) -> Variable {
        mlp(bag(bags.ids, offsets: bags.offsets, weights: bags.weights, on: tape))
    }

    /// Probabilities `[bags, outputs]` in evaluation mode (a sigmoid per output).
    public func probabilities(_ bags: Bags) -> Tensor {
        setTraining(false)
        defer { setTraining(true) }
        let tape = Tape()
        return tape.sigmoid(logits(bags, on: tape)).value
    }
}
