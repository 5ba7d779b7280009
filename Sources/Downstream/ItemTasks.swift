import Autograd
import Datasets

/// Shilling attacks from the recommender-security literature (Mobasher et
/// al.): fake profiles that push a target item with the top rating and fill
/// the rest of the profile to look genuine.
public enum ShillingAttack: String, Sendable, CaseIterable, Codable {
    /// Filler ratings drawn around the global mean.
    case random
    /// Filler ratings drawn around each filler item's own mean.
    case average
    /// The most popular items rated top, plus random fillers.
    case bandwagon
    /// Equal shares of the three.
    case mixed
}

/// Item tasks on a ratings dataset.
public enum ItemTasks {
    /// Shilling detection: genuine users (their leave-last-out training
    /// items, ratings as weights) and injected fake profiles; classify users
    /// as genuine (0) or fake (1). `attackSize` and `fillerSize` are shares
    /// of users and items. Users are split 80/20 (stratified, seeded), with
    /// 10% of the training part for validation. Returns the task and the target item.
    public static func shilling(_ data: Interactions, attack: ShillingAttack = .mixed, attackSize: Double = 0.05,
                                fillerSize: Double = 0.05, seed: UInt64 = 0) -> (ClassificationTask, targetItem: String) {
        var rng = SeededGenerator(seed: seed)
        let split = LeaveLastOutSplit(data)
        let ratings = data.ratings ?? [Float](repeating: 1, count: data.count)
        var itemSum = [Double](repeating: 0, count: data.itemCount), itemSquares = itemSum, itemCount = [Int](repeating: 0, count: data.itemCount)
        for (u, seq) in split.train.enumerated() {
            for (k, i) in seq.enumerated() {
                let r = Double(split.trainRatings[u].isEmpty ? 1 : split.trainRatings[u][k])
                itemSum[Int(i)] += r; itemSquares[Int(i)] += r * r; itemCount[Int(i)] += 1
            }
        }
        let globalMean = Double(ratings.reduce(0, +)) / Double(ratings.count)
        let globalStd = (ratings.map { pow(Double($0) - globalMean, 2) }.reduce(0, +) / Double(ratings.count)).squareRoot()
        let popular = (0..<data.itemCount).sorted { itemCount[$0] > itemCount[$1] }
        // A target with few ratings: somewhere in the lower half by popularity.
        let target = Int32(popular[data.itemCount / 2 + rng.nextInt(below: data.itemCount / 4)])
        let fakeCount = max(1, Int((Double(data.userCount) * attackSize).rounded()))
        let fillers = max(1, Int((Double(data.itemCount) * fillerSize).rounded()))
        func draw(mean: Double, std: Double) -> Float { Float(min(5, max(1, (mean + std * Double(rng.nextNormal())).rounded()))) }
        var bags: [[Int32]] = [], weights: [[Float]] = [], targets: [[Float]] = []
        for (u, seq) in split.train.enumerated() {
            bags.append(seq)
            weights.append(split.trainRatings[u].isEmpty ? seq.map { _ in 1 } : split.trainRatings[u])
            targets.append([0])
        }
        for f in 0..<fakeCount {
            let kind: ShillingAttack = attack == .mixed ? [.random, .average, .bandwagon][f % 3] : attack
            var items: [Int32] = [target], r: [Float] = [5]
            var chosen: Set<Int32> = [target]
            if kind == .bandwagon {
                for i in popular.prefix(max(1, fillers / 10)) where chosen.insert(Int32(i)).inserted { items.append(Int32(i)); r.append(5) }
            }
            while items.count < fillers + 1 {
                let i = Int32(rng.nextInt(below: data.itemCount))
                guard chosen.insert(i).inserted else { continue }
                items.append(i)
                if kind == .average, itemCount[Int(i)] > 0 {
                    let m = itemSum[Int(i)] / Double(itemCount[Int(i)])
                    let s = max(0.5, (itemSquares[Int(i)] / Double(itemCount[Int(i)]) - m * m).squareRoot())
                    r.append(draw(mean: m, std: s))
                } else {
                    r.append(draw(mean: globalMean, std: globalStd))
                }
            }
            bags.append(items); weights.append(r); targets.append([1])
        }
        let all = ClassificationExamples(bags: bags, weights: weights, targets: targets)
        let strata = targets.map { Int32($0[0]) }
        let (fit, validation, test) = ClassificationTask.splitIndices(labels: strata, seed: seed)
        let task = ClassificationTask(name: "shilling:\(attack.rawValue)", head: .binary, labels: ["genuine", "fake"],
                                      keys: data.itemVocabulary.keys, unknownRow: nil, fit: all.subset(fit), validation: all.subset(validation),
                                      test: all.subset(test), trainingTexts: [], textNGrams: nil,
                                      split: ClassificationTask.stratifiedSplit(seed: seed))
        return (task, data.itemVocabulary.key(at: target))
    }

    /// Genre tagging: each item (a bag of one id) labelled with its genres;
    /// items with at least one genre, split 80/20 (seeded), 10% of training for validation.
    public static func genres(items: Vocabulary, catalog: ItemCatalog, seed: UInt64 = 0) -> ClassificationTask {
        let genres = Array(Set(catalog.categories.values.flatMap { $0 })).sorted()
        let column = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($0.element, $0.offset) })
        let labelled = (0..<items.count).filter { !(catalog.categories[items.key(at: Int32($0))] ?? []).isEmpty }
        let all = ClassificationExamples(bags: labelled.map { [Int32($0)] }, targets: labelled.map { i in
            var row = [Float](repeating: 0, count: genres.count)
            for g in catalog.categories[items.key(at: Int32(i))]! { row[column[g]!] = 1 }
            return row
        })
        let (fitPart, validationPart, test) = IndexSplit.fitValidationTest(count: labelled.count, seed: seed)
        return ClassificationTask(name: "genres", head: .multilabel, labels: genres, keys: items.keys, unknownRow: nil,
                                  fit: all.subset(fitPart), validation: all.subset(validationPart),
                                  test: all.subset(test), trainingTexts: [], textNGrams: nil,
                                  split: "random 80/20 of the labelled items (seed \(seed)), the 80 split 90/10 (seed \(seed + 1)) into fit and validation")
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
