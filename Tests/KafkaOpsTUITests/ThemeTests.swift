import Foundation
import Testing
@testable import KafkaOpsTUI

@Suite struct ThemeTests {
    static let files: [String] = {
        (try? FileManager.default.contentsOfDirectory(atPath: themesDirectory.path))?
            .filter { $0.hasSuffix(".yaml") }.sorted() ?? []
    }()

    /// NO_COLOR (no-color.org: set and not empty) or --no-color turn colours off; read in this one place.
    @Test func noColorComesFromTheFlagOrANonEmptyEnvironmentVariable() {
        #expect(!Theme.colorsOff(flag: false, environment: [:]))
        #expect(!Theme.colorsOff(flag: false, environment: ["NO_COLOR": ""]))
        #expect(Theme.colorsOff(flag: false, environment: ["NO_COLOR": "1"]))
        #expect(Theme.colorsOff(flag: true, environment: [:]))
    }

    @Test func theRepositoryShipsTheFourThemes() {
        #expect(Self.files == ["default.yaml", "high-contrast.yaml", "light.yaml", "monochrome.yaml"])
    }

    @Test(arguments: files)
    func everyThemeFileLoadsWithoutWarnings(_ file: String) {
        let loaded = ThemeLoader.load(themesDirectory.appendingPathComponent(file).path)
        #expect(loaded.warnings == [])
        #expect(loaded.theme.name == file.replacingOccurrences(of: ".yaml", with: ""))
    }

    @Test func theDefaultFileMatchesTheBuiltInTheme() {
        let loaded = ThemeLoader.load(themesDirectory.appendingPathComponent("default.yaml").path)
        for role in Role.allCases { #expect(loaded.theme.style(role) == Theme.builtIn.style(role), "\(role)") }
    }

    @Test func paletteAnchorsAreResolved() {
        let loaded = ThemeLoader.load(themesDirectory.appendingPathComponent("light.yaml").path)
        #expect(loaded.theme.style(.healthy).fg == .rgb(0, 0x87, 0))
        #expect(loaded.theme.style(.header).bg == .rgb(0, 0x5f, 0x87))
    }

    @Test func aBrokenFileFallsBackToTheDefaultAndNamesTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-theme-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("broken.yaml").path
        try "roles: { body: [unclosed".write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = ThemeLoader.load(path)
        #expect(loaded.theme == .builtIn)
        #expect(loaded.warnings.count == 1)
        #expect(loaded.warnings.first?.contains(path) == true)
        #expect(loaded.warnings.first?.contains("not valid YAML") == true)
    }

    @Test func aMissingThemeIsAWarningNotACrash() {
        let loaded = ThemeLoader.load("no-such-theme", environment: ["KAFKAOPS_THEMES_DIR": "/nonexistent"],
                                      executableDirectory: nil)
        #expect(loaded.theme == .builtIn)
        #expect(loaded.warnings.first?.contains("'no-such-theme' not found") == true)
    }

    @Test func aMissingThemeFileIsNamed() {
        let loaded = ThemeLoader.load("/nonexistent/mine.yaml")
        #expect(loaded.theme == .builtIn)
        #expect(loaded.warnings == ["theme file /nonexistent/mine.yaml does not exist; using the default theme"])
    }

    @Test func unknownKeysAndBadColoursAreWarningsAndTheRoleKeepsItsDefault() {
        let yaml = """
        roles:
          healthy: { fg: "#00ff00" }
          critical: { fg: purple-ish }
          sparkly: { fg: red }
          warning: { fg: red, blink: true }
        colours: {}
        """
        let loaded = ThemeLoader.parse(yaml, name: "t", file: "t.yaml")
        #expect(loaded.theme.style(.healthy).fg == .rgb(0, 255, 0))
        #expect(loaded.theme.style(.critical) == Theme.builtIn.style(.critical))
        #expect(loaded.theme.style(.warning).fg == .ansi(1))
        #expect(loaded.warnings.count == 4)
        #expect(loaded.warnings.contains { $0.contains("bad colour fg: 'purple-ish'") })
        #expect(loaded.warnings.contains { $0.contains("unknown role 'sparkly'") })
        #expect(loaded.warnings.contains { $0.contains("unknown key 'blink'") })
        #expect(loaded.warnings.contains { $0.contains("unknown key 'colours'") })
        #expect(loaded.warnings.allSatisfy { $0.contains("t.yaml") })
    }

    @Test func coloursMapDownToWhatTheTerminalHas() {
        #expect(Color(parsing: "bright_red") == .ansi(9))
        #expect(Color(parsing: "Default") == .default)
        #expect(Color(parsing: "#zzzzzz") == nil)
        let orange = Color.rgb(0xff, 0x87, 0x00)
        #expect(orange.index(for: .full256) == 208)
        #expect(Color.rgb(0x80, 0x80, 0x80).index(for: .full256) == 244)
        #expect(orange.index(for: .sixteen) == 3)  // nearest of xterm's 16 is yellow
        #expect(Color.rgb(0xff, 0, 0).index(for: .sixteen) == 9)
        #expect(Color.rgb(0xcd, 0, 0).index(for: .sixteen) == 1)
        #expect(Color.ansi(9).index(for: .eight) == 1)
        #expect(Color.ansi(9).index(for: .none) == -1)
        #expect(Color.default.index(for: .full256) == -1)
        #expect(ColorSupport(colors: 256) == .full256)
        #expect(ColorSupport(colors: 8) == .eight)
        #expect(ColorSupport(colors: 0) == .none)
    }

    @Test func lookupOrderIsEnvironmentThenConfigThenNextToTheExecutable() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kafkaops-lookup-\(UUID())")
        let envDir = base.appendingPathComponent("env"), xdg = base.appendingPathComponent("xdg")
        let exe = base.appendingPathComponent("repo/.build/debug")
        let repoThemes = base.appendingPathComponent("repo/themes")
        for d in [envDir, xdg.appendingPathComponent("kafkaops/themes"), exe, repoThemes] {
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: base) }
        try "name: a".write(to: repoThemes.appendingPathComponent("only-repo.yaml"), atomically: true, encoding: .utf8)
        try "name: b".write(to: xdg.appendingPathComponent("kafkaops/themes/both.yaml"), atomically: true, encoding: .utf8)
        try "name: c".write(to: envDir.appendingPathComponent("both.yaml"), atomically: true, encoding: .utf8)
        let env = ["KAFKAOPS_THEMES_DIR": envDir.path, "XDG_CONFIG_HOME": xdg.path]
        #expect(ThemeLoader.locate("both", environment: env, executableDirectory: exe) == envDir.appendingPathComponent("both.yaml").path)
        #expect(ThemeLoader.locate("both", environment: ["XDG_CONFIG_HOME": xdg.path], executableDirectory: exe)
                == xdg.appendingPathComponent("kafkaops/themes/both.yaml").path)
        #expect(ThemeLoader.locate("only-repo", environment: env, executableDirectory: exe)
                == repoThemes.appendingPathComponent("only-repo.yaml").path)
        #expect(ThemeLoader.locate("nope", environment: env, executableDirectory: exe) == nil)
    }

    @Test func withoutColourEveryRoleThatMattersStillLooksDifferent() {
        let mono = Theme.builtIn.withoutColor
        #expect(mono.style(.selected).attributes.contains(.reverse))
        #expect(mono.style(.critical).attributes != mono.style(.body).attributes)
        #expect(mono.style(.warning).attributes != mono.style(.body).attributes)
        for role in Role.allCases {
            #expect(mono.style(role).fg == .default && mono.style(role).bg == .default)
        }
    }
}
