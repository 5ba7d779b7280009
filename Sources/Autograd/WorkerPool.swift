import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The one pool every parallel kernel runs on: row-wise kernels, products
/// split by `gemm`, the loss blocks. OpenBLAS itself stays on one thread, so
/// no second pool competes with this one for the cores. Its threads wait for
/// the next job spinning for a short while before they sleep: a training
/// step's ops come back to back, and waking a sleeping thread costs tens of
/// microseconds on a virtual machine, as much as half of a 50 MFLOP product.
/// Work started from inside a worker runs on that worker, never fanned out
/// again; a job started while another runs (from another thread) runs on its
/// caller alone. Which thread runs an iteration never changes a result: the
/// iterations write apart and their partial results are combined in order.
enum WorkerThreads {
    private static let insideKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is one of the pool's, or is running a job's iterations.
    static var isInside: Bool { pthread_getspecific(insideKey) != nil }

    /// Marks the calling thread as inside the pool (or not).
    fileprivate static func markInside(_ inside: Bool) {
        pthread_setspecific(insideKey, inside ? UnsafeRawPointer(bitPattern: 1) : nil)
    }

    /// Calls `body(i)` for `i` in `0..<count`, spread over the caller and up
    /// to `count - 1` pool threads, and returns when all are done.
    static func perform(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, !isInside else { for i in 0..<count { body(i) }; return }
        withoutActuallyEscaping(body) { body in
            let job = WorkerJob(count: count, body: body)
            guard WorkerPool.shared.start(job, helpers: count - 1) else { for i in 0..<count { body(i) }; return }
            markInside(true)
            job.runIterations()
            markInside(false)
            job.waitUntilDone()
            WorkerPool.shared.finish()
        }
    }
}

/// One job: its iterations are claimed one at a time by whichever thread is free.
private final class WorkerJob: @unchecked Sendable {
    let count: Int
    let body: (Int) -> Void
    private let next = Atomic<Int>(0), done = Atomic<Int>(0)

    init(count: Int, body: @escaping (Int) -> Void) {
        self.count = count
        self.body = body
    }

    /// Claims and runs iterations until none are left.
    func runIterations() {
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i)
            done.add(1, ordering: .releasing)
        }
    }

    /// Waits for the iterations other threads claimed.
    func waitUntilDone() {
        var spins = 0
        while done.load(ordering: .acquiring) < count {
            spins += 1
            if spins > 1_000 { sched_yield() }
        }
    }
}

/// The pool's threads and the job they are offered. `busy` lets one job
/// in at a time; `published` says the job may be read; a thread counts
/// itself `active` before it looks, and `finish` waits for none to be active
/// before the job is dropped.
private final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle thread checks for a new job before it sleeps.
    private static let spinNanoseconds: UInt64 = 2_000_000

    private let busy = Atomic<Bool>(false), published = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0), sleepers = Atomic<Int>(0), active = Atomic<Int>(0)
    private var job: WorkerJob?
    private var threads = 0
    private var mutex = pthread_mutex_t(), wake = pthread_cond_t()

    private init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
    }

    /// Offers `job` to the pool (growing it to `helpers` threads); false when another job is running.
    func start(_ job: WorkerJob, helpers: Int) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return false }
        while threads < helpers { spawn() }
        self.job = job
        published.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(&mutex)
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }
        return true
    }

    /// Ends the running job once every iteration is done: waits for the
    /// threads still looking at it, then lets the next job in.
    func finish() {
        published.store(false, ordering: .sequentiallyConsistent)
        while active.load(ordering: .sequentiallyConsistent) > 0 { sched_yield() }
        job = nil
        busy.store(false, ordering: .sequentiallyConsistent)
    }

    private func spawn() {
        threads += 1
        var thread = pthread_t()
        let pool = Unmanaged.passUnretained(self).toOpaque()
        pthread_create(&thread, nil, { pool in
            Unmanaged<WorkerPool>.fromOpaque(pool!).takeUnretainedValue().serve()
            return nil
        }, pool)
        pthread_detach(thread)
    }

    /// A pool thread: waits for each new generation and helps with its job.
    private func serve() {
        WorkerThreads.markInside(true)
        var seen = generation.load(ordering: .sequentiallyConsistent)
        while true {
            seen = waitForGeneration(after: seen)
            active.add(1, ordering: .sequentiallyConsistent)
            if published.load(ordering: .sequentiallyConsistent), let job { job.runIterations() }
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// Spins until the generation moves past `seen`, then sleeps until it does.
    private func waitForGeneration(after seen: Int) -> Int {
        let start = monotonicNanoseconds()
        var spins = 0
        while true {
            let now = generation.load(ordering: .sequentiallyConsistent)
            if now != seen { return now }
            spins += 1
            if spins & 255 == 0, monotonicNanoseconds() - start > Self.spinNanoseconds { break }
        }
        pthread_mutex_lock(&mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var now = generation.load(ordering: .sequentiallyConsistent)
        while now == seen {
            pthread_cond_wait(&wake, &mutex)
            now = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(&mutex)
        return now
    }

    private func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
