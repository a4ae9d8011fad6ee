import Foundation
import KafkaOpsCore
import Yams

/// `kafkaops config use NAME`: sets `current:` in the config file by editing that one line, so the
/// operator's comments, order and layout stay as they were (the file is not re-serialised).
enum CurrentProfileEdit {
    /// The file's text with its top-level `current:` set to `name` (a line added at the top when there is
    /// none). The value keeps a trailing comment. nil when the edit would not give a file whose `current`
    /// is `name` (a flow-style file, say): the caller refuses rather than guess.
    static func settingCurrent(_ text: String, to name: String) -> String? {
        let value = YAMLText.key(name) == name ? name : YAMLText.quoted(name)
        var lines = text.components(separatedBy: "\n")
        if let i = lines.firstIndex(where: { $0.hasPrefix("current:") }) {
            lines[i] = "current: " + value + comment(in: String(lines[i].dropFirst("current:".count)))
        } else {
            lines.insert("current: " + value, at: 0)
        }
        let out = lines.joined(separator: "\n")
        guard let cfg = try? YAMLDecoder().decode(ConfigFile.self, from: out), cfg.current == name else { return nil }
        return out
    }

    /// A trailing `  # comment` of a YAML value (a `#` after whitespace, outside quotes), with its spacing.
    static func comment(in value: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for (i, c) in zip(value.indices, value) {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && previous.isWhitespace {
                var start = i
                while start > value.startIndex, value[value.index(before: start)].isWhitespace { start = value.index(before: start) }
                return String(value[start...])
            }
            previous = c
        }
        return ""
    }

    /// Writes `text` over the file at `path` (through a symlink, to its target) in one rename, with the
    /// file's permissions kept: a 0600 file holding a secret stays 0600.
    static func replace(path: String, with text: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let mode = ProfileLoader.permissions(target) ?? 0o600
        let tmp = target + ".kafkaops-\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: NSNumber(value: mode)]) else {
            throw UsageError("cannot write next to \(target) (is the directory writable?)")
        }
        guard rename(tmp, target) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw UsageError("cannot replace \(target): \(why)")
        }
    }
}
