import Testing

@testable import AWSBackupClient

/// The shared files' INI dialect: a table of tricky files and what each must parse to.
@Suite struct CredentialINIParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        /// Section → settings; only the sections listed are checked, and their settings exactly.
        var expected: [String: [String: String]]
        var subsections: [String: [String: [String: String]]] = [:]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "comments and blank lines", text: """
            # a comment
            ; another

            [default]
            # inside
            aws_access_key_id = AKID
              ; indented comment
            aws_secret_access_key = SECRET

            """, expected: ["default": ["aws_access_key_id": "AKID", "aws_secret_access_key": "SECRET"]]),
        Case(name: "names are case-insensitive, values keep their case", text: """
            [default]
            AWS_Access_Key_ID = AKIDMixed
            Region = EU-West-1
            """, expected: ["default": ["aws_access_key_id": "AKIDMixed", "region": "EU-West-1"]]),
        Case(name: "whitespace and tabs around names and values", text: "[default]\n\t aws_access_key_id\t=\t AKID \t\naws_secret_access_key=SECRET\n",
             expected: ["default": ["aws_access_key_id": "AKID", "aws_secret_access_key": "SECRET"]]),
        Case(name: "inline comments need whitespace before them", text: """
            [default]
            region = us-east-1 # the main one
            output = json ; short
            tag = a#b;c
            """, expected: ["default": ["region": "us-east-1", "output": "json", "tag": "a#b;c"]]),
        Case(name: "section header with a comment and padding", text: """
            [ default ]   # main profile
            region = eu-west-1
            [profile  prod ] ; production
            region = eu-central-1
            """, expected: ["default": ["region": "eu-west-1"], "profile  prod": ["region": "eu-central-1"]]),
        Case(name: "nested sub-section is kept apart and does not end the section", text: """
            [default]
            region = eu-west-1
            s3 =
              addressing_style = path
              signature_version = s3v4
            output = json
            """, expected: ["default": ["region": "eu-west-1", "s3": "", "output": "json"]],
            subsections: ["default": ["s3": ["addressing_style": "path", "signature_version": "s3v4"]]]),
        Case(name: "sub-section with odd lines is skipped without failing", text: """
            [default]
            s3 =
                max_concurrent_requests = 20
                this line has no delimiter
                # comment
            aws_access_key_id = AKID
            aws_secret_access_key = SECRET
            """, expected: ["default": ["s3": "", "aws_access_key_id": "AKID", "aws_secret_access_key": "SECRET"]],
            subsections: ["default": ["s3": ["max_concurrent_requests": "20"]]]),
        Case(name: "continuation lines join a non-empty value", text: """
            [default]
            credential_process = /bin/tool
                --flag
            region = us-west-2
            """, expected: ["default": ["credential_process": "/bin/tool\n--flag", "region": "us-west-2"]]),
        Case(name: "settings indented at the same level are separate settings", text: """
            [default]
              aws_access_key_id = AKID
              aws_secret_access_key = SECRET
            """, expected: ["default": ["aws_access_key_id": "AKID", "aws_secret_access_key": "SECRET"]]),
        Case(name: "CRLF line endings and a byte order mark", text: "\u{FEFF}[default]\r\naws_access_key_id = AKID\r\naws_secret_access_key = SECRET\r\n",
             expected: ["default": ["aws_access_key_id": "AKID", "aws_secret_access_key": "SECRET"]]),
        Case(name: "a repeated section adds, a repeated setting replaces", text: """
            [default]
            region = us-east-1
            output = text
            [other]
            region = eu-west-1
            [default]
            region = ap-south-1
            """, expected: ["default": ["region": "ap-south-1", "output": "text"], "other": ["region": "eu-west-1"]]),
        Case(name: "colon delimiter and values containing = and :", text: """
            [default]
            region: us-east-1
            role_arn = arn:aws:iam::123456789012:role/audit
            credential_process = /bin/tool --key=value --url=https://x
            """, expected: ["default": ["region": "us-east-1", "role_arn": "arn:aws:iam::123456789012:role/audit", "credential_process": "/bin/tool --key=value --url=https://x"]]),
        Case(name: "empty values", text: "[default]\nregion =\noutput=\n",
             expected: ["default": ["region": "", "output": ""]]),
        Case(name: "sections with no settings", text: "[empty]\n[default]\nregion = x\n",
             expected: ["empty": [:], "default": ["region": "x"]]),
        Case(name: "secret keys with + / and = are kept whole", text: "[default]\naws_secret_access_key = wJalr+XUtn/FEMI=K7MDENG==\n",
             expected: ["default": ["aws_secret_access_key": "wJalr+XUtn/FEMI=K7MDENG=="]]),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) throws {
        let file = try INIFile.parse(testCase.text)
        for (name, expected) in testCase.expected {
            let section = try #require(file.section(name), "no section [\(name)] in \(file.sections.map(\.name))")
            #expect(section.values == expected)
        }
        for (name, expected) in testCase.subsections {
            #expect(file.section(name)?.subsections == expected)
        }
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "a line that is no setting", text: "[default]\nregion = x\naws_secret_access_key wJalrSECRETVALUE\n", line: 3, message: "expected 'name = value'"),
        BadCase(name: "a setting before any section", text: "# top\naws_access_key_id = AKIDSECRETVALUE\n[default]\n", line: 2, message: "before any [section]"),
        BadCase(name: "an unclosed section header", text: "[default\nregion = x\n", line: 1, message: "must end with ']'"),
        BadCase(name: "text after a section header", text: "[default] junk\n", line: 1, message: "after the section header"),
        BadCase(name: "an empty section name", text: "[ ]\n", line: 1, message: "empty section name"),
        BadCase(name: "a setting without a name", text: "[default]\n = wJalrSECRETVALUE\n", line: 2, message: "expected 'name = value'"),
    ]

    @Test(arguments: badCases)
    func rejects(_ testCase: BadCase) {
        #expect {
            _ = try INIFile.parse(testCase.text)
        } throws: { error in
            guard let error = error as? INIFile.ParseError else { return false }
            // The line number, what is wrong, and never the line's text (it may be a secret).
            return error.line == testCase.line && error.message.contains(testCase.message) && !error.description.contains("SECRETVALUE")
        }
    }

    @Test(arguments: [
        ("default", "default" as String?),
        ("profile prod", "prod"),
        ("profile  prod ", "prod"),
        ("profile\tprod", "prod"),
        ("profile \"my prod\"", "my prod"),
        ("profile", nil),
        ("profileprod", nil),
        ("profile two words", nil),
        ("prod", nil),
        ("sso-session corp", nil),
        ("services local", nil),
    ])
    func configFileSectionNames(_ section: String, _ profile: String?) {
        #expect(SharedConfiguration.configProfileName(section) == profile)
    }

    @Test func parseErrorsInTheSharedFilesNameTheFileAndLine() async throws {
        let home = try TemporaryHome()
        try home.config("[default]\nregion = eu-west-1\n[profile broken\n")
        let environment = makeCredentialEnvironment(baseCredentialVariables(), home: home, transport: StubCredentialTransport.unused())
        #expect {
            _ = try SharedConfiguration.load(environment: environment)
        } throws: { error in
            "\(error)".contains(home.path + "/.aws/config:3:")
        }
    }
}
