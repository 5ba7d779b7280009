import Autograd
import Testing

@Suite("Scratch pool: large working arrays reused between steps")
struct ScratchPoolTests {
    /// A returned block serves the next request it can hold (the same
    /// memory), a bigger request gets new memory, and no more than `kept`
    /// blocks stay.
    @Test func reusesReturnedBlocks() {
        let pool = ScratchPool(kept: 2)
        var first: TensorStorage? = pool.storage(count: 1000)
        let address = first!.pointer
        first!.pointer.update(repeating: 7, count: 1000)
        first = nil
        #expect(pool.keptCount == 1)
        let smaller = pool.storage(count: 600)
        #expect(smaller.pointer == address && smaller.count == 600)
        let bigger = pool.storage(count: 2000)
        #expect(bigger.pointer != address)
        var extra: TensorStorage? = pool.storage(count: 10)
        #expect(pool.keptCount == 0)
        extra = nil
        _ = (smaller, bigger, extra)
    }

    /// Three blocks returned to a pool that keeps two: the two largest stay.
    @Test func keepsTheLargest() {
        let pool = ScratchPool(kept: 2)
        var blocks: [TensorStorage] = [10, 3000, 200].map { pool.storage(count: $0) }
        let largest = blocks[1].pointer
        blocks.removeAll()
        #expect(pool.keptCount == 2)
        let taken = pool.storage(count: 2500)
        #expect(taken.pointer == largest)
        #expect(pool.keptCount == 1)
    }
}
