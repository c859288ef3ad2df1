/** Queue names shared by the digest planner and the delivery jobs (server/jobs/digests-*.ts). */

/** One job per DigestDelivery: `{ deliveryId: string }`, sent with `singletonKey: deliveryId`. */
export const DIGESTS_DELIVER_QUEUE = "digests.deliver";

/** The planner: composes the digests that are due and queues their deliveries (cron, every 5 minutes). */
export const DIGESTS_PLAN_QUEUE = "digests.plan";

export type DeliverDigestJob = { deliveryId: string };
