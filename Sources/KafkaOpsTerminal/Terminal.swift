import Foundation
import KafkaOpsCore
import KafkaOpsTUI
import CNCurses

/// Runs the console on the terminal until the operator quits; returns the process exit code.
/// Always restores the terminal.
public func runConsole(_ options: ConsoleOptions) async -> Int32 {
    await runConsoleOnMain(options)
}

@MainActor
private func runConsoleOnMain(_ options: ConsoleOptions) async -> Int32 {
    let env = ProcessInfo.processInfo.environment
    guard isatty(0) == 1, isatty(1) == 1 else {
        FileHandle.standardError.write(Data("kafkaops: the console needs a terminal; use a subcommand (kafkaops --help) in scripts\n".utf8))
        return 1
    }
    let loaded = ThemeLoader.load(options.theme ?? env["KAFKAOPS_THEME"])
    let noColor = Theme.colorsOff(flag: options.noColor, environment: env)
    guard let term = NCursesTerminal.open(theme: loaded.theme, noColor: noColor) else {
        FileHandle.standardError.write(Data("kafkaops: cannot initialise the terminal (TERM=\(env["TERM"] ?? "unset")); try TERM=xterm\n".utf8))
        return 1
    }
    defer { term.close() }
    var status: String?
    if let first = loaded.warnings.first {
        status = loaded.warnings.count > 1 ? "\(first) (+\(loaded.warnings.count - 1) more)" : first
    }
    let program = ConsoleProgram(options: options, terminal: term, theme: loaded.theme, status: status)
    return await program.run()
}

/// The ncurses terminal: the only user of CNCurses. Writes only the cells that changed, reads keys
/// without blocking, reports resizes, and restores the terminal on close, crash signals and exit.
@MainActor
public final class NCursesTerminal: Terminal {
    private var closed = false
    /// SIGHUP/SIGTERM was passed on to the program (once).
    private var stopReported = false
    private let colorSupport: ColorSupport
    /// Per role: the ncurses attributes and colour pair.
    private var looks: [Role: (attrs: UInt32, pair: Int16)] = [:]
    private let utf8: Bool
    /// Whether the terminal's own foreground/background can be used (-1); else white on black.
    private var defaultColors = true
    private var scratch: [wchar_t] = Array(repeating: 0, count: 6)

    private init(colorSupport: ColorSupport, utf8: Bool) {
        self.colorSupport = colorSupport; self.utf8 = utf8
    }

    /// Initialises ncurses; nil when the terminal cannot be used.
    public static func open(theme: Theme, noColor: Bool) -> NCursesTerminal? {
        let utf8 = kafkaops_setup_locale() == 1
        guard kafkaops_open_terminal() != nil else { return nil }
        var support = ColorSupport.none
        var defaultColors = true
        if !noColor && has_colors() {
            start_color()
            defaultColors = use_default_colors() == OK
            support = ColorSupport(colors: Int(kafkaops_colors()))
        }
        let t = NCursesTerminal(colorSupport: support, utf8: utf8)
        t.defaultColors = defaultColors
        t.apply(theme: support == .none ? theme.withoutColor : theme)
        return t
    }

    /// Maps every role to a colour pair and attributes for this terminal's colours.
    public func apply(theme: Theme) {
        let bold = kafkaops_attr_bold(), underline = kafkaops_attr_underline()
        let reverse = kafkaops_attr_reverse(), dim = kafkaops_attr_dim()
        let maxPairs = Int(kafkaops_color_pairs())
        for (i, role) in Role.allCases.enumerated() {
            let st = theme.style(role)
            var attrs: UInt32 = 0
            if st.attributes.contains(.bold) { attrs |= bold }
            if st.attributes.contains(.underline) { attrs |= underline }
            if st.attributes.contains(.reverse) { attrs |= reverse }
            if st.attributes.contains(.dim) { attrs |= dim }
            var pair: Int16 = 0
            if colorSupport != .none, i + 1 < maxPairs {
                var fg = st.fg.index(for: colorSupport), bg = st.bg.index(for: colorSupport)
                if !defaultColors { if fg < 0 { fg = 7 }; if bg < 0 { bg = 0 } }
                if colorSupport == .eight && st.fg.isBright { attrs |= bold }
                init_pair(Int16(i + 1), Int16(fg), Int16(bg))
                pair = Int16(i + 1)
            }
            looks[role] = (attrs, pair)
        }
    }

    public var size: Size { Size(width: Int(kafkaops_cols()), height: Int(kafkaops_lines())) }

    public func draw(_ grid: Grid, previous: Grid?) {
        guard !closed else { return }
        let full = previous == nil || previous?.size != grid.size
        if full { kafkaops_clear_all() }
        let gw = grid.width
        grid.forEachChange(from: full ? nil : previous) { x, y, cell in
            put(cell, x: x, y: y, nextIsEdge: x + 1 >= gw)
        }
        kafkaops_refresh()
    }

    private func put(_ cell: Cell, x: Int, y: Int, nextIsEdge: Bool) {
        let look = looks[cell.role] ?? (0, 0)
        var n = 0
        var termWidth: Int32 = 1
        for u in cell.char.unicodeScalars {
            if n == 5 { break }
            scratch[n] = wchar_t(bitPattern: u.value)
            if n == 0 { termWidth = kafkaops_wcwidth(scratch[0]) }
            n += 1
        }
        // Where the terminal's idea of the width differs from the grid's, keep the columns aligned.
        if !utf8 && cell.char.asciiValue == nil || termWidth < 0 || (cell.width == 1 && termWidth == 2) {
            let q: [wchar_t] = Array(repeating: wchar_t(UInt8(ascii: "?")), count: Int(cell.width))
            for (i, c) in q.enumerated() {
                var one = c
                _ = kafkaops_put_cell(Int32(y), Int32(x + i), &one, 1, look.attrs, look.pair)
            }
            return
        }
        scratch.withUnsafeBufferPointer { b in
            _ = kafkaops_put_cell(Int32(y), Int32(x), b.baseAddress, Int32(n), look.attrs, look.pair)
        }
        if cell.width == 2 && termWidth == 1 && !nextIsEdge {
            var space = wchar_t(UInt8(ascii: " "))
            _ = kafkaops_put_cell(Int32(y), Int32(x + 1), &space, 1, look.attrs, look.pair)
        }
    }

    public func poll() -> [TerminalEvent] {
        guard !closed else { return [] }
        var events: [TerminalEvent] = []
        let stop = kafkaops_stop_signal()
        if stop != 0 && !stopReported {
            stopReported = true
            events.append(.stopSignal(stop))
        }
        if kafkaops_take_suspend_request() != 0 { events.append(.suspendSignal) }
        var ch: Int32 = 0
        while events.count < 64 {
            let r = kafkaops_read_key(&ch)
            if r == 0 { break }
            if r == 2 {
                if ch == KEY_RESIZE {
                    events.append(.resized(size))
                } else if let k = Self.mapKeyCode(ch) {
                    events.append(.key(k))
                }
            } else if let k = Self.mapChar(ch) {
                events.append(.key(k))
            }
        }
        return events
    }

    static func mapChar(_ c: Int32) -> Key? {
        switch c {
        case 27: return .escape
        case 13, 10: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(c) + 96)))
        case 0, 28...31: return nil
        default:
            guard let u = Unicode.Scalar(UInt32(bitPattern: c)) else { return nil }
            return .char(Character(u))
        }
    }

    static func mapKeyCode(_ c: Int32) -> Key? {
        switch c {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            for n in 1...12 where c == kafkaops_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Ctrl-Z: endwin, SIGTSTP with its default action, and after SIGCONT the program mode back (the
    /// program then repaints everything).
    public func suspend() {
        guard !closed else { return }
        kafkaops_suspend()
    }

    /// The OSC 52 sequence straight to the terminal, after what ncurses has written.
    public func copyToClipboard(_ sequence: String) {
        guard !closed else { return }
        fflush(nil)
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Restores the terminal (endwin). Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        kafkaops_close_terminal()
    }
}
