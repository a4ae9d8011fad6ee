import Foundation
import KafkaOpsCore
import Testing

/// The reset wizard end to end: `kafkaops --demo` in tmux, with a temporary HOME so that the
/// audit log and the undo file land where the test can read them.
@Suite(.serialized) struct ConsoleResetE2ETests {
    /// `:group NAME`, then R on the group's screen.
    static func openWizard(_ tmux: Tmux, group: String) async throws {
        tmux.keys(":")
        tmux.type("group \(group)")
        tmux.keys("Enter")
        try await tmux.expect("Groups › Group \(group)")
        tmux.keys("R")
        try await tmux.expect("Reset offsets › \(group)")
    }

    @Test func theWizardRefusesAnActiveGroupAndResetsAnEmptyOne() async throws {
        let home = "/tmp/kre-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let tmux = try Tmux()
        defer {
            tmux.kill()
            try? FileManager.default.removeItem(atPath: home)
        }
        try tmux.start("env -u XDG_STATE_HOME HOME=\(home) \(try ConsoleE2ETests.binary()) --demo", width: 120, height: 40)
        try await tmux.expect("DEMO")
        try await tmux.expect { $0.joined().contains("updated") }

        // An active group: R on its screen says why not, and who is still there.
        try await Self.openWizard(tmux, group: "order-service")
        try await tmux.expect("Assignments can only be reset if the group 'order-service' is inactive, but the current state is Stable.")
        try await tmux.expect("consumer-order-service-1 on /10.20.11.11")
        tmux.keys("Escape")
        try await tmux.expect { !$0.joined().contains("Reset offsets") }

        // An Empty group with commits: scope (everything committed), to-earliest, plan, confirm, result.
        try await Self.openWizard(tmux, group: "legacy-migrator")
        try await tmux.expect("PARTITIONS OF legacy-events")
        tmux.keys("Enter")
        try await tmux.expect("Where to move the group")
        tmux.keys("Enter")
        try await tmux.expect("Group legacy-migrator, to earliest: 1 partition")
        try await tmux.expect("re-read")
        tmux.keys("Enter")
        try await tmux.expect("Press Enter to reset the offsets now.")
        tmux.keys("Enter")
        try await tmux.expect("Done: 1 of 1 partition in place.")

        // The undo file holds the offset from before, and the screen names it with the undo command.
        let undoDir = home + "/.local/state/kafkaops/undo"
        let files = try FileManager.default.contentsOfDirectory(atPath: undoDir)
        #expect(files.count == 1)
        let undo = undoDir + "/" + (try #require(files.first))
        let csv = try String(contentsOfFile: undo, encoding: .utf8)
        let fields = csv.trimmingCharacters(in: .newlines).split(separator: ",")
        #expect(fields.count == 3 && fields[0] == "legacy-events" && fields[1] == "0" && Int64(fields[2]) != nil, "undo file: \(csv)")
        let screen = tmux.screen()
        #expect(screen.contains { $0.contains(undo) })
        // The undo command is one line (copyable), its end shown after scrolling right (issue 13).
        let command = "kafkaops reset-offsets --group legacy-migrator --from-file \(undo) --execute"
        let row = try #require(screen.firstIndex { $0.contains("kafkaops reset-offsets --group legacy-migrator --from-file") })
        let start = screen[row].trimmingCharacters(in: .whitespaces)
        #expect(command.hasPrefix(start) || start.hasPrefix(command))
        for _ in 0..<30 { tmux.keys("Right") }
        try await tmux.expect { $0.count > row && $0[row].contains("\(undo) --execute") && $0[row].hasSuffix("--demo") }

        // The audit log has the reset, with the plan and the undo file.
        let log = try String(contentsOfFile: home + "/.local/state/kafkaops/audit.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 2, "the started record, then the outcome")
        #expect(try ChangeRecord.parse(line: String(try #require(lines.first))).action == "group.reset-offsets.started")
        let entry = try ChangeRecord.parse(line: String(try #require(lines.last)))
        #expect(entry.action == "group.reset-offsets" && entry.target == "legacy-migrator" && entry.result == "ok")
        #expect(entry.before == .object(["legacy-events-0": .int(Int64(fields[2]) ?? -1)]))
        guard case .object(let details) = entry.details else { Issue.record("details: \(entry.details)"); return }
        #expect(details["undo_file"] == .string(undo))

        // u undoes it from the console: a from-file plan back to the old offset, confirmed, applied.
        tmux.keys("u")
        try await tmux.expect("from file (1 partition)")
        tmux.keys("Enter")
        try await tmux.expect { lines in
            let text = lines.joined(separator: "\n")
            return text.contains("Press Enter to reset the offsets now.") || text.contains("accept skipping")
        }
        if tmux.screen().joined().contains("accept skipping") { tmux.keys("y") }
        try await tmux.expect("Press Enter to reset the offsets now.")
        tmux.keys("Enter")
        try await tmux.expect("Done: 1 of 1 partition in place.")
        let after = try String(contentsOfFile: home + "/.local/state/kafkaops/audit.log", encoding: .utf8).split(separator: "\n")
        #expect(after.count == 4)
        let undone = try ChangeRecord.parse(line: String(try #require(after.last)))
        // Back to the old offset, or to the log end where the old commit lies beyond it (clamped, as Kafka does).
        guard case .object(let reset) = entry.after, case .int(let earliest)? = reset["legacy-events-0"],
              case .object(let back) = undone.after, case .int(let restored)? = back["legacy-events-0"],
              let old = Int64(fields[2]) else { Issue.record("audit lines: \(entry.after) \(undone.after)"); return }
        #expect(restored > earliest && restored <= old, "undo moved to \(restored); reset was \(earliest), before \(old)")
        #expect(undone.before == .object(["legacy-events-0": .int(earliest)]))

        tmux.keys("Escape")
        try await tmux.expect { $0.count > 1 && $0[1].hasPrefix("Groups › Group legacy-migrator") }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
