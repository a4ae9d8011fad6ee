import Foundation

/// Where colour themes (`<name>.yaml`) are looked for, in order: `KAFKAOPS_THEMES_DIR`, the config
/// directory's `themes/` (`$XDG_CONFIG_HOME/kafkaops/themes`), the nearest `themes/` folder beside or
/// above the executable (a build tree, an unpacked tarball), then the package's
/// `/usr/share/kafkaops/themes`. One rule for the console's theme loader and the shell completions.
public enum ThemeFolders {
    /// How many folders above the executable are searched for `themes/`.
    static let maxLevelsUp = 8

    /// The folders in search order; `isDirectory` tells which of the executable's ancestors has a `themes/`.
    public static func search(environment: [String: String], executableDirectory: URL?,
                              isDirectory: (URL) -> Bool) -> [URL] {
        var dirs: [URL] = []
        if let d = environment["KAFKAOPS_THEMES_DIR"], !d.isEmpty { dirs.append(URL(fileURLWithPath: d)) }
        if let config = XDGPaths.configDirectory(environment) {
            dirs.append(URL(fileURLWithPath: config).appendingPathComponent("themes"))
        }
        var dir = executableDirectory
        var steps = 0
        while let d = dir, steps < maxLevelsUp {
            let candidate = d.appendingPathComponent("themes")
            if isDirectory(candidate) { dirs.append(candidate); break }
            let parent = d.deletingLastPathComponent()
            if parent.path == d.path { break }
            dir = parent; steps += 1
        }
        dirs.append(URL(fileURLWithPath: "/usr/share/kafkaops/themes"))
        return dirs
    }

    /// Whether `url` is a directory on this machine (the `isDirectory` the callers pass).
    public static func directoryExists(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}
