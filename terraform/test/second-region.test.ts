// A second production region shares the Route 53 zone and the sending domain with the primary:
// its MAIL FROM records must not have the same names (issue 12, defect 8). Failed before the fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { terraformDir } from './hcl-module.ts';

type Hcl = Record<string, unknown>;

test('each production region gets its own MAIL FROM subdomain (the primary keeps the plain one)', async () => {
  const file = join(terraformDir, 'environments', 'production', 'main.tf');
  const body = (await parse('main.tf', readFileSync(file, 'utf8'))) as {
    locals: Hcl[];
    module: { platform: Hcl[] };
  };
  const platform = body.module.platform[0];
  expect(platform.ses_mail_from_subdomain).toBe('${local.ses_mail_from_subdomain}');
  const local = String(
    body.locals.find((block) => 'ses_mail_from_subdomain' in block)?.ses_mail_from_subdomain,
  );
  // null stays null; the primary region passes the variable as it is; any other region appends
  // its suffix, so the MX (naming that region's SES endpoint) and SPF records get their own name.
  expect(local).toMatch(/var\.ses_mail_from_subdomain == null \? null/);
  expect(local).toMatch(/local\.is_primary_region \? var\.ses_mail_from_subdomain/);
  expect(local).toContain('"${var.ses_mail_from_subdomain}-${local.region_suffix}"');
});
