import Foundation

/// The name of a file kafkaops keeps per key under its state directory (a run lock, a cluster's remembered
/// brokers): a readable part of the key and its FNV-1a hash, so that any key (a bootstrap list, a cluster id
/// with slashes) gives one safe name and two keys never share one.
enum StateFileName {
    static func of(_ key: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let readable = String(key.unicodeScalars.map { c -> Character in
            (c.isASCII && (CharacterSet.alphanumerics.contains(c) || c == "-" || c == "_" || c == ".")) ? Character(c) : "_"
        }.prefix(80))
        return readable + "-" + String(h, radix: 16)
    }
}
