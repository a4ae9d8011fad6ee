import Foundation
import Testing
import KafkaOpsCore
import KafkaOpsKafka
import TestSupport

/// Group types from the CLI (issue 21). On tansu every group is `classic` (it has no KIP-848 APIs);
/// on the demo a KIP-848 `consumer` group beside classic ones.
@Suite(.serialized)
final class GroupTypeTansuCLITests {
    let broker: TansuBroker
    var b: String { broker.bootstrap }

    init() async throws {
        broker = try await TansuBroker.start()
        try await CLITansuTests.seed(broker.bootstrap)
    }

    deinit { broker.stop() }

    static func groups(_ obj: [String: Any]) throws -> [[String: Any]] { try #require(obj["groups"] as? [[String: Any]]) }

    @Test func everySeededGroupIsClassicInGroupsAndLagJSON() async throws {
        for command in ["groups", "lag"] {
            let (_, obj) = try await CLI.json([command, "--bootstrap", b, "--output", "json"])
            let rows = try Self.groups(obj)
            #expect(Set(rows.compactMap { $0["group"] as? String }) == ["audit", "billing"])
            for g in rows { #expect(g["type"] as? String == "classic", "\(command): \(g)") }
            for g in rows { #expect(g["state"] as? String == "Empty", "\(command): \(g)") }
        }
        let (_, d) = try await CLI.json(["group", "describe", "billing", "--bootstrap", b, "--output", "json"])
        #expect(d["type"] as? String == "classic")
        #expect(d["note"] is NSNull)
        let table = try await CLI.run(["groups", "--bootstrap", b])
        #expect(table.code == 0, "\(table.stderr)")
        let header = try #require(table.stdout.split(separator: "\n").first)
        #expect(header.hasPrefix("GROUP") && header.contains(" TYPE "))
        #expect(table.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains(" classic ") })
    }

    @Test func theTypeFilterKeepsOnlyThatType() async throws {
        let (_, classic) = try await CLI.json(["groups", "--bootstrap", b, "--type", "classic", "--output", "json"])
        #expect(try Self.groups(classic).count == 2)
        let (_, consumer) = try await CLI.json(["groups", "--bootstrap", b, "--type", "consumer", "--output", "json"])
        #expect(try Self.groups(consumer).isEmpty)
        let bad = try await CLI.run(["groups", "--bootstrap", b, "--type", "kip848"])
        #expect(bad.code == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("--type"))
    }
}

@Suite struct GroupTypeDemoCLITests {
    @Test func theDemosConsumerGroupsReadConsumerAndAResetOnTheLiveOneIsRefused() async throws {
        let (_, obj) = try await CLI.json(["groups", "--demo", "--type", "consumer", "--output", "json"])
        let rows = try #require(obj["groups"] as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["group"] as? String }) == ["geo-backfill", "geo-enricher"])
        let (_, d) = try await CLI.json(["group", "describe", "geo-enricher", "--demo", "--output", "json"])
        #expect(d["type"] as? String == "consumer")
        #expect(d["state"] as? String == "Reconciling")
        let members = try #require(d["members"] as? [[String: Any]])
        #expect(members.count == 3)
        #expect(members.allSatisfy { $0["target_assignment"] is [Any] })
        let r = try await CLI.run(["reset-offsets", "--demo", "--group", "geo-enricher", "--all-topics", "--to-latest", "--execute"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("Assignments can only be reset if the group 'geo-enricher' is inactive, but the current state is Reconciling."))
    }
}

/// The real console on the demo (tmux, 200x50): the TYPE column and a `consumer` group's detail.
@Suite(.serialized) struct GroupTypeConsoleE2ETests {
    @Test func theGroupsScreenShowsTypesAndAConsumerGroupsTargets() async throws {
        let tmux = try Tmux()
        defer { tmux.kill() }
        try tmux.start("\(try ConsoleE2ETests.binary()) --demo", width: 200, height: 50)
        try await tmux.expect("DEMO")
        tmux.keys("3")
        try await tmux.expect { $0.count > 2 && $0[2].contains(" TYPE ") }
        try await tmux.expect { lines in lines.contains { $0.hasPrefix(" geo-enricher ") && $0.contains(" consumer ") } }
        tmux.keys(":")
        tmux.type("group geo-enricher")
        tmux.keys("Enter")
        try await tmux.expect("type consumer")
        tmux.keys("Tab")
        try await tmux.expect("TARGET")
        try await tmux.expect { lines in lines.contains { $0.contains(" +geo-locations-") } }
        tmux.keys("q")
        try await tmux.waitForExit()
    }
}
