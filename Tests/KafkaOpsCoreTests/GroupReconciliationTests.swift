import Testing
@testable import KafkaOpsCore

/// The one rule for a group's state and type when the listing and the description speak of it.
@Suite struct GroupReconciliationTests {
    static let member = GroupMember(memberID: "m-1", clientID: "geo", host: "/10.0.0.9", assignment: [TopicPartition("geo", 0)])

    static func listing(_ state: GroupState, _ type: GroupType = .consumer) -> [GroupListing] {
        [GroupListing(id: "g", state: state, type: type)]
    }

    /// Every pair of states a listing and a description can give a describable group (no members).
    static let pairs: [(GroupState, GroupState)] = GroupState.allCases.flatMap { l in GroupState.allCases.map { (l, $0) } }

    @Test(arguments: pairs)
    func theListingsStateIsShownAndADisagreementIsActive(listed: GroupState, described: GroupState) throws {
        let d = GroupDescription(id: "g", state: described, type: .consumer)
        let g = try #require(GroupReconciliation.reconcile("g", listing: Self.listing(listed), description: d, committed: [:]))
        // An Unknown answer says nothing: the other one decides.
        let expected = listed == .unknown ? described : listed
        #expect(g.state == expected)
        let disagree = listed != .unknown && described != .unknown && listed != described
        #expect((g.note != nil) == disagree, "\(listed) / \(described): \(g.note ?? "no note")")
        #expect(g.disagreeingState == (disagree ? described : nil))
        // Inactive only when no answer names an active state (and one names Empty or Dead).
        let inactive = [listed, described].filter { $0 != .unknown }
        #expect(g.isInactive == (!inactive.isEmpty && inactive.allSatisfy(\.isInactive)))
        // The reset rule is the same one.
        let allowed = (try? ResetPreflight.check(g, groupID: "g")) != nil
        #expect(allowed == g.isInactive)
    }

    @Test func aConsumerGroupDescribedDeadWhileListedStableIsActiveAndShownAsListed() throws {
        // What DescribeGroups (librdkafka 2.8) answers for a KIP-848 group: Dead, no members, no error.
        let d = GroupDescription(id: "g", state: .dead, protocolType: "", type: .classic)
        let g = try #require(GroupReconciliation.reconcile("g", listing: Self.listing(.stable), description: d,
                                                           committed: [TopicPartition("geo", 0): 4]))
        #expect(g.type == .consumer)
        #expect(g.state == .stable)
        #expect(g.isActive)
        #expect(g.note?.contains("listed as Stable but described as Dead") == true)
    }

    @Test func theResetPreflightRefusesAConsumerGroupDescribedDeadWhileListedStable() throws {
        let d = GroupDescription(id: "geo", state: .dead, protocolType: "", type: .consumer)
        let g = GroupReconciliation.reconcile("geo", listing: [GroupListing(id: "geo", state: .stable, type: .consumer)],
                                              description: d, committed: [TopicPartition("geo", 0): 4])
        #expect(throws: ResetError.statesDisagree(group: "geo", listed: .stable, described: .dead)) {
            try ResetPreflight.check(g, groupID: "geo")
        }
        let inputs = ResetInputs(reconciled: g, group: "geo", committed: [TopicPartition("geo", 0): 4],
                                 topology: ResetTopology(partitions: [:]))
        #expect(throws: ResetError.self) { try inputs.checkInactive() }
        #expect(ResetError.statesDisagree(group: "geo", listed: .stable, described: .dead).description
            .contains("the listing says Stable and the description Dead"))
    }

    @Test(arguments: [GroupType.share, .streams, .unknown])
    func everyChangeToAGroupKafkaopsCannotDescribeIsRefusedWithTheReason(type: GroupType) throws {
        // Even Empty by both answers.
        let d = GroupDescription(id: "g", state: .empty, type: type)
        let g = try #require(GroupReconciliation.reconcile("g", listing: Self.listing(.empty, type), description: d, committed: [:]))
        #expect(g.type == type)
        #expect(g.note != nil)
        let why = try #require(GroupReconciliation.changeRefusal(g))
        #expect(throws: ResetError.groupNotDescribable(group: "g", reason: why)) { try ResetPreflight.check(g, groupID: "g") }
        #expect(why.contains(type == .share ? "no share-group admin API" : type == .streams ? "streams" : "did not say"))
    }

    @Test func describableTypesAreNotRefusedForTheirType() throws {
        for type in [GroupType.classic, .consumer] {
            let g = GroupReconciliation.reconcile("g", listed: GroupListing(id: "g", state: .empty, type: type),
                                                  description: GroupDescription(id: "g", state: .empty, type: type))
            #expect(GroupReconciliation.changeRefusal(g) == nil)
            try ResetPreflight.check(g, groupID: "g")
        }
    }

    /// Every pair of listing and description types: the listing's where it names one, else the description's.
    static let typePairs: [(GroupType, GroupType)] = GroupType.allCases.flatMap { l in GroupType.allCases.map { (l, $0) } }

    @Test(arguments: typePairs)
    func theTypeIsTheListingsElseTheDescriptions(listed: GroupType, described: GroupType) {
        let g = GroupReconciliation.reconcile("g", listed: GroupListing(id: "g", state: .stable, type: listed),
                                              description: GroupDescription(id: "g", state: .stable, members: [Self.member], type: described))
        #expect(g.type == (listed == .unknown ? described : listed))
        // A type that cannot be described keeps nothing from the description but what the listing said.
        if !g.type.isDescribable { #expect(g.members.isEmpty && g.note != nil) } else { #expect(g.members == [Self.member]) }
    }

    @Test func aDescriptionThatFailedSaysNothingAboutStateOrType() throws {
        let d = GroupDescription(id: "g", state: .unknown, error: "COORDINATOR_NOT_AVAILABLE", type: .classic)
        let g = GroupReconciliation.reconcile("g", listed: GroupListing(id: "g", state: .empty), description: d)
        #expect(g.state == .empty)
        #expect(g.type == .unknown)
        #expect(GroupReconciliation.changeRefusal(g) != nil)
    }

    @Test func aGroupNobodyKnowsDoesNotExist() {
        let dead = GroupDescription(id: "g", state: .dead, protocolType: "")
        #expect(GroupReconciliation.reconcile("g", listing: [], description: dead, committed: [:]) == nil)
        // Not listed, but committed: it exists, as the description says.
        #expect(GroupReconciliation.reconcile("g", listing: [], description: dead, committed: [TopicPartition("t", 0): 1])?.state == .dead)
    }

    @Test func shareGroupsLagIsUnknown() {
        #expect(GroupReconciliation.lagUnknown(.share))
        #expect(!GroupReconciliation.lagUnknown(.streams) && !GroupReconciliation.lagUnknown(.classic))
    }

    @Test func typesAreReadFromTheirReportedNames() {
        #expect(GroupType(reportedName: "Consumer") == .consumer)
        #expect(GroupType(reportedName: "Classic") == .classic)
        #expect(GroupType(reportedName: "share") == .share)
        #expect(GroupType(reportedName: "Streams") == .streams)
        #expect(GroupType(reportedName: "Unknown") == .unknown)
        #expect(GroupType(reportedName: "future-kind") == .unknown)
        #expect(GroupType(reportedName: nil) == .unknown)
    }
}
