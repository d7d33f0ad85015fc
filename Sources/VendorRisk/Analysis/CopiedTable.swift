extension UnsafeMutableBufferPointer {
    /// The elements of `array` in memory of their own: a table written once and then read in a hot
    /// loop without the retain and release that reading an array kept in a class costs. The owner
    /// frees it (`deallocate`, after `deinitialize` for elements that hold references).
    static func copying(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, array.count))
        _ = memory.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: memory[0..<array.count])
    }
}
