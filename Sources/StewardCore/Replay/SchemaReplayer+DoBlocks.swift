import StewardSQL

extension SchemaReplayer {
    /// DO blocks often hold idempotent DDL (`IF NOT EXISTS … THEN ALTER TABLE …`). Their
    /// statements are replayed at their line in the file. Conditions are not evaluated;
    /// instead a branch counts as taken when it applies to the model without an issue
    /// (`IF to_regclass('x') IS NOT NULL THEN ALTER TABLE x …` is skipped when x does not
    /// exist). A block with nothing Steward can follow is counted as not modelled.
    mutating func applyDoBlock(_ block: DoBlock, range: Range<Int>) {
        let steps = block.language.lowercased() == "plpgsql" ? SQLParser.steps(inPlpgsqlBody: block.body) : []
        let bodyLine = source.location(ofByte: block.bodyOffset ?? range.lowerBound).line
        if !applySteps(steps, bodyLine: bodyLine) {
            model.unmodelled.append(UnmodelledStatement(kind: "DoStmt", origin: origin(range.lowerBound)))
            lastOpaqueStatement = origin(range.lowerBound)
        }
        if doBlockTooDeep {
            issue("DO block nested deeper than \(Self.maximumDoBlockNesting) levels: its deeper branches are not followed", at: range.lowerBound)
            model.issues[model.issues.count - 1].wouldFail = false
            doBlockTooDeep = false
        }
    }

    /// Returns whether any schema statement was replayed.
    mutating func applySteps(_ steps: [EmbeddedStep], bodyLine: Int) -> Bool {
        var replayed = false
        for step in steps {
            switch step {
            case .statement(let statement):
                guard case .success(let parsed) = SQLParser.parse(SourceText(statement.sql)) else { continue }
                embedded = (SourceText(statement.sql), min(bodyLine + statement.line - 1, source.lineStarts.count))
                for inner in parsed {
                    if case .other = inner.statement { continue }
                    if case .dataChange = inner.statement { continue }
                    replayed = true
                    apply(inner.statement, at: inner.range.lowerBound)
                }
                embedded = nil
            case .choice(let alternatives):
                // Each level copies the replayer to try a branch: the depth is bounded, so no
                // input can make the replay recurse (or copy) without end.
                guard doBlockNesting < Self.maximumDoBlockNesting else {
                    doBlockTooDeep = true
                    return replayed
                }
                for alternative in alternatives {
                    var trial = self
                    trial.doBlockNesting += 1
                    let issuesBefore = trial.model.issues.count
                    let trialReplayed = trial.applySteps(alternative, bodyLine: bodyLine)
                    trial.doBlockNesting -= 1
                    if trial.doBlockTooDeep { doBlockTooDeep = true }
                    if trial.model.issues.count == issuesBefore {
                        self = trial
                        replayed = replayed || trialReplayed
                        break
                    }
                }
            }
        }
        return replayed
    }
}
