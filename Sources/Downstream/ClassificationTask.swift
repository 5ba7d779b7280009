import Autograd
import Datasets

/// A classification task ready to train: row keys, and fit / validation /
/// test examples split without leakage.
public struct ClassificationTask: Sendable {
    /// What the task is called in reports.
    public var name: String
    /// The head.
    public var head: ClassifierHead
    /// Label names (binary: negative, positive).
    public var labels: [String]
    /// Embedding row keys; row 0 is the shared unknown row for text tasks.
    public var keys: [String]
    /// Which row is the unknown row, if any.
    public var unknownRow: Int?
    /// Training examples.
    public var fit: ClassificationExamples
    /// Validation examples (threshold choice, learning curves).
    public var validation: ClassificationExamples
    /// Test examples.
    public var test: ClassificationExamples
    /// Unlabelled text of the training part, for pretraining (text tasks).
    public var trainingTexts: [String]
    /// Tokenizer n-gram size for text tasks.
    public var textNGrams: Int?
    /// How the examples were split, as archives record it (the data provenance's `split`).
    public var split: String

    /// A task from prepared parts (your own item bags, for example).
    public init(name: String, head: ClassifierHead, labels: [String], keys: [String], unknownRow: Int?,
                fit: ClassificationExamples, validation: ClassificationExamples, test: ClassificationExamples,
                trainingTexts: [String], textNGrams: Int?, split: String = "prepared by the caller") {
        self.split = split
        self.name = name
        self.head = head
        self.labels = labels
        self.keys = keys
        self.unknownRow = unknownRow
        self.fit = fit
        self.validation = validation
        self.test = test
        self.trainingTexts = trainingTexts
        self.textNGrams = textNGrams
    }

    /// The same task with `fraction` of the fit examples, stratified by the first target column, seeded.
    public func withLabelFraction(_ fraction: Double, seed: UInt64) -> ClassificationTask {
        guard fraction < 1 else { return self }
        var copy = self
        let strata = fit.targets.map { Int32($0.first ?? 0) }
        copy.fit = fit.subset(IndexSplit.stratifiedSample(Array(0..<fit.count), labels: strata, fraction: fraction, seed: seed))
        return copy
    }

    /// Binary text classification (SMS spam, W4): stratified 80/20 split with
    /// `seed`, then 10% of the training part held out for validation;
    /// vocabulary from the training part only; unknown tokens share row 0.
    /// `parts` (default: `.split(seed:)`) says which examples go where.
    public static func text(_ data: LabelledTexts, positiveLabel: String, tokenizer: Tokenizer = Tokenizer(),
                            seed: UInt64 = 0, parts: ExampleParts? = nil) throws -> ClassificationTask {
        guard let positive = data.labelVocabulary.index(of: positiveLabel) else {
            throw DatasetError.invalidRequest("\(data.source): no label '\(positiveLabel)'; labels are \(data.labelVocabulary.keys.joined(separator: ", "))")
        }
        guard data.labelVocabulary.count == 2 else {
            throw DatasetError.invalidRequest("\(data.source): binary classification needs 2 labels, found \(data.labelVocabulary.count)")
        }
        let (fit, validation, test, split) = try (parts ?? .split(seed: seed)).resolve(labels: data.labels, names: data.labelVocabulary.keys,
                                                                                     source: data.source)
        let train = (fit + validation).sorted()
        var vocabulary = Vocabulary(reserveUnknown: true)
        let tokens = data.texts.map { tokenizer.tokens($0) }
        for i in train { for t in tokens[i] { vocabulary.add(t) } }
        func examples(_ indices: [Int]) -> ClassificationExamples {
            ClassificationExamples(bags: indices.map { i in tokens[i].map { vocabulary.index(of: $0)! } },
                                   targets: indices.map { [data.labels[$0] == positive ? 1 : 0] })
        }
        let negative = data.labelVocabulary.keys.first { $0 != positiveLabel }!
        return ClassificationTask(name: "text:\(data.source)", head: .binary, labels: [negative, positiveLabel],
                                  keys: vocabulary.keys, unknownRow: Int(vocabulary.unknownIndex!),
                                  fit: examples(fit), validation: examples(validation),
                                  test: examples(test), trainingTexts: train.map { data.texts[$0] },
                                  textNGrams: tokenizer.maximumNGram, split: split)
    }

    /// Binary classification of labelled item bags (your own data): the same
    /// splits as `text`; item vocabulary from the training part; unknown items share row 0.
    public static func itemBags(_ data: LabelledItemBags, positiveLabel: String, seed: UInt64 = 0,
                                parts: ExampleParts? = nil) throws -> ClassificationTask {
        guard let positive = data.labelVocabulary.index(of: positiveLabel), data.labelVocabulary.count == 2 else {
            throw DatasetError.invalidRequest("\(data.source): binary classification needs 2 labels including '\(positiveLabel)'; labels are \(data.labelVocabulary.keys.joined(separator: ", "))")
        }
        let (fit, validation, test, split) = try (parts ?? .split(seed: seed)).resolve(labels: data.labels, names: data.labelVocabulary.keys,
                                                                                     source: data.source)
        let train = (fit + validation).sorted()
        var vocabulary = Vocabulary(reserveUnknown: true)
        for i in train { for k in data.items[i] { vocabulary.add(k) } }
        func examples(_ indices: [Int]) -> ClassificationExamples {
            ClassificationExamples(bags: indices.map { i in data.items[i].map { vocabulary.index(of: $0)! } },
                                   weights: indices.map { data.weights[$0] },
                                   targets: indices.map { [data.labels[$0] == positive ? 1 : 0] })
        }
        let negative = data.labelVocabulary.keys.first { $0 != positiveLabel }!
        return ClassificationTask(name: "items:\(data.source)", head: .binary, labels: [negative, positiveLabel], keys: vocabulary.keys,
                                  unknownRow: Int(vocabulary.unknownIndex!), fit: examples(fit),
                                  validation: examples(validation), test: examples(test),
                                  trainingTexts: train.map { data.items[$0].joined(separator: " ") }, textNGrams: nil,
                                  split: split)
    }

    /// The splits of the labelled tasks: stratified 80/20 with `seed`, then
    /// the 80 split 90/10 (stratified, `seed + 1`) into the part the model
    /// fits and the part that picks its epoch and threshold. Example indices,
    /// ascending.
    public static func splitIndices(labels: [Int32], seed: UInt64) -> (fit: [Int], validation: [Int], test: [Int]) {
        IndexSplit.fitValidationTest(count: labels.count, labels: labels, seed: seed)
    }

    /// The description of `splitIndices(labels:seed:)` with `seed`.
    static func stratifiedSplit(seed: UInt64) -> String {
        "stratified 80/20 (seed \(seed)), the 80 split 90/10 (seed \(seed + 1)) into fit and validation"
    }

    /// Examples each label needs so that the stratified 80/20, then 90/10,
    /// split leaves it in the fit, validation and test parts.
    public static let minimumExamplesPerLabel = 8
}
