/// Hands memory to worker threads that write it without locks (word2vec's
/// "Hogwild" updates, and one result slot per thread). The races on the
/// embedding tables are the algorithm's, by design; nothing else is shared.
struct LockFreeShare<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
}
