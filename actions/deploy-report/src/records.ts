// Reads the deploy records the environment jobs uploaded (deploy-record-<name>.json, one per
// environment and region) from the folder the artifacts were downloaded to. A missing folder
// means no environment was reached, which the report says; an unreadable record is an error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDeployRecord, type DeployRecord } from './report.ts';

export function readDeployRecords(directory: string): DeployRecord[] {
  if (!directory || !existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => /^deploy-record-.+\.json$/.test(name))
    .sort()
    .map((name) => parseDeployRecord(readFileSync(path.join(directory, name), 'utf8'), name));
}
