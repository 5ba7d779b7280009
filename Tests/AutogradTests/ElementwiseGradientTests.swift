import Autograd
import Testing

@Suite("Element-wise ops: gradients against finite differences")
struct ElementwiseGradientTests {
    static let broadcastShapes: [(String, [Int])] = [
        ("same", [3, 4]), ("row [D]", [4]), ("row [1,D]", [1, 4]), ("column", [3, 1]), ("scalar", [1]),
    ]

    @Test("add, sub, mul, div under every broadcast", arguments: ["add", "sub", "mul", "div"])
    func binaryOps(op: String) throws {
        for (name, bShape) in Self.broadcastShapes {
            let a = randomParameter([3, 4], seed: 1)
            let b = randomParameter(bShape, seed: 2, positive: op == "div")
            try expectGradientsMatch([a, b]) { tape in
                let x = tape.parameter(a), y = tape.parameter(b)
                switch op {
                case "add": return x + y
                case "sub": return x - y
                case "mul": return x * y
                default: return x / y
                }
            }
            _ = name
        }
    }

    @Test("broadcast forward values")
    func broadcastValues() {
        let tape = Tape()
        let a = tape.constant(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        #expect(tape.add(a, tape.constant(Tensor(shape: [3], scalars: [10, 20, 30]))).value.scalars
                == [11, 22, 33, 14, 25, 36])
        #expect(tape.mul(a, tape.constant(Tensor(shape: [2, 1], scalars: [2, 3]))).value.scalars
                == [2, 4, 6, 12, 15, 18])
        #expect(tape.sub(a, tape.constant(Tensor(shape: [1], scalars: [1]))).value.scalars == [0, 1, 2, 3, 4, 5])
    }

    @Test("shapes that do not broadcast are named in the error")
    func broadcastError() {
        guard case .failure(let error) = Broadcast.resolve(op: "add", [2, 3], [4]) else {
            Issue.record("[2,3] + [4] should not broadcast"); return
        }
        #expect(error.op == "add")
        #expect(error.description.contains("[2, 3]") && error.description.contains("[4]"))
        #expect(Broadcast.resolve(op: "mul", [5, 3], [5, 1]) == .success(.column))
        #expect(Broadcast.resolve(op: "mul", [7, 2, 3], [3]) == .success(.row))
    }

    @Test("scalar ops: affine, +, -, *, /, negation")
    func scalarOps() throws {
        let a = randomParameter([2, 5], seed: 3)
        try expectGradientsMatch([a]) { tape in
            let x = tape.parameter(a)
            return -((x * 3 + 1.5) / 2 - 0.25)
        }
    }

    @Test("activations", arguments: ["relu", "sigmoid", "tanh", "gelu", "exp", "log", "square"])
    func activations(name: String) throws {
        let a = randomParameter([4, 6], seed: 4, awayFromZero: name == "relu", positive: name == "log")
        try expectGradientsMatch([a]) { tape in
            let x = tape.parameter(a)
            switch name {
            case "relu": return tape.relu(x)
            case "sigmoid": return tape.sigmoid(x)
            case "tanh": return tape.tanh(x)
            case "gelu": return tape.gelu(x)
            case "exp": return tape.exp(x)
            case "log": return tape.log(x)
            default: return tape.square(x)
            }
        }
    }

    @Test("activation values at known points")
    func activationValues() {
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [3], scalars: [-1, 0, 2]))
        #expect(tape.relu(x).value.scalars == [0, 0, 2])
        let s = tape.sigmoid(x).value.scalars
        #expect(abs(s[1] - 0.5) < 1e-7 && abs(s[2] - 0.880797) < 1e-5)
        let g = tape.gelu(x).value.scalars  // PyTorch: gelu(-1) = -0.158655, gelu(2) = 1.954500
        #expect(abs(g[0] + 0.158655) < 1e-5 && abs(g[2] - 1.954500) < 1e-5)
        let big = tape.sigmoid(tape.constant(Tensor(shape: [2], scalars: [-100, 100]))).value.scalars
        #expect(big[0] >= 0 && big[0] < Float.leastNormalMagnitude && big[1] == 1)
    }
}
