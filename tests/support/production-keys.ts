/** Test keys for personal contact data: production refuses to start without them (app/env.server.ts). */
export const PRODUCTION_DATA_KEYS = {
  PERSONAL_DATA_KEYS: `test1:${Buffer.alloc(32, 0x5a).toString("base64")}`,
  PERSONAL_DATA_INDEX_KEY: Buffer.alloc(32, 0xa5).toString("base64"),
};
