-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('DRAFT', 'CONFIRMED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EventFormat" AS ENUM ('IN_PERSON', 'ONLINE', 'HYBRID');

-- CreateEnum
CREATE TYPE "SessionFormat" AS ENUM ('PANEL', 'INTERACTIVE', 'MIXED');

-- CreateEnum
CREATE TYPE "MechanismTypeCode" AS ENUM ('JUDICIAL', 'STATE_BASED_NON_JUDICIAL', 'NON_STATE_BASED');

-- CreateEnum
CREATE TYPE "PanelistRole" AS ENUM ('MODERATOR', 'PANELIST', 'SPEAKER');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('FOUNDATIONAL_PAPER', 'BACKGROUND', 'RESOLUTION', 'CONCEPT_NOTE', 'AGENDA');

-- CreateEnum
CREATE TYPE "DocumentStatus" AS ENUM ('DRAFT', 'FINAL');

-- CreateEnum
CREATE TYPE "AttendanceMode" AS ENUM ('IN_PERSON', 'REMOTE');

-- CreateEnum
CREATE TYPE "SessionRegistrationStatus" AS ENUM ('CONFIRMED', 'WAITLISTED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "organizer" TEXT NOT NULL,
    "status" "EventStatus" NOT NULL,
    "summary" TEXT,
    "background" TEXT,
    "mandate" TEXT,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "venueName" TEXT,
    "venueRoom" TEXT,
    "format" "EventFormat" NOT NULL,
    "onlinePlatform" TEXT,
    "interpretationLanguages" TEXT[],
    "registrationUrl" TEXT,
    "registrationRequired" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MechanismType" (
    "id" TEXT NOT NULL,
    "code" "MechanismTypeCode" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "examples" TEXT[],

    CONSTRAINT "MechanismType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "format" "SessionFormat",
    "mechanismTypeId" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Part" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT,
    "description" TEXT,

    CONSTRAINT "Part_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Break" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Break_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Panelist" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "affiliation" TEXT,
    "bio" TEXT,

    CONSTRAINT "Panelist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionPanelist" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "partId" TEXT,
    "panelistId" TEXT NOT NULL,
    "role" "PanelistRole" NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SessionPanelist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "status" "DocumentStatus",
    "url" TEXT,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "organization" TEXT,
    "attendanceMode" "AttendanceMode" NOT NULL,
    "interpretationLanguage" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionRegistration" (
    "id" TEXT NOT NULL,
    "registrationId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "status" "SessionRegistrationStatus" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Event_slug_key" ON "Event"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "MechanismType_code_key" ON "MechanismType"("code");

-- CreateIndex
CREATE INDEX "Session_eventId_startsAt_idx" ON "Session"("eventId", "startsAt");

-- CreateIndex
CREATE INDEX "Session_mechanismTypeId_idx" ON "Session"("mechanismTypeId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_eventId_number_key" ON "Session"("eventId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Part_sessionId_position_key" ON "Part"("sessionId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Break_eventId_startsAt_key" ON "Break"("eventId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Panelist_eventId_key_key" ON "Panelist"("eventId", "key");

-- CreateIndex
CREATE INDEX "SessionPanelist_panelistId_idx" ON "SessionPanelist"("panelistId");

-- CreateIndex
CREATE INDEX "SessionPanelist_partId_idx" ON "SessionPanelist"("partId");

-- CreateIndex
CREATE UNIQUE INDEX "SessionPanelist_sessionId_partId_panelistId_role_key" ON "SessionPanelist"("sessionId", "partId", "panelistId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Document_eventId_title_key" ON "Document"("eventId", "title");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_eventId_email_key" ON "Registration"("eventId", "email");

-- CreateIndex
CREATE INDEX "SessionRegistration_sessionId_status_idx" ON "SessionRegistration"("sessionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SessionRegistration_registrationId_sessionId_key" ON "SessionRegistration"("registrationId", "sessionId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_mechanismTypeId_fkey" FOREIGN KEY ("mechanismTypeId") REFERENCES "MechanismType"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Part" ADD CONSTRAINT "Part_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Break" ADD CONSTRAINT "Break_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Panelist" ADD CONSTRAINT "Panelist_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionPanelist" ADD CONSTRAINT "SessionPanelist_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionPanelist" ADD CONSTRAINT "SessionPanelist_partId_fkey" FOREIGN KEY ("partId") REFERENCES "Part"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionPanelist" ADD CONSTRAINT "SessionPanelist_panelistId_fkey" FOREIGN KEY ("panelistId") REFERENCES "Panelist"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRegistration" ADD CONSTRAINT "SessionRegistration_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "Registration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SessionRegistration" ADD CONSTRAINT "SessionRegistration_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
