import Foundation
import KafkaOpsCore

/// Moving between screens: root screens keep their view state, details stack on top.
extension ConsoleState {
    mutating func show(_ screen: Screen) {
        guard screen.isRoot else { open(screen); return }
        let root = stack[0]
        if root.screen == screen && stack.count == 1 { return }
        saved[root.screen] = root
        if var s = saved[screen] {
            refreshTables(&s)
            stack = [s]
        } else {
            stack = [makeScreen(screen)]
        }
    }

    /// A `:` jump: the root screen, then its detail, whatever was open before.
    mutating func jump(to root: Screen, then detail: Screen) {
        show(root)
        stack = [stack[0], makeScreen(detail)]
        let rows = viewportRows
        modifyTable { $0.scrollIntoView(rows) }
    }

    mutating func open(_ screen: Screen) {
        if let i = stack.firstIndex(where: { $0.screen == screen }) {
            stack.removeSubrange((i + 1)...)
            refreshTables(&stack[i])
            return
        }
        stack.append(makeScreen(screen))
    }
}
