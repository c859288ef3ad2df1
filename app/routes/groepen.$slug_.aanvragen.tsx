/** /groepen/<slug>/aanvragen: owners approve or reject the requests to join. */
export { requestsAction as action, requestsLoader as loader } from "~/modules/stream/place-route.server";
export { PlaceRequestsPage as default, placeMeta as meta } from "~/components/stream/place-page";
