/** The Duo simulator: a stateful, signature-checking stand-in for Duo's Admin and Auth APIs. */
export { startDuoSimulator } from './server.js';
export type { DuoSimulator, DuoSimulatorOptions, FailureKind, InjectedFailure } from './server.js';
export { DuoModel, SimFailure } from './model.js';
export type { SimDirectoryEntry, SimState, SentSms, SentEnrolEmail } from './model.js';
export type { PushOutcome } from './routes.js';
