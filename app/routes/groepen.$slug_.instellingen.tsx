/** /groepen/<slug>/instellingen: owners edit the name and description, the visibility, and archive. */
export { settingsAction as action, settingsLoader as loader } from "~/modules/stream/place-route.server";
export { PlaceSettingsPage as default, placeMeta as meta } from "~/components/stream/place-page";
