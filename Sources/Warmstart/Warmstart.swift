// The `Warmstart` library product: one import for users' own code.
//
//     import Warmstart
//
//     let items = try KeyedEmbeddings(try WarmArchive.read(path: "item2vec.warm"))
//     let metrics = try NextItemRunner.train(try DataSource("ml-100k").interactions(), archive: items, config: NextItemRunConfig())
//
// See README.md ("Use it from Swift") and examples/ for complete programs.
@_exported import Archive
@_exported import Autograd
@_exported import Datasets
@_exported import Downstream
@_exported import Evaluation
@_exported import FileIO
@_exported import Layers
@_exported import Optimizers
@_exported import Pretraining
@_exported import Reports
@_exported import SparkEngine
