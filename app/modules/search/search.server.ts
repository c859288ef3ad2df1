/**
 * The app's door to the top-level `search/` package. Remix only strips `*.server` modules from the browser
 * bundle when they live inside `app/`, so routes import search functions through this file.
 */
export {
  searchDocuments,
  searchEveryType,
  type SearchResponse,
  type SearchResultItem,
} from "../../../search/search.server";
