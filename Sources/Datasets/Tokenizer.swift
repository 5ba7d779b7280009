/// Splits text as BENCHMARKS.md says: lower-case, then split on anything that
/// is not a letter or a digit. Optionally adds word n-grams joined by `_`.
public struct Tokenizer: Sendable {
    /// Largest n-gram added (1 = words only).
    public var maximumNGram: Int

    /// A tokenizer adding n-grams up to `maximumNGram`.
    public init(maximumNGram: Int = 1) {
        precondition(maximumNGram >= 1, "Tokenizer: maximumNGram must be at least 1")
        self.maximumNGram = maximumNGram
    }

    /// The tokens of `text`, in order; n-grams follow the words.
    public func tokens<S: StringProtocol>(_ text: S) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current); current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        guard maximumNGram > 1 else { return words }
        var result = words
        for n in 2...maximumNGram where words.count >= n {
            for start in 0...(words.count - n) { result.append(words[start..<(start + n)].joined(separator: "_")) }
        }
        return result
    }
}
