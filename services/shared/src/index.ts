export * from './envelope.ts';
export * from './logger.ts';
export * from './metrics.ts';
export * from './aws.ts';
export * from './config.ts';
export * from './group-commit.ts';
export * from './status/model.ts';
export * from './status/ses-events.ts';
export * from './status/store.ts';
export {
  decodeCursor,
  encodeCursor,
  fromEventItem,
  fromStateItem,
  toEventItem,
  toStateItem,
  type ListCursor,
} from './status/store-items.ts';
export * from './webhooks/event.ts';
export * from './webhooks/job.ts';
export * from './webhooks/signing.ts';
export * from './webhooks/client-config.ts';
export * from './webhooks/jobs-for-change.ts';
