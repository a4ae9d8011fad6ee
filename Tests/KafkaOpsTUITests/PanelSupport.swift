import Foundation
import KafkaOpsCore
import TestSupport
@testable import KafkaOpsTUI

/// What a job sent, collected for the test to read.
typealias Inbox = Locked<[FlowEvent]>

/// The time a console job gets in these tests (the program's is the profile's timeout). Generous: the jobs
/// run on the demo or a fake that answer at once, and under the whole suite on two cores a job can wait
/// 10-15 s for a thread; a test that wants a timeout makes its client hang, it does not race this one.
let testJobTimeout: Duration = .seconds(30)

extension ConsoleState {
    /// Runs the jobs among `effects` against `client` (as the program would, off the main actor)
    /// and delivers what they sent to their panel; returns the effects of those deliveries.
    @discardableResult
    mutating func runJobs(_ effects: [Effect], client: any ClusterClient) async -> [Effect] {
        var out: [Effect] = []
        for case .job(let job) in effects {
            let inbox = Inbox()
            await job.run(JobContext(client: client, timeout: testJobTimeout, operations: operations) { inbox.append($0) })
            for v in inbox.value { out += update(.panelReceived(panelID: job.panelID, value: v)) }
        }
        return out
    }
}

