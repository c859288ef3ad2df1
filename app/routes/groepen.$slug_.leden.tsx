/** /groepen/<slug>/leden: the members, and for owners adding, removing, promoting and demoting them. */
export { membersAction as action, membersLoader as loader } from "~/modules/stream/place-route.server";
export { PlaceMembersPage as default, placeMeta as meta } from "~/components/stream/place-page";
