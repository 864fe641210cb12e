// Deliberate exceptions to a policy check are annotated next to the code in the syntax of both
// scanners the checks mirror, so that checkov and trivy accept the same exception:
//   #checkov:skip=CKV_AWS_355:ecr:GetAuthorizationToken only supports "*"
//   #trivy:ignore:AVD-AWS-0057
// on the comment line(s) directly above the reported line (an argument, a statement's resources,
// or the resource header). For a finding on a block header, the comment lines that open the block
// count too: checkov reads a skip anywhere inside the block, trivy above the block.
// The checkov reason is mandatory; a rule only trivy has needs a plain comment line as its reason.
import type { PolicyRule } from './policies/rule.ts';
import type { TfFile } from './hcl-files.ts';

const CHECKOV_SKIP = /^(?:#|\/\/)\s*checkov:skip=([A-Za-z0-9_-]+)(?::(.*))?$/;
const TRIVY_IGNORE = /^(?:#|\/\/)\s*trivy:ignore:([A-Za-z0-9_-]+)\s*$/;

export type ExceptionLookup = { excepted: true } | { excepted: false; problem?: string };

type Rule = Pick<PolicyRule, 'id' | 'trivy'>;

export function findException(file: TfFile, line: number | undefined, rule: Rule): ExceptionLookup {
  if (line === undefined) return { excepted: false };
  const comments = commentGroup(file, line, -1);
  if (/\{\s*$/.test(file.source.line(line))) comments.push(...commentGroup(file, line, +1));

  const needsCheckov = rule.id.startsWith('CKV');
  const trivyId = rule.trivy;
  let checkovReason: string | undefined;
  let checkovSkip = false;
  let trivyIgnore = false;
  let plainReason = false;
  for (const text of comments) {
    const skip = CHECKOV_SKIP.exec(text);
    const ignore = TRIVY_IGNORE.exec(text);
    if (skip) {
      if (needsCheckov && skip[1] === rule.id) {
        checkovSkip = true;
        checkovReason = skip[2]?.trim() || checkovReason;
      }
    } else if (ignore) {
      if (ignore[1] === trivyId) trivyIgnore = true;
    } else {
      plainReason = true;
    }
  }
  const needsTrivy = trivyId !== undefined;
  if (!checkovSkip && !trivyIgnore) return { excepted: false };
  if (needsCheckov && !checkovSkip) {
    return {
      excepted: false,
      problem: `annotated for trivy but not for checkov: add #checkov:skip=${rule.id}:<reason>`,
    };
  }
  if (needsTrivy && !trivyIgnore) {
    return {
      excepted: false,
      problem: `annotated for checkov but not for trivy: add #trivy:ignore:${trivyId}`,
    };
  }
  if (needsCheckov ? !checkovReason : !plainReason) {
    return { excepted: false, problem: 'the annotation above needs a reason' };
  }
  return { excepted: true };
}

/** The run of comment lines next to `line`, walking up (-1) or down (+1). */
function commentGroup(file: TfFile, line: number, step: -1 | 1): string[] {
  const texts: string[] = [];
  for (let n = line + step; n >= 1; n += step) {
    const text = file.source.line(n).trim();
    if (!text.startsWith('#') && !text.startsWith('//')) break;
    texts.push(text);
  }
  return texts;
}
