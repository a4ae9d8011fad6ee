import Foundation
import KafkaOpsCore

/// Messages: everything that happened (keys, timers, backend results), in the past tense.
public enum Msg: Sendable {
    case started
    case keyPressed(Key)
    case resized(Size)
    case ticked(Date)
    case refreshDue(Int)
    /// The metadata alone (first paint), for load `id`.
    case metadataLoaded(Int, Result<ClusterSnapshot, ClusterError>)
    /// The whole snapshot, for load `id`.
    case snapshotLoaded(Int, Result<ClusterSnapshot, ClusterError>)
    /// What earlier runs saw of the cluster's brokers (`BrokerMemory`), read off the main actor.
    case brokersRecalled(cluster: String, [RememberedBroker])
    /// The lag over time of load `id` (its facts read and its trend rows built off the main actor).
    case lagLoaded(Int, LagTrends)
    /// Load `id` did not answer within the timeout (the backend may hang).
    case loadTimedOut(Int)
    /// A job of panel `panelID` sent a value (progress or its result).
    case panelReceived(panelID: Int, value: FlowEvent)
    /// SIGHUP or SIGTERM: finish the change in flight (its outcome recorded), then exit.
    case stopSignalReceived(Int32)
    /// The bounded wait for the changes in flight after a stop signal is over.
    case exitWaitEnded
    /// The rows of a screen that reads its own data (`Effect.loadScreen`) arrived, or the read failed.
    case screenLoaded(Screen, connection: Int, Result<ScreenData, ClusterError>)
    /// The connection to profile NAME (`:ctx NAME`) is ready, or could not be made.
    case contextSwitched(String, Result<ConsoleConnection, ClusterError>)
}

/// Effects: what update asks the program to do, in the imperative.
public enum Effect: Sendable, Hashable {
    /// Load a snapshot; with `metadataFirst`, send `metadataLoaded` as soon as the metadata is in.
    case loadSnapshot(id: Int, metadataFirst: Bool)
    /// Read the rows of a screen that is not built from the snapshot (ACLs, configs), off the main actor.
    case loadScreen(Screen, connection: Int)
    case scheduleTick(after: Duration)
    case scheduleRefresh(id: Int, after: Duration)
    /// Run a panel's cluster work off the main actor.
    case job(Job)
    /// Cancel one job of a panel.
    case cancelJob(panelID: Int, name: String)
    /// Cancel every job of a closed panel.
    case cancelJobs(panelID: Int)
    /// Tell running changes to stop at their next step (a replay between batches) and end the wait for them
    /// after `waitAtMost` (SIGHUP, SIGTERM).
    case stopChanges(waitAtMost: Duration)
    /// Connect to another profile's cluster (`:ctx NAME`), off the main actor.
    case switchContext(String)
    case quit
    /// Ctrl-Z: give the terminal back (endwin), stop with SIGTSTP, and redraw everything on SIGCONT.
    case suspend
    /// Put `text` on the clipboard of the operator's terminal (OSC 52): only on the key that asks for it.
    case copyToClipboard(String)
}
