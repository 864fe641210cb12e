// The smoke gate deploy and rollback hold at Ready: asked for by giving test-url (and the token
// it needs), absent otherwise.
import type { RunSmokeTests, SmokeGate } from './strategy.ts';

export interface SmokeGateInputs {
  testUrl?: string;
  smokeToken?: string;
  smokeRecipient: string;
}

export function smokeGateFor(inputs: SmokeGateInputs, run: RunSmokeTests): SmokeGate | undefined {
  if (!inputs.testUrl || !inputs.smokeToken) return undefined;
  return {
    baseUrl: inputs.testUrl,
    token: inputs.smokeToken,
    recipient: inputs.smokeRecipient,
    run,
  };
}
