-- CreateIndex
CREATE INDEX "Digest_periodKey_idx" ON "Digest"("periodKey");

