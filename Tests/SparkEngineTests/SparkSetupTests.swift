import Datasets
import Downstream
import Foundation
import SparkEngine
import Testing

@Suite("Spark set-up errors and data layouts")
struct SparkSetupTests {
    @Test("no Java: a JAVA_HOME without bin/java, or no java on PATH, is said plainly with the fix")
    func noJava() {
        #expect(throws: SparkError.self) { try SparkTools.java(environment: ["JAVA_HOME": "/nonexistent-jdk", "PATH": "/usr/bin"]) }
        do { _ = try SparkTools.java(environment: ["PATH": "/nonexistent"]); Issue.record("found a java on an empty PATH") } catch {
            #expect("\(error)".contains("openjdk-17-jre-headless"))
        }
    }

    @Test("no spark-submit: a wrong path, or none on PATH, names pyspark and make sparkdeps")
    func noSparkSubmit() {
        do { _ = try SparkTools.sparkSubmit("/nonexistent/spark-submit", environment: [:]); Issue.record("accepted a missing spark-submit") } catch {
            #expect("\(error)".contains("/nonexistent/spark-submit") && "\(error)".contains("make sparkdeps"))
        }
        do { _ = try SparkTools.sparkSubmit(nil, environment: ["PATH": "/nonexistent"]); Issue.record("found spark-submit on an empty PATH") } catch {
            #expect("\(error)".contains("pip install pyspark"))
        }
    }

    @Test("a standalone master nobody listens on is refused in seconds; a malformed master is refused")
    func unreachableMaster() throws {
        // A port just released by the system has no listener.
        let port = try freePort()
        let started = Date()
        do { try SparkMaster.check("spark://127.0.0.1:\(port)"); Issue.record("a closed port was taken for a master") } catch let error as SparkError {
            guard case .masterUnreachable(let master, _) = error else { Issue.record("\(error)"); return }
            #expect(master == "spark://127.0.0.1:\(port)")
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(throws: SparkError.self) { try SparkMaster.check("spark://no-port-here") }
        #expect(throws: SparkError.self) { try SparkMaster.check("nonsense") }
        try SparkMaster.check("local[2]")
        try SparkMaster.check("yarn")
    }

    @Test("the job reads each file the way Warmstart's own reader does")
    func layouts() throws {
        let inter = try SparkDataLayout(DataSource("x/ml.inter"), path: "x/ml.inter")
        #expect(inter.uri == "x/ml.inter" && inter.delimiter == "\t" && inter.header)
        #expect([inter.user, inter.item, inter.rating, inter.timestamp] == ["user_id", "item_id", "rating", "timestamp"])
        let uData = try SparkDataLayout(DataSource("hdfs://n/ml/u.data"), path: "hdfs://n/ml/u.data")
        #expect(!uData.header && uData.user == "0" && uData.timestamp == "3")
        let csv = try SparkDataLayout(DataSource("s3a://b/ratings.csv"), path: "s3a://b/ratings.csv")
        #expect(csv.delimiter == "," && csv.item == "movieId")
        let named = try SparkDataLayout(DataSource("log.txt", columns: ["who", "what"], delimiter: "|"), path: "log.txt")
        #expect(named.delimiter == "|" && named.header && named.user == "who" && named.rating == nil && named.timestamp == nil)
        #expect(throws: SparkError.self) { try SparkDataLayout(DataSource("log.txt"), path: "log.txt") }
        var ordered = DataSource("log.txt", columns: ["u", "i"])
        ordered.order = ["day", "seq"]
        #expect(throws: SparkError.self) { try SparkDataLayout(ordered, path: "log.txt") }
        #expect(SparkDataLayout.isRemote("hdfs://n/x.inter") && SparkDataLayout.isRemote("file:///tmp/x.inter") && !SparkDataLayout.isRemote("x.inter"))
    }

    @Test("the job script ships with the library and names every job")
    func scriptShips() throws {
        let script = try SparkSubmit.jobScript()
        for kind in SparkJob.Kind.allCases { #expect(script.contains("\"\(kind.rawValue)\"")) }
    }
}

/// A TCP port that was free a moment ago.
func freePort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw SparkError.unsupported("no free port") }
    return UInt16(bigEndian: address.sin_port)
}
