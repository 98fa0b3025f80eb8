import Foundation
import Testing

@testable import BackupJobs

/// The documents of all the inputs, in the order given, form one listing: a page with a
/// NextToken must be followed by one that continues it, and a part this tool saved must follow
/// the part that ended with the token it was fetched from.
struct ListingChainTests {
    let a = jobJSON("A"), b = jobJSON("B"), c = jobJSON("C")

    /// Writes each (name, text) into a new directory; returns the paths in the order given.
    func files(_ contents: [(String, String)]) throws -> (directory: URL, paths: [String]) {
        let directory = try Paths.temporaryDirectory()
        var paths: [String] = []
        for (name, text) in contents {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        return (directory, paths)
    }

    /// A listing as `fetch --out` saves it: its record says which token the fetch started from.
    func saved(_ jobs: [String], startingToken: String?, nextToken: String? = nil) -> String {
        let record = #"{"tool":"backup-audit 0.1.0","regions":[{"region":"us-east-1"}]"#
            + (startingToken.map { #","startingToken":"\#($0)""# } ?? "") + ",\"parallel\":1}"
        return #"{"BackupAuditFetch":"# + record + ",\n" + String(listingJSON(jobs, nextToken: nextToken).dropFirst())
    }

    @Test func aCompleteExportFollowedByAPageWithATokenIsIncomplete() throws {
        // `cat complete.json partial.json`
        let listing = try decode(listingJSON([a]) + "\n" + listingJSON([b], nextToken: "t2"), name: "cat.json")
        #expect(listing.completeness == .incomplete([ListingGap(kind: .endsWithNextToken, after: "cat.json (document 2)", resumeToken: "t2")]))
        #expect(listing.completeness.gaps.first?.description
            == "cat.json (document 2) ends with NextToken t2, and nothing follows it: the pages after it are missing")
    }

    @Test func aDirectoryWithAStrayPageIsIncomplete() throws {
        let (directory, _) = try files([("1-export.json", listingJSON([a, b])), ("2-page.json", listingJSON([c], nextToken: "next"))])
        defer { try? FileManager.default.removeItem(at: directory) }
        let listing = try ListingLoader().load([directory.path])
        #expect(listing.completeness.gaps.map(\.resumeToken) == ["next"])
        #expect(listing.completeness.gaps.map(\.after) == [directory.appendingPathComponent("2-page.json").path])
    }

    @Test func aSplitGivenInOrderIsCompleteAndOutOfOrderIsNot() throws {
        // `--max-items` pages: the first ends with a token, the second continues it.
        let (directory, paths) = try files([("part1.json", listingJSON([a, b], nextToken: "t1")), ("part2.json", listingJSON([c]))])
        defer { try? FileManager.default.removeItem(at: directory) }
        let inOrder = try ListingLoader().load(paths)
        #expect(inOrder.completeness == .complete)
        #expect(inOrder.backupJobs.asBackupJobs.map(\.backupJobId) == ["A", "B", "C"])
        let reversed = try ListingLoader().load(paths.reversed())
        #expect(reversed.completeness == .incomplete([ListingGap(kind: .endsWithNextToken, after: paths[0], resumeToken: "t1")]))
    }

    @Test(arguments: [#""NextToken":"""#, #""NextToken":null"#, ""])
    func anEmptyOrNullTokenEndsAListing(_ member: String) throws {
        let text = #"{"BackupJobs":["# + a + "]" + (member.isEmpty ? "" : "," + member) + "}"
        #expect(try decode(text).completeness == .complete)
        #expect(try decode(listingJSON([b], nextToken: "t1") + text).completeness == .complete)
    }

    @Test func anArrayOrAJobAfterATokenCannotContinueIt() throws {
        let array = try decode(listingJSON([a], nextToken: "t1") + "[" + b + "]", name: "mixed.json")
        #expect(array.completeness == .incomplete([ListingGap(
            kind: .notContinued(next: "mixed.json (document 2)", what: "an array of backup jobs"), after: "mixed.json", resumeToken: "t1")]))
        let lines = try decode(listingJSON([a], nextToken: "t1") + "\n" + b + "\n" + c + "\n", name: "lines.json")
        #expect(lines.completeness == .incomplete([ListingGap(
            kind: .notContinued(next: "lines.json (job 1)", what: "a backup job object, as in JSON Lines"), after: "lines.json", resumeToken: "t1")]))
        // Both jobs are still read: the data is incomplete, not bad.
        #expect(lines.backupJobs.count == 3)
    }

    /// An empty array has no kind: it continues no listing, so every kind waiting for its next
    /// page has a gap there (found by the gate's property test).
    @Test func anEmptyArrayAfterATokenCannotContinueIt() throws {
        let empty = try decode(listingJSON([a], nextToken: "t1") + "[]" + listingJSON([b]), name: "empty.json")
        #expect(empty.completeness == .incomplete([ListingGap(
            kind: .notContinued(next: "empty.json (document 2)", what: "an empty array"), after: "empty.json", resumeToken: "t1")]))
        let copies = try decode(#"{"CopyJobs":[{"CopyJobId":"C"}],"NextToken":"c1"}[]"#, name: "copies.json")
        #expect(copies.completeness.gaps.map(\.recordKind) == [.copyJob])
        // Without a token before it, an empty array is an empty listing.
        #expect(try decode(listingJSON([a]) + "[]").completeness == .complete)
    }

    @Test func savedPartsFollowTheTokensTheyWereFetchedFrom() throws {
        let (directory, paths) = try files([
            ("part1.json", saved([a], startingToken: nil, nextToken: "T1")),
            ("part2.json", saved([b], startingToken: "T1", nextToken: "T2")),
            ("part3.json", saved([c], startingToken: "T2")),
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ListingLoader().load(paths).completeness == .complete)

        // A missing middle part: raw pages could not show it, saved parts do.
        let middle = try ListingLoader().load([paths[0], paths[2]])
        #expect(middle.completeness == .incomplete([ListingGap(
            kind: .missingPart(next: paths[2], startingToken: "T2"), after: paths[0], resumeToken: "T1")]))
        #expect(middle.completeness.gaps.first?.description == "\(paths[2]) was fetched from token T2, but the document before it "
            + "(\(paths[0])) ends with NextToken T1: the part between them is missing")

        // A missing first part.
        let first = try ListingLoader().load([paths[1], paths[2]])
        #expect(first.completeness == .incomplete([ListingGap(kind: .missingPart(next: paths[1], startingToken: "T1"), after: nil, resumeToken: nil)]))

        // The wrong order: part 2 follows nothing, part 1 (from the start) cannot continue part
        // 2's token, and part 1's own token is left open at the end.
        let swapped = try ListingLoader().load([paths[1], paths[0]])
        #expect(swapped.completeness.gaps.map(\.kind) == [
            .missingPart(next: paths[1], startingToken: "T1"),
            .notContinued(next: paths[0], what: "a saved listing fetched from the start"),
            .endsWithNextToken,
        ])
    }

    @Test func aSavedListingFromTheStartDoesNotContinueAToken() throws {
        let listing = try decode(listingJSON([a], nextToken: "t1") + saved([b], startingToken: nil), name: "two.json")
        #expect(listing.completeness == .incomplete([ListingGap(
            kind: .notContinued(next: "two.json (document 2)", what: "a saved listing fetched from the start"), after: "two.json", resumeToken: "t1")]))
    }

    @Test func theSavedRecordIsReadAcrossChunkBoundaries() throws {
        let text = listingJSON([a], nextToken: "T\\u0031") + saved([b], startingToken: "X")
        for chunkSize in [3, 7, 64] {
            let listing = try decode(text, chunkSize: chunkSize, name: "s.json")
            #expect(listing.completeness.gaps.map(\.kind) == [.missingPart(next: "s.json (document 2)", startingToken: "X")], "chunk \(chunkSize)")
            #expect(listing.completeness.gaps.map(\.resumeToken) == ["T1"], "chunk \(chunkSize)")
        }
        #expect(try decode(listingJSON([a], nextToken: "X") + saved([b], startingToken: "X"), chunkSize: 5).completeness == .complete)
    }
}
