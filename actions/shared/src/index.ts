// What the actions share, imported by name (`@notify/actions-shared`) as the services import
// `@notify/shared`; esbuild inlines it into each action's bundle.
export * from './aws-errors.ts';
export * from './aws.ts';
export * from './clock.ts';
export * from './console-links.ts';
export * from './inputs.ts';
export * from './poll.ts';
export * from './summary.ts';
