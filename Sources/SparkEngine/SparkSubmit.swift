import Foundation

/// Runs the job script with spark-submit: checks Java, spark-submit and the
/// master first, forwards the job's own progress lines, keeps Spark's log
/// in the work folder and shows its last lines when the job fails.
public enum SparkSubmit {
    /// The prefix of the job's progress lines on standard output.
    static let progressPrefix = "warmstart-spark: "

    /// Writes the job script into `workFolder` and runs it with `arguments`; `note` hears its progress.
    public static func run(arguments: [String], name: String, settings: SparkSettings, workFolder: String, note: (String) -> Void) throws {
        let environment = ProcessInfo.processInfo.environment
        _ = try SparkTools.java(environment: environment)
        let submit = try SparkTools.sparkSubmit(settings.sparkSubmit, environment: environment)
        try SparkMaster.check(settings.master)
        let script = workFolder + "/warmstart_spark.py"
        try jobScript().write(toFile: script, atomically: true, encoding: .utf8)

        var options = ["--master", settings.master, "--name", name]
        if settings.master.hasPrefix("local") {
            options += ["--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=8"]
        }
        for setting in settings.conf { options += ["--conf", setting] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: submit)
        process.arguments = options + [script] + arguments
        var childEnvironment = environment
        if let python = SparkTools.python(besides: submit, environment: environment) {
            childEnvironment["PYSPARK_PYTHON"] = python
            childEnvironment["PYSPARK_DRIVER_PYTHON"] = python
        }
        process.environment = childEnvironment
        let logPath = workFolder + "/driver.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw SparkError.unsupported("cannot create \(logPath)") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = log
        note("spark-submit --master \(settings.master) (\(submit)); Spark's log: \(logPath)")
        do { try process.run() } catch { throw SparkError.noSparkSubmit("cannot start \(submit): \(error.localizedDescription)") }
        var pending = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                if line.hasPrefix(progressPrefix) { note("spark: " + line.dropFirst(progressPrefix.count)) }
                else { try? log.write(contentsOf: Data((line + "\n").utf8)) }
            }
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw SparkError.jobFailed(status: process.terminationStatus, logTail: tail(of: logPath), log: logPath)
        }
    }

    /// The job script shipped with this library.
    public static func jobScript() throws -> String {
        guard let url = Bundle.module.url(forResource: "warmstart_spark", withExtension: "py") else {
            throw SparkError.unsupported("the Spark job script (warmstart_spark.py) is missing from this build's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The last lines of Spark's log that say something (INFO lines left out).
    static func tail(of path: String, lines: Int = 15) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let useful = text.split(separator: "\n").filter { !$0.contains(" INFO ") }
        return useful.suffix(lines).map(String.init)
    }
}
