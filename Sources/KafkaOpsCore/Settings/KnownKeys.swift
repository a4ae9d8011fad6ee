import Foundation

/// Unknown keys in a settings file (config.yaml, the policy file) are errors, never silently ignored:
/// a typo such as `read_onyl: true` must not leave a profile writable. The one place for the rule and
/// for the "did you mean" suggestion.
public enum KnownKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws a `DecodingError.dataCorrupted` when the object being decoded has a key outside `known`.
    /// Its coding path is the object's (the message names the key); `what` names the kind of key in the
    /// message ("key", "policy key").
    public static func check(_ decoder: any Decoder, known: some Sequence<String>, what: String = "key") throws {
        let known = Array(known)
        let c = try decoder.container(keyedBy: AnyKey.self)
        // The first unknown key in a stable order, so the message does not change from run to run.
        if let k = c.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: message(unknown: k, known: known, what: what)))
        }
    }

    /// "unknown key 'read_onyl' (did you mean 'read_only'?)", or the known keys when none is near.
    public static func message(unknown key: String, known: some Sequence<String>, what: String = "key") -> String {
        let known = Array(known)
        if let near = nearest(to: key, in: known) {
            return "unknown \(what) '\(key)' (did you mean '\(near)'?)"
        }
        return "unknown \(what) '\(key)' (known: \(known.sorted().joined(separator: ", ")))"
    }

    /// The known key closest to `key` (by edit distance, a swap of two neighbours counting as one edit),
    /// when it is close enough to be a typo; ties go to the alphabetically first.
    public static func nearest(to key: String, in known: some Sequence<String>) -> String? {
        let k = Array(key.lowercased())
        let limit = max(2, k.count / 3)
        var best: (key: String, distance: Int)?
        for candidate in known.sorted() {
            let d = distance(k, Array(candidate.lowercased()))
            if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.key
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
