import BackupJobs

/// Epoch seconds as the API writes them (`1796205645.038499`), to the millisecond: read from the
/// decimal text, never through a `Double`, whose rounding could move a time across a millisecond.
enum EpochSeconds {
    static func timestamp(_ text: String) -> Timestamp? {
        var digits: [UInt8] = []
        var exponent = 0
        var negative = false
        var seenPoint = false
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { exponent -= 1 }
            }
        }
        if !bytes.isEmpty {
            guard let written = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(written) < 100 else { return nil }
            exponent += written
        }
        // value = digits × 10^exponent seconds; milliseconds shift the point three places.
        exponent += 3
        while exponent < 0, !digits.isEmpty {
            digits.removeLast()
            exponent += 1
        }
        var milliseconds: Int64 = 0
        for digit in digits {
            let (shifted, overflowA) = milliseconds.multipliedReportingOverflow(by: 10)
            let (added, overflowB) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            milliseconds = added
        }
        for _ in 0..<max(exponent, 0) {
            let (shifted, overflow) = milliseconds.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            milliseconds = shifted
        }
        return Timestamp(millisecondsSinceEpoch: negative ? -milliseconds : milliseconds)
    }
}
