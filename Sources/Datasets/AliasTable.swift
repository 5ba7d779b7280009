import Autograd

/// Walker's alias method: draws index i with probability weights[i] / Σ
/// weights in constant time (two random numbers, one comparison).
public struct AliasTable: Sendable {
    private let probability: [Float]
    private let alias: [Int32]

    /// A table over non-negative `weights` with a positive sum.
    public init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0, "AliasTable: needs at least one weight")
        let total = weights.reduce(0, +)
        precondition(total > 0, "AliasTable: the weights sum to \(total)")
        var scaled = weights.map { $0 * Double(n) / total }
        var probability = [Float](repeating: 1, count: n)
        var alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for (i, p) in scaled.enumerated() { if p < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            probability[s] = Float(scaled[s])
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        for i in large + small { probability[i] = 1; alias[i] = Int32(i) }
        self.probability = probability
        self.alias = alias
    }

    /// Number of outcomes.
    public var count: Int { probability.count }

    /// One draw.
    @inline(__always)
    public func sample(_ rng: inout SeededGenerator) -> Int32 {
        let r = rng.next()
        let column = Int(((r >> 32) &* UInt64(probability.count)) >> 32)
        let coin = Float(r & 0xFFFFFF) * 0x1p-24
        return coin < probability[column] ? Int32(column) : alias[column]
    }
}
