import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The test fakes share this process with librdkafka: stopping one must never close or shut down a
/// socket number it no longer owns (a double close once cut librdkafka's connections in unrelated tests:
/// "Socket operation on non-socket", "all brokers down").
@Suite struct TestFakeSocketTests {
    /// Opens `count` descriptors: after a fake let go of a number, the kernel hands out the lowest free
    /// one, so one of these takes it whenever no other test thread got there first.
    static func takeFreedNumbers(_ count: Int) -> [Int32] {
        (0..<count).map { _ in open("/dev/null", O_RDONLY | O_CLOEXEC) }
    }

    static func closedUnderUs(_ fds: [Int32]) -> [Int32] {
        fds.filter { fcntl($0, F_GETFD) == -1 }
    }

    @Test func aSecondStopOfTheCutProxyLeavesOtherDescriptorsAlone() async throws {
        let proxy = try await KafkaCutProxy.start()
        proxy.stop()
        usleep(200_000)  // the accept thread lets go of the listener (Task.sleep would open a timer descriptor)
        let taken = Self.takeFreedNumbers(32)
        defer { for fd in taken { close(fd) } }
        proxy.stop()  // as its deinit does
        #expect(Self.closedUnderUs(taken).isEmpty, "descriptors closed under us: \(Self.closedUnderUs(taken))")
    }
}
