// The worker's workflow bundle entry point: every workflow type the worker serves.
export { requestLifecycle } from './request-lifecycle';
export { deliverWebhook } from './webhook-delivery';
export { recordMeetingMinutes } from './meeting-minutes';
export { steeringCommitteeMeeting } from './meeting';
export { signInHousekeeping } from './sign-in-housekeeping';
