import Foundation

/// Kafka's topic name rules (org.apache.kafka.common.internals.Topic), with Kafka's messages.
public enum TopicName {
    public static let maxLength = 249

    /// Rule ids of name issues.
    public static let illegalRule = "name-illegal"
    public static let collisionRule = "name-collision"

    public struct Issue: Hashable, Sendable, Codable {
        public var rule: String
        public var severity: FindingSeverity
        public var message: String

        public init(rule: String, severity: FindingSeverity, message: String) {
            self.rule = rule; self.severity = severity; self.message = message
        }
    }

    /// Only ASCII alphanumerics, '.', '_' and '-'.
    public static func isLegalCharacter(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// The errors Kafka would reject the name with (at most one, in Kafka's order), then the
    /// warning about mixing '.' and '_' (metric names replace '.' with '_', so such names can collide).
    public static func validate(_ name: String) -> [Issue] {
        if name.isEmpty {
            return [Issue(rule: illegalRule, severity: .error, message: "Topic name is illegal, it can't be empty")]
        }
        if name == "." || name == ".." {
            return [Issue(rule: illegalRule, severity: .error, message: "Topic name cannot be \".\" or \"..\"")]
        }
        // Kafka counts Java chars (UTF-16 units); for legal names that is the ASCII length.
        if name.utf16.count > maxLength {
            return [Issue(rule: illegalRule, severity: .error,
                          message: "Topic name is illegal, it can't be longer than \(maxLength) characters, topic name: \(name)")]
        }
        if !name.utf8.allSatisfy(isLegalCharacter) {
            return [Issue(rule: illegalRule, severity: .error,
                          message: "Topic name \"\(name)\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'")]
        }
        if name.contains(".") && name.contains("_") {
            return [Issue(rule: collisionRule, severity: .warning,
                          message: "Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.")]
        }
        return []
    }

    /// True when the name is legal (no error-level issue).
    public static func isValid(_ name: String) -> Bool { !validate(name).contains { $0.severity == .error } }

    /// The name with '.' replaced by '_', as Kafka's metric names see it.
    public static func unifyCollisionChars(_ name: String) -> String { name.replacingOccurrences(of: ".", with: "_") }

    /// The existing topics the name collides with once '.' is replaced by '_' (the name itself excluded).
    public static func collidingTopics(_ name: String, existing: [String]) -> [String] {
        guard name.contains(".") || name.contains("_") else { return [] }
        let unified = unifyCollisionChars(name)
        return existing.filter { $0 != name && unifyCollisionChars($0) == unified }.sorted()
    }

    /// An error when the name collides with existing topics (Kafka refuses to create it).
    public static func collision(_ name: String, existing: [String]) -> [Issue] {
        let c = collidingTopics(name, existing: existing)
        if c.isEmpty { return [] }
        return [Issue(rule: collisionRule, severity: .error,
                      message: "Topic '\(name)' collides with existing topics: \(c.joined(separator: ", "))")]
    }
}
