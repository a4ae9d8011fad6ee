import Foundation
import KafkaOpsCore
import Testing
@testable import KafkaOpsTUI

// The one typed-name confirmation (NameConfirmation) of a protected profile. The flows that use it and
// their tests of a wrong name: CreateTopicPanelTests.aProtectedProfileRequiresTheTypedName ("orders-v"),
// ResetWizardPanelTests.aProtectedProfileNeedsTheGroupNameTyped ("idle"),
// DLQPanelTests.protectedProfileNeedsTheDLQNameTyped ("y"), and the change panel below.

@Suite struct NameConfirmationTests {
    @Test func onlyTheExactNameConfirms() {
        for wrong in ["", "orders", "orders-v", "orders-v22", "Orders-v2", " orders-v2", "orders-v2 "] {
            var c = NameConfirmation(name: "orders-v2", refusal: "type the topic name")
            for ch in wrong { c.edit(.char(ch)) }
            #expect(c.refusalIfWrong == "type the topic name", "'\(wrong)'")
        }
        var c = NameConfirmation(name: "orders-v2", refusal: "type the topic name")
        for ch in "orders-v2" { c.edit(.char(ch)) }
        #expect(c.refusalIfWrong == nil)
        c.edit(.backspace)
        #expect(c.refusalIfWrong != nil)
    }
}

extension FixesAndAuditTests {
    /// A protected profile's config fix: the topic name less its last character is refused (no job),
    /// the whole name applies.
    @Test func aChangeRefusesANearlyRightTopicName() async throws {
        var s = try await state(protected: true)
        let name = FakeCluster.cjk
        s.press(.char(":")); s.type("topic \(name)"); s.press(.enter)
        s.press(.char("m"))
        #expect(s.topPanel is ChangePanel)
        s.type(String(name.dropLast()))
        #expect(jobNames(s.press(.enter)).isEmpty)
        #expect(s.status?.text == "type the topic name exactly to confirm (profile is protected)")
        s.type(String(name.last!))
        #expect(jobNames(s.press(.enter)) == ["alter-config"])
    }
}
