import Foundation
import KafkaOpsCore

/// The probe: the cluster work, off the main actor; results come back as events.
extension ProbePanel {
    /// Starts (or restarts) the probe: a new ticket, then the job that checks the topic and runs
    /// window after window until the screen closes (the job is cancelled then). The run is a change
    /// (`ProbeRun` through the pipeline: a started and an outcome record); on a protected profile the
    /// topic's name is typed first.
    public mutating func start(_ ctx: PanelContext) -> PanelOutcome {
        let ticket = runs.next()
        windows = []
        startedAt = nil
        ended = nil
        if ctx.readOnly {
            stage = .stopped("read-only connection: the probe writes records, so it cannot run")
            return .none
        }
        // The profile's probe_rate is checked when the profile is loaded; the same rule again here, so an
        // extreme rate is a message, never a crash.
        if let problem = SettingRange.probeRate.problem("probe_rate", rate) {
            stage = .stopped(problem)
            return .none
        }
        stage = .checking
        let policyName = ctx.policyName
        let protected = ctx.operations.protected
        return PanelOutcome(jobs: [Self.probeJob(topic, rate: rate, policy: ctx.policy, policyName: policyName,
                                                 confirmation: protected ? confirmed : nil,
                                                 askFirst: protected && confirmed == nil, ticket: ticket)])
    }

    /// `askFirst`: a protected profile's typed name is missing; the job only checks that the topic exists
    /// and asks for it (`.confirm`).
    static func probeJob(_ topic: String, rate: Double, policy: TopicPolicy, policyName: String, confirmation: String?,
                         askFirst: Bool, ticket: JobTicket) -> Job {
        Job("probe", sending: Event.self) { jc in
            let md: ClusterMetadata
            do { md = try await jc.client.metadata(deadline: jc.deadline) } catch {
                await jc.send(.stopped(ticket, "cannot read the metadata: \(Fmt.safe(String(describing: error)))"))
                return
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
                return
            }
            if askFirst {
                await jc.send(.confirm(ticket))
                return
            }
            let plan: JSONValue = .object(["partitions": .array(info.partitions.map { .int(Int64($0.id)) }.sorted { "\($0)" < "\($1)" }),
                                           "rate": .double(rate), "window_ms": .int(Int64(ProbePanel.window / .milliseconds(1))),
                                           "from": .string("console")])
            let change = ProbeRun(topic: topic, plan: plan) { client, timeout in
                await windows(topic, rate: rate, client: client, timeout: timeout, jc, ticket: ticket)
            }
            do {
                let done = try await jc.pipeline.run(change, client: jc.client, timeout: jc.timeout, confirmation: confirmation)
                await jc.send(.ended(ticket, result: Fmt.safe(done.result), unrecorded: done.unrecorded.map(Fmt.safe)))
            } catch let refused as ChangeRefused {
                await jc.send(.stopped(ticket, Fmt.safe(refused.description)))
            } catch let failed as ChangeFailed {
                await jc.send(.stopped(ticket, "the probe failed: \(Fmt.safe(String(describing: failed.underlying)))"
                                       + (failed.unrecorded.map { "; " + Fmt.safe($0) } ?? "")))
            } catch {
                await jc.send(.stopped(ticket, "the audit log cannot be written: \(Fmt.safe(String(describing: error))); nothing was sent"))
            }
        }
    }

    /// The probe's windows (`ProbeWindows`), one after the other until the job is cancelled (the screen
    /// closed), the console exits (SIGHUP, SIGTERM raise `exiting`) or the cluster cannot be read; each
    /// window's report goes to the screen as it ends. Either way the outcome record is written.
    static func windows(_ topic: String, rate: Double, client: any ClusterClient, timeout: Duration,
                        _ jc: FlowJobContext<Event>, ticket: JobTicket) async -> ProbeRunTotals {
        await ProbeWindows.run(topic: topic, rate: rate, window: ProbePanel.window, client: client, timeout: timeout,
                               keepGoing: { !jc.exiting.isRaised },
                               ended: { await jc.send(.window(ticket, $0)) },
                               stopped: { await jc.send(.stopped(ticket, $0)) })
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
