import Foundation
import KafkaOpsCore

/// One metric family as a scrape holds it: the model the text format, OpenMetrics and `--once -o json`
/// are all rendered from (one place for names, types and labels).
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case gauge, counter, stateset, histogram
    }

    public struct Sample: Sendable, Equatable {
        /// Appended to the family's name: "_total" (counters), "_bucket", "_sum", "_count" (histograms), "" otherwise.
        public var suffix: String
        /// Label names and values in order, values as read from the cluster (escaped and sanitised when rendered).
        public var labels: [(String, String)]
        public var value: Double

        public init(suffix: String = "", labels: [(String, String)], value: Double) {
            self.suffix = suffix; self.labels = labels; self.value = value
        }

        public static func == (a: Sample, b: Sample) -> Bool {
            a.suffix == b.suffix && a.value == b.value && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
        }
    }

    /// The family name without a counter's `_total` (OpenMetrics' MetricFamily name).
    public var name: String
    public var kind: Kind
    public var help: String
    public var samples: [Sample]

    public init(_ name: String, _ kind: Kind, _ help: String, _ samples: [Sample] = []) {
        self.name = name; self.kind = kind; self.help = help; self.samples = samples
    }

    public mutating func add(_ labels: [(String, String)], _ value: Double, suffix: String? = nil) {
        samples.append(Sample(suffix: suffix ?? (kind == .counter ? "_total" : ""), labels: labels, value: value))
    }

    /// A value that is known; unknown (nil) is no sample at all, never 0.
    public mutating func add(_ labels: [(String, String)], _ value: Double?) {
        if let value { add(labels, value, suffix: nil) }
    }
}

/// Renders metric families in Prometheus' text format 0.0.4 or OpenMetrics 1.0.0.
public enum MetricsExposition {
    public enum Format: Sendable {
        case text, openMetrics

        public var contentType: String {
            switch self {
            case .text: return "text/plain; version=0.0.4; charset=utf-8"
            case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
            }
        }

        /// OpenMetrics when the scraper's Accept header names it (Prometheus does), else the text format.
        public static func negotiated(accept: String?) -> Format {
            guard let accept else { return .text }
            return accept.lowercased().contains("application/openmetrics-text") ? .openMetrics : .text
        }
    }

    public static func render(_ families: [MetricFamily], format: Format) -> String {
        var out = ""
        out.reserveCapacity(families.reduce(0) { $0 + 120 + $1.samples.count * 80 })
        for f in families {
            let typeWord: String
            switch (f.kind, format) {
            case (.stateset, .text): typeWord = "gauge"
            default: typeWord = f.kind.rawValue
            }
            // The text format names a counter's family with its `_total`; OpenMetrics without it.
            let familyName = format == .text && f.kind == .counter ? f.name + "_total" : f.name
            out += "# HELP \(familyName) \(escapeHelp(f.help))\n# TYPE \(familyName) \(typeWord)\n"
            for s in f.samples {
                out += f.name
                out += s.suffix
                if !s.labels.isEmpty {
                    out += "{"
                    var first = true
                    for (k, v) in s.labels {
                        if !first { out += "," }
                        first = false
                        out += k
                        out += "=\""
                        out += labelValue(v)
                        out += "\""
                    }
                    out += "}"
                }
                out += " "
                out += number(s.value)
                out += "\n"
            }
        }
        if format == .openMetrics { out += "# EOF\n" }
        return out
    }

    /// A label value from the cluster: sanitised (control, bidi and invisible characters shown as `^X` /
    /// `\u{XXXX}`, as on the terminal), then escaped as both formats ask (backslash, double quote, line feed).
    public static func labelValue(_ raw: String) -> String {
        let safe = Sanitizer.terminal(raw)
        guard safe.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 10 }) else { return safe }
        var o = ""
        for c in safe.unicodeScalars {
            switch c {
            case "\\": o += "\\\\"
            case "\"": o += "\\\""
            case "\n": o += "\\n"
            default: o.unicodeScalars.append(c)
            }
        }
        return o
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
