// The local stack as a library: the emulators, the resources they hold, the services' local
// configuration and the process helpers. `npm start` runs src/start.ts; integration and system
// tests, the fault drills and the benchmark import these by package name.
export * from './emulators.ts';
export * from './fault-proxy.ts';
export * from './hung-server.ts';
export * from './ports.ts';
export * from './processes.ts';
export * from './provision.ts';
export * from './stack-config.ts';
export * from './ses-event-source.ts';
