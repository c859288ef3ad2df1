/**
 * Document types the index knows. Posts, documents and people join later. Kept out of the *.server files
 * because the browser validates search parameters too (the classic compiler empties .server modules there).
 */
export const SEARCH_TYPES = ["circular"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
