/** /groepen/<slug>: a group's page; the same module as /projecten/<slug> (see place-route.server.ts). */
export { placeAction as action, placeLoader as loader } from "~/modules/stream/place-route.server";
export { PlacePage as default, placeMeta as meta } from "~/components/stream/place-page";
