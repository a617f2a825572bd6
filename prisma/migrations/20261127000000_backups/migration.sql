-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "targetId" TEXT NOT NULL,
    "jobId" TEXT,
    "scheduleId" TEXT,
    "scope" TEXT NOT NULL,
    "apps" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "objectKey" TEXT NOT NULL,
    "logicalBytes" BIGINT NOT NULL DEFAULT 0,
    "storedBytes" BIGINT NOT NULL DEFAULT 0,
    "fileCount" INTEGER NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "manifest" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "quiesced" TEXT,
    "createdBy" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Backup_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "Target" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AppLock" (
    "appId" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "acquiredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Backup_targetId_startedAt_idx" ON "Backup"("targetId", "startedAt");

-- CreateIndex
CREATE INDEX "Backup_status_startedAt_idx" ON "Backup"("status", "startedAt");

-- CreateIndex
CREATE INDEX "Backup_scheduleId_startedAt_idx" ON "Backup"("scheduleId", "startedAt");
