import Testing
@testable import KafkaOpsCore

private func snapshot(live: [Int32] = [1, 2, 3], topics: [String: [PartitionInfo]], minISR: [String: String] = [:],
                      unclean: [String: String] = [:], brokerUnclean: String = "false") -> ClusterSnapshot {
    let md = ClusterMetadata(clusterID: nil, controllerID: 1, brokers: live.map { Broker(id: $0, host: "b\($0)", port: 9092) },
                             topics: topics.map { TopicInfo(name: $0.key, partitions: $0.value) })
    var tc: [String: [ConfigEntry]] = [:]
    for name in topics.keys {
        var e: [ConfigEntry] = []
        if let m = minISR[name] { e.append(ConfigEntry(name: "min.insync.replicas", value: m, source: .topic)) }
        if let u = unclean[name] { e.append(ConfigEntry(name: "unclean.leader.election.enable", value: u, source: .topic)) }
        tc[name] = e
    }
    return ClusterSnapshot(metadata: md, topicConfigs: tc, brokerConfigs: [
        ConfigEntry(name: "min.insync.replicas", value: "1", source: .staticBroker),
        ConfigEntry(name: "unclean.leader.election.enable", value: brokerUnclean, source: .staticBroker),
    ])
}

private func p(_ id: Int32, leader: Int32?, _ replicas: [Int32], isr: [Int32]) -> PartitionInfo {
    PartitionInfo(id: id, leader: leader, replicas: replicas, isr: isr)
}

@Suite("What if a broker goes down")
struct WhatIfTests {
    static let orders = [
        p(0, leader: 1, [1, 2, 3], isr: [1, 2, 3]),
        p(1, leader: 1, [1, 3, 2], isr: [1, 2]),   // 3 is out of sync
        p(2, leader: 2, [2, 3, 1], isr: [2, 3, 1]),
        p(3, leader: 1, [1], isr: [1]),
        p(4, leader: 2, [2, 3], isr: [2, 3]),      // does not involve broker 1
    ]

    func result(_ snap: ClusterSnapshot, _ id: Int32) throws -> WhatIfResult {
        try WhatIf.brokerDown(id, snapshot: snap).get()
    }

    @Test func leaderMovesToFirstLiveInSyncReplicaInReplicaOrder() throws {
        let r = try result(snapshot(topics: ["orders": Self.orders], minISR: ["orders": "2"]), 1)
        let t = try #require(r.topics.first)
        #expect(t.partitions.map(\.partition) == [0, 1, 2, 3])
        let byID = Dictionary(uniqueKeysWithValues: t.partitions.map { ($0.partition, $0) })
        #expect(byID[0]?.leaderAfter == 2 && byID[0]?.isrAfter == [2, 3] && byID[0]?.leaderMoved == true)
        // Replica 3 comes before 2 in the list but is not in the ISR: 2 leads.
        #expect(byID[1]?.leaderAfter == 2 && byID[1]?.isrAfter == [2])
        #expect(byID[2]?.leaderAfter == 2 && byID[2]?.leaderMoved == false)
        #expect(byID[0]?.underMinISR == false && byID[0]?.underReplicated == true)
    }

    @Test func underMinISRAndOfflineCounts() throws {
        let r = try result(snapshot(topics: ["orders": Self.orders], minISR: ["orders": "2"]), 1)
        #expect(r.offline == 1)           // p3: its only replica was on broker 1
        #expect(r.underMinISR == 2)       // p1 (ISR [2]) and p3 (no leader)
        #expect(r.underReplicated == 4)
        #expect(r.leaderMoves == 2)
        #expect(r.breaksWrites)
        #expect(r.brokerWasLive && r.liveBrokersAfter == [2, 3])
        let p3 = try #require(r.topics.first?.partitions.first { $0.partition == 3 })
        #expect(p3.leaderAfter == nil && p3.offline && p3.after == .offline && p3.worsens)
        // RF 1 with min ISR 2 was already under min ISR before.
        #expect(p3.before == .underMinISR)
    }

    @Test func offlineWhenNoInSyncReplicaIsLeftAndUncleanIsOff() throws {
        let parts = [p(0, leader: 1, [1, 2], isr: [1])]
        let r = try result(snapshot(topics: ["t": parts]), 1)
        let w = try #require(r.topics.first?.partitions.first)
        #expect(w.offline && w.leaderAfter == nil && !w.dataLossPossible)
    }

    @Test(arguments: [("true", "false"), (nil, "true")] as [(String?, String)])
    func uncleanElectionFlagsDataLoss(_ topicUnclean: String?, _ brokerUnclean: String) throws {
        let parts = [p(0, leader: 1, [1, 2, 3], isr: [1])]
        let snap = snapshot(topics: ["risky": parts], unclean: topicUnclean.map { ["risky": $0] } ?? [:], brokerUnclean: brokerUnclean)
        let r = try result(snap, 1)
        let w = try #require(r.topics.first?.partitions.first)
        #expect(w.leaderAfter == 2 && w.isrAfter == [2])
        #expect(w.dataLossPossible && !w.offline)
        #expect(r.dataLossPossible == 1)
        #expect(r.topics.first?.uncleanLeaderElection == true)
    }

    @Test func unknownBrokerIsAnError() {
        let r = WhatIf.brokerDown(9, snapshot: snapshot(topics: ["orders": Self.orders]))
        #expect(r == .failure(.unknownBroker(9, known: [1, 2, 3])))
        #expect("\(WhatIfError.unknownBroker(9, known: [1, 2, 3]))" == "broker 9 is not in the cluster (brokers: 1, 2, 3)")
    }

    @Test func brokerAlreadyDownShowsTheCurrentState() throws {
        // Broker 3 is gone from the metadata; its partitions are in their current state.
        let parts = [p(0, leader: nil, [3], isr: [3]), p(1, leader: 1, [1, 3], isr: [1])]
        let r = try result(snapshot(live: [1, 2], topics: ["t": parts], minISR: ["t": "1"]), 3)
        #expect(!r.brokerWasLive)
        let w = try #require(r.topics.first?.partitions)
        #expect(w.map(\.partition) == [0, 1])
        #expect(w[0].offline && w[0].before == .offline)
        #expect(w[1].underReplicated && !w[1].underMinISR && !w[1].worsens)
    }

    @Test func unaffectedTopicsAreLeftOut() throws {
        let r = try result(snapshot(topics: ["far": [p(0, leader: 2, [2, 3], isr: [2, 3])], "orders": Self.orders]), 1)
        #expect(r.topics.map(\.topic) == ["orders"])
    }
}

@Suite("What if: scale")
struct WhatIfScaleTests {
    @Test func fiveThousandTopicsQuickly() throws {
        let live: [Int32] = Array(1...6)
        var topics: [TopicInfo] = []
        var configs: [String: [ConfigEntry]] = [:]
        for i in 0..<5000 {
            topics.append(TopicInfo(name: "t\(i)", partitions: (0..<6).map { p in
                let r = (0..<3).map { Int32((i + p + $0) % 6 + 1) }
                return PartitionInfo(id: Int32(p), leader: r[0], replicas: r, isr: r)
            }))
            configs["t\(i)"] = (0..<30).map { ConfigEntry(name: "c\($0)", value: "v", source: .defaultConfig) }
                + [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)]
        }
        let snap = ClusterSnapshot(metadata: ClusterMetadata(clusterID: nil, controllerID: 1,
                                                             brokers: live.map { Broker(id: $0, host: "h", port: 1) }, topics: topics),
                                   topicConfigs: configs,
                                   brokerConfigs: (0..<300).map { ConfigEntry(name: "b\($0)", value: "x", source: .defaultConfig) })
        // Speed is measured in scripts/bench.sh, not asserted here.
        let r: WhatIfResult? = try WhatIf.brokerDown(1, snapshot: snap).get()
        // Broker 1 holds half of each topic's 6 partitions: every topic is affected, nothing breaks.
        #expect(r?.topics.count == 5000)
        #expect(r?.underReplicated == 15000)
        #expect(r?.breaksWrites == false)
    }
}

@Suite("What if: findings for the audit table")
struct WhatIfFindingTests {
    @Test func oneFindingPerTopicAndConsequence() throws {
        let md = ClusterMetadata(clusterID: nil, controllerID: 1, brokers: [1, 2, 3].map { Broker(id: $0, host: "h", port: 1) },
                                 topics: [TopicInfo(name: "orders", partitions: [
                                     PartitionInfo(id: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3]),
                                     PartitionInfo(id: 1, leader: 1, replicas: [1, 2, 3], isr: [1, 2]),
                                     PartitionInfo(id: 2, leader: 1, replicas: [1], isr: [1]),
                                 ])])
        let snap = ClusterSnapshot(metadata: md, topicConfigs: ["orders": [ConfigEntry(name: "min.insync.replicas", value: "2", source: .topic)]])
        let f = try WhatIf.brokerDown(1, snapshot: snap).get().findings()
        #expect(f.map(\.rule) == ["what-if-offline", "what-if-under-min-isr", "what-if-under-replicated"])
        #expect(f.map(\.severity) == [.error, .error, .warning])
        #expect(f[0].current == "1 offline if broker 1 goes down (partition 2)")
        #expect(f[1].current == "1 under min ISR if broker 1 goes down (partition 1)")
        #expect(f[2].current == "1 under-replicated if broker 1 goes down (partition 0)")
    }
}

@Suite("What if: the on-call view (issue 13)")
struct WhatIfOnCallTests {
    static func snap(live: [Int32], _ topics: [TopicInfo], minISR: String = "2") -> ClusterSnapshot {
        let md = ClusterMetadata(clusterID: nil, controllerID: 1, brokers: live.map { Broker(id: $0, host: "h", port: 1) }, topics: topics)
        var configs: [String: [ConfigEntry]] = [:]
        for t in topics { configs[t.name] = [ConfigEntry(name: "min.insync.replicas", value: minISR, source: .topic)] }
        return ClusterSnapshot(metadata: md, topicConfigs: configs)
    }

    static func p(_ id: Int32, _ replicas: [Int32], isr: [Int32]? = nil) -> PartitionInfo {
        let isr = isr ?? replicas
        return PartitionInfo(id: id, leader: isr.first, replicas: replicas, isr: isr)
    }

    /// Broker 3 is down already: orders (RF 3) is under-replicated only, payments (RF 2 on 2,3) has one replica.
    static let topics = [
        TopicInfo(name: "orders", partitions: [p(0, [1, 2, 3], isr: [1, 2]), p(1, [2, 1, 3], isr: [2, 1])]),
        TopicInfo(name: "payments", partitions: [p(0, [2, 3], isr: [2]), p(1, [1, 3], isr: [1])]),
        TopicInfo(name: "__consumer_offsets", isInternal: true, partitions: [p(0, [2, 1, 3], isr: [2, 1])]),
        TopicInfo(name: "audit", partitions: [p(0, [1, 2], isr: [1, 2])]),
    ]

    @Test func aSecondFailureOnTopOfABrokerAlreadyDown() throws {
        let s = Self.snap(live: [1, 2], Self.topics)
        let now = try WhatIf.brokersDown([3], snapshot: s).get()
        #expect(now.alreadyDown == [3] && now.goingDown.isEmpty)
        #expect(now.offline == 0)
        #expect(now.scenario == "with broker 3 down (now)")
        let also = try WhatIf.brokersDown([3, 2], snapshot: s).get()
        #expect(also.scenario == "with broker 3 down (now), if 2 also goes")
        #expect(also.liveBrokersAfter == [1])
        // payments/0 had only broker 2 left in sync: it goes offline; orders loses a second replica: under min ISR.
        let payments = try #require(also.topics.first { $0.topic == "payments" })
        #expect(payments.offline == 1)
        let orders = try #require(also.topics.first { $0.topic == "orders" })
        #expect(orders.underMinISR == 2 && orders.offline == 0)
        #expect(WhatIf.brokersDown([2], snapshot: s).map(\.scenario) == .success("if broker 2 goes down"))
        #expect(WhatIf.brokersDown([1, 2], snapshot: Self.snap(live: [1, 2, 3], Self.topics)).map(\.scenario)
                == .success("if brokers 1, 2 go down"))
    }

    @Test func theSummaryIsPerTopicWorstFirstWithInternalAndURPOnlyTopicsBehindTheToggle() throws {
        let topics = [
            TopicInfo(name: "audit", partitions: [Self.p(0, [1, 2, 3])]),                                 // URP only
            TopicInfo(name: "orders", partitions: [Self.p(0, [1, 2, 3], isr: [1, 2]), Self.p(1, [2, 3, 1])]),  // under min ISR
            TopicInfo(name: "payments", partitions: [Self.p(0, [1, 2], isr: [1]), Self.p(1, [2, 3])]),      // offline
            TopicInfo(name: "__consumer_offsets", isInternal: true, partitions: [Self.p(0, [1, 2, 3])]),
            TopicInfo(name: "far", partitions: [Self.p(0, [2, 3])]),                                       // unaffected
        ]
        let r = try WhatIf.brokersDown([1], snapshot: Self.snap(live: [1, 2, 3], topics)).get()
        let all = r.topicSummary(all: true)
        #expect(all.hidden == 0)
        #expect(all.topics.map(\.topic) == ["payments", "orders", "__consumer_offsets", "audit"])
        let shown = r.topicSummary(all: false)
        #expect(shown.topics.map(\.topic) == ["payments", "orders"])
        #expect(shown.hidden == 2)
        let payments = try #require(shown.topics.first)
        #expect(payments.offline == 1 && !payments.isMinor)
        let orders = shown.topics[1]
        #expect(orders.underMinISR == 1 && orders.underReplicated == 2 && orders.partitions.count == 2)
        #expect(r.topics.first { $0.topic == "__consumer_offsets" }?.isInternal == true)
        #expect(r.topics.first { $0.topic == "audit" }?.isMinor == true)
    }

    @Test func unknownBrokerIDsAreAnErrorAndTypedIDsAreParsed() {
        let s = Self.snap(live: [1, 2], Self.topics)
        #expect(WhatIf.brokersDown([3, 9], snapshot: s) == .failure(.unknownBroker(9, known: [1, 2, 3])))
        #expect(WhatIf.unknownBroker([3], metadata: s.metadata) == nil)
        #expect(WhatIf.parseBrokerIDs("3,2") == .success([3, 2]))
        #expect(WhatIf.parseBrokerIDs("3, 2 3") == .success([3, 2]))
        #expect(WhatIf.parseBrokerIDs("two") == .failure(.notBrokerIDs("two")))
        #expect(WhatIf.parseBrokerIDs(" ") == .failure(.notBrokerIDs(" ")))
        #expect("\(WhatIfError.notBrokerIDs("x"))" == "'x' is not a broker id: expected a number, or several (3,2)")
    }
}
