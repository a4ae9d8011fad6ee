import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport
@testable import KafkaOpsTUI

/// Group types in the console (issue 21), on the demo's standard cluster: the TYPE column, a KIP-848
/// `consumer` group's members with their target assignments, and a reset refused while it consumes.
@Suite struct GroupTypeConsoleTests {
    static func demoState(_ size: Size) async throws -> (ConsoleState, DemoCluster) {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(30))
        snap.fetchedAt = t0
        var s = loadedState(snap, size: size)
        s.operations = OperationSettings(protected: false, openChangeLog: { MemoryChangeLog() },
                                         undoDirectory: FileManager.default.temporaryDirectory.path, resetSkipThreshold: 0)
        return (s, demo)
    }

    @Test func groupsAt200x50ShowTheTypeColumn() async throws {
        var (s, _) = try await Self.demoState(Size(width: 200, height: 50))
        s.press(.char("3"))
        let lines = s.screenLines()
        let header = lines[2]
        #expect(header.contains(" TYPE "))
        let typeColumn = try #require(header.range(of: "TYPE")).lowerBound.utf16Offset(in: header)
        func type(_ group: String) throws -> String {
            let row = try #require(lines.first { $0.hasPrefix(" \(group) ") }, "\(group) not on screen")
            let start = row.index(row.startIndex, offsetBy: typeColumn)
            return String(row[start...].prefix(8)).trimmingCharacters(in: .whitespaces)
        }
        #expect(try type("geo-enricher") == "consumer")
        #expect(try type("geo-backfill") == "consumer")
        #expect(try type("order-service") == "classic")
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func aConsumerGroupsDetailShowsItsTypeMembersAndTargetAssignments(width: Int, height: Int) async throws {
        var (s, _) = try await Self.demoState(Size(width: width, height: height))
        s.press(.char(":"))
        s.type("group geo-enricher")
        s.press(.enter)
        let lines = s.screenLines()
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
        #expect(lines[2].hasPrefix(" state Reconciling  lag 324 (8 partitions)  members 3  type consumer epoch 14"), "\(lines[2])")
        s.press(.tab)  // the members
        let m = s.screenLines()
        let header = try #require(m.first { $0.hasPrefix(" MEMBER ") })
        let rows = m.filter { $0.contains("/10.20.25.") }
        #expect(rows.count == 3, "\(m.joined(separator: "\n"))")
        if width >= 200 {
            #expect(header.contains("TARGET"))
            // The partition on its way: revoked by one member (-), coming to another (+).
            #expect(rows.contains { $0.contains(" -geo-locations-") })
            #expect(rows.contains { $0.contains(" +geo-locations-") })
        }
    }

    @Test func aResetIsRefusedOnAConsumerGroupWhileItConsumes() async throws {
        var (s, demo) = try await Self.demoState(Size(width: 80, height: 24))
        s.press(.char(":"))
        s.type("reset geo-enricher")
        let effects = s.press(.enter)
        await ResetWizardPanelTests.run(effects, &s, demo)
        let wizard = try #require(s.topPanel as? ResetWizardPanel)
        #expect(wizard.step == .refused)
        let text = ResetWizardPanelTests.flat(s)
        #expect(text.contains("Assignments can only be reset if the group 'geo-enricher' is inactive, but the current state is Reconciling."))
        #expect(text.contains("nothing was changed"))
        #expect(s.screenLines().allSatisfy { DisplayWidth.of($0) <= 80 })
    }
}
