import KafkaOpsCore

/// Where things go on the screen: the one source of screen geometry, shared by update (scrolling,
/// paging) and the views and panels (drawing). Rows: the header (cluster line, then the breadcrumb
/// or tabs), the content, the status line, the key footer.
public enum Layout {
    /// The cluster line and the breadcrumb line above the content.
    public static let headerRows = 2
    /// The status line and the key footer below the content.
    public static let bottomRows = 2

    /// The rows between the header and the status line, full width: what a screen or panel draws in.
    public static func content(_ size: Size) -> PanelArea {
        PanelArea(y: headerRows, height: max(1, size.height - headerRows - bottomRows), width: size.width)
    }

    /// The status line's row.
    public static func statusRow(_ size: Size) -> Int { size.height - 2 }
    /// The key footer's row.
    public static func footerRow(_ size: Size) -> Int { size.height - 1 }

    /// The first row and the height (header row included) of the current table.
    public static func tableArea(_ screen: Screen, size: Size, problems: Int) -> (y: Int, height: Int) {
        let content = content(size)
        let contentTop = content.y, contentHeight = max(0, size.height - headerRows - bottomRows)
        switch screen {
        case .overview:
            let problemLines = problems > 0 ? min(problems, 4) + 1 : 0
            return (contentTop + 4, max(2, contentHeight - 4 - problemLines))
        case .topicDetail, .groupDetail, .whatIf:
            return (contentTop + 1, max(2, contentHeight - 1))
        default:
            return (contentTop, max(2, contentHeight))
        }
    }
}
