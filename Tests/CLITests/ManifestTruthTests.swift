import Archive
import Foundation
import Testing

/// What an archive's manifest says about its run is what the run did:
/// threads, update rule, and how the data was split.
@Suite("Manifests record what the run did")
struct ManifestTruthTests {
    private func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// 40 users x 8 rated events over 20 items.
    private func ratings(in dir: String) throws -> String {
        var text = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        for user in 0..<40 { for k in 0..<8 { text += "u\(user)\ti\((user * 3 + k) % 20)\t\(1 + (user + k) % 5)\t\(k)\n" } }
        try text.write(toFile: dir + "/r.inter", atomically: true, encoding: .utf8)
        return dir + "/r.inter"
    }

    @Test("nextitem train --threads 2 writes threads 2 into the model's manifest")
    func threads() throws {
        let dir = try folder()
        let data = try ratings(in: dir)
        for threads in ["1", "2"] {
            let out = "\(dir)/n\(threads).warm"
            let (status, stderr) = try runWarmstart(["nextitem", "train", "--data", data, "--dim", "8", "--max-length", "5", "--epochs", "1",
                                                     "--threads", threads, "--out", out])
            #expect(status == 0, "\(stderr)")
            #expect(try WarmArchive.readManifest(path: out).threads == Int(threads))
        }
    }

    @Test("pretrain mf records the update rule that ran, and refuses one it does not know")
    func updateRule() throws {
        let dir = try folder()
        let data = try ratings(in: dir)
        for rule in ["sgd", "adagrad", "adam"] {
            let out = "\(dir)/\(rule).warm"
            #expect(try runWarmstart(["pretrain", "mf", "--data", data, "--epochs", "1", "--dim", "4", "--optimizer", rule, "--out", out]).status == 0)
            let recorded = try WarmArchive.readManifest(path: out).hyperparameters["optimizer"]?.string
            #expect(recorded?.hasPrefix(rule + " ") == true, "\(rule): \(String(describing: recorded))")
        }
        let (status, stderr) = try runWarmstart(["pretrain", "mf", "--data", data, "--optimizer", "adamm", "--out", dir + "/x.warm"])
        #expect(status != 0 && stderr.contains("adamm") && !FileManager.default.fileExists(atPath: dir + "/x.warm"))
    }

    @Test("a classifier's archive names the split its task used")
    func splitName() throws {
        let dir = try folder()
        let bags = (0..<40).map { k in (k % 2 == 0 ? "fraud\ti1 i2:2 i\(k)" : "ok\ti3 i4 i\(k)") }.joined(separator: "\n")
        try bags.write(toFile: dir + "/bags.tsv", atomically: true, encoding: .utf8)
        let out = dir + "/c.warm"
        let (status, stderr) = try runWarmstart(["classify", "train", "--task", "items", "--data", dir + "/bags.tsv", "--positive-label", "fraud",
                                                 "--epochs", "1", "--out", out])
        #expect(status == 0, "\(stderr)")
        let split = try WarmArchive.readManifest(path: out).data?.split
        #expect(split?.hasPrefix("stratified 80/20 (seed 0)") == true && split?.hasSuffix("trained on the fit part") == true, "\(String(describing: split))")
    }
}

@Suite("datasets info takes the same data options as the other commands")
struct DatasetsInfoTests {
    @Test("datasets info FILE --columns counts a delimited file's users, items and ratings")
    func columns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("info-\(UUID().uuidString).txt").path
        try "who;what;score\nu1;i1;4\nu2;i2;3\nu1;i2;5\n".write(toFile: path, atomically: true, encoding: .utf8)
        let out = path + ".out"
        let (status, stderr) = try runWarmstart(["datasets", "info", path, "--columns", "who,what,score", "--delimiter", ";"], stdout: out)
        #expect(status == 0, "\(stderr)")
        // "name   value" per line: the name, then two or more spaces.
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").reduce(into: [String: String]()) { rows, line in
            guard let gap = line.range(of: "  ") else { return }
            rows[String(line[..<gap.lowerBound])] = line[gap.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        #expect(rows["users"] == "2" && rows["items"] == "2" && rows["interactions"] == "3" && rows["mean rating"] == "4.000", "\(rows)")
    }
}
