import Testing

@testable import BackupJobs

/// Random damage to a valid listing: the decoder must never crash, and its answer (the jobs, or
/// the error with its place) must not depend on where the chunks were cut.
struct MutationTests {
    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seedListing = Array((listingJSON([
        InputFormatTests.fullAPIJob,
        jobJSON("B", #""State":"RUNNING","StatusMessage":"x\"y\\z \u00e9 日本","BackupOptions":{"A":"1","B":"2"},"New":[1,-2.5e3,{"k":null}]"#),
        jobJSON("C", #""CreationDate":"2026-11-21T16:27:59.885000-07:00","IsParent":true"#),
    ], nextToken: "n") + "\n" + "[" + jobJSON("D") + "]\n" + jobJSON("E") + "\n").utf8)

    enum Outcome: Equatable {
        case jobs([BackupJob], duplicates: Int)
        case error(ListingInputError)
    }

    static func outcome(_ bytes: [UInt8], chunkSize: Int) -> Outcome {
        do {
            let listing = try decode(bytes: bytes, chunkSize: chunkSize)
            return .jobs(Array(listing.backupJobs.asBackupJobs), duplicates: listing.backupJobs.duplicatesDropped)
        } catch {
            return .error(error)
        }
    }

    @Test func theSeedDecodes() {
        guard case .jobs(let jobs, _) = Self.outcome(Self.seedListing, chunkSize: 1 << 16) else {
            Issue.record("the seed listing does not decode")
            return
        }
        #expect(jobs.map(\.backupJobId) == ["3F2E8A41-1111-4C1D-9E2B-000000000001", "B", "C", "D", "E"])
    }

    @Test(arguments: 0..<8)
    func damagedListingsFailCleanlyWhateverTheChunking(_ batch: Int) {
        var random = SplitMix64(state: UInt64(batch) &* 7919 &+ 17)
        let interesting: [UInt8] = Array(#"{}[]",:\ntfn0-.e"#.utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xEF]
        for _ in 0..<60 {
            var bytes = Self.seedListing
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = interesting.randomElement(using: &random)!
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(interesting.randomElement(using: &random)!, at: index)
                default: bytes.removeSubrange(index..<bytes.count)
                }
            }
            let whole = Self.outcome(bytes, chunkSize: 1 << 16)
            let chunked = Self.outcome(bytes, chunkSize: Int.random(in: 1...40, using: &random))
            #expect(whole == chunked, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
