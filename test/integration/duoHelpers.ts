/** Shared set-up for the Duo integration tests: a simulator and a client pointed at it. */
import { DuoAdminClient } from '../../src/duo/client.js';
import {
  startDuoSimulator,
  type DuoSimulator,
  type DuoSimulatorOptions,
} from '../../src/duo/simulator/index.js';

export const SIM_CREDS = {
  ikey: 'DISIMSIMSIMSIMSIMSIM',
  skey: 'simulator-secret-key-for-tests-only-0000',
  apiHost: 'api-sim.duosecurity.test',
};

/** A fresh simulator and an Admin client that signs for it. */
export async function simulatorWithClient(
  extra: Partial<DuoSimulatorOptions> = {},
): Promise<{ sim: DuoSimulator; duo: DuoAdminClient }> {
  const sim = await startDuoSimulator({ ...SIM_CREDS, ...extra });
  const duo = new DuoAdminClient({
    ikey: SIM_CREDS.ikey,
    skey: SIM_CREDS.skey,
    host: SIM_CREDS.apiHost,
    baseUrl: sim.url,
    timeoutMs: 300,
    sleep: async () => undefined,
  });
  return { sim, duo };
}
