import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// The key tables drive dispatch, the footer and `?` help; destructive keys are not there on a read-only connection.
@Suite struct KeyTableTests {
    /// A loaded console on each screen that has keys of its own.
    func onEachScreen(readOnly: Bool, size: Size = Size(width: 200, height: 40)) async throws -> [ConsoleState] {
        let snap = try await fakeSnapshot()
        var out: [ConsoleState] = []
        for keys: [Key] in [[], [.char("2")], [.char("2"), .enter], [.char("3")], [.char("3"), .enter], [.char("4")],
                            [.char("5")], [.char("4"), .char("w")], [.char("?")]] {
            var s = loadedState(snap, size: size, readOnly: readOnly)
            for k in keys { s.press(k) }
            out.append(s)
        }
        return out
    }

    @Test func theFooterShowsTheShortLabelsOfTheScreensFooterBindings() async throws {
        let screens = try await onEachScreen(readOnly: false)
        #expect(Set(screens.map(\.current.screen)).count == screens.count)
        for s in screens {
            let footer = s.screenLines()[s.size.height - 1]
            let expected = KeyTables.bindings(for: s.current.screen, readOnly: false).filter(\.footer)
                .map { "\($0.keys[0].label) \($0.shortLabel)" }.joined(separator: "  ")
            #expect(footer.trimmingCharacters(in: .whitespaces) == expected, "\(s.current.screen)")
        }
        // The short label is the binding's own, not its help text.
        let topics = KeyTables.bindings(for: .topics, readOnly: false)
        #expect(topics.first { $0.action == .openPanel(.createTopic) }?.shortLabel == "create")
        #expect(topics.first { $0.action == .toggleUnhealthy }?.shortLabel == "unhealthy")
    }

    @Test func destructiveKeysAreNeitherDispatchedNorShownReadOnly() async throws {
        let writable = try await onEachScreen(readOnly: false)
        let readOnly = try await onEachScreen(readOnly: true)
        var checked = 0
        for (w, r) in zip(writable, readOnly) {
            let screen = w.current.screen
            #expect(r.current.screen == screen)
            let destructive = KeyTables.bindings(for: screen, readOnly: false).filter(\.destructive)
            for b in destructive {
                for key in b.keys {
                    var s = r
                    let effects = s.press(key)
                    // Nothing runs and nothing opens: the key is not bound here at all.
                    #expect(effects.isEmpty, "\(screen) \(key.label): \(effects)")
                    #expect(s.panels.isEmpty, "\(screen) \(key.label) opened a panel")
                    #expect(s.status?.text.hasSuffix("no such key here (? shows the keys)") == true,
                            "\(screen) \(key.label): \(s.status?.text ?? "")")
                    checked += 1
                }
                // Not in the footer nor in help.
                #expect(!KeyTables.bindings(for: screen, readOnly: true).contains { $0.action == b.action && $0.keys == b.keys })
            }
            var help = r
            help.press(.char("?"))
            let helpTexts = help.current.table?.rows.map { $0.cells[1] } ?? []
            for b in destructive { #expect(!helpTexts.contains(b.help), "\(screen): \(b.help) in read-only help") }
        }
        // Create, elect (two screens), fix, min ISR, unclean, reset (two screens): the test saw them.
        #expect(checked >= 8)
    }
}
