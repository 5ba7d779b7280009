"""Warmstart's pretraining job for Apache Spark (PySpark 3.4 or later).

`warmstart pretrain als|item2vec|sessions --engine spark` writes this file
into its work folder and runs it with spark-submit; it can also be submitted
by hand on a cluster (see README.md, "Beyond one machine"). It

1. reads an interactions file (any path or URI Spark reads: file, HDFS, S3),
2. builds the leave-last-out training part as Warmstart does (each user's
   events ordered by timestamp, then item key, numeric keys by value first,
   then file order; the last event is the test target, the one before it
   the validation target; users with fewer than 3 events keep all for
   training), with Spark SQL window functions,
3. trains MLlib ALS (implicit, every training pair a positive) or Word2Vec
   over ordered user sequences or sessions cut at a time gap,
4. writes the vectors from the executors as shards (`TABLE-NNNNN.npy` with
   `TABLE-NNNNN.keys`: key, training count, first row of the key in the
   file), nothing collected to the driver but each shard's size and digest,
5. writes `job.json` last (its presence means the job finished): the Spark
   version, master, every parameter, the split's counts, the shards.
"""
import argparse
import hashlib
import io
import json
import os
import shutil
import sys
import time

import numpy as np
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F


def arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--job", choices=["als", "item2vec", "sessions"], required=True)
    p.add_argument("--data", required=True, help="interactions file: a path or a URI Spark reads")
    p.add_argument("--out", required=True, help="shard folder every executor can write and the caller can read")
    p.add_argument("--delimiter", default="\t")
    p.add_argument("--header", choices=["yes", "no"], default="yes")
    p.add_argument("--user", required=True, help="user column: a header name, or a 0-based position without a header")
    p.add_argument("--item", required=True)
    p.add_argument("--rating")
    p.add_argument("--timestamp")
    p.add_argument("--seed", type=int, default=0)
    # ALS
    p.add_argument("--factors", type=int, default=64)
    p.add_argument("--iterations", type=int, default=15)
    p.add_argument("--alpha", type=float, default=4.0)
    p.add_argument("--regularization", type=float, default=0.0001)
    # Word2Vec
    p.add_argument("--dim", type=int, default=64)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--learning-rate", type=float, default=0.025)
    p.add_argument("--partitions", type=int, default=1, help="Word2Vec's numPartitions (1 keeps its quality)")
    p.add_argument("--max-sentence-length", type=int, default=1000)
    p.add_argument("--gap", type=float, default=1800.0, help="sessions: cut at gaps longer than this many seconds")
    return p.parse_args(argv)


def say(message):
    print("warmstart-spark: " + message, flush=True)


def column(frame, given, header, name):
    """The frame's column for `given` (a header name, or a position without a header)."""
    if header:
        if given not in frame.columns:
            raise SystemExit(f"error: column {given!r} ({name}) is not in the header: {', '.join(frame.columns)}")
        return F.col(f"`{given}`")
    if not given.isdigit() or int(given) >= len(frame.columns):
        raise SystemExit(f"error: without a header, {name} must be a column position 0..{len(frame.columns) - 1}, not {given!r}")
    return F.col(f"_c{given}")


def read_events(spark, a):
    header = a.header == "yes"
    reader = spark.read.option("sep", a.delimiter).option("header", header).option("inferSchema", False)
    reader = reader.option("quote", '"' if a.delimiter == "," else "\u0000").option("mode", "FAILFAST")
    raw = reader.csv(a.data)
    # RecBole headers name a column's type after a colon (user_id:token).
    raw = raw.toDF(*[c.split(":")[0] for c in raw.columns])
    events = raw.select(
        column(raw, a.user, header, "user").alias("user"),
        column(raw, a.item, header, "item").alias("item"),
        (column(raw, a.rating, header, "rating") if a.rating else F.lit(None)).alias("rating_text"),
        (column(raw, a.timestamp, header, "timestamp") if a.timestamp else F.lit("0")).alias("ts_text"),
    ).withColumn("row", F.monotonically_increasing_id())
    events = events.withColumn("rating", F.expr("try_cast(rating_text as double)")).withColumn("ts", F.expr("try_cast(ts_text as double)"))
    bad = events.where(F.col("user").isNull() | (F.col("user") == "") | F.col("item").isNull() | (F.col("item") == "")
                       | F.col("ts").isNull() | (F.col("rating").isNull() & F.col("rating_text").isNotNull())).first()
    if bad is not None:
        raise SystemExit(f"error: {a.data}: a row with an empty key or an unreadable rating or timestamp: "
                         f"user={bad['user']!r} item={bad['item']!r} rating={bad['rating_text']!r} timestamp={bad['ts_text']!r}")
    for key in ("user", "item"):
        if events.where(F.col(key).rlike("[\t\n\r]")).first() is not None:
            raise SystemExit(f"error: {a.data}: a {key} key contains a tab or a line break")
    return events.select("user", "item", "rating", "ts", "row")


def leave_last_out(events):
    """Each user's events with their part: train, validation or test."""
    numeric = F.expr("try_cast(item as bigint)")
    ordered = Window.partitionBy("user").orderBy("ts", numeric.isNull(), numeric, "item", "row")
    counted = events.withColumn("pos", F.row_number().over(ordered)).withColumn("n", F.count("*").over(Window.partitionBy("user")))
    part = (F.when(F.col("n") < 3, "train").when(F.col("pos") == F.col("n"), "test")
            .when(F.col("pos") == F.col("n") - 1, "validation").otherwise("train"))
    return counted.withColumn("part", part)


def split_summary(parts):
    digest = F.conv(F.substring(F.sha2(F.concat_ws("\t", "user", "item"), 256), 1, 8), 16, 10).cast("long")
    row = parts.groupBy().agg(
        F.count("*").alias("rows"),
        F.sum(F.when(F.col("part") == "train", 1).otherwise(0)).alias("train_events"),
        F.sum(F.when(F.col("part") == "validation", 1).otherwise(0)).alias("validation_targets"),
        F.sum(F.when(F.col("part") == "test", 1).otherwise(0)).alias("test_targets"),
        F.sum(F.when(F.col("part") == "test", digest).otherwise(0)).alias("test_checksum"),
        F.countDistinct("user").alias("users")).first()
    return {k: int(row[k] or 0) for k in row.asDict()}


def key_index(parts, key):
    """Every key of the training part: its training count, first row in the whole file, and a dense id."""
    keyed = parts.groupBy(key).agg(F.sum(F.when(F.col("part") == "train", 1).otherwise(0)).alias("count"), F.min("row").alias("first")) \
        .where(F.col("count") > 0)
    indexed = keyed.rdd.zipWithIndex().map(lambda r: (r[0][key], r[0]["count"], r[0]["first"], r[1]))
    return indexed.toDF([key, "count", "first", "id"])


def write_shards(frame, folder, table):
    """Writes (key, count, first, vector) rows from each executor as TABLE-NNNNN.npy and .keys; returns what was written."""
    def write(index, rows):
        rows = list(rows)
        if not rows:
            return []
        keys = "".join(f"{r[0]}\t{r[1]}\t{r[2]}\n" for r in rows).encode("utf-8")
        buffer = io.BytesIO()
        np.save(buffer, np.asarray([list(r[3]) for r in rows], dtype="<f4"))
        npy = buffer.getvalue()
        name = f"{table}-{index:05d}"
        for suffix, payload in ((".npy", npy), (".keys", keys)):
            path = os.path.join(folder, name + suffix)
            with open(path + ".tmp", "wb") as f:
                f.write(payload)
            os.replace(path + ".tmp", path)
        return [{"table": table, "index": index, "rows": len(rows), "npy": name + ".npy", "keys": name + ".keys",
                 "npy_sha256": hashlib.sha256(npy).hexdigest(), "keys_sha256": hashlib.sha256(keys).hexdigest()}]
    return frame.rdd.mapPartitionsWithIndex(write).collect()


def train_als(a, parts, folder):
    from pyspark.ml.recommendation import ALS
    train = parts.where(F.col("part") == "train")
    users, items = key_index(parts, "user"), key_index(parts, "item")
    pairs = train.select("user", "item").distinct().join(users.select("user", F.col("id").alias("u")), "user") \
        .join(items.select("item", F.col("id").alias("i")), "item").select("u", "i", F.lit(1.0).alias("r"))
    # Without a checkpoint folder ALS's lineage grows with every sweep, and deserialising a task of a late
    # sweep can overflow an executor thread's stack (seen once in CI at 15 sweeps); with one, ALS cuts the
    # lineage every checkpointInterval (10) sweeps. A sibling of the shard folder, which executors can write.
    checkpoints = folder.rstrip("/") + ".checkpoints"
    parts.sparkSession.sparkContext.setCheckpointDir(checkpoints)
    als = ALS(rank=a.factors, maxIter=a.iterations, regParam=a.regularization, alpha=a.alpha, implicitPrefs=True,
              userCol="u", itemCol="i", ratingCol="r", seed=a.seed, coldStartStrategy="drop", checkpointInterval=10)
    start = time.time()
    model = als.fit(pairs)
    trained = time.time() - start
    say(f"ALS trained in {trained:.1f} s")
    shards = write_shards(items.join(model.itemFactors, items.id == model.itemFactors.id).select("item", "count", "first", "features"), folder, "vectors")
    shards += write_shards(users.join(model.userFactors, users.id == model.userFactors.id).select("user", "count", "first", "features"), folder, "users")
    counted = pairs.count()
    shutil.rmtree(checkpoints, ignore_errors=True)
    return shards, trained, {"pairs": counted}


def sentences(a, train):
    ordered = Window.partitionBy("user").orderBy("pos")
    if a.job == "sessions":
        gap = F.col("ts") - F.lag("ts").over(ordered)
        train = train.withColumn("cut", F.when(gap > a.gap, 1).otherwise(0)).withColumn("session", F.sum("cut").over(ordered))
        group = ["user", "session"]
    else:
        group = ["user"]
    grouped = train.groupBy(*group).agg(F.sort_array(F.collect_list(F.struct("pos", "item"))).alias("events"))
    return grouped.select(F.col("events.item").alias("sentence")).where(F.size("sentence") >= 2)


def train_word2vec(a, parts, folder):
    from pyspark.ml.feature import Word2Vec
    corpus = sentences(a, parts.where(F.col("part") == "train")).cache()
    stats = corpus.agg(F.count("*").alias("sentences"), F.sum(F.size("sentence")).alias("tokens")).first()
    say(f"{stats['sentences']} sentences, {stats['tokens']} tokens")
    w2v = Word2Vec(vectorSize=a.dim, minCount=a.min_count, windowSize=a.window, maxIter=a.epochs, stepSize=a.learning_rate,
                   seed=a.seed, numPartitions=a.partitions, maxSentenceLength=a.max_sentence_length, inputCol="sentence")
    start = time.time()
    model = w2v.fit(corpus)
    trained = time.time() - start
    say(f"Word2Vec trained in {trained:.1f} s")
    items = key_index(parts, "item")
    vectors = model.getVectors()
    rows = items.join(vectors, items.item == vectors.word).select("item", "count", "first", "vector")
    return write_shards(rows, folder, "vectors"), trained, {"sentences": int(stats["sentences"]), "tokens": int(stats["tokens"] or 0)}


def main(argv):
    a = arguments(argv)
    folder = a.out[len("file://"):] if a.out.startswith("file://") else a.out
    os.makedirs(folder, exist_ok=True)
    spark = SparkSession.builder.appName(f"warmstart-{a.job}").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    began = time.time()
    parts = leave_last_out(read_events(spark, a)).cache()
    summary = split_summary(parts)
    say(f"{summary['rows']} events, {summary['users']} users; training part {summary['train_events']} events")
    job = train_als if a.job == "als" else train_word2vec
    shards, trained, corpus = job(a, parts, folder)
    relevant = {"als": ["factors", "iterations", "alpha", "regularization"],
                "item2vec": ["dim", "window", "min_count", "epochs", "learning_rate", "partitions", "max_sentence_length"]}
    relevant["sessions"] = relevant["item2vec"] + ["gap"]
    parameters = {k: getattr(a, k) for k in ["delimiter", "header", "user", "item", "rating", "timestamp", "seed"] + relevant[a.job]}
    differences = (["confidence 1 + alpha per distinct training pair, as Warmstart; MLlib scales the L2 weight by each row's count (ALS-WR), Warmstart does not"]
                   if a.job == "als" else
                   ["MLlib Word2Vec is skip-gram with hierarchical softmax (Warmstart: negative sampling), no subsampling",
                    f"sentences longer than {a.max_sentence_length} are cut"]
                   + (["no conversion as global context and no market negatives (MLlib's Word2Vec has neither)"] if a.job == "sessions" else []))
    record = {"format": "warmstart-spark-shards", "format_version": 1, "job": a.job, "spark_version": spark.version,
              "master": spark.sparkContext.master, "application_id": spark.sparkContext.applicationId,
              "data": a.data, "parameters": parameters, "split": summary, "corpus": corpus, "differences": differences,
              "train_seconds": trained, "job_seconds": time.time() - began, "shards": sorted(shards, key=lambda s: (s["table"], s["index"]))}
    with open(os.path.join(folder, "job.json.tmp"), "w") as f:
        json.dump(record, f, indent=1)
    os.replace(os.path.join(folder, "job.json.tmp"), os.path.join(folder, "job.json"))
    say(f"wrote {len(shards)} shard(s) to {folder}")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
