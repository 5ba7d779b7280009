import Autograd
import Foundation

/// Everything a `.warm` archive holds, in memory.
public struct ArchiveContents: Sendable {
    /// The manifest (the writer fills in tensors, entries and the time).
    public var manifest: ArchiveManifest
    /// Row keys of the embedding matrix, if the archive has one.
    public var vocabulary: ArchiveVocabulary?
    /// Tensors by name: "vectors", "context", or a model's parameters.
    public var tensors: [String: Tensor]
    /// A model's configuration, if this is a model archive.
    public var config: JSONValue?
    /// Evaluation figures, if any.
    public var metrics: JSONValue?
    /// A human-readable model card.
    public var modelCard: String?
    /// What the reader converted on the way in (byte order, layout, precision).
    public var notes: [String] = []

    /// Contents to write.
    public init(manifest: ArchiveManifest, vocabulary: ArchiveVocabulary? = nil, tensors: [String: Tensor],
                config: JSONValue? = nil, metrics: JSONValue? = nil, modelCard: String? = nil) {
        self.manifest = manifest
        self.vocabulary = vocabulary
        self.tensors = tensors
        self.config = config
        self.metrics = metrics
        self.modelCard = modelCard
    }

    /// The embedding matrix (`vectors`).
    public var vectors: Tensor? { tensors["vectors"] }
    /// The output (context) matrix, kept so training can continue.
    public var context: Tensor? { tensors["context"] }

    /// Entry names.
    static let manifestEntry = "manifest.json", manifestDigestEntry = "manifest.sha256", vocabularyEntry = "vocab.tsv", configEntry = "config.json",
               metricsEntry = "metrics.json", cardEntry = "README.md"

    /// The archive entry holding tensor `name`.
    static func tensorEntry(_ name: String) -> String { name + ".npy" }

    /// A tensor name: letters, digits, `_`, `-` and `.`, not starting with a dot.
    static func isValidTensorName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.count <= 200
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }
}
