// Usage texts live apart from the commands so --help loads no command code.
export const INIT_USAGE = `Usage: cloudos-backup init --admin-user NAME --admin-password-file FILE (--passphrase-file FILE | --generate-passphrase) [--json]
  Sets up a new instance without the web page. FILE may be "-" for standard input.`;

export const JOBS_USAGE = `Usage: cloudos-backup jobs list [--limit N] [--json]
       cloudos-backup jobs run selftest [--steps N] [--step-ms MS] [--json]`;

export const ARCHIVE_USAGE = `Usage: cloudos-backup archive create --source DIR --out FILE --passphrase-file F [--json]
       cloudos-backup archive extract FILE --dest DIR --passphrase-file F [--key-file K] [--json]
       cloudos-backup archive verify FILE --passphrase-file F [--key-file K] [--json]
  Standalone archives for experts, benchmarks and recovery: they need no server, only the
  passphrase. extract writes nothing to DIR unless the whole archive verified. An archive
  opens with the passphrase it was made with; --key-file (a key file, or a repository
  directory whose keys/ holds it) opens it with a passphrase set later.`;

export const PASSPHRASE_USAGE = `Usage: cloudos-backup passphrase change --current-file F --new-file F [--json]
  Re-wraps the backup master key under a new passphrase and writes the new key file to every
  target: every backup, the older ones too, then opens with the new passphrase on any server.`;

export const TARGETS_USAGE = `Usage: cloudos-backup targets add local NAME --path P [--keep N]
       cloudos-backup targets add s3 NAME [--endpoint URL] --region R --bucket B --access-key-id K --secret-access-key-file F [--prefix P] [--ca-certificate-file F] [--keep N]
       cloudos-backup targets add sftp NAME --host H [--port N] --username U (--password-file F | --private-key-file F [--key-passphrase-file F]) --remote-path P [--keep N]
       cloudos-backup targets list [--json]
       cloudos-backup targets test NAME [--json]
       cloudos-backup targets remove NAME [--forget-backups]
       cloudos-backup targets import NAME [--passphrase-file F] [--json]
  import adds the target's backups to the catalog (a new server, forgotten backups): those
  under keys this instance holds, and with --passphrase-file those the passphrase opens
  (another or the old server's). See docs/DISASTER-RECOVERY.md.`;

export const APPS_USAGE = `Usage: cloudos-backup apps list [--json]
       cloudos-backup demo-apps [--json]
  demo-apps creates sample apps (photos, notes, vault) in CLOUDOS_APPS_DIR to try backups on;
  it refuses to touch apps that exist.`;

export const BACKUP_USAGE = `Usage: cloudos-backup backup --target NAME (--full | --apps a,b) [--json]
       cloudos-backup list [--target NAME] [--json]
       cloudos-backup show ID [--json]
  backup runs here and now (Ctrl-C cancels it) and prints the backup id and its SHA-256.
  ID may be the start of a backup id (at least 6 characters).`;

export const RESTORE_USAGE = `Usage: cloudos-backup restore ID [--apps a,b] [--system] --yes [--json]
       cloudos-backup verify ID [--json]
       cloudos-backup verify ID --checks integrity,size,dry-run,staleness [--json]
  restore replaces the chosen apps' data (all apps of the backup by default) only after the
  whole backup was read and its SHA-256 matched; an app whose swap fails is rolled back.
  --system restores the system settings and user accounts of a full backup (alone: only those;
  with --apps: both). verify reads and
  authenticates the whole stored backup without restoring; exit 1 when corrupted or missing.
  With --checks it runs those checks as a recorded verification (dry-run restores into a
  temporary directory and checks every SQLite database); exit 1 when any check fails.`;

export const HEALTH_USAGE = `Usage: cloudos-backup health [--json]
  The backup health score (0-100) with its reasons and where to fix each, the last successful
  backup overall, per app, target and schedule, and the next scheduled runs.`;

export const SCHEDULES_USAGE = `Usage: cloudos-backup schedules add NAME --cron EXPR --target T (--full | --apps a,b) [--keep-last N] [--keep-daily N] [--keep-weekly N] [--disabled] [--json]
       cloudos-backup schedules list [--json]
       cloudos-backup schedules run NAME [--json]
       cloudos-backup schedules remove NAME
       cloudos-backup schedules settings [--time-zone TZ] [--grace-minutes N] [--json]
       cloudos-backup retention preview NAME [--json]
       cloudos-backup cleanup [--target NAME] [--json]
  EXPR is a 5-field cron expression in the instance time zone or a preset: hourly,
  daily (02:00), weekly (Sunday 02:00), monthly (1st, 02:00). Retention keeps the union of its
  rules over the schedule's own backups, and always the newest; without rules it keeps all. A
  target's "keep last" applies across every backup on it; a backup goes only when no rule that
  applies to it keeps it. run backs up now as the schedule, retention included. settings shows
  or sets the instance time zone (default: TZ) and the grace window for missed runs. cleanup
  removes what failed and interrupted uploads left on the targets (the worker does it hourly).`;

export const LICENSE_USAGE = `Usage: cloudos-backup license install FILE [--json]
       cloudos-backup license show [--json]
       cloudos-backup license remove [--json]
  install verifies the license (FILE, or "-" for standard input) offline and replaces the
  installed one; an expired, altered or foreign license is refused and changes nothing.
  show prints the plan, features, licensee and expiry, or why the installed one is not valid.`;

export const TOKENS_USAGE = `Usage: cloudos-backup tokens create NAME [--json]
       cloudos-backup tokens list [--all] [--json]
       cloudos-backup tokens revoke NAME|ID [--json]
  create prints the new API token once (alone on stdout); only its SHA-256 is stored. Use it as
  "Authorization: Bearer TOKEN" on /api routes. --all lists revoked tokens too.`;
