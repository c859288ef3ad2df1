-- CreateTable
CREATE TABLE "SendSlot" (
    "name" TEXT NOT NULL,
    "nextAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SendSlot_pkey" PRIMARY KEY ("name")
);

