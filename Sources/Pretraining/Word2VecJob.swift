import Archive

extension SkipGramRunner {
    /// The whole `pretrain word2vec` job on `lines` of text from `name`
    /// (SHA-256 `fingerprint`): the corpus (words seen at least
    /// `config.minimumCount` times), a note on it (and on a small corpus),
    /// training, and the archive with the text's provenance.
    public static func runWord2Vec(lines: [String], name: String, fingerprint: String, config: SkipGramConfig, note: ((String) -> Void)? = nil,
                                   progress: ((EpochReport) -> Void)? = nil) throws -> (result: SkipGramRunResult, archive: ArchiveContents) {
        let corpus = Corpora.text(lines, minimumCount: config.minimumCount)
        note?("word2vec: \(lines.count) lines, \(corpus.tokenCount) words, \(corpus.keys.count) kept (min count \(config.minimumCount)), dim \(config.dimension), \(config.threads) thread(s), seed \(config.seed)")
        if let small = config.smallCorpusNote(tokens: corpus.tokenCount) { note?(small) }
        let result = try runText(corpus, config: config, progress: progress)
        return (result, result.archive(data: .init(name: name, fingerprint: fingerprint, split: "all text (unlabelled)")))
    }
}
