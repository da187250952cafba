/// ANSI styling that switches off entirely when color is not wanted.
public struct Terminal: Sendable {
    public var colors: Bool

    public init(colors: Bool) { self.colors = colors }

    public enum Style: String, Sendable {
        case bold = "1", dim = "2", red = "31", yellow = "33", blue = "34", cyan = "36", green = "32", magenta = "35"
        case boldRed = "1;31", boldYellow = "1;33", boldBlue = "1;34", boldCyan = "1;36", boldGreen = "1;32"
    }

    public func paint(_ text: String, _ style: Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
