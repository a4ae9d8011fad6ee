import KafkaOpsCore

/// Where things go on the screen: the one source of screen geometry, shared by update (scrolling,
/// paging) and the views and panels (drawing). Rows: the header (cluster line, then the breadcrumb
/// or tabs), the content, the status line, the key footer.
public enum Layout {
    /// The cluster line and the breadcrumb line above the content.
    public static let headerRows = 2
    /// The status line and the key footer below the content.
    public static let bottomRows = 2
    /// The overview's summary lines (cluster, partitions, topics and groups, groups by trend, the brokers heading) above its table.
    public static let overviewSummaryRows = 5
    /// The most snapshot problems the overview lists under its table (after a heading line).
    public static let overviewProblemRows = 4
    /// The lines under a findings table that explain the selected finding (now, expected, fix, why).
    public static let findingRows = 4
    /// The summary line of a detail screen (topic, group, what-if) above its tables.
    public static let detailSummaryRows = 1
    /// The what-if screen: the scenario and its counts, then what `i` shows and how to add a failure.
    public static let whatIfSummaryRows = 2
    /// The group detail's summary lines: state and lag, then lag over time (trend, data loss, empty since).
    public static let groupSummaryRows = 2
    /// The ACL screen: what was read, or (wrapped) what an empty answer can mean.
    public static let aclSummaryRows = 2
    /// A config screen: the counts, then the selected config's exact source.
    public static let configSummaryRows = 2

    /// The rows between the header and the status line, full width: what a screen or panel draws in.
    public static func content(_ size: Size) -> PanelArea {
        PanelArea(y: headerRows, height: max(1, size.height - headerRows - bottomRows), width: size.width)
    }

    /// The status line's row.
    public static func statusRow(_ size: Size) -> Int { size.height - 2 }
    /// The key footer's row.
    public static func footerRow(_ size: Size) -> Int { size.height - 1 }

    /// The first row and the height (header row included) of the current table.
    /// `warnings`: the overview's wrapped warning lines, drawn between its summary and its table.
    public static func tableArea(_ screen: Screen, size: Size, problems: Int, warnings: Int = 0) -> (y: Int, height: Int) {
        let content = content(size)
        let contentTop = content.y, contentHeight = max(0, size.height - headerRows - bottomRows)
        switch screen {
        case .overview:
            let problemLines = problems > 0 ? min(problems, overviewProblemRows) + 1 : 0
            let summary = overviewSummaryRows + warnings
            return (contentTop + summary, max(2, contentHeight - summary - problemLines))
        case .groupDetail:
            return (contentTop + groupSummaryRows, max(2, contentHeight - groupSummaryRows))
        case .topicDetail:
            return (contentTop + detailSummaryRows, max(2, contentHeight - detailSummaryRows))
        case .whatIf:
            return (contentTop + whatIfSummaryRows, max(2, contentHeight - whatIfSummaryRows))
        case .acls:
            return (contentTop + aclSummaryRows, max(2, contentHeight - aclSummaryRows))
        case .topicConfigs, .brokerConfigs:
            return (contentTop + configSummaryRows, max(2, contentHeight - configSummaryRows))
        default:
            return (contentTop, max(2, contentHeight))
        }
    }
}
