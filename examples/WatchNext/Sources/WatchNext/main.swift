import Warmstart

// Usage: WatchNext ITEM_VECTORS.warm MODEL_OUT.warm
// Trains a GRU next-item model on ml-100k with its item table started from an archive (for example item2vec),
// saves it, and asks it what to watch after three films.
let arguments = CommandLine.arguments
guard arguments.count == 3 else { fatalError("usage: WatchNext ITEM_VECTORS.warm MODEL_OUT.warm") }
let items = try KeyedEmbeddings(try WarmArchive.read(path: arguments[1]))
let movies = try DataSource("ml-100k").interactions()

var config = NextItemRunConfig()
config.start = .finetuned
config.training.epochs = 3
config.training.evaluateEvery = 1
let metrics = try NextItemRunner.train(movies, archive: items, config: config, files: NextItemFiles(model: arguments[2]))
print("test HR@10 \(metrics["test_hr@10"]?.number ?? .nan) (popularity \(metrics["popularity_hr@10"]?.number ?? .nan))")

let recommender = try NextItemRecommender(path: arguments[2])
let history = ["50", "172", "181"]  // Star Wars, The Empire Strikes Back, Return of the Jedi
for item in recommender.recommend(after: history, k: 5) {
    print("\(item.key)\t\(movies.catalog?.titles[item.key] ?? "")")
}
