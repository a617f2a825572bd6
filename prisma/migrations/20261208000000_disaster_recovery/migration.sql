-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "keyId" TEXT;
ALTER TABLE "Backup" ADD COLUMN "importedAt" DATETIME;

-- AlterTable
ALTER TABLE "Target" ADD COLUMN "keyFilePending" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "MasterKey" (
    "keyId" TEXT NOT NULL PRIMARY KEY,
    "sealedKey" TEXT NOT NULL,
    "keyFile" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
