import KafkaOpsCore
import Testing

@Suite struct WireFormatTests {
    @Test func headerReadsTheBigEndianSchemaID() {
        #expect(WireFormat.header([0, 0, 0, 1, 0x2A, 9]) == WireFormat.Header(schemaID: 298, bodyOffset: 5))
        #expect(WireFormat.header([1, 0, 0, 0, 1]) == nil)
        #expect(WireFormat.header([0, 0, 0, 1]) == nil)
    }

    @Test func protobufIndexesAreZigZagWithZeroMeaningTheFirstMessage() throws {
        #expect(try WireFormat.protobufIndexes([0, 0, 0, 0, 1, 0, 8], at: 5) == ([0], 6))
        // count 2 (zig-zag 4), indexes 1 (2) and 0 (0)
        #expect(try WireFormat.protobufIndexes([0, 0, 0, 0, 1, 4, 2, 0, 9], at: 5) == ([1, 0], 8))
        #expect(throws: WireFormat.IndexError.self) { try WireFormat.protobufIndexes([0, 0, 0, 0, 1, 0x80], at: 5) }
        #expect(throws: WireFormat.IndexError.self) { try WireFormat.protobufIndexes([0, 0, 0, 0, 1, 200, 1], at: 5) }
    }
}
