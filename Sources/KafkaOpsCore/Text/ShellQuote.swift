/// A word for a POSIX shell, for every command line kafkaops prints to be run as printed (the
/// equivalent Kafka tool, an undo, a retry): as it is when it holds only ASCII letters, digits and
/// `._-=:,/@+`, else single-quoted.
public func shellQuote(_ s: String) -> String {
    let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { c in
        (c.isASCII && (("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)))
            || "._-=:,/@+".unicodeScalars.contains(c)
    }
    return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
