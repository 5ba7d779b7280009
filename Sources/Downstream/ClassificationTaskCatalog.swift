import Datasets

/// The classification tasks by name, built the one way `classify` and
/// `reuse` both use.
public enum ClassificationTaskName: String, Sendable, CaseIterable {
    /// SMS spam (W4), from the data cache.
    case spam
    /// Your labelled text file (label<TAB>text).
    case text
    /// Your labelled item bags (label<TAB>item item:weight …).
    case items
    /// Fake ml-100k profiles (shilling attacks) among the genuine users'.
    case shilling
    /// Genre tagging of ml-100k items.
    case genres

    /// What a task needs besides its name.
    public struct Options: Sendable {
        /// The labelled file of `text` and `items` (all of it, or the training part when `testFile` is given).
        public var file: String?
        /// `text` and `items`: a test file the user split off (then `file` is the training part).
        public var testFile: String?
        /// `text` and `items` with `testFile`: a validation file (default: a stratified tenth of `file`).
        public var validationFile: String?
        /// The positive label of `text` and `items`.
        public var positiveLabel = "spam"
        /// Shilling: the attack model and its sizes (shares of users and of items).
        public var attack = ShillingAttack.mixed, attackSize = 0.05, fillerSize = 0.05
        /// Seed of the splits (and of the attack).
        public var seed: UInt64 = 0
        /// Where the public data is.
        public var cache = DataCache.defaultCache()

        /// Defaults.
        public init() {}
    }

    /// The task, the name of its data, and a note worth printing (the shilling target), if any.
    public func make(_ options: Options) throws -> (task: ClassificationTask, source: String, note: String?) {
        switch self {
        case .spam:
            return (try .text(try PublicDatasets.smsSpam(cache: options.cache), positiveLabel: "spam", seed: options.seed), "sms-spam", nil)
        case .text:
            guard let file = options.file else { throw DatasetError.invalidRequest("the text task needs a file (label<TAB>text; --data FILE)") }
            let (data, parts) = try options.parts(file, read: LabelledTexts.readTabSeparated, join: LabelledTexts.concatenated, labels: \.labels)
            return (try .text(data, positiveLabel: options.positiveLabel, seed: options.seed, parts: parts), data.source, nil)
        case .items:
            guard let file = options.file else {
                throw DatasetError.invalidRequest("the items task needs a file (label<TAB>item item:weight …; --data FILE)")
            }
            let (data, parts) = try options.parts(file, read: LabelledItemBags.read, join: LabelledItemBags.concatenated, labels: \.labels)
            return (try .itemBags(data, positiveLabel: options.positiveLabel, seed: options.seed, parts: parts), data.source, nil)
        case .shilling:
            let (data, _) = try PublicDatasets.movieLens100K(cache: options.cache)
            let (task, target) = ItemTasks.shilling(data, attack: options.attack, attackSize: options.attackSize,
                                                    fillerSize: options.fillerSize, seed: options.seed)
            let profiles = task.fit.count + task.validation.count + task.test.count
            return (task, "ml-100k + injected profiles", "shilling: \(options.attack.rawValue) attack pushing item \(target); \(profiles) profiles")
        case .genres:
            let (data, catalog) = try PublicDatasets.movieLens100K(cache: options.cache)
            return (ItemTasks.genres(items: data.itemVocabulary, catalog: catalog, seed: options.seed), "ml-100k genres", nil)
        }
    }
}

extension ClassificationTaskName.Options {
    /// `file` alone (parts: nil, the protocol's split), or `file`, the
    /// validation file and `testFile` joined, with the parts they are.
    func parts<Data>(_ file: String, read: (String) throws -> Data, join: ([Data]) -> Data,
                     labels: KeyPath<Data, [Int32]>) throws -> (Data, ExampleParts?) {
        guard let testFile else {
            guard validationFile == nil else { throw DatasetError.invalidRequest("a validation file needs a test file too (--test FILE)") }
            return (try read(file), nil)
        }
        let train = try read(file), validation = try validationFile.map(read), test = try read(testFile)
        let joined = join([train] + (validation.map { [$0] } ?? []) + [test])
        let count = { (d: Data) in d[keyPath: labels].count }
        return (joined, .files(train: file, trainCount: count(train), validation: validationFile, validationCount: validation.map(count) ?? 0,
                               test: testFile, testCount: count(test), labels: joined[keyPath: labels], seed: seed))
    }
}
