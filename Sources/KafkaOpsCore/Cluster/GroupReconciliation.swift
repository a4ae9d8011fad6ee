import Foundation

/// The one rule for a group's state and type when two answers speak of it: the listing
/// (ListGroups) and the description (ConsumerGroupDescribe for `consumer` groups, DescribeGroups
/// for `classic` ones). Every caller (snapshot, `groups`, `lag`, `group describe`, reset preflight,
/// the console) takes the group from here, so none judges it on one answer when two disagree.
///
/// - Type: the listing's, where it names one; else the description's (a group that answered
///   ConsumerGroupDescribe is `consumer`, one that answered DescribeGroups is `classic`); else unknown.
/// - State: an answer that says Unknown says nothing. Where both name a state and they differ
///   (listing Stable, description Dead: what DescribeGroups answers for a KIP-848 group), the
///   listing's is shown, the description's is kept as `disagreeingState` with a note, and the group
///   is active (`GroupDescription.isInactive` is false) whatever either says.
/// - A type kafkaops cannot describe (streams, share, unknown): the listing's state, a note saying
///   so, no members; every change is refused (`changeRefusal`).
public enum GroupReconciliation {
    /// The group as shown and judged, or nil when it does not exist (not listed, nothing committed,
    /// no members) or neither answer named it.
    public static func reconcile(_ id: String, listing: [GroupListing], description: GroupDescription?,
                                 committed: [TopicPartition: Int64]) -> GroupDescription? {
        let listed = listing.first { $0.id == id }
        guard listed != nil || !committed.isEmpty || !(description?.members.isEmpty ?? true) else { return nil }
        guard listed != nil || description != nil else { return nil }
        return reconcile(id, listed: listed, description: description)
    }

    /// The listing and the description of one group, reconciled (both may be missing: Unknown).
    public static func reconcile(_ id: String, listed: GroupListing?, description: GroupDescription?) -> GroupDescription {
        var out = description ?? GroupDescription(id: id, state: .unknown, protocolType: "", type: .unknown)
        out.disagreeingState = nil
        var notes: [String] = []
        // The description's state says nothing when it could not be described.
        let described: GroupState? = description.flatMap { $0.error == nil && $0.state != .unknown ? $0.state : nil }
        let listedState: GroupState? = listed.flatMap { $0.state != .unknown ? $0.state : nil }
        let describedType: GroupType = description.map { $0.error == nil ? $0.type : .unknown } ?? .unknown
        out.type = listed.map(\.type).flatMap { $0 == .unknown ? nil : $0 } ?? describedType

        if !out.type.isDescribable {
            // Nothing the description says about such a group can be trusted: listing only.
            out.state = listedState ?? .unknown
            out.members = []
            notes.append(undescribableNote(out.type))
        } else {
            switch (listedState, described) {
            case let (l?, d?) where l != d:
                out.state = l
                out.disagreeingState = d
                notes.append("listed as \(l.rawValue) but described as \(d.rawValue): shown as listed, and treated as active")
            case let (l?, _): out.state = l
            case let (nil, d?): out.state = d
            case (nil, nil): out.state = .unknown
            }
            if let e = description?.error { notes.append("could not be described: \(e)") }
        }
        out.note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return out
    }

    /// Every group of a listing with its description (in the listing's order of ids, sorted).
    public static func reconcileAll(listing: [GroupListing], descriptions: [GroupDescription]) -> [GroupDescription] {
        let byID = Dictionary(descriptions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let listed = Dictionary(listing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = Set(listed.keys).union(byID.keys).sorted()
        return ids.map { reconcile($0, listed: listed[$0], description: byID[$0]) }
    }

    /// Why no change may be made to this group whatever its state, or nil: a type kafkaops cannot describe.
    public static func changeRefusal(_ group: GroupDescription) -> String? {
        guard !group.type.isDescribable else { return nil }
        return "group '\(Sanitizer.terminal(group.id))' is \(typePhrase(group.type)): \(whyUndescribable(group.type)), "
            + "so its members and state cannot be checked; no change is made to it"
    }

    /// Lag of this type of group cannot be read from committed offsets (share groups keep none).
    public static func lagUnknown(_ type: GroupType) -> Bool { type == .share }

    static func undescribableNote(_ type: GroupType) -> String {
        "\(whyUndescribable(type)): state as listed, members unknown"
            + (lagUnknown(type) ? ", lag unknown (share groups commit no offsets)" : "")
    }

    static func typePhrase(_ type: GroupType) -> String {
        type == .unknown ? "a group of a type the broker did not name" : "a \(type.rawValue) group"
    }

    static func whyUndescribable(_ type: GroupType) -> String {
        switch type {
        case .share: return "librdkafka has no share-group admin API (KIP-932)"
        case .streams: return "librdkafka cannot describe streams groups (KIP-1071)"
        default: return "the broker did not say which type of group it is"
        }
    }
}
