import Archive
import Autograd
import Foundation
import Layers

/// Saves and loads downstream models as `.warm` archives of kind "model":
/// the configuration as `config.json`, the row keys as `vocab.tsv`, and
/// every named parameter as a tensor.
public enum ModelArchive {
    /// Writes `module` with its `config` under `method`; `settings` (the
    /// run's whole configuration) become the manifest's hyperparameters.
    public static func save<C: Encodable>(_ module: some Module, config: C, method: String, keys: [String],
                                          reserved: [Int: ArchiveVocabulary.Role], metrics: JSONValue?, seed: UInt64,
                                          data: ArchiveManifest.DataProvenance?, settings: (any Encodable)? = nil,
                                          toolVersion: String = WarmstartVersion.string, to path: String) throws {
        let configJSON = try JSONValue(encoding: config)
        let hyperparameters = try settings.map { try JSONValue(encoding: $0) }?.members ?? [:]
        let tensors = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter.value) })
        // The thread count the run trained with: the BLAS and row-parallel kernels' count in this process.
        let manifest = ArchiveManifest(kind: "model", method: method, hyperparameters: hyperparameters, seed: seed,
                                       threads: MathThreads.blasThreads, data: data, toolVersion: toolVersion)
        try WarmArchive.write(ArchiveContents(manifest: manifest, vocabulary: ArchiveVocabulary(keys: keys, reserved: reserved),
                                              tensors: tensors, config: configJSON, metrics: metrics), to: path)
    }

    /// Reads a model archive of `method`: its decoded config, vocabulary and contents.
    public static func load<C: Decodable>(path: String, method: String, as: C.Type) throws -> (C, ArchiveVocabulary, ArchiveContents) {
        let contents = try WarmArchive.read(path: path)
        guard contents.manifest.kind == "model", contents.manifest.method == method,
              let configJSON = contents.config, let vocabulary = contents.vocabulary else {
            throw ArchiveError(path: path, "not a \(method) model archive (kind \(contents.manifest.kind), method \(contents.manifest.method))")
        }
        let config: C
        do { config = try JSONDecoder().decode(C.self, from: JSONEncoder().encode(configJSON)) } catch {
            throw ArchiveError(path: path, entry: "config.json", "not a \(method) configuration: \(error)")
        }
        return (config, vocabulary, contents)
    }

    /// Refuses a configuration whose sizes the stored weights do not bear
    /// out, before any model memory is allocated: the table `table` must be
    /// stored with exactly `shape`, and each named amount (a product of
    /// configured sizes: the memory one layer would take) may not exceed the
    /// elements stored in the archive.
    public static func checkSizes(_ contents: ArchiveContents, path: String, table: String, shape: [Int],
                                  amounts: [(field: String, factors: [Int])]) throws {
        guard let stored = contents.tensors[table], stored.shape == shape else {
            throw ArchiveError(path: path, entry: "config.json",
                "the configuration needs a \(table) table of shape \(shape), the archive holds \(contents.tensors[table].map { "\($0.shape)" } ?? "none")")
        }
        let total = contents.tensors.values.reduce(0) { $0 + $1.count }
        for (field, factors) in amounts {
            guard factors.allSatisfy({ $0 >= 0 }), let amount = Tensor.elementCount(ofShape: factors), amount <= total + 1024 else {
                throw ArchiveError(path: path, entry: "config.json",
                    "'\(field)' (\(factors.map(String.init).joined(separator: " x "))) is out of proportion to the \(total) weights the archive holds; the configuration is damaged")
            }
        }
    }

    /// Copies every parameter of `module` from `contents`, checking names and shapes.
    public static func assign(_ contents: ArchiveContents, to module: some Module, path: String) throws {
        for (name, parameter) in module.namedParameters() {
            guard let tensor = contents.tensors[name] else { throw ArchiveError(path: path, entry: name + ".npy", "missing weight") }
            guard tensor.shape == parameter.value.shape else {
                throw ArchiveError(path: path, entry: name + ".npy", "shape \(tensor.shape), the model needs \(parameter.value.shape)")
            }
            parameter.value = tensor
        }
    }
}

extension ModelArchive {
    /// The note a saved model's query gives for the `unknown` keys it left out.
    static func ignoredKeysNote(_ unknown: [String]) -> String {
        "ignored \(unknown.count) unknown item(s): \(unknown.joined(separator: ", "))"
    }
}
