-- AlterEnum
ALTER TYPE "MessageStatus" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "ScheduleChange" ADD COLUMN     "sessionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Message_registrationId_sessionId_joinUrlHash_key" ON "Message"("registrationId", "sessionId", "joinUrlHash");

-- Changes published before schedule notices existed were never promised to anyone: notices start from now.
UPDATE "Event" SET "notifiedRevision" = "revision";
