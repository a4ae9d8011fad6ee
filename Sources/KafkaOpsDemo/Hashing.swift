import Foundation
import KafkaOpsCore

// MARK: - hashing

/// FNV-1a over the UTF-8 bytes.
func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

/// SplitMix64 finaliser.
func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}

func hash3(_ s: String, _ a: Int64, _ b: Int64) -> UInt64 {
    mix(fnv1a(s) ^ mix(UInt64(bitPattern: a) &+ mix(UInt64(bitPattern: b))))
}

/// A number in [0, 1) derived from the arguments.
func unitHash(_ s: String, _ a: Int64, _ b: Int64) -> Double {
    Double(hash3(s, a, b) >> 11) / Double(1 << 53)
}

/// Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition.
func javaHashCode(_ s: String) -> Int32 {
    var h: Int32 = 0
    for u in s.utf16 { h = h &* 31 &+ Int32(u) }
    return h
}

func uuidLike(_ s: String, _ i: Int) -> String {
    let a = hash3(s, Int64(i), 1), b = hash3(s, Int64(i), 2)
    let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    let c = Array(hex)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
}

extension String {
    func leftPadded(_ n: Int, with ch: Character = "0") -> String {
        count >= n ? self : String(repeating: ch, count: n - count) + self
    }
}

/// Kafka's murmur2, as the default partitioner uses it for keyed records.
func murmur2(_ data: [UInt8]) -> Int32 {
    let length = data.count
    let seed: UInt32 = 0x9747_b28c
    let m: UInt32 = 0x5bd1_e995
    let r: UInt32 = 24
    var h: UInt32 = seed ^ UInt32(truncatingIfNeeded: length)
    let length4 = length / 4
    for i in 0..<length4 {
        let i4 = i * 4
        var k = UInt32(data[i4]) | (UInt32(data[i4 + 1]) << 8) | (UInt32(data[i4 + 2]) << 16) | (UInt32(data[i4 + 3]) << 24)
        k = k &* m
        k ^= k >> r
        k = k &* m
        h = h &* m
        h ^= k
    }
    let rest = length % 4
    let base = length & ~3
    if rest == 3 { h ^= UInt32(data[base + 2]) << 16 }
    if rest >= 2 { h ^= UInt32(data[base + 1]) << 8 }
    if rest >= 1 {
        h ^= UInt32(data[base])
        h = h &* m
    }
    h ^= h >> 13
    h = h &* m
    h ^= h >> 15
    return Int32(bitPattern: h)
}
