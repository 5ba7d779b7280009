import Warmstart

// Usage: SpamDetector WORD_VECTORS.warm MODEL_OUT.warm
// Fine-tunes the SMS spam detector from an archive of word vectors on 10% of the labels, beside a random start,
// saves the fine-tuned model, and scores two new messages with it.
let arguments = CommandLine.arguments
guard arguments.count == 3 else { fatalError("usage: SpamDetector WORD_VECTORS.warm MODEL_OUT.warm") }
let words = try KeyedEmbeddings(try WarmArchive.read(path: arguments[1]))
let task = try ClassificationTaskName.spam.make(ClassificationTaskName.Options()).task

var config = ClassificationRunConfig()
config.dimension = words.dimension
config.training.epochs = 40
for start in [StartMode.random, ClassificationRunConfig.recommendedStart] {  // gradual unfreezing, rows scaled to length 1
    config.start = start
    let metrics = try ClassificationRunner.train(task, source: "sms-spam", archive: words, config: config, fraction: 0.1,
                                                 modelPath: start == .random ? nil : arguments[2])
    print("\(start.rawValue): test spam F1 \(metrics["f1"]?.number ?? .nan)")
}

let detector = try ClassifierPredictor(path: arguments[2])
let messages = ["WINNER! You have won a free prize, call now to claim", "see you at lunch tomorrow?"]
for (message, prediction) in zip(messages, detector.predict(messages.map { detector.bag(text: $0) })) {
    print("\(prediction.call) (p(spam) = \(prediction.probabilities[1])): \(message)")
}
