import Foundation
import StewardSQL
for path in CommandLine.arguments.dropFirst() {
    let data = FileManager.default.contents(atPath: path)!
    let source = SourceText(bytes: Array(data))
    switch SQLParser.parse(source) {
    case .success(let statements):
        for s in statements {
            let loc = source.location(ofByte: s.range.lowerBound)
            print("\(loc.line):\(loc.column) \(s.statement.kindName) \(s.statement)".prefix(300))
        }
    case .failure(let e): let l = source.location(ofByte: e.offset); print("ERR \(l.line):\(l.column) \(e.message)")
    }
}
