import Foundation
import Testing
import KafkaOpsCore
@testable import KafkaOpsTUI

/// The `:` command table: the parser, Tab completion, help and the "unknown command" message read one table.
@Suite struct ConsoleCommandTests {
    @Test func everyNameAndAliasParsesToItsCommand() async throws {
        for c in ConsoleCommands.all {
            for spelling in c.spellings {
                #expect(ConsoleCommands.find(spelling)?.name == c.name, "\(spelling)")
                #expect(ConsoleCommands.find(spelling.uppercased())?.name == c.name, "\(spelling)")
                // Typed on the command line it runs: whatever it answers, it is not "unknown".
                var s = loadedState(try await fakeSnapshot())
                s.press(.char(":"))
                s.type(spelling)
                let effects = s.press(.enter)
                #expect(s.status?.text.hasPrefix("unknown command") != true, "\(spelling): \(s.status?.text ?? "")")
                if c.name == "quit" { #expect(effects == [.quit], "\(spelling)") }
            }
        }
    }

    @Test func everyNameAndAliasCompletesToItsCommand() async throws {
        let s = loadedState(try await fakeSnapshot())
        for c in ConsoleCommands.all {
            for spelling in c.spellings {
                let candidates = s.completions(spelling)
                #expect(!candidates.isEmpty, "\(spelling)")
                for candidate in candidates {
                    #expect(ConsoleCommands.find(candidate)?.name == c.name, "\(spelling) completes to \(candidate)")
                }
            }
        }
        // Every name is offered with nothing typed, in the table's order.
        #expect(s.completions("") == ConsoleCommands.all.map(\.name))
    }

    @Test func theArgumentCompletesByItsKind() async throws {
        let s = loadedState(try await fakeSnapshot())
        #expect(s.completions("t pay") == ["t pay" + "ments"])
        #expect(s.completions("reset bil") == ["reset billing"])
        #expect(s.completions("consumers bil") == ["consumers billing"])
        #expect(s.completions("whatif ").allSatisfy { Int32($0.dropFirst("whatif ".count)) != nil })
        #expect(!s.completions("whatif ").isEmpty)
    }

    @Test func anUnknownCommandListsEveryCommand() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char(":"))
        s.type("nonsense")
        s.press(.enter)
        let text = try #require(s.status?.text)
        #expect(text.hasPrefix("unknown command ':nonsense'"))
        for c in ConsoleCommands.all { #expect(text.contains(":" + c.name), "\(c.name) missing from: \(text)") }
        #expect(s.status?.isError == true)
    }

    @Test func helpListsEveryCommandAndItsAliases() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char("?"))
        let rows = s.current.table?.rows.filter { $0.cells[2] == "command" } ?? []
        for c in ConsoleCommands.all {
            if let help = c.help {
                let row = try #require(rows.first { $0.cells[0] == ":" + c.name }, "\(c.name)")
                #expect(row.cells[1].hasPrefix(help))
                for a in c.aliases { #expect(row.cells[1].contains(":" + a), "\(c.name): alias \(a)") }
            }
            if let arg = c.argument {
                #expect(rows.contains { $0.cells[0] == ":" + arg.usage && $0.cells[1] == arg.help }, "\(arg.usage)")
            }
            #expect(c.help != nil || c.argument != nil, "\(c.name) is not in help")
        }
    }

    @Test func aUniquePrefixOfANameRunsIt() async throws {
        var s = loadedState(try await fakeSnapshot())
        s.press(.char(":"))
        s.type("bro")
        s.press(.enter)
        #expect(s.current.screen == .brokers)
        s.press(.char(":"))
        s.type("to payments")
        s.press(.enter)
        #expect(s.current.screen == .topicDetail("payments"))
    }
}
