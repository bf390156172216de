-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('CONFIRMATION', 'ADDRESS_IN_USE', 'MANAGE_LINK', 'PROMOTION', 'JOIN_LINK', 'SCHEDULE_CHANGE', 'CANCELLATION');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'SENT', 'FAILED');

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "notifiedRevision" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "kind" "MessageKind" NOT NULL,
    "status" "MessageStatus" NOT NULL DEFAULT 'QUEUED',
    "sessionId" TEXT,
    "joinUrlHash" TEXT,
    "scheduleSinceRevision" INTEGER,
    "scheduleRevision" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Message_registrationId_createdAt_idx" ON "Message"("registrationId", "createdAt");

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;
