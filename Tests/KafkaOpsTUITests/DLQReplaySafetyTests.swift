import Foundation
import Testing
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// Issue 23 points 2 and 5 in the console: a replay while another replay of the same DLQ and target runs on this
/// machine is refused naming it, nothing sent; an earlier replay with no outcome is named in the status line when
/// the replay opens and refuses the replay (it may have written some records).
extension DLQPanelTests {
    static func killedReplay(_ dlq: String, target: String) -> ChangeRecord {
        ChangeRecord(time: Date(timeIntervalSince1970: 1_800_000_000), user: "ops", host: "bastion", profile: "prod",
                     action: "dlq.replay.started", target: dlq, before: ["dlq_offsets": .array([.string("\(dlq)/0: 0-1")])],
                     result: "started", details: ["records": 2, "target": .string(target), "target_offsets_at_start": ["replayed/0": 0]])
    }

    /// Opens the replay of the first two records to "replayed" and confirms it; returns what its job sent.
    func confirmReplay(_ s: inout ConsoleState, opened: Bool = false) async throws -> [FlowEvent] {
        if !opened {
            s.press(.char(" "), .char(" "))
            s.press(.char("p"))
        }
        s.type("replayed")
        s.press(.enter)
        let effects = s.press(.char("y"))
        return await run(&s, effects)
    }

    @Test func aConsoleReplayIsRefusedWhileAnotherReplayOfTheSameDLQAndTargetRuns() async throws {
        var s = try await opened()
        s.operations.lockReplay = { dlq, target in
            #expect(dlq == "orders-dlt" && target == "replayed")
            throw ClusterError(.changedSincePlan, "refused: another replay of orders-dlt to replayed is running on this machine (pid 4242 since 2026-12-07T10:00:00.000Z); nothing was sent")
        }
        _ = try await confirmReplay(&s)
        #expect(fake.produced.isEmpty, "nothing was sent")
        #expect(audit.entries.isEmpty, "nothing was started")
        #expect(s.status?.text.contains("another replay of orders-dlt to replayed is running on this machine (pid 4242") == true,
                "\(String(describing: s.status))")
    }

    @Test func anEarlierConsoleReplayWithNoOutcomeIsNamedOnOpeningAndRefusesTheReplay() async throws {
        var s = try await opened()
        s.operations.profileName = "prod"
        s.operations.readChangeHistory = { ChangeHistory([Self.killedReplay("orders-dlt", target: "replayed")]) }
        s.press(.char(" "), .char(" "))
        s.press(.char("p"))
        let status = s.status?.text ?? ""
        #expect(status.contains("dlq.replay of orders-dlt") && status.contains("has no outcome"), "the status line: \(status)")
        _ = try await confirmReplay(&s, opened: true)
        #expect(fake.produced.isEmpty, "refused: nothing was sent")
        #expect(audit.entries.isEmpty)
        let refusal = s.status?.text ?? ""
        #expect(refusal.hasPrefix("refused: ") && refusal.contains("has no outcome"), "\(refusal)")
    }
}
