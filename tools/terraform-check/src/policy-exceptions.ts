// Deliberate exceptions to a policy check are written next to the code that needs them:
//   # policy-exception: CKV_AWS_355 ecr:GetAuthorizationToken only supports "*"
// on the line(s) directly above the reported line (an argument, a statement's resources, or the
// resource header). The reason is mandatory.
import type { TfFile } from './hcl-files.ts';

const ANNOTATION = /(?:#|\/\/)\s*policy-exception:\s*([A-Za-z0-9_-]+)(?:\s+(\S.*))?$/;

export type ExceptionLookup = { excepted: true } | { excepted: false; missingReason: boolean };

export function findException(
  file: TfFile,
  line: number | undefined,
  checkId: string,
): ExceptionLookup {
  let missingReason = false;
  if (line === undefined) return { excepted: false, missingReason };
  for (let n = line - 1; n >= 1; n -= 1) {
    const text = file.source.line(n).trim();
    if (!text.startsWith('#') && !text.startsWith('//')) break;
    const match = ANNOTATION.exec(text);
    if (match?.[1] === checkId) {
      if (match[2]) return { excepted: true };
      missingReason = true;
    }
  }
  return { excepted: false, missingReason };
}
