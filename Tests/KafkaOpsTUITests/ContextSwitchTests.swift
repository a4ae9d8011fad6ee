import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// Issue 14, point 5: `:ctx` / `:profile NAME` switches the console to another profile's cluster
/// without restarting, as k9s' contexts do.
@Suite struct ContextSwitchTests {
    static func state() async throws -> ConsoleState {
        var s = loadedState(try await fakeSnapshot())
        s.profileName = "staging"
        s.contextNames = ["prod", "staging"]
        return s
    }

    static func command(_ s: inout ConsoleState, _ text: String) -> [Effect] {
        _ = s.press(.char(":"))
        s.type(text)
        return s.press(.enter)
    }

    @Test func ctxAloneListsTheProfilesWithTheCurrentOneMarked() async throws {
        var s = try await Self.state()
        #expect(Self.command(&s, "ctx").isEmpty)
        #expect(s.status?.text.contains("prod *staging") == true, "\(s.status?.text ?? "")")
    }

    @Test func anUnknownProfileIsAnErrorAndNothingIsSwitched() async throws {
        var s = try await Self.state()
        #expect(Self.command(&s, "ctx nope").isEmpty)
        #expect(s.status?.isError == true && s.profileName == "staging")
    }

    @Test func tabCompletesProfileNames() async throws {
        var s = try await Self.state()
        _ = s.press(.char(":"))
        s.type("profile pr")
        _ = s.press(.tab)
        #expect(s.prompt?.text == "profile prod")
    }

    @Test func switchingConnectsOffTheMainActorThenStartsOverOnTheNewCluster() async throws {
        var s = try await Self.state()
        _ = s.press(.char("2"))
        let effects = Self.command(&s, "ctx prod")
        #expect(effects == [.switchContext("prod")], "the connection is made by the program, off the main actor")
        #expect(s.profileName == "staging", "nothing changes before the connection is ready")

        var ops = OperationSettings()
        ops.readOnly = true
        let conn = ConsoleConnection(client: FakeCluster(), profileName: "prod", readOnly: true, isDemo: false, operations: ops)
        let after = s.update(.contextSwitched("prod", .success(conn)))
        #expect(s.profileName == "prod" && s.readOnly && s.operations.readOnly)
        #expect(s.snapshot == nil && s.stack.count == 1 && s.current.screen == .overview)
        #expect(after.contains { if case .loadSnapshot = $0 { return true } else { return false } }, "the new cluster is loaded")
        #expect(s.screenLines()[0].contains("prod") && s.screenLines()[0].contains("READ-ONLY"))
    }

    @Test func aFailedConnectionKeepsTheCurrentCluster() async throws {
        var s = try await Self.state()
        _ = Self.command(&s, "ctx prod")
        _ = s.update(.contextSwitched("prod", .failure(ClusterError(.configuration, "profile prod: sasl needs password_env"))))
        #expect(s.profileName == "staging" && s.snapshot != nil)
        #expect(s.status?.isError == true && s.status?.text.contains("still on staging") == true)
    }
}
