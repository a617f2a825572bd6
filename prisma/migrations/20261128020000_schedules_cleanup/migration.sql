-- AlterTable
ALTER TABLE "Backup" ADD COLUMN "cleanedAt" DATETIME;
