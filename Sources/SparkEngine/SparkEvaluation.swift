import Archive
import Autograd
import Datasets
import Downstream
import Evaluation
import FileIO
import Foundation
import Pretraining

/// Checks a Spark job's split against Warmstart's own on the same local
/// file, then measures its tables by the local trainers' protocols.
enum SparkEvaluation {
    /// The figures of `tables` (W8 for ALS, W2 and genre agreement for Word2Vec).
    static func measure(_ kind: SparkJob.Kind, tables: [String: PackedTable], record: SparkJobRecord, data: LoadedInteractions) throws -> [String: JSONValue] {
        let split = try LeaveLastOutSplit(checking: data.data)
        try check(record.split, against: split, data: data.data)
        let items = tables["vectors"]!
        let test: RankingReport, validation: RankingReport
        var metrics: [String: JSONValue] = [:]
        switch kind {
        case .als:
            guard let users = tables["users"], users.keys == data.data.userVocabulary.keys else {
                throw SparkError.splitDiffers("Spark's user factors are not one row per user of \(data.name) in file order")
            }
            let figures = ALSRunner.evaluate(users: users.vectors, items: try catalogueRows(items, vocabulary: data.data.itemVocabulary), split: split)
            (test, validation) = figures
            metrics["evaluation"] = "user · item over the full catalogue, training items excluded (W8)"
        case .item2vec, .sessions:
            let embeddings = try KeyedEmbeddings(keys: items.keys, vectors: items.vectors)
            test = NearestNeighbourEvaluation.evaluate(embeddings, split: split, items: data.data.itemVocabulary, target: .test)
            validation = NearestNeighbourEvaluation.evaluate(embeddings, split: split, items: data.data.itemVocabulary, target: .validation)
            metrics.merge(CategoryAgreement.metrics(embeddings, categories: data.catalog?.categories)) { $1 }
            metrics["evaluation"] = "last training item's 10 nearest neighbours by cosine, full ranking, training items excluded"
        }
        metrics["test_hr@10"] = .number(test.hitRate); metrics["test_ndcg@10"] = .number(test.ndcg); metrics["test_mrr"] = .number(test.mrr)
        metrics["validation_hr@10"] = .number(validation.hitRate); metrics["validation_ndcg@10"] = .number(validation.ndcg)
        return metrics
    }

    /// Refuses a Spark split whose counts or test targets differ from `split`'s.
    static func check(_ counts: SparkJobRecord.SplitCounts, against split: LeaveLastOutSplit, data: Interactions) throws {
        let local = SparkJobRecord.SplitCounts(rows: data.count, users: data.userCount, trainEvents: split.train.reduce(0) { $0 + $1.count },
                                               validationTargets: split.validation.compactMap { $0 }.count,
                                               testTargets: split.test.compactMap { $0 }.count, testChecksum: testChecksum(split, data: data))
        guard counts == local else {
            throw SparkError.splitDiffers("Spark's leave-last-out split of \(data.source) is not Warmstart's: Spark \(counts), Warmstart \(local)")
        }
    }

    /// Sum over test targets of the first 4 bytes (big-endian) of SHA-256("user<TAB>item"), as the job computes it.
    static func testChecksum(_ split: LeaveLastOutSplit, data: Interactions) -> Int {
        var sum = 0
        for (user, target) in split.test.enumerated() {
            guard let item = target else { continue }
            var digest = SHA256Stream()
            digest.update(Data("\(data.userVocabulary.keys[user])\t\(data.itemVocabulary.keys[Int(item)])".utf8))
            sum += Int(UInt32(digest.hexDigest().prefix(8), radix: 16)!)
        }
        return sum
    }

    /// One row per catalogue item (zeros for items the training part never saw, which MLlib gives no factors).
    static func catalogueRows(_ table: PackedTable, vocabulary: Vocabulary) throws -> Tensor {
        let width = table.vectors.shape[1]
        var rows = Tensor(zeros: [vocabulary.count, width])
        try rows.withUnsafeMutableBufferPointer { out in
            try table.vectors.withUnsafeBufferPointer { source in
                for (k, key) in table.keys.enumerated() {
                    guard let i = vocabulary.index(of: key).map(Int.init) else {
                        throw SparkError.splitDiffers("Spark's item \(key.debugDescription) is not in the data file's catalogue")
                    }
                    for j in 0..<width { out[i * width + j] = source[k * width + j] }
                }
            }
        }
        return rows
    }
}
