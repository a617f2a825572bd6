-- CreateTable
CREATE TABLE "Verification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "backupId" TEXT NOT NULL,
    "jobId" TEXT,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "checks" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "activeFor" TEXT,
    "message" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Verification_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "Backup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VerificationCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "verificationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VerificationCheck_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "Verification" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Verification_jobId_key" ON "Verification"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "Verification_activeFor_key" ON "Verification"("activeFor");

-- CreateIndex
CREATE INDEX "Verification_backupId_createdAt_idx" ON "Verification"("backupId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "VerificationCheck_verificationId_name_key" ON "VerificationCheck"("verificationId", "name");
