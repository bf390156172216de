-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('NOT_REQUIRED', 'PENDING', 'APPROVED', 'DECLINED');

-- AlterEnum
ALTER TYPE "AdminScope" ADD VALUE 'REVIEW_REGISTRATIONS';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "MessageKind" ADD VALUE 'APPROVAL_REQUESTED';
ALTER TYPE "MessageKind" ADD VALUE 'APPROVED';
ALTER TYPE "MessageKind" ADD VALUE 'DECLINED';

-- AlterEnum
ALTER TYPE "SessionRegistrationStatus" ADD VALUE 'PENDING';

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "approvalInstructions" TEXT,
ADD COLUMN     "approvalRequiredFor" "AttendanceMode"[] DEFAULT ARRAY[]::"AttendanceMode"[];

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "approval" "ApprovalStatus" NOT NULL DEFAULT 'NOT_REQUIRED',
ADD COLUMN     "declineReason" TEXT;
