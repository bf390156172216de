-- CreateEnum
CREATE TYPE "ScheduleChangeKind" AS ENUM ('ADDED', 'CHANGED', 'REMOVED');

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "sequence" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ScheduleChange" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "kind" "ScheduleChangeKind" NOT NULL,
    "sessionNumber" INTEGER,
    "title" TEXT NOT NULL,
    "fields" TEXT[],
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScheduleChange_eventId_revision_idx" ON "ScheduleChange"("eventId", "revision");

-- AddForeignKey
ALTER TABLE "ScheduleChange" ADD CONSTRAINT "ScheduleChange_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
