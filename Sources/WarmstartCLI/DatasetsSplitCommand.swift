import ArgumentParser
import Datasets
import Downstream
import FileIO
import Foundation

extension DatasetsCommand {
    /// `warmstart datasets split`: write a split as files, so other tools can use the very same one.
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a BENCHMARKS.md split of an interactions dataset as tab-separated files (user, item, rating, timestamp).",
            discussion: """
            ratings: a random split of all events (train.tsv, test.tsv), --fraction to train, --seed.
            leave-last-out: per user, the last event is the test target and the one before the validation target
            (train.tsv, validation.tsv, test.tsv).
            """)

        @Argument(help: "ml-100k or an interactions file.") var name = "ml-100k"
        @Option(help: "ratings or leave-last-out.") var kind = "ratings"
        @Option(help: "Fraction of events in the training part (ratings).") var fraction = 0.8
        @Option(help: "Seed of the random split (ratings).") var seed: UInt64 = 0
        @Option(help: "Folder to write into.") var out: String
        @OptionGroup var location: DatasetsCommand.Location

        func run() throws {
            try reportingDatasetErrors {
                if name == "sms-spam" { return try writeTextSplit() }
                var options = DataOptions()
                options.data = name
                options.dataDir = location.dataDir
                let data = try options.interactions().data
                let files: [(String, [Int])]
                switch kind {
                case "ratings":
                    let (train, test) = IndexSplit.random(count: data.count, trainFraction: fraction, seed: seed)
                    files = [("train.tsv", train), ("test.tsv", test)]
                case "leave-last-out":
                    let order = LeaveLastOutSplit.chronologicalOrder(data)
                    var train: [Int] = [], validation: [Int] = [], test: [Int] = []
                    for events in order {
                        if events.count >= 3 {
                            train += events.dropLast(2); validation.append(events[events.count - 2]); test.append(events[events.count - 1])
                        } else { train += events }
                    }
                    files = [("train.tsv", train), ("validation.tsv", validation), ("test.tsv", test)]
                default:
                    throw ValidationError("--kind is ratings or leave-last-out")
                }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for (file, indices) in files {
                    var text = "user\titem\trating\ttimestamp\n"
                    for i in indices {
                        text += "\(data.userVocabulary.key(at: data.users[i]))\t\(data.itemVocabulary.key(at: data.items[i]))\t"
                        text += "\(data.ratings.map { String($0[i]) } ?? "")\t\(data.timestamps.map { String(Int64($0[i])) } ?? "")\n"
                    }
                    try AtomicFile.write(Data(text.utf8), to: out + "/" + file)
                    print("\(out)/\(file): \(indices.count) events")
                }
            }
        }

        /// sms-spam: the spam task's own split (label<TAB>text): train.tsv
        /// and test.tsv (stratified 80/20), and train.tsv again as fit.tsv
        /// (what the classifier trains on) and validation.tsv (what picks its
        /// epoch and threshold).
        private func writeTextSplit() throws {
            let cache = location.dataDir.map(DataCache.init(root:)) ?? .defaultCache()
            let sms = try PublicDatasets.smsSpam(cache: cache)
            guard fraction == 0.8 else { throw ValidationError("sms-spam has the spam task's fixed 80/20 split; leave --fraction out") }
            let (fit, validation, test) = ClassificationTask.splitIndices(labels: sms.labels, seed: seed)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (file, indices) in [("train.tsv", (fit + validation).sorted()), ("test.tsv", test), ("fit.tsv", fit), ("validation.tsv", validation)] {
                let text = indices.map { "\(sms.labelVocabulary.key(at: sms.labels[$0]))\t\(sms.texts[$0])\n" }.joined()
                try AtomicFile.write(Data(text.utf8), to: out + "/" + file)
                print("\(out)/\(file): \(indices.count) messages")
            }
        }
    }
}
