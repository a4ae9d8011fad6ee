import Foundation

/// What `DurabilityAudit.run` looks at.
public struct AuditOptions: Hashable, Sendable {
    /// Audit internal topics (`__` prefix) too.
    public var includeInternal: Bool
    /// Limit the topic rules to these topics; nil audits every topic.
    public var topics: Set<String>?

    public init(includeInternal: Bool = false, topics: Set<String>? = nil) {
        self.includeInternal = includeInternal; self.topics = topics
    }
}

extension Finding {
    /// The order operators read findings in: errors, then warnings, then notes; within a level the
    /// cluster and broker defaults first, then topics and groups, each by name (`sortedWorstFirst`
    /// keeps the rules of one target in the order the audit checks them).
    public static func worstFirst(_ a: Finding, _ b: Finding) -> Bool {
        func kind(_ k: FindingTargetKind) -> Int {
            switch k {
            case .cluster: return 0
            case .brokerDefaults: return 1
            case .topic: return 2
            case .group: return 3
            case .client: return 4
            }
        }
        if a.severity != b.severity { return a.severity > b.severity }
        return (kind(a.targetKind), a.target) < (kind(b.targetKind), b.target)
    }

    /// `findings` worst first (`worstFirst`), ties in their original order.
    public static func sortedWorstFirst(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { x, y in
            worstFirst(x.element, y.element) || (!worstFirst(y.element, x.element) && x.offset < y.offset)
        }.map(\.element)
    }
}

/// The audit's findings, worst first (`Finding.worstFirst`), with counts by severity.
public struct AuditResult: Hashable, Sendable, Codable {
    public var findings: [Finding]
    public var topicsChecked: Int
    public var groupsChecked: Int
    /// Problems in the policy itself, in words.
    public var notes: [String]
    /// What the audit could not load or check (topic or broker configs, groups, offsets), in
    /// words; not empty means the audit is incomplete: "no findings" would be a guess.
    public var incomplete: [String]

    public init(findings: [Finding], topicsChecked: Int, groupsChecked: Int, notes: [String], incomplete: [String] = []) {
        self.findings = findings; self.topicsChecked = topicsChecked
        self.groupsChecked = groupsChecked; self.notes = notes; self.incomplete = incomplete
    }

    public var isComplete: Bool { incomplete.isEmpty }
    /// The CLI exits 1 when this is true: an error-level finding, or an audit that is incomplete.
    public var fails: Bool { hasErrors || !isComplete }

    public func count(_ s: FindingSeverity) -> Int { findings.reduce(0) { $0 + ($1.severity == s ? 1 : 0) } }
    public var errorCount: Int { count(.error) }
    public var warningCount: Int { count(.warning) }
    /// The CLI exits 1 when this is true.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    /// "2 errors, 1 warning (14 topics, 3 groups checked)", or "no findings (…)".
    public var summary: String {
        func n(_ c: Int, _ w: String) -> String { "\(c) \(w)\(c == 1 ? "" : "s")" }
        var parts: [String] = []
        if errorCount > 0 { parts.append(n(errorCount, "error")) }
        if warningCount > 0 { parts.append(n(warningCount, "warning")) }
        if count(.info) > 0 { parts.append(n(count(.info), "note")) }
        let what = "\(n(topicsChecked, "topic")), \(n(groupsChecked, "group")) checked"
        let found = parts.isEmpty ? (isComplete ? "no findings" : "no findings in what could be checked") : parts.joined(separator: ", ")
        return (isComplete ? "" : "INCOMPLETE, ") + found + " (\(what))"
    }

    /// Topics with at least one finding, sorted.
    public var topicsWithFindings: [String] {
        Set(findings.filter { $0.targetKind == .topic }.map(\.target)).sorted()
    }
    public func findings(forTopic name: String) -> [Finding] {
        findings.filter { $0.targetKind == .topic && $0.target == name }
    }
    /// The worst severity per topic, for a topic list mark.
    public var worstByTopic: [String: FindingSeverity] {
        var w: [String: FindingSeverity] = [:]
        for f in findings where f.targetKind == .topic { w[f.target] = max(w[f.target] ?? .info, f.severity) }
        return w
    }
}

/// The durability audit of docs/KAFKA-SEMANTICS.md over a snapshot: every topic against the policy,
/// the cluster (live brokers, broker defaults) and groups that lost data to retention.
public enum DurabilityAudit {
    /// `lagFacts` (record timestamps at committed offsets, retention): groups at risk of data loss
    /// are checked too; `lagHistory` gives their ETA (without it, no ETA: at risk when the time comes).
    public static func run(_ snapshot: ClusterSnapshot, policy: TopicPolicy = .default,
                           options: AuditOptions = AuditOptions(), lagFacts: LagFacts? = nil,
                           lagHistory: LagHistory = LagHistory()) -> AuditResult {
        let notes = policy.problems().map { "policy: \($0)" }
        var findings: [Finding] = []

        // Cluster rules.
        var incomplete: [String] = []
        findings += clusterFindings(snapshot, policy: policy, incomplete: &incomplete)

        // Topic rules.
        let resolver = ConfigResolver(policy: policy, brokerConfigs: snapshot.brokerConfigs)
        let regex = PolicyCheck.compile(policy.namePattern)
        let topics = snapshot.metadata.topics
            .filter { options.includeInternal || !($0.isInternal || TopicInfo.looksInternal($0.name)) }
            .filter { options.topics?.contains($0.name) ?? true }
            .sorted { $0.name < $1.name }
        incomplete.insert(contentsOf: snapshot.unread(topics: topics.map(\.name)), at: 0)
        var checked = 0
        for t in topics {
            if t.partitions.isEmpty {
                incomplete.append("topic \(t.name): no partition metadata\(t.error.map { " (\($0))" } ?? ""), not audited")
                continue
            }
            checked += 1
            let facts = TopicFacts(existing: t, configs: snapshot.topicConfigs[t.name], resolver: resolver)
            findings += PolicyCheck.check(facts, policy: policy, nameRegex: regex)
        }

        // Groups whose committed offsets fell below the log start.
        let lags = snapshot.allGroupLags()
        // A committed partition of an existing topic without its log start: lost records cannot be told.
        let existing = Set(snapshot.metadata.topics.map(\.name))
        let unchecked = lags.flatMap(\.partitions).filter {
            $0.committed != nil && $0.logStart == nil && existing.contains($0.partition.topic)
        }
        if !unchecked.isEmpty {
            incomplete.append("log start offsets of \(unchecked.count) committed partition\(unchecked.count == 1 ? "" : "s") were not loaded: lost records of groups were not checked there")
        }
        if let sev = policy.severityOf(PolicyRule.groupDataLost) {
            for g in lags where g.partitionsWithDataLoss > 0 {
                let lost = g.partitions.filter {
                    $0.status == .dataLost && (options.includeInternal || !TopicInfo.looksInternal($0.partition.topic))
                }
                if lost.isEmpty { continue }
                let records = lost.reduce(Int64(0)) { $0 + ($1.recordsLost ?? 0) }
                let shown = lost.prefix(3).map { p in
                    "\(p.partition) committed \(p.committed.map(String.init) ?? "-") < log start \(p.logStart.map(String.init) ?? "-")"
                }.joined(separator: "; ") + (lost.count > 3 ? "; …" : "")
                let topicsHit = Set(lost.map(\.partition.topic)).sorted()
                findings.append(Finding(
                    rule: PolicyRule.groupDataLost, severity: sev, targetKind: .group, target: g.group,
                    current: "\(records) record\(records == 1 ? "" : "s") lost on \(lost.count) partition\(lost.count == 1 ? "" : "s") (\(shown))",
                    expected: "committed offset >= log start offset",
                    fix: "the lost records cannot be recovered; to resume from the log start, stop the consumers and run kafka-consumer-groups.sh --reset-offsets --group \(g.group) --topic \(topicsHit.joined(separator: " --topic ")) --to-earliest --execute; raise retention.ms of \(topicsHit.joined(separator: ", ")) so it does not happen again",
                    reason: "retention deleted records before this group read them; the group will skip them without an error"))
            }
        }
        if let lagFacts, let level = policy.severityOf(PolicyRule.groupDataLossRisk) {
            findings += dataLossRiskFindings(snapshot, lags: lags, facts: lagFacts, history: lagHistory, level: level, options: options)
            incomplete += lagFacts.problems.map { "\(PolicyRule.groupDataLossRisk) not checked everywhere: \($0)" }
        }
        return AuditResult(findings: Finding.sortedWorstFirst(findings), topicsChecked: checked,
                           groupsChecked: lags.count, notes: notes, incomplete: incomplete)
    }

    /// `group-data-loss-risk`: the group's partition that retention may reach soonest, before the group does.
    static func dataLossRiskFindings(_ snapshot: ClusterSnapshot, lags: [GroupLag], facts: LagFacts, history: LagHistory,
                                     level: FindingSeverity, options: AuditOptions) -> [Finding] {
        let members = Dictionary(snapshot.groups.map { ($0.id, $0.isActive) }, uniquingKeysWith: { a, _ in a })
        var out: [Finding] = []
        for g in lags {
            let row = LagAnalysis.group(g, history: history, hasMembers: members[g.group] ?? false, facts: facts, now: snapshot.fetchedAt)
            let risky = row.partitions.filter {
                $0.atRisk
                    && (options.includeInternal || !TopicInfo.looksInternal($0.partition.topic))
            }
            guard let worst = risky.min(by: { ($0.dataLossInMs ?? 0) < ($1.dataLossInMs ?? 0) }),
                  let sev = DataLossRules.severity(worst.dataLoss, eta: worst.eta, now: snapshot.fetchedAt) else { continue }
            let ms = worst.dataLossInMs ?? 0
            let topics = Set(risky.map(\.partition.topic)).sorted()
            out.append(Finding(
                rule: PolicyRule.groupDataLossRisk, severity: level == .warning ? .warning : sev, targetKind: .group, target: g.group,
                current: "retention may delete unread records of \(worst.partition) from \(OffsetTime.describe(milliseconds: max(0, ms))) on"
                    + " (\(risky.count) partition\(risky.count == 1 ? "" : "s") at risk, lag \(worst.lag ?? 0), "
                    + (worst.eta.map { "catching up in \(OffsetTime.describe(milliseconds: Int64($0 * 1000)))" } ?? "not catching up") + ")",
                expected: "the group catches up before retention.ms deletes the records it has not read",
                fix: "scale or unblock the consumers of \(g.group) (kafkaops group describe \(g.group) --window 1m), or raise retention.ms of \(topics.joined(separator: ", ")) before the records go",
                reason: "records older than retention.ms are deleted whole segments at a time; a group that has not read them skips them without an error"))
        }
        return out
    }

    static func clusterFindings(_ snapshot: ClusterSnapshot, policy: TopicPolicy, incomplete notes: inout [String]) -> [Finding] {
        var out: [Finding] = []
        func add(_ rule: String, kind: FindingTargetKind, target: String, current: String, expected: String,
                 fix: String, reason: String) {
            guard let sev = policy.severityOf(rule) else { return }
            out.append(Finding(rule: rule, severity: sev, targetKind: kind, target: target, current: current,
                               expected: expected, fix: fix, reason: reason))
        }

        // brokers-below-max-rf: over every topic, internal ones included (they need their replicas too).
        let live = snapshot.metadata.liveBrokerCount
        var maxRF = 0
        var maxTopic = ""
        for t in snapshot.metadata.topics {
            for p in t.partitions where p.replicas.count > maxRF { maxRF = p.replicas.count; maxTopic = t.name }
        }
        if maxRF > live {
            add(PolicyRule.brokersBelowMaxRF, kind: .cluster, target: "cluster",
                current: "\(live) live broker\(live == 1 ? "" : "s")",
                expected: ">= \(maxRF) (the largest replication factor, topic \(maxTopic))",
                fix: "bring the missing brokers back (kafkaops brokers shows which are live)",
                reason: "partitions with \(maxRF) replicas cannot have them all in sync, so they stay under-replicated and one more failure can stop acks=all writes")
        }

        // Broker defaults that would make new topics unsafe.
        guard !snapshot.brokerConfigs.isEmpty else {
            notes.append("broker configs were not loaded: broker defaults were not checked")
            return out
        }
        var broker: [String: ConfigEntry] = [:]
        for e in snapshot.brokerConfigs where broker[e.name] == nil { broker[e.name] = e }
        func value(_ name: String) -> (String, String) {
            if let v = broker[name]?.value { return (v, broker[name]?.source == .defaultConfig ? "Kafka default" : "broker") }
            return (KafkaConfig.defaults[name] ?? "", "Kafka default")
        }
        let target = "broker defaults"
        let alter = "kafka-configs.sh --alter --entity-type brokers --entity-default --add-config"

        let (drf, drfSrc) = value(KafkaConfig.defaultReplicationFactor)
        if let n = Int(drf), n < policy.minReplicationFactor {
            add(PolicyRule.brokerDefaultReplicationFactor, kind: .brokerDefaults, target: target,
                current: "default.replication.factor=\(drf) (\(drfSrc))", expected: ">= \(policy.minReplicationFactor)",
                fix: "set default.replication.factor=\(policy.minReplicationFactor) in server.properties on every broker (it is a static config) and restart them in turn",
                reason: "topics created without an explicit replication factor (auto-created ones included) get \(n) replica\(n == 1 ? "" : "s")")
        }
        let (dmin, dminSrc) = value(KafkaConfig.minInsyncReplicas)
        if let n = Int(dmin), n < policy.minInsyncReplicas {
            add(PolicyRule.brokerDefaultMinInsyncReplicas, kind: .brokerDefaults, target: target,
                current: "min.insync.replicas=\(dmin) (\(dminSrc))", expected: ">= \(policy.minInsyncReplicas)",
                fix: "set min.insync.replicas=\(policy.minInsyncReplicas) (\(alter) min.insync.replicas=\(policy.minInsyncReplicas))",
                reason: "every topic without its own min.insync.replicas acknowledges acks=all writes held by \(n == 1 ? "the leader alone" : "only \(n) replicas")")
        }
        let (duncl, dunclSrc) = value(KafkaConfig.uncleanLeaderElection)
        if policy.requireUncleanLeaderElectionDisabled, duncl.lowercased() == "true" {
            add(PolicyRule.brokerDefaultUncleanLeaderElection, kind: .brokerDefaults, target: target,
                current: "unclean.leader.election.enable=true (\(dunclSrc))", expected: "false",
                fix: "set unclean.leader.election.enable=false (\(alter) unclean.leader.election.enable=false)",
                reason: "every topic without its own override may elect an out-of-sync leader and lose acknowledged records")
        }
        return out
    }
}
