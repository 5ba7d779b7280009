import Archive
import Autograd
import Foundation
import Testing

@Suite(".npy files")
struct NpyTests {
    @Test("headers are padded to 64 bytes and parse back")
    func header() throws {
        let data = NpyHeader.encode(shape: [1_000_000, 64])
        #expect(data.count % 64 == 0)
        let h = try NpyHeader.parse(data, name: "x")
        #expect(h.shape == [1_000_000, 64] && h.isNative && h.dataOffset == data.count)
        #expect(try NpyHeader.parse(NpyHeader.encode(shape: [5]), name: "x").shape == [5])
    }

    @Test("numpy's big-endian, Fortran-order and float64 arrays are converted, and say so; memory-mapping refuses them",
          .enabled(if: pythonReady(["numpy"])))
    func conversions() throws {
        try requirePython(["numpy"])
        let dir = try temporaryFolder()
        let script = """
            import numpy
            a = numpy.arange(6, dtype='<f4').reshape(2, 3) / 4
            numpy.save('\(dir)/native.npy', a); numpy.save('\(dir)/big.npy', a.astype('>f4'))
            numpy.save('\(dir)/fortran.npy', numpy.asfortranarray(a)); numpy.save('\(dir)/double.npy', a.astype('<f8'))
            numpy.save('\(dir)/int.npy', numpy.arange(3))
            """
        #expect(python(script) != nil)
        let expected: [Float] = [0, 0.25, 0.5, 0.75, 1, 1.25]
        let (native, none) = try NpyFile.read(path: dir + "/native.npy")
        #expect(native.scalars == expected && none == nil)
        #expect(try NpyFile.mapped(path: dir + "/native.npy").scalars == expected)
        for (file, word) in [("big", "big-endian"), ("fortran", "Fortran"), ("double", "float64")] {
            let (t, note) = try NpyFile.read(path: "\(dir)/\(file).npy")
            #expect(t.shape == [2, 3] && t.scalars == expected, "\(file)")
            #expect(note?.contains(word) == true, "\(file): \(String(describing: note))")
            let refused = archiveError { _ = try NpyFile.mapped(path: "\(dir)/\(file).npy") }
            #expect(refused?.message.contains("cannot memory-map") == true)
        }
        let int = archiveError { _ = try NpyFile.read(path: dir + "/int.npy") }
        #expect(int?.message.contains("is not float32 or float64") == true)
    }

    @Test("a memory-mapped tensor is the file's data, with no copy")
    func mapped() throws {
        let path = try temporaryFolder() + "/v.npy"
        var rng = SeededGenerator(seed: 4)
        let t = Tensor.normal(shape: [100, 8], using: &rng)
        try NpyFile.write(t, to: path)
        let m = try NpyFile.mapped(path: path)
        #expect(m.shape == [100, 8] && m.scalars == t.scalars)
    }
}
