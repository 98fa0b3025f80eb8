// The local AWS Backup ListBackupJobs emulator lives here (in progress).
