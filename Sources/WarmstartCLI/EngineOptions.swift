import Archive
import ArgumentParser
import Reports
import SparkEngine

/// Where pretraining runs.
enum Engine: String, ExpressibleByArgument {
    case local, spark
}

/// `--engine spark` and its settings, shared by `pretrain als`, `item2vec` and `sessions`.
struct EngineOptions: ParsableArguments {
    @Option(help: "local (this machine), or spark: submit the job to Apache Spark (MLlib ALS or Word2Vec) and pack its shards into the archive.")
    var engine = Engine.local
    @Option(help: "With --engine spark: the master (local[2], spark://HOST:7077, yarn, k8s://HOST:PORT).") var master = "local[2]"
    @Option(help: "With --engine spark: the spark-submit to run (default: $WARMSTART_SPARK_SUBMIT, then PATH).") var sparkSubmit: String?
    @Option(help: "With --engine spark: a spark-submit --conf KEY=VALUE (repeatable).") var sparkConf: [String] = []
    @Option(help: "With --engine spark: the shard folder, one every executor can write and this machine can read (default: a temporary folder).")
    var shards: String?

    /// Runs `job` on Spark, writes the archive to `output.out` and prints its figures.
    func run(_ job: SparkJob, output: OutputOptions) throws {
        var settings = SparkSettings()
        settings.master = master; settings.sparkSubmit = sparkSubmit; settings.conf = sparkConf; settings.shardFolder = shards
        let result = try SparkPretrainer.run(job, settings: settings, note: ProgressReporter.note)
        for difference in result.record.differences { ProgressReporter.note("spark: differs from the local trainer: \(difference)") }
        try output.write(result.contents, metrics: result.metrics, catalog: result.catalog)
    }
}
