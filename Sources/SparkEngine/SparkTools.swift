import Foundation

/// Where Spark runs and how it is started: the settings of the engine, not
/// of the model.
public struct SparkSettings: Sendable {
    /// The master URL: `local[2]`, `spark://HOST:7077`, `yarn`, `k8s://…`.
    public var master = "local[2]"
    /// The `spark-submit` to run (nil: `$WARMSTART_SPARK_SUBMIT`, then `PATH`).
    public var sparkSubmit: String?
    /// Extra `--conf key=value` settings passed to spark-submit.
    public var conf: [String] = []
    /// The folder the executors write their shards into; it must be one
    /// every executor can write and this machine can read (nil: a new
    /// folder beside the archive, removed once packed).
    public var shardFolder: String?
    /// Word2Vec's `numPartitions` (1 keeps its quality; more trains faster on a cluster).
    public var word2vecPartitions = 1

    /// The default settings: a `local[2]` session.
    public init() {}
}

/// Finds the programs a Spark run needs, refusing plainly when one is missing.
public enum SparkTools {
    /// The `spark-submit` to run: `given`, else `$WARMSTART_SPARK_SUBMIT`, else `PATH`'s.
    public static func sparkSubmit(_ given: String?, environment: [String: String]) throws -> String {
        let fix = "install pyspark (`make sparkdeps` puts it in .venv-spark, or `pip install pyspark`) or give a Spark installation's bin/spark-submit"
        return try locate(given ?? environment["WARMSTART_SPARK_SUBMIT"].flatMap { $0.isEmpty ? nil : $0 }, name: "spark-submit",
                          environment: environment) { path in
            .noSparkSubmit("spark-submit not found " + (path.map { "at \($0)" } ?? "(--spark-submit, $WARMSTART_SPARK_SUBMIT or PATH)") + ": " + fix)
        }
    }

    /// The `java` Spark will start: `$JAVA_HOME/bin/java`, else `java` on `PATH`.
    public static func java(environment: [String: String]) throws -> String {
        let fix = "install Debian's openjdk-17-jre-headless (`make sparkdeps` does) or set JAVA_HOME to a JDK"
        return try locate(environment["JAVA_HOME"].flatMap { $0.isEmpty ? nil : $0 + "/bin/java" }, name: "java", environment: environment) { path in
            .noJava("Spark needs Java 17 or later: " + (path.map { "JAVA_HOME gives \($0), which is not there" } ?? "none found (JAVA_HOME unset, no java on PATH)") + "; " + fix)
        }
    }

    /// The program at `path` when one is named (it must be there), else `name` on `PATH`; `missing` words the error (with the path named, if any).
    private static func locate(_ path: String?, name: String, environment: [String: String], missing: (String?) -> SparkError) throws -> String {
        if let path {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw missing(path) }
            return path
        }
        guard let found = onPath(name, environment: environment) else { throw missing(nil) }
        return found
    }

    /// The Python the executors run: the one beside `spark-submit` when it
    /// lives in a virtual environment (pyspark installed by pip), else
    /// `$PYSPARK_PYTHON`, else Spark's own choice.
    public static func python(besides sparkSubmit: String, environment: [String: String]) -> String? {
        let sibling = (sparkSubmit as NSString).deletingLastPathComponent + "/python3"
        if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        return environment["PYSPARK_PYTHON"]
    }

    /// `name` in one of `PATH`'s folders.
    public static func onPath(_ name: String, environment: [String: String]) -> String? {
        (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
