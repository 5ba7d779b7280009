import ArgumentParser
import Foundation
import Datasets
import Downstream

extension SplitFiles.Kind: ExpressibleByArgument {}

extension DatasetsCommand {
    /// `warmstart datasets split`: write a split as files, so other tools can use the very same one.
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a BENCHMARKS.md split of a dataset as tab-separated files.",
            discussion: """
            ratings: a random split of all events (train.tsv, test.tsv), --fraction to train, --seed.
            leave-last-out: per user, the last event is the test target and the one before the validation target
            (train.tsv, validation.tsv, test.tsv). Both write user, item, rating, timestamp.
            sms-spam: the spam task's own stratified split, label<TAB>text (train.tsv, test.tsv, and fit.tsv + validation.tsv).
            """)

        @Argument(help: "ml-100k, sms-spam or an interactions file.") var name = "ml-100k"
        @Option(help: "ratings or leave-last-out.") var kind = SplitFiles.Kind.ratings
        @Option(help: "Fraction of events in the training part (ratings).") var fraction = 0.8
        @Option(help: "Seed of the random split.") var seed: UInt64 = 0
        @Option(help: "Folder to write into.") var out: String
        @OptionGroup var file: DataFileOptions
        @OptionGroup var location: DatasetsCommand.Location

        func run() throws {
            try reportingErrors {
                let written = try SplitFiles.write(file.source(name, cache: location.cache), kind: kind, trainFraction: fraction, seed: seed, to: out)
                for w in written.files { print("\(w.file): \(w.count) \(written.unit)") }
            }
        }
    }
}

extension DatasetsCommand {
    /// `warmstart datasets synth`: BENCHMARKS.md W7's seeded synthetic log.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write W7's synthetic interaction log (clustered items, Zipf popularity, home clusters, sessions, repeats) as a RecBole .inter file.")
        @Option(help: "Users.") var users = SyntheticLogConfig().users
        @Option(help: "Items.") var items = SyntheticLogConfig().items
        @Option(help: "Events (about).") var events = SyntheticLogConfig().events
        @Option(help: "Items per cluster.") var clusterSize = SyntheticLogConfig().clusterSize
        @Option(help: "Share of events that repeat an earlier item of the user, the other sources scaled in proportion (default: \(String(format: "%g", SyntheticLogConfig().repeatShare))).") var repeatShare: Double?
        @Option(help: "Seed: the same seed and sizes give the same file, byte for byte.") var seed = SyntheticLogConfig().seed
        @Option(help: "The .inter file to write.") var out: String

        func run() throws {
            try reportingErrors {
                var config = SyntheticLogConfig()
                config.users = users; config.items = items; config.events = events; config.clusterSize = clusterSize; config.seed = seed
                if let repeatShare { config = config.withRepeatShare(repeatShare) }
                let written = try SyntheticLog.write(config, to: out)
                print("\(out): \(written) events, \(users) users, \(items) items, repeat share \(String(format: "%g", config.repeatShare)), seed \(seed)")
            }
        }
    }
}
