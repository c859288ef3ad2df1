/**
 * Document types the index knows: circulars, posts of the activity stream and people. Documents join later.
 * Kept out of the *.server files because the browser validates search parameters too (the classic compiler
 * empties .server modules there).
 */
export const SEARCH_TYPES = ["circular", "post", "person"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/**
 * What a search without `type` covers: circulars only. /circulaires and the API's first clients were
 * written when the index held nothing else, and a post or a colleague in their results would surprise
 * them; /zoeken asks for every type by name.
 */
export const DEFAULT_SEARCH_TYPES: readonly SearchType[] = ["circular"];
