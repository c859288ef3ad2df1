-- AlterTable
ALTER TABLE "Circular" ADD COLUMN     "audience" TEXT[] DEFAULT ARRAY['all']::TEXT[],
ADD COLUMN     "publishedAudience" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "requiresAcknowledgement" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "reviewReminderSentFor" DATE;

-- AlterTable
ALTER TABLE "CircularVersion" ADD COLUMN     "attachmentIds" TEXT[],
ADD COLUMN     "audience" TEXT[];

-- CreateTable
CREATE TABLE "CircularAttachment" (
    "id" TEXT NOT NULL,
    "circularId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'attachment',
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "extractedText" TEXT,
    "uploadedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "CircularAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircularAcknowledgement" (
    "id" TEXT NOT NULL,
    "circularId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "acknowledgedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CircularAcknowledgement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CircularRating" (
    "circularId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "useful" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CircularRating_pkey" PRIMARY KEY ("circularId","userId")
);

-- CreateTable
CREATE TABLE "CircularQuestion" (
    "id" TEXT NOT NULL,
    "circularId" TEXT NOT NULL,
    "askedById" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT,
    "answeredById" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CircularQuestion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "url" TEXT NOT NULL,
    "dedupeKey" TEXT,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchDocument" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attachmentText" TEXT NOT NULL DEFAULT '',
    "url" TEXT NOT NULL,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "audience" TEXT[],
    "themes" TEXT[],
    "departmentId" TEXT,
    "status" TEXT NOT NULL,
    "year" INTEGER,
    "validFrom" DATE,
    "validUntil" DATE,
    "supersededFrom" DATE,
    "sortDate" TIMESTAMP(3) NOT NULL,
    "searchVector" tsvector,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchIndexTask" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SearchIndexTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CircularAttachment_circularId_idx" ON "CircularAttachment"("circularId");

-- CreateIndex
CREATE INDEX "CircularAcknowledgement_userId_idx" ON "CircularAcknowledgement"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "CircularAcknowledgement_circularId_userId_version_key" ON "CircularAcknowledgement"("circularId", "userId", "version");

-- CreateIndex
CREATE INDEX "CircularQuestion_circularId_createdAt_idx" ON "CircularQuestion"("circularId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE INDEX "SearchDocument_type_status_idx" ON "SearchDocument"("type", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SearchDocument_type_sourceId_key" ON "SearchDocument"("type", "sourceId");

-- CreateIndex
CREATE INDEX "SearchIndexTask_type_sourceId_idx" ON "SearchIndexTask"("type", "sourceId");

-- AddForeignKey
ALTER TABLE "CircularAttachment" ADD CONSTRAINT "CircularAttachment_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularAttachment" ADD CONSTRAINT "CircularAttachment_uploadedById_fkey" FOREIGN KEY ("uploadedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularAcknowledgement" ADD CONSTRAINT "CircularAcknowledgement_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularAcknowledgement" ADD CONSTRAINT "CircularAcknowledgement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularRating" ADD CONSTRAINT "CircularRating_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularRating" ADD CONSTRAINT "CircularRating_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularQuestion" ADD CONSTRAINT "CircularQuestion_circularId_fkey" FOREIGN KEY ("circularId") REFERENCES "Circular"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularQuestion" ADD CONSTRAINT "CircularQuestion_askedById_fkey" FOREIGN KEY ("askedById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CircularQuestion" ADD CONSTRAINT "CircularQuestion_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: versions published before this migration get their circular's audience and no attachments.
-- The immutability trigger is paused for this one backfill only.
ALTER TABLE "CircularVersion" DISABLE TRIGGER "CircularVersion_immutable";
UPDATE "CircularVersion" v SET "audience" = COALESCE(c."audience", ARRAY['all']::TEXT[]), "attachmentIds" = ARRAY[]::TEXT[]
  FROM "Circular" c WHERE c."id" = v."circularId";
ALTER TABLE "CircularVersion" ENABLE TRIGGER "CircularVersion_immutable";
UPDATE "Circular" SET "audience" = ARRAY['all']::TEXT[] WHERE "audience" IS NULL;
UPDATE "Circular" SET "publishedAudience" = "audience" WHERE "publishedVersion" > 0;
