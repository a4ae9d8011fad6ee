import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsDemo
import TestSupport
@testable import KafkaOpsTUI

/// The everyday admin changes in the console (issue 25 point 1), on the demo's standard cluster at 80x24:
/// delete topic (D) and add partitions (A) on a topic's detail, delete group (D) on a group's detail; each
/// previewed in the change panel, through the pipeline, its keys absent on a read-only connection.
@Suite struct AdminChangePanelTests {
    static func demoState(protected: Bool = false, readOnly: Bool = false) async throws -> (ConsoleState, DemoCluster, MemoryChangeLog) {
        let demo = DemoCluster(scenario: .standard, clock: .manual())
        var snap = try await SnapshotLoader(client: demo).load(deadline: .seconds(30))
        snap.fetchedAt = t0
        var s = loadedState(snap, size: Size(width: 80, height: 24), readOnly: readOnly)
        let audit = MemoryChangeLog()
        s.operations = OperationSettings(protected: protected, openChangeLog: { audit })
        return (s, demo, audit)
    }

    static func text(_ s: ConsoleState) -> String { s.screenLines().joined(separator: "\n") }

    @Test func deleteTopicPreviewsItsSizeAndGroupsThenDeletesIt() async throws {
        var (s, demo, audit) = try await Self.demoState()
        s.press(.char(":")); s.type("topic orders"); s.press(.enter)
        let opened = s.press(.char("D"))
        #expect(s.topPanel is ChangePanel)
        #expect(Self.text(s).contains("Reading the cluster"))
        // Nothing can be applied while the preview is read.
        #expect(s.press(.char("y")).isEmpty)
        await s.runJobs(opened, client: demo)
        let preview = s.screenLines()
        let joined = preview.joined(separator: "\n")
        let offsets = try await demo.logOffsets((0..<12).map { TopicPartition("orders", Int32($0)) }, deadline: .after(.seconds(5)))
        let records = offsets.values.reduce(0) { $0 + $1.count }
        #expect(joined.contains("Delete topic orders: 12 partition(s), \(records) record(s)"), "\(joined)")
        #expect(joined.contains("Groups that still commit to it: order-service"), "\(joined)")
        #expect(preview.allSatisfy { DisplayWidth.of($0) <= 80 })
        #expect(preview[23].contains("apply") && preview[23].contains("cancel"), "footer: \(preview[23])")
        #expect(audit.entries.isEmpty, "a preview writes nothing")
        await s.runJobs(s.press(.char("y")), client: demo)
        #expect(try await !demo.metadata(deadline: .after(.seconds(5))).topics.contains { $0.name == "orders" })
        #expect(audit.entries.map(\.action) == ["topic.delete.started", "topic.delete"])
        #expect(audit.outcomes.last?.result == "ok")
        #expect(Self.text(s).contains("gone from the metadata"))
    }

    @Test func anInternalTopicIsNeverOfferedForDeletion() async throws {
        var (s, demo, audit) = try await Self.demoState()
        s.press(.char("2")); s.press(.char("i"))
        s.press(.char(":")); s.type("topic __consumer_offsets"); s.press(.enter)
        #expect(s.current.screen == .topicDetail("__consumer_offsets"))
        #expect(s.press(.char("D")).isEmpty)
        #expect(!(s.topPanel is ChangePanel))
        #expect(s.status?.text.contains("internal") == true)
        #expect(try await demo.metadata(deadline: .after(.seconds(5))).topics.contains { $0.name == "__consumer_offsets" })
        #expect(audit.entries.isEmpty)
    }

    @Test func aProtectedProfileWantsTheTopicNameTypedToDelete() async throws {
        var (s, demo, audit) = try await Self.demoState(protected: true)
        s.press(.char(":")); s.type("topic payments"); s.press(.enter)
        await s.runJobs(s.press(.char("D")), client: demo)
        #expect(Self.text(s).contains("type the topic name and press Enter"))
        s.type("payment")
        #expect(s.press(.enter).isEmpty)
        #expect(s.status?.text == "type the topic name exactly to confirm (profile is protected)")
        s.type("s")
        await s.runJobs(s.press(.enter), client: demo)
        #expect(audit.outcomes.map(\.action) == ["topic.delete"])
        #expect(try await !demo.metadata(deadline: .after(.seconds(5))).topics.contains { $0.name == "payments" })
    }

    @Test func addPartitionsRefusesNoMoreThanNowThenAddsThem() async throws {
        var (s, demo, audit) = try await Self.demoState()
        s.press(.char(":")); s.type("topic orders"); s.press(.enter)
        s.press(.char("A"))
        #expect(s.topPanel is PartitionCountPanel)
        #expect(Self.text(s).contains("it has 12 now"))
        s.type("12")
        #expect(s.press(.enter).isEmpty)
        #expect(s.status?.text.contains("must be more than that") == true, "\(s.status?.text ?? "")")
        s.press(.backspace, .backspace)
        s.type("16")
        s.press(.enter)
        #expect(s.topPanel is ChangePanel)
        let preview = s.screenLines()
        let joined = preview.joined(separator: " ")
        #expect(joined.contains("12 → 16 partitions"), "\(joined)")
        #expect(joined.contains("different partition from now on"))
        #expect(preview.allSatisfy { DisplayWidth.of($0) <= 80 })
        await s.runJobs(s.press(.char("y")), client: demo)
        let t = try #require(try await demo.metadata(deadline: .after(.seconds(5))).topics.first { $0.name == "orders" })
        #expect(t.partitions.count == 16)
        #expect(audit.outcomes.map(\.action) == ["topic.add-partitions"])
        #expect(audit.outcomes.last?.result == "ok")
    }

    @Test func deleteGroupIsRefusedWhileItConsumesAndDeletesAnEmptyOne() async throws {
        var (s, demo, audit) = try await Self.demoState()
        s.press(.char(":")); s.type("group order-service"); s.press(.enter)
        await s.runJobs(s.press(.char("D")), client: demo)
        let refused = Self.text(s)
        #expect(refused.contains("Refused: group 'order-service' is not inactive"), "\(refused)")
        #expect(s.press(.char("y")).isEmpty)
        s.press(.escape)
        s.press(.char(":")); s.type("group billing-reconciler"); s.press(.enter)
        await s.runJobs(s.press(.char("D")), client: demo)
        #expect(Self.text(s).contains("State Empty, no members"), "\(Self.text(s))")
        await s.runJobs(s.press(.char("y")), client: demo)
        #expect(try await !demo.listGroups(deadline: .after(.seconds(5))).contains { $0.id == "billing-reconciler" })
        #expect(audit.outcomes.map(\.action) == ["group.delete"])
        #expect(audit.outcomes.last?.result == "ok")
    }

    @Test func theNewKeysAreNotThereOnAReadOnlyConnectionAndCollideWithNothing() {
        for screen in [Screen.topicDetail("orders"), .groupDetail("g")] {
            let writable = KeyTables.bindings(for: screen, readOnly: false)
            let keys = writable.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "a key bound twice on \(screen)")
            let readOnly = KeyTables.bindings(for: screen, readOnly: true).map(\.action)
            for kind in [FixKind.addPartitions, .deleteTopic, .deleteGroup] {
                #expect(!readOnly.contains(.fix(kind)))
            }
        }
        #expect(KeyTables.binding(for: .char("D"), on: .topicDetail("orders"), readOnly: false)?.action == .fix(.deleteTopic))
        #expect(KeyTables.binding(for: .char("A"), on: .topicDetail("orders"), readOnly: false)?.action == .fix(.addPartitions))
        #expect(KeyTables.binding(for: .char("D"), on: .groupDetail("g"), readOnly: false)?.action == .fix(.deleteGroup))
    }
}
