/// What stopped a Spark run, said plainly with what to do about it.
public enum SparkError: Error, CustomStringConvertible, Equatable {
    /// No Java runtime to start Spark with.
    case noJava(String)
    /// No `spark-submit` (pyspark is not installed, or the path is wrong).
    case noSparkSubmit(String)
    /// The master named cannot be reached.
    case masterUnreachable(master: String, reason: String)
    /// The job exited with a failure; the last lines of its driver log.
    case jobFailed(status: Int32, logTail: [String], log: String)
    /// A shard folder that is incomplete, damaged or inconsistent.
    case badShards(file: String, message: String)
    /// Spark's training part is not the one Warmstart builds from the same file.
    case splitDiffers(String)
    /// A request this engine cannot carry out.
    case unsupported(String)

    /// One message a person can act on.
    public var description: String {
        switch self {
        case .noJava(let message), .noSparkSubmit(let message), .splitDiffers(let message), .unsupported(let message):
            return message
        case .masterUnreachable(let master, let reason):
            return "cannot reach the Spark master \(master): \(reason); check the address and that the master is running"
        case .jobFailed(let status, let tail, let log):
            return "the Spark job failed (exit status \(status)); the last lines of its driver log (\(log)):\n" + tail.map { "  " + $0 }.joined(separator: "\n")
        case .badShards(let file, let message):
            return "\(file): \(message)"
        }
    }
}
