import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs (mount -t tmpfs, as root) to play a full disk: `fill()` takes every free block, so the
/// next write there fails with "No space left on device" (ENOSPC) after writing what still fits in the
/// last block of its file. Unmounted with the object. Mounting fails loudly: the tests never skip.
public final class FullTmpfs: @unchecked Sendable {
    public let dir: URL

    public init(size: String = "64k") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-tmpfs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try Subprocess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", dir.path], timeout: 20)
        guard r.code == 0 else {
            throw TansuBroker.StartError(description: "mount -t tmpfs failed (the test needs root): \(r.stderr)")
        }
    }

    public func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Takes every free block of the file system with a filler file.
    public func fill() {
        let fd = open(path(".filler"), O_WRONLY | O_CREAT | O_APPEND, 0o600)
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        let byte: [UInt8] = [0]
        while byte.withUnsafeBytes({ write(fd, $0.baseAddress, 1) }) > 0 {}
    }

    /// Frees what `fill` took.
    public func free() { unlink(path(".filler")) }

    deinit {
        _ = try? Subprocess.run("/bin/umount", ["-l", dir.path], timeout: 20)
        try? FileManager.default.removeItem(at: dir)
    }
}
