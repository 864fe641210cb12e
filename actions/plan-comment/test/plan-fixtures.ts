// Builders for `terraform show -json` / `terraform show` output in the shape Terraform writes.

export type Change = [address: string, actions: string[], reason?: string];

export function planJson(changes: Change[], outputs: Record<string, string[]> = {}): object {
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: changes.map(([address, actions, reason]) => ({
      address,
      mode: 'managed',
      type: address.split('.').at(-2),
      name: address.split('.').at(-1),
      change: { actions, before: null, after: {} },
      ...(reason ? { action_reason: reason } : {}),
    })),
    output_changes: Object.fromEntries(
      Object.entries(outputs).map(([name, actions]) => [name, { actions }]),
    ),
  };
}

/** A plan text of about `lines` lines, with Terraform's summary line last. */
export function planText(lines: number): string {
  const body: string[] = ['Terraform will perform the following actions:', ''];
  for (let i = 0; body.length < lines - 2; i += 1) {
    body.push(`  # aws_ssm_parameter.p[${i}] will be created`);
    body.push(`  + resource "aws_ssm_parameter" "p" {`);
    body.push(`      + name  = "/notify/staging/p${i}"`);
    body.push(`      + value = (sensitive value)`);
    body.push('    }');
    body.push('');
  }
  body.push(`Plan: ${lines} to add, 0 to change, 0 to destroy.`);
  return body.join('\n');
}
