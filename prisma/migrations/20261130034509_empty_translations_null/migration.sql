-- AlterTable
ALTER TABLE "Break" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Document" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Event" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "MechanismType" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Panelist" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Part" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Session" ALTER COLUMN "translations" DROP NOT NULL,
ALTER COLUMN "translations" DROP DEFAULT;

-- Data (written by hand, not by the engine): no translation is NULL, which Prisma reads without
-- parsing a JSON value per row.
UPDATE "Break" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "Document" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "Event" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "MechanismType" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "Panelist" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "Part" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
UPDATE "Session" SET "translations" = NULL WHERE "translations" = '{}'::jsonb;
