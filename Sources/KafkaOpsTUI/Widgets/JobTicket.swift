/// Stale results, one idea for every flow: before starting a job whose earlier results must no longer
/// count (a new page read, a new plan, a new replay run), the flow takes a new ticket from its
/// `JobTickets`; the job sends its result with that ticket, and the flow applies a result only while
/// `isCurrent(ticket)`. Taking a new ticket (or `expire()`) makes every result still on its way stale.
public struct JobTicket: Sendable, Hashable {
    fileprivate let number: Int
}

/// The tickets of one kind of job in a flow.
public struct JobTickets: Sendable, Hashable {
    public private(set) var current = JobTicket(number: 0)

    public init() {}

    /// A new ticket: results sent with any earlier one are stale from now on.
    public mutating func next() -> JobTicket {
        current = JobTicket(number: current.number + 1)
        return current
    }

    /// Makes every result still on its way stale (a step left, a job stopped).
    public mutating func expire() { _ = next() }

    /// Whether a result sent with `ticket` still counts.
    public func isCurrent(_ ticket: JobTicket) -> Bool { ticket == current }
}
