import Foundation
import KafkaOpsCore
import TestSupport
import Testing
@testable import KafkaOpsTUI

// The console's change jobs (alter-config, elect leaders, create topic) run Core's ChangePipeline, the
// CLI's path: its guard refuses what the connection does not allow even when a panel let it through.

extension FixesAndAuditTests {
    @Test func aConfigFixGoesThroughThePipelinesReadOnlyGuard() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = RecordingCluster()
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        #expect(s.topPanel is ChangePanel)
        s.operations.readOnly = true  // the connection's guard, as `--read-only` sets it for the jobs
        await s.runJobs(s.press(.char("y")), client: client)
        #expect(client.calls.isEmpty)
        #expect(audit.entries.isEmpty)
        #expect(s.screenLines().joined(separator: " ").contains("read-only connection"))
    }

    /// A fix whose answer is lost is read back: the panel says what the cluster holds, never "Applied".
    @Test func aConfigFixWhoseAnswerIsLostSaysWhatTheReadBackFound() async throws {
        let audit = MemoryChangeLog()
        var s = try await state(audit: audit)
        let client = RecordingCluster()
        client.failAlter = ClusterError(.timeout, "alter the configs: no answer within the timeout")
        s.press(.char(":")); s.type("topic \(FakeCluster.cjk)"); s.press(.enter)
        s.press(.char("m"))
        await s.runJobs(s.press(.char("y")), client: client)
        let screen = s.screenLines().joined(separator: " ")
        #expect(screen.contains("was NOT applied"), "\(screen)")
        #expect(!screen.contains("Applied:"))
        #expect(audit.outcomes.last?.result.hasPrefix("unknown: ") == true)
    }
}
