import Foundation
import KafkaOpsCore
import Yams

/// The semantic roles views draw in; a theme gives each a style (k9s skins work the same way).
public enum Role: String, CaseIterable, Hashable, Sendable, Codable {
    case body
    case header
    case badge
    case title
    case tableHeader = "table_header"
    case selected
    case healthy
    case warning
    case critical
    /// Worse than critical: nobody can read or write (offline partitions, a broker that is down).
    /// Reverse video without colour, so it stands out from under-min-ISR (critical) and under-replicated (warning).
    case offline
    case muted
    case highlight
    case keyHint = "key_hint"
    case keyLabel = "key_label"
    case statusInfo = "status_info"
    case statusError = "status_error"
    case prompt
}

/// A colour as a theme file writes it: `default`, one of the 16 names, or `#rrggbb`.
public enum Color: Hashable, Sendable {
    case `default`
    /// 0...15: black red green yellow blue magenta cyan white, then the bright ones.
    case ansi(Int)
    case rgb(UInt8, UInt8, UInt8)

    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
                               "bright_black", "bright_red", "bright_green", "bright_yellow",
                               "bright_blue", "bright_magenta", "bright_cyan", "bright_white"]

    /// Parses a colour; nil when it is not one.
    public init?(parsing raw: String) {
        let s = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "default" || s.isEmpty { self = .default; return }
        let normalized = s.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        if let i = Color.names.firstIndex(of: normalized) { self = .ansi(i); return }
        let aliases = ["gray": 8, "grey": 8, "bright_gray": 7, "light_gray": 7, "dark_gray": 8, "orange": 11]
        if let i = aliases[normalized] { self = .ansi(i); return }
        if s.hasPrefix("#"), s.count == 7, let v = UInt32(s.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)); return
        }
        return nil
    }

    /// The colour index to use on a terminal with `support` colours; -1 is the terminal's default.
    public func index(for support: ColorSupport) -> Int {
        switch (self, support) {
        case (_, .none), (.default, _): return -1
        case (.ansi(let i), .eight): return i % 8
        case (.ansi(let i), _): return i
        case (.rgb(let r, let g, let b), .full256): return Color.nearest256(r, g, b)
        case (.rgb(let r, let g, let b), .sixteen): return Color.nearest16(r, g, b)
        case (.rgb(let r, let g, let b), .eight): return Color.nearest16(r, g, b) % 8
        }
    }

    /// Whether this colour is one of the bright eight (drawn bold on 8-colour terminals).
    public var isBright: Bool { if case .ansi(let i) = self { return i >= 8 } else { return false } }

    /// xterm's default RGB values of the 16 ANSI colours.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func nearest16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 0, bestD = Int.max
        for (i, c) in ansiRGB.enumerated() {
            let d = sq(Int(r) - c.0) + sq(Int(g) - c.1) + sq(Int(b) - c.2)
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let levels = [0, 95, 135, 175, 215, 255]
        func cube(_ v: UInt8) -> Int {
            var best = 0
            for (i, l) in levels.enumerated() where abs(l - Int(v)) < abs(levels[best] - Int(v)) { best = i }
            return best
        }
        let (cr, cg, cb) = (cube(r), cube(g), cube(b))
        let cubeIndex = 16 + 36 * cr + 6 * cg + cb
        let cubeD = sq(levels[cr] - Int(r)) + sq(levels[cg] - Int(g)) + sq(levels[cb] - Int(b))
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let grayStep = max(0, min(23, (avg - 8 + 5) / 10))
        let gv = 8 + 10 * grayStep
        let grayD = sq(gv - Int(r)) + sq(gv - Int(g)) + sq(gv - Int(b))
        return grayD < cubeD ? 232 + grayStep : cubeIndex
    }

    private static func sq(_ v: Int) -> Int { v * v }
}

/// How many colours the terminal can show.
public enum ColorSupport: Hashable, Sendable {
    case none, eight, sixteen, full256

    public init(colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .eight
        case 16..<256: self = .sixteen
        default: self = .full256
        }
    }
}

/// Text attributes; on a monochrome terminal they are all that tells roles apart.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let underline = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)
}

public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }
}

/// A colour theme: a style per role.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) { self.name = name; self.styles = styles }

    public func style(_ role: Role) -> Style { styles[role] ?? Theme.builtIn.styles[role] ?? Style() }

    /// The built-in default: readable on dark and light backgrounds, 16 colours.
    public static let builtIn = Theme(name: "default", styles: [
        .body: Style(),
        .header: Style(fg: .ansi(0), bg: .ansi(6), .bold),
        .badge: Style(fg: .ansi(15), bg: .ansi(1), .bold),
        .title: Style(fg: .ansi(6), .bold),
        .tableHeader: Style(fg: .ansi(3), .bold),
        .selected: Style(fg: .ansi(0), bg: .ansi(6)),
        .healthy: Style(fg: .ansi(2)),
        .warning: Style(fg: .ansi(3), .bold),
        .critical: Style(fg: .ansi(9), .bold),
        .offline: Style(fg: .ansi(15), bg: .ansi(1), .bold),
        .muted: Style(fg: .ansi(8)),
        .highlight: Style(fg: .ansi(5), .bold),
        .keyHint: Style(fg: .ansi(7)),
        .keyLabel: Style(fg: .ansi(6), .bold),
        .statusInfo: Style(fg: .ansi(6)),
        .statusError: Style(fg: .ansi(15), bg: .ansi(1), .bold),
        .prompt: Style(fg: .ansi(11), .bold),
    ])

    /// Attributes alone, for terminals without colour and NO_COLOR / --no-color.
    public static let monochrome = Theme(name: "monochrome", styles: [
        .body: Style(),
        .header: Style(.reverse),
        .badge: Style([.reverse, .bold]),
        .title: Style(.bold),
        .tableHeader: Style([.bold, .underline]),
        .selected: Style(.reverse),
        .healthy: Style(),
        .warning: Style(.bold),
        .critical: Style([.bold, .underline]),
        .offline: Style([.reverse, .bold, .underline]),
        .muted: Style(.dim),
        .highlight: Style(.bold),
        .keyHint: Style(),
        .keyLabel: Style(.bold),
        .statusInfo: Style(),
        .statusError: Style([.reverse, .bold]),
        .prompt: Style(.bold),
    ])

    /// The theme to draw with on a terminal without colours: this theme's attributes where it has
    /// any, else the monochrome ones, so roles stay distinguishable.
    public var withoutColor: Theme {
        var t = Theme.monochrome
        t.name = name
        for role in Role.allCases {
            let a = style(role).attributes
            if !a.isEmpty && a != Theme.builtIn.style(role).attributes { t.styles[role] = Style(a) }
        }
        return t
    }
}

extension Theme {
    /// Whether the console draws without colours: `--no-color`, or NO_COLOR set to anything non-empty
    /// (no-color.org). The one place NO_COLOR is read.
    public static func colorsOff(flag: Bool, environment: [String: String]) -> Bool {
        flag || !(environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// Reads theme files (YAML) and finds them by name.
public enum ThemeLoader {
    /// The outcome of loading: the theme to use and what was wrong with the file, in words.
    public struct Loaded: Sendable {
        public var theme: Theme
        public var warnings: [String]
        /// Where the theme was read from; nil for the built-in default.
        public var path: String?
    }

    static let styleKeys: Set<String> = ["fg", "bg", "bold", "underline", "reverse", "dim"]

    /// Parses theme YAML merged over the built-in default. Never throws: problems are warnings.
    public static func parse(_ yaml: String, name: String, file: String) -> Loaded {
        var theme = Theme.builtIn
        theme.name = name
        var warnings: [String] = []
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid YAML"
            return Loaded(theme: .builtIn, warnings: ["theme \(file): not valid YAML (\(reason)); using the default theme"], path: file)
        }
        guard let root = node?.mapping else {
            return Loaded(theme: .builtIn, warnings: ["theme \(file): expected a mapping with 'roles:'; using the default theme"], path: file)
        }
        for (k, v) in root {
            guard let key = k.string else { continue }
            switch key {
            case "name":
                if let n = v.string { theme.name = n }
            case "palette", "description":
                break  // anchors live here; they are resolved where they are used
            case "roles":
                guard let roles = v.mapping else {
                    warnings.append("theme \(file): 'roles' must be a mapping"); continue
                }
                for (rk, rv) in roles {
                    let rname = rk.string ?? "?"
                    guard let role = Role(rawValue: rname) else {
                        warnings.append("theme \(file): unknown role '\(rname)' ignored"); continue
                    }
                    theme.styles[role] = parseStyle(rv, role: role, file: file, warnings: &warnings)
                }
            default:
                warnings.append("theme \(file): unknown key '\(key)' ignored")
            }
        }
        return Loaded(theme: theme, warnings: warnings, path: file)
    }

    static func parseStyle(_ node: Node, role: Role, file: String, warnings: inout [String]) -> Style {
        let fallback = Theme.builtIn.style(role)
        guard let m = node.mapping else {
            warnings.append("theme \(file): role '\(role.rawValue)' must be a mapping (fg, bg, bold, ...); using the default")
            return fallback
        }
        var style = Style(fg: fallback.fg, bg: fallback.bg, fallback.attributes)
        for (k, v) in m {
            let key = k.string ?? "?"
            switch key {
            case "fg", "bg":
                let raw = v.string ?? ""
                if let c = Color(parsing: raw) {
                    if key == "fg" { style.fg = c } else { style.bg = c }
                } else {
                    warnings.append("theme \(file): role '\(role.rawValue)' has a bad colour \(key): '\(raw)'; using the default for this role")
                    return fallback
                }
            case "bold", "underline", "reverse", "dim":
                let attr: Attributes = key == "bold" ? .bold : key == "underline" ? .underline : key == "reverse" ? .reverse : .dim
                switch v.bool {
                case true?: style.attributes.insert(attr)
                case false?: style.attributes.remove(attr)
                case nil:
                    warnings.append("theme \(file): role '\(role.rawValue)' \(key) must be true or false")
                }
            default:
                warnings.append("theme \(file): role '\(role.rawValue)' has an unknown key '\(key)' ignored")
            }
        }
        return style
    }

    /// Loads a theme by name or path; nil or "default" without a file gives the built-in default.
    public static func load(_ nameOrPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            executableDirectory: URL? = Bundle.main.executableURL?.deletingLastPathComponent()) -> Loaded {
        guard let name = nameOrPath, !name.isEmpty else { return Loaded(theme: .builtIn, warnings: [], path: nil) }
        guard let path = locate(name, environment: environment, executableDirectory: executableDirectory) else {
            if name == "default" { return Loaded(theme: .builtIn, warnings: [], path: nil) }
            if isPath(name) {
                return Loaded(theme: .builtIn, warnings: ["theme file \(name) does not exist; using the default theme"], path: nil)
            }
            let searched = searchDirectories(environment: environment, executableDirectory: executableDirectory)
                .map(\.path).joined(separator: ", ")
            return Loaded(theme: .builtIn,
                          warnings: ["theme '\(name)' not found (looked in \(searched)); using the default theme"], path: nil)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Loaded(theme: .builtIn, warnings: ["theme \(path): cannot be read; using the default theme"], path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Loaded(theme: .builtIn, warnings: ["theme \(path): not UTF-8 text; using the default theme"], path: path)
        }
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return parse(text, name: base, file: path)
    }

    static func isPath(_ name: String) -> Bool {
        name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    /// A path when the name has a `/` or ends in .yaml/.yml; else the first `<name>.yaml` in the search directories.
    public static func locate(_ name: String, environment: [String: String], executableDirectory: URL?) -> String? {
        if isPath(name) {
            let expanded = (name as NSString).expandingTildeInPath
            return FileManager.default.fileExists(atPath: expanded) ? expanded : nil
        }
        for dir in searchDirectories(environment: environment, executableDirectory: executableDirectory) {
            for ext in ["yaml", "yml"] {
                let p = dir.appendingPathComponent("\(name).\(ext)").path
                if FileManager.default.fileExists(atPath: p) { return p }
            }
        }
        return nil
    }

    /// `$KAFKAOPS_THEMES_DIR`, `$XDG_CONFIG_HOME/kafkaops/themes` (or ~/.config/...), the first
    /// `themes/` walking up from the executable, then /usr/share/kafkaops/themes.
    public static func searchDirectories(environment: [String: String], executableDirectory: URL?) -> [URL] {
        ThemeFolders.search(environment: environment, executableDirectory: executableDirectory, isDirectory: ThemeFolders.directoryExists)
    }
}
