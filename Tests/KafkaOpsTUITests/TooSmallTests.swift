import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// "Terminal too small" hides every screen and panel, so keys must not reach them: only q, Ctrl-C and a
/// resize do anything there.
extension DLQPanelTests {
    @Test func aTooSmallTerminalDropsEveryKeyButQuitSoAHiddenConfirmationCannotBeAnswered() async throws {
        var s = try await opened()
        s.press(.char(" "))
        s.press(.char("p"))
        s.press(.enter)
        #expect(try panel(s, DLQReplayPanel.self).stage == .confirm)

        _ = s.update(.resized(Size(width: 60, height: 20)))
        #expect(s.screenLines().joined().contains("terminal too small"))
        for key: Key in [.char("y"), .enter, .char("Y"), .escape, .char(":"), .char("2"), .char("r")] {
            let effects = s.press(key)
            #expect(effects.isEmpty, "\(key) on the small screen had effects: \(effects)")
        }
        #expect(fake.produced.isEmpty)
        #expect(audit.entries.isEmpty)
        #expect(s.prompt == nil)

        // Grown back: the same confirmation, still unanswered.
        _ = s.update(.resized(Size(width: 80, height: 24)))
        #expect(try panel(s, DLQReplayPanel.self).stage == .confirm)
        #expect(s.screenLines().joined().contains("Replay 1 record(s)?"))
        #expect(s.current.screen == .overview)

        // q quits from the small screen, even with a panel open (which would otherwise take the q).
        _ = s.update(.resized(Size(width: 60, height: 20)))
        #expect(s.press(.char("q")) == [.quit])
    }

    @Test func ctrlCOnATooSmallTerminalDuringAChangeStillAsksFirst() async throws {
        var s = try await opened()
        s.press(.char(" "), .char("p"), .enter)
        _ = s.press(.char("y"))                                   // the replay is running (its job not run yet)
        #expect(try panel(s, DLQReplayPanel.self).stage == .running)
        _ = s.update(.resized(Size(width: 60, height: 20)))
        #expect(s.press(.char("q")).isEmpty)                      // the first quit warns, on the small screen too
        #expect(s.screenLines().joined().contains("quits anyway"))
        #expect(s.press(.ctrl("c")) == [.quit])
    }
}
