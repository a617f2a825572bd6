-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "verifiedAt" DATETIME;
ALTER TABLE "Backup" ADD COLUMN "verifyResult" TEXT;
ALTER TABLE "Backup" ADD COLUMN "verifyMessage" TEXT;
