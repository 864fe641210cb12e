// What the platform runs besides the services themselves: no Service Connect proxy without a
// client (issue 12, defect 9), and the free gateway endpoints that keep DynamoDB off the NAT.
// Each test failed against the code before the fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule, modulesDir, terraformDir, type HclModule } from './hcl-module.ts';

let platform: HclModule;
let network: HclModule;
beforeAll(async () => {
  platform = await loadModule(join(modulesDir, 'platform'));
  network = await loadModule(join(modulesDir, 'network'));
});

describe('Service Connect', () => {
  test('no service joins a namespace, and none is created: nothing calls the worker', () => {
    for (const service of ['api', 'worker']) {
      const call = platform.moduleCall(service);
      expect({ service, namespace: call.service_connect_namespace_arn }).toEqual({
        service,
        namespace: undefined,
      });
      expect(call.service_connect_discovery_name).toBeUndefined();
    }
    expect(platform.moduleCall('ecs_cluster').create_service_connect_namespace).toBe(false);
  });
});

describe('VPC endpoints', () => {
  test('DynamoDB has a (free) gateway endpoint on the private route tables, as S3 has', () => {
    const dynamodb = network.resource('aws_vpc_endpoint', 'dynamodb');
    expect(dynamodb.vpc_endpoint_type).toBe('Gateway');
    expect(dynamodb.service_name).toBe('com.amazonaws.${data.aws_region.current.region}.dynamodb');
    expect(dynamodb.route_table_ids).toBe('${aws_route_table.private[*].id}');
    expect(dynamodb.count).toEqual(network.resource('aws_vpc_endpoint', 's3').count);
  });

  test('the README does not claim production works without NAT (SES still needs it)', () => {
    const readme = readFileSync(join(terraformDir, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/keeps working without the NAT/);
    expect(readme).toMatch(/only SES[\s\S]{0,40}still needs the NAT/);
    expect(readme).not.toMatch(/worker joins/);
  });
});
