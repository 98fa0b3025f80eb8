/// Documents as the AWS CLI prints them (ISO 8601 timestamps) and as the API sends them (epoch seconds).
enum DocumentFixtures {
    static let selectionCLI = """
        {
            "BackupSelection": {
                "SelectionName": "tagged-daily",
                "IamRoleArn": "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole",
                "Resources": [
                    "arn:aws:ec2:*:*:volume/*"
                ],
                "ListOfTags": [
                    {
                        "ConditionType": "STRINGEQUALS",
                        "ConditionKey": "backup",
                        "ConditionValue": "daily"
                    }
                ],
                "NotResources": [],
                "Conditions": {
                    "StringEquals": [],
                    "StringNotEquals": [
                        {
                            "ConditionKey": "aws:ResourceTag/stage",
                            "ConditionValue": "test"
                        }
                    ],
                    "StringLike": [
                        {
                            "ConditionKey": "aws:ResourceTag/team",
                            "ConditionValue": "data-*"
                        }
                    ],
                    "StringNotLike": []
                }
            },
            "SelectionId": "6b0d4a6e-1b4e-4d6c-9f0a-2b7f8a9c0d11",
            "BackupPlanId": "3e361858-a2f7-447a-952e-1b8b356f8bd1",
            "CreationDate": "2026-11-01T10:00:00.123000+01:00",
            "CreatorRequestId": "cli-1"
        }
        """

    static let planCLI = """
        {
            "BackupPlan": {
                "BackupPlanName": "daily-35d",
                "Rules": [
                    {
                        "RuleName": "daily",
                        "TargetBackupVaultName": "prod-vault",
                        "ScheduleExpression": "cron(0 5 ? * * *)",
                        "StartWindowMinutes": 60,
                        "CompletionWindowMinutes": 1440,
                        "Lifecycle": {
                            "MoveToColdStorageAfterDays": 7,
                            "DeleteAfterDays": 97,
                            "OptInToArchiveForSupportedResources": false
                        },
                        "RecoveryPointTags": {"owner": "platform"},
                        "RuleId": "87efda6b-5e68-47ca-882e-a7602d1ef7bf",
                        "CopyActions": [
                            {
                                "Lifecycle": {"DeleteAfterDays": 90},
                                "DestinationBackupVaultArn": "arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault"
                            }
                        ],
                        "ScheduleExpressionTimezone": "Europe/Paris",
                        "EnableContinuousBackup": false,
                        "IndexActions": [{"ResourceTypes": ["EBS"]}]
                    }
                ],
                "AdvancedBackupSettings": [
                    {"ResourceType": "EC2", "BackupOptions": {"WindowsVSS": "enabled"}}
                ]
            },
            "BackupPlanId": "3e361858-a2f7-447a-952e-1b8b356f8bd1",
            "BackupPlanArn": "arn:aws:backup:us-east-1:123456789012:backup-plan:3e361858-a2f7-447a-952e-1b8b356f8bd1",
            "VersionId": "ZjQ2ZTI0",
            "CreatorRequestId": "cli-2",
            "CreationDate": "2026-10-01T00:00:00+00:00",
            "LastExecutionDate": "2026-11-28T05:00:00.5+00:00"
        }
        """

    static let planAPI = """
        {"BackupPlanId": "p-api", "BackupPlanArn": "arn:aws:backup:us-east-1:123456789012:backup-plan:p-api", "CreationDate": 1796205645.038499, "VersionId": "v1", "BackupPlan": {"BackupPlanName": "hourly", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "vault1", "ScheduleExpression": "cron(15 * ? * * *)"}]}}
        """

    static let planList = """
        {
            "BackupPlansList": [
                {
                    "BackupPlanArn": "arn:aws:backup:us-east-1:123456789012:backup-plan:p1",
                    "BackupPlanId": "p1",
                    "CreationDate": "2026-10-01T00:00:00+00:00",
                    "VersionId": "v1",
                    "BackupPlanName": "one",
                    "LastExecutionDate": 1796205645
                },
                {
                    "BackupPlanId": "p2"
                }
            ],
            "NextToken": "abc"
        }
        """

    static let selectionList = """
        {
            "BackupSelectionsList": [
                {
                    "SelectionId": "6b0d4a6e-1b4e-4d6c-9f0a-2b7f8a9c0d11",
                    "SelectionName": "tagged-daily",
                    "BackupPlanId": "3e361858-a2f7-447a-952e-1b8b356f8bd1",
                    "CreationDate": "2026-11-01T10:00:00.123000+01:00",
                    "CreatorRequestId": "cli-1",
                    "IamRoleArn": "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
                },
                {
                    "SelectionId": "missing-details",
                    "SelectionName": "other",
                    "BackupPlanId": "3e361858-a2f7-447a-952e-1b8b356f8bd1"
                }
            ]
        }
        """
}
