import Datasets

/// Which labelled examples a classifier fits, validates and is tested on.
public enum ExampleParts: Sendable {
    /// The evaluation protocol's split with `seed`: stratified 80/20, then
    /// the 80 split 90/10 (seed + 1) into fit and validation.
    case split(seed: UInt64)
    /// Parts the user gave (indices into the examples) and how to describe them.
    case given(fit: [Int], validation: [Int], test: [Int], description: String)

    /// Parts from files the user split: `trainCount` examples first, then
    /// `validationCount` (or, when 0, a stratified tenth of the training
    /// examples drawn with `seed`), then `testCount`.
    public static func files(train: String, trainCount: Int, validation: String?, validationCount: Int, test: String, testCount: Int,
                             labels: [Int32], seed: UInt64) -> ExampleParts {
        let testIndices = Array((trainCount + validationCount)..<(trainCount + validationCount + testCount))
        guard validation == nil else {
            return .given(fit: Array(0..<trainCount), validation: Array(trainCount..<(trainCount + validationCount)), test: testIndices,
                          description: "given: fit \(train), validation \(validation!), test \(test)")
        }
        let (fit, held) = IndexSplit.stratified(labels: Array(labels[0..<trainCount]), trainFraction: 0.9, seed: seed)
        return .given(fit: fit, validation: held, test: testIndices,
                      description: "given: train \(train) (stratified 90/10 into fit and validation, seed \(seed)), test \(test)")
    }

    /// The fit, validation and test indices and the split's description;
    /// refuses parts too small to train, choose a threshold and test on.
    func resolve(labels: [Int32], names: [String], source: String) throws -> (fit: [Int], validation: [Int], test: [Int], description: String) {
        switch self {
        case .split(let seed):
            var counts = [Int](repeating: 0, count: names.count)
            for l in labels { counts[Int(l)] += 1 }
            if let scarce = counts.indices.first(where: { counts[$0] < ClassificationTask.minimumExamplesPerLabel }) {
                throw DatasetError.invalidRequest("\(source): too little data: label '\(names[scarce])' has \(counts[scarce]) example(s); each label needs at least \(ClassificationTask.minimumExamplesPerLabel) for the training, validation and test parts")
            }
            let (fit, validation, test) = IndexSplit.fitValidationTest(count: labels.count, labels: labels, seed: seed)
            return (fit, validation, test, ClassificationTask.stratifiedSplit(seed: seed))
        case let .given(fit, validation, test, description):
            for (name, part) in [("fit", fit), ("validation", validation), ("test", test)] {
                let present = Set(part.map { labels[$0] })
                guard present.count == names.count else {
                    let missing = names.indices.filter { !present.contains(Int32($0)) }.map { "'\(names[$0])'" }.joined(separator: ", ")
                    throw DatasetError.invalidRequest("\(source): too little data: the \(name) part has no example of label \(missing); every part needs each label")
                }
            }
            return (fit, validation, test, description)
        }
    }
}
