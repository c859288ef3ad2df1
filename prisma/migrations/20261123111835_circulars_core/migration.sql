-- CreateEnum
CREATE TYPE "CircularStatus" AS ENUM ('draft', 'in_review', 'published', 'archived');

-- CreateTable
CREATE TABLE "Theme" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "nameNl" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Theme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircularNumberSequence" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "CircularNumberSequence_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "Circular" (
    "id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" "CircularStatus" NOT NULL DEFAULT 'draft',
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "validFrom" DATE,
    "validUntil" DATE,
    "reviewDate" DATE,
    "ownerDepartmentId" TEXT NOT NULL,
    "responsibleUserId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "submittedById" TEXT,
    "submittedAt" TIMESTAMP(3),
    "changeNote" TEXT,
    "substantialChange" BOOLEAN NOT NULL DEFAULT false,
    "publishedVersion" INTEGER NOT NULL DEFAULT 0,
    "archivedAt" TIMESTAMP(3),
    "supersedesId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Circular_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircularTheme" (
    "circularId" TEXT NOT NULL,
    "themeId" TEXT NOT NULL,

    CONSTRAINT "CircularTheme_pkey" PRIMARY KEY ("circularId","themeId")
);

-- CreateTable
CREATE TABLE "CircularVersion" (
    "id" TEXT NOT NULL,
    "circularId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "validFrom" DATE,
    "validUntil" DATE,
    "changeNote" TEXT NOT NULL,
    "substantial" BOOLEAN NOT NULL,
    "authorId" TEXT NOT NULL,
    "approvedById" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CircularVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Theme_slug_key" ON "Theme"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Circular_number_key" ON "Circular"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Circular_supersedesId_key" ON "Circular"("supersedesId");

-- CreateIndex
CREATE INDEX "Circular_status_idx" ON "Circular"("status");

-- CreateIndex
CREATE INDEX "Circular_ownerDepartmentId_idx" ON "Circular"("ownerDepartmentId");

-- CreateIndex
CREATE INDEX "Circular_reviewDate_idx" ON "Circular"("reviewDate");

-- CreateIndex
CREATE UNIQUE INDEX "Circular_year_sequence_key" ON "Circular"("year", "sequence");

-- CreateIndex
CREATE INDEX "CircularTheme_themeId_idx" ON "CircularTheme"("themeId");

-- CreateIndex
CREATE UNIQUE INDEX "CircularVersion_circularId_version_key" ON "CircularVersion"("circularId", "version");

-- AddForeignKey
ALTER TABLE "Circular" ADD CONSTRAINT "Circular_ownerDepartmentId_fkey" FOREIGN KEY ("ownerDepartmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Circular" ADD CONSTRAINT "Circular_responsibleUserId_fkey" FOREIGN KEY ("responsibleUserId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Circular" ADD CONSTRAINT "Circular_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Circular" ADD CONSTRAINT "Circular_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Circular" ADD CONSTRAINT "Circular_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "Circular"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularTheme" ADD CONSTRAINT "CircularTheme_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularTheme" ADD CONSTRAINT "CircularTheme_themeId_fkey" FOREIGN KEY ("themeId") REFERENCES "Theme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularVersion" ADD CONSTRAINT "CircularVersion_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularVersion" ADD CONSTRAINT "CircularVersion_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularVersion" ADD CONSTRAINT "CircularVersion_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: published versions are the legal record of what was in force; they never change.
CREATE FUNCTION "circular_version_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'CircularVersion rows are immutable (%.version %)', OLD."circularId", OLD."version"
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "CircularVersion_immutable"
  BEFORE UPDATE OR DELETE ON "CircularVersion"
  FOR EACH ROW EXECUTE FUNCTION "circular_version_immutable"();
