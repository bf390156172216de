-- CreateEnum
CREATE TYPE "StakeholderGroup" AS ENUM ('STATE', 'NATIONAL_HUMAN_RIGHTS_INSTITUTION', 'NATIONAL_CONTACT_POINT', 'CIVIL_SOCIETY', 'BUSINESS', 'ACADEMIA', 'AFFECTED_PERSON_OR_COMMUNITY', 'INTERNATIONAL_ORGANIZATION', 'OTHER');

-- CreateEnum
CREATE TYPE "AdminScope" AS ENUM ('WRITE_EVENTS', 'READ_REGISTRATIONS', 'MANAGE_TOKENS');

-- DropIndex
DROP INDEX "SessionRegistration_sessionId_status_idx";

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "registrationClosesAt" TIMESTAMPTZ(3),
ADD COLUMN     "registrationOpensAt" TIMESTAMPTZ(3),
ADD COLUMN     "zoomLinkLeadMinutes" INTEGER NOT NULL DEFAULT 1440;

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "cancelledAt" TIMESTAMPTZ(3),
ADD COLUMN     "consentedAt" TIMESTAMPTZ(3),
ADD COLUMN     "manageTokenHash" TEXT,
ADD COLUMN     "stakeholderGroup" "StakeholderGroup";

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "remoteSeats" INTEGER,
ADD COLUMN     "roomSeats" INTEGER,
ADD COLUMN     "zoomJoinUrl" TEXT;

-- AlterTable
ALTER TABLE "SessionRegistration" ADD COLUMN     "attendanceMode" "AttendanceMode" NOT NULL,
ADD COLUMN     "statusChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "AdminToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopes" "AdminScope"[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AdminToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminToken_tokenHash_key" ON "AdminToken"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_manageTokenHash_key" ON "Registration"("manageTokenHash");

-- CreateIndex
CREATE INDEX "SessionRegistration_sessionId_attendanceMode_status_statusC_idx" ON "SessionRegistration"("sessionId", "attendanceMode", "status", "statusChangedAt");
