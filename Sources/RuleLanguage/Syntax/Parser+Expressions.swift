/// Expressions, from the loosest operator to the tightest:
///
///     or  <  and  <  not  <  comparisons and tests  <  + -  <  * /  <  unary -  <  .member  <  atoms
extension ParserState {
    mutating func parseExpressionToEnd() throws(ParseAbort) -> Expr {
        let expr = try parseExpression()
        guard atEnd else { throw unexpected("the end of the expression") }
        return expr
    }

    mutating func parseExpression() throws(ParseAbort) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maximumDepth else {
            report(.tooDeep, "expressions are nested more than \(Parser.maximumDepth) deep", at: current.range)
            throw ParseAbort()
        }
        return try parseOr()
    }

    mutating func parseOr() throws(ParseAbort) -> Expr {
        var operands = [try parseAnd()]
        while accept("or") { operands.append(try parseAnd()) }
        return Self.balanced(.or, operands[...])
    }

    mutating func parseAnd() throws(ParseAbort) -> Expr {
        var operands = [try parseNot()]
        while accept("and") { operands.append(try parseNot()) }
        return Self.balanced(.and, operands[...])
    }

    /// `a and b and c ...` as a balanced tree: the operator is associative, and a chain of a
    /// thousand conditions then nests only ten deep.
    static func balanced(_ op: BinaryOperator, _ operands: ArraySlice<Expr>) -> Expr {
        guard operands.count > 1 else { return operands.first! }
        let middle = operands.startIndex + operands.count / 2
        let left = balanced(op, operands[..<middle]), right = balanced(op, operands[middle...])
        return Expr(.binary(op, left, right), left.range.union(right.range))
    }

    /// Stops a tree from growing too tall for the code that walks it.
    mutating func bounded(_ expr: Expr) throws(ParseAbort) -> Expr {
        guard expr.height <= Parser.maximumHeight else {
            report(.tooDeep, "this expression is too long: more than \(Parser.maximumHeight) operations in a row", at: expr.range)
            throw ParseAbort()
        }
        return expr
    }

    mutating func parseNot() throws(ParseAbort) -> Expr {
        let start = current.range
        if current.isIdentifier("not") && !peek().isIdentifier("in") {
            index += 1
            depth += 1
            defer { depth -= 1 }
            guard depth <= Parser.maximumDepth else {
                report(.tooDeep, "expressions are nested more than \(Parser.maximumDepth) deep", at: current.range)
                throw ParseAbort()
            }
            let operand = try parseNot()
            return Expr(.not(operand), start.union(operand.range))
        }
        return try parsePredicate()
    }

    static let comparisonOperators: [String: BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    /// A comparison or test on one value: `X == Y`, `X contains Y`, `X exists`, `X within 24h`.
    mutating func parsePredicate() throws(ParseAbort) -> Expr {
        let left = try parseAdditive()
        if case .punctuation(let symbol) = current.kind, let op = Self.comparisonOperators[symbol] {
            index += 1
            let right = try parseAdditive()
            if case .punctuation(let next) = current.kind, Self.comparisonOperators[next] != nil {
                report(.chainedComparison, "comparisons cannot be chained; write 'a < b and b < c'", at: current.range)
                throw ParseAbort()
            }
            if (op == .equal || op == .notEqual) && current.isIdentifier("ignoring") {
                index += 1
                try expect("case", "in 'ignoring case'")
                return Expr(.match(op == .equal ? .equal : .notEqual, left, right, ignoringCase: true), left.range.union(previous.range))
            }
            return Expr(.binary(op, left, right), left.range.union(right.range))
        }
        guard let word = current.identifier else { return left }
        var matchOperator: MatchOperator?
        switch word {
        case "contains": matchOperator = .contains
        case "matches": matchOperator = .matches
        case "like": matchOperator = .like
        case "in" where !peek().isIdentifier("each"): matchOperator = .in
        case "not" where peek().isIdentifier("in"):
            index += 1
            matchOperator = .notIn
        case "starts", "ends":
            guard peek().isIdentifier("with") else { throw unexpectedAfter(word, "'with'") }
            index += 1
            matchOperator = word == "starts" ? .startsWith : .endsWith
        case "exists":
            index += 1
            return Expr(.presence(left, exists: true), left.range.union(previous.range))
        case "is":
            index += 1
            guard accept("missing") else { throw unexpected("'missing' in 'is missing'") }
            return Expr(.presence(left, exists: false), left.range.union(previous.range))
        case "within", "before", "after":
            index += 1
            let right = try parseAdditive()
            let op: WindowOperator = word == "within" ? .within : word == "before" ? .before : .after
            return Expr(.window(op, left, right), left.range.union(right.range))
        case "older":
            index += 1
            try expect("than", "in 'older than DURATION'")
            let right = try parseAdditive()
            return Expr(.window(.olderThan, left, right), left.range.union(right.range))
        default:
            return left
        }
        guard let matchOperator else { return left }
        index += 1
        let right = try parseAdditive()
        var end = right.range
        var ignoringCase = false
        if accept("ignoring") {
            try expect("case", "in 'ignoring case'")
            ignoringCase = true
            end = previous.range
        }
        return Expr(.match(matchOperator, left, right, ignoringCase: ignoringCase), left.range.union(end))
    }

    mutating func unexpectedAfter(_ word: String, _ expected: String) -> ParseAbort {
        index += 1
        return unexpected("\(expected) after '\(word)'")
    }

    mutating func parseAdditive() throws(ParseAbort) -> Expr {
        var left = try parseMultiplicative()
        while current.isPunctuation("+") || current.isPunctuation("-") {
            let op: BinaryOperator = advance().isPunctuation("+") ? .plus : .minus
            let right = try parseMultiplicative()
            left = try bounded(Expr(.binary(op, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseMultiplicative() throws(ParseAbort) -> Expr {
        var left = try parseUnary()
        while current.isPunctuation("*") || current.isPunctuation("/") {
            let op: BinaryOperator = advance().isPunctuation("*") ? .times : .divided
            let right = try parseUnary()
            left = try bounded(Expr(.binary(op, left, right), left.range.union(right.range)))
        }
        return left
    }

    mutating func parseUnary() throws(ParseAbort) -> Expr {
        guard current.isPunctuation("-") else { return try parsePostfix() }
        let start = advance().range
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maximumDepth else {
            report(.tooDeep, "expressions are nested more than \(Parser.maximumDepth) deep", at: current.range)
            throw ParseAbort()
        }
        let operand = try parseUnary()
        return Expr(.negate(operand), start.union(operand.range))
    }

    mutating func parsePostfix() throws(ParseAbort) -> Expr {
        var expr = try parsePrimary()
        while current.isPunctuation(".") {
            index += 1
            guard let name = current.identifier else { throw unexpected("a field name after '.'") }
            let member = Name(text: name, range: advance().range)
            expr = try bounded(Expr(.member(expr, member), expr.range.union(member.range)))
        }
        return expr
    }

    mutating func parsePrimary() throws(ParseAbort) -> Expr {
        let token = current
        let written = source.text(token.range)
        switch token.kind {
        case .string(let value):
            index += 1
            return Expr(.string(value), token.range)
        case .number(let text):
            index += 1
            // `500 MiB`: a size unit after a number makes a size.
            if let unit = current.identifier, let bytesPerUnit = SizeUnit.bytes[unit] {
                let range = token.range.union(advance().range)
                guard let bytes = SizeUnit.bytes(text, times: bytesPerUnit) else {
                    report(.outOfRange, "the size \(text) \(unit) is out of range: \(ValueType.size.rangeDescription)", at: range)
                    throw ParseAbort()
                }
                return Expr(.size(bytes: bytes, written: "\(text) \(unit)"), range)
            }
            return Expr(.number(text), token.range)
        case .duration(let milliseconds):
            index += 1
            return Expr(.duration(milliseconds: milliseconds, written: written), token.range)
        case .size(let bytes):
            index += 1
            let unitStart = written.firstIndex(where: \.isLetter) ?? written.endIndex
            return Expr(.size(bytes: bytes, written: "\(written[..<unitStart]) \(written[unitStart...])"), token.range)
        case .percent(let value):
            index += 1
            return Expr(.percent(value, written: written), token.range)
        case .timestamp(let timestamp, _):
            index += 1
            return Expr(.timestamp(timestamp, written: written), token.range)
        case .punctuation("("):
            index += 1
            let inner = try parseExpression()
            let close = try expectPunctuation(")", "to close '('")
            return Expr(.parenthesized(inner), token.range.union(close.range))
        case .punctuation("["):
            index += 1
            var elements: [Expr] = []
            if !current.isPunctuation("]") {
                repeat { elements.append(try parseExpression()) } while acceptPunctuation(",")
            }
            let close = try expectPunctuation("]", "to close the list")
            return Expr(.list(elements), token.range.union(close.range))
        case .identifier(let word):
            if word == "true" || word == "false" {
                index += 1
                return Expr(.boolean(word == "true"), token.range)
            }
            // `jobs`, `copy jobs`: a set of records, as a function's argument.
            let kindWord = word != "jobs" && peek().isIdentifier("jobs") && !Parser.keywords.contains(word)
                ? Name(text: word, range: token.range) : nil
            if word == "jobs" || kindWord != nil {
                index += kindWord == nil ? 1 : 2
                guard accept("where") else { return Expr(.jobs(kind: kindWord, filter: nil), token.range.union(previous.range)) }
                let filter = try parseExpression()
                return Expr(.jobs(kind: kindWord, filter: filter), token.range.union(filter.range))
            }
            // `latest(jobs)` is a function although `latest job` is a keyword.
            let isCall = word == "latest" && peek().isPunctuation("(")
            if word != "now" && !isCall && Parser.keywords.contains(word) { throw unexpected("a value") }
            index += 1
            guard acceptPunctuation("(") else { return Expr(.name(word), token.range) }
            var arguments: [Expr] = []
            if !current.isPunctuation(")") {
                repeat { arguments.append(try parseExpression()) } while acceptPunctuation(",")
            }
            let close = try expectPunctuation(")", "to close the arguments of \(word)(...)")
            return Expr(.call(Name(text: word, range: token.range), arguments), token.range.union(close.range))
        default:
            throw unexpected("a value")
        }
    }
}
