import Foundation
import KafkaOpsCore

/// The probe: the cluster work, off the main actor; results come back as events.
extension ProbePanel {
    /// Starts (or restarts) the probe: a new ticket, then the job that checks the topic and runs
    /// window after window until the screen closes (the job is cancelled then).
    public mutating func start(_ ctx: PanelContext) -> PanelOutcome {
        let ticket = runs.next()
        windows = []
        startedAt = nil
        if ctx.readOnly {
            stage = .stopped("read-only connection: the probe writes records, so it cannot run")
            return .none
        }
        stage = .checking
        let policyName = ctx.policyName
        return PanelOutcome(jobs: [Self.probeJob(topic, rate: rate, policy: ctx.policy, policyName: policyName, ticket: ticket)])
    }

    static func probeJob(_ topic: String, rate: Double, policy: TopicPolicy, policyName: String, ticket: JobTicket) -> Job {
        Job("probe", sending: Event.self) { jc in
            var session: ClientProbeSession?
            var partitions: [Int32] = []
            while !Task.isCancelled {
                let md: ClusterMetadata
                do { md = try await jc.client.metadata(deadline: jc.deadline) } catch {
                    await jc.send(.stopped(ticket, "cannot read the metadata: \(Fmt.safe(String(describing: error)))"))
                    break
                }
                guard let info = md.topics.first(where: { $0.name == topic }), !info.partitions.isEmpty else {
                    let planned = ProbeTopic.planned(name: topic, liveBrokers: md.liveBrokerCount, policy: policy)
                    var brokerConfigs: [ConfigEntry] = []
                    if let b = md.controllerID ?? md.brokers.first?.id {
                        brokerConfigs = (try? await jc.client.brokerConfigs(b, deadline: jc.deadline)) ?? []
                    }
                    let findings = TopicCreation.findings(planned, brokerConfigs: brokerConfigs, existingTopics: md.topics.map(\.name),
                                                          liveBrokers: md.liveBrokerCount, policy: policy)
                    await jc.send(.missing(ticket, planned, findings: findings, policyName: policyName))
                    break
                }
                let (ps, leaders) = ProbeTopic.partitions(of: info)
                if session == nil || ps != partitions {
                    await session?.close()
                    do {
                        let start = try await jc.client.endOffsets(ps.map { TopicPartition(topic, $0) }, deadline: jc.deadline)
                        session = try await ClientProbeSession.open(jc.client, start: start, deadline: jc.deadline)
                        partitions = ps
                    } catch {
                        await jc.send(.stopped(ticket, "cannot start reading the probe topic: \(Fmt.safe(String(describing: error)))"))
                        break
                    }
                }
                guard let session else { break }
                var plan = ProbePlan(topic: topic, partitions: ps, leaders: leaders, recordsPerPartition: nil,
                                     duration: ProbePanel.window, rate: rate, timeout: jc.timeout)
                // Each window ends by reading its records again from where it started: one truncated
                // away since it was read (an unclean election) is lost.
                if let ends = try? await jc.client.endOffsets(ps.map { TopicPartition(topic, $0) }, deadline: jc.deadline) {
                    plan.startOffsets = Dictionary(uniqueKeysWithValues: ends.map { ($0.key.partition, $0.value) })
                }
                let report = await ProbeRunner.run(session, plan: plan)
                if Task.isCancelled { break }
                await jc.send(.window(ticket, report))
            }
            await session?.close()
        }
    }

    /// The probe topic's creation through Core's ChangePipeline, as `topic create` and `probe --create`.
    static func createJob(_ topic: NewTopic, findings: [Finding], policyName: String, confirmation: String?,
                          ticket: JobTicket) -> Job {
        Job("create", sending: Event.self) { jc in
            let change = CreateTopic(topic, findings: findings, policyName: policyName)
            do {
                let done = try await jc.pipeline.run(change, client: jc.client, timeout: jc.timeout, confirmation: confirmation)
                guard done.outcome.isApplied == true else {
                    await jc.send(.createRefused(ticket, done.outcome.line("the creation of topic \(topic.name)", lost: nil)))
                    return
                }
                await jc.send(.created(ticket, unrecorded: done.unrecorded))
            } catch let failed as ChangeFailed {
                await jc.send(.createRefused(ticket, Fmt.safe("\(failed.underlying)")))
            } catch {
                await jc.send(.createRefused(ticket, Fmt.safe(String(describing: error))))
            }
        }
    }
}
