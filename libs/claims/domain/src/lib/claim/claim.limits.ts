/** Most payments one claim may name: a claim is about one abuse episode, not an account's history. */
export const MAX_PAYMENTS_PER_CLAIM = 20;
/** Longest filing or rejection reason (the dashboard enforces the same). */
export const MAX_REASON_LENGTH = 500;
/** Longest actor name recorded (dashboard usernames are at most 64). */
export const MAX_ACTOR_LENGTH = 128;
