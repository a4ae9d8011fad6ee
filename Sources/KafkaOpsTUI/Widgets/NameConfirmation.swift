import KafkaOpsCore

/// The typed-name confirmation of a protected profile (the one rule for every flow that changes the
/// cluster): the operator types the resource's name, and the change goes ahead only when the text is
/// exactly that name. The flow gives the sentence a wrong name answers with.
public struct NameConfirmation: Sendable, Hashable {
    /// The name to type (the topic, the group, the DLQ topic).
    public let name: String
    /// The status line's answer to Enter while the text is not the name.
    public let refusal: String
    public private(set) var field = TextField("", maxLength: 260)

    public init(name: String, refusal: String) {
        self.name = name; self.refusal = refusal
    }

    /// The text typed so far.
    public var typed: String { field.text }

    /// An editing key for the field; false when it is not one.
    @discardableResult
    public mutating func edit(_ key: Key) -> Bool { field.edit(key) }

    /// Nil when the typed text is exactly the name (the change may go ahead); otherwise the refusal.
    public var refusalIfWrong: String? { field.text == name ? nil : refusal }

    /// Draws the field (focused) at (x, y) within `width` cells.
    public func draw(_ g: inout Grid, x: Int, y: Int, width: Int) {
        field.draw(&g, x: x, y: y, width: width, focused: true)
    }
}
