// NOTIFY_AZ_OPT_IN (project rule, no scanner has it): aws_availability_zones with only
// state = "available" also returns opted-in Local Zones and Wavelength Zones, which sort before
// the region's own zones ("us-west-2-lax-1a" < "us-west-2a"), so slice(names, 0, n) would put
// subnets, NAT gateways and Fargate tasks in a Local Zone. Filter on opt-in-not-required.
import { isHclObject } from '../../hcl-files.ts';
import { blocksOf } from '../hcl-helpers.ts';
import { at, type PolicyRule } from '../rule.ts';

export const availabilityZonesOptIn: PolicyRule = {
  id: 'NOTIFY_AZ_OPT_IN',
  description:
    'aws_availability_zones lookups keep only the region\'s own zones (filter opt-in-status = "opt-in-not-required").',
  check({ module }) {
    return module.dataSources
      .filter((data) => data.type === 'aws_availability_zones')
      .flatMap((data) => {
        const filtered = blocksOf(data.body, 'filter').some(
          (filter) =>
            isHclObject(filter) &&
            filter.name === 'opt-in-status' &&
            Array.isArray(filter.values) &&
            filter.values.length === 1 &&
            filter.values[0] === 'opt-in-not-required',
        );
        return filtered
          ? []
          : [
              at(
                data,
                'add filter { name = "opt-in-status", values = ["opt-in-not-required"] }: "available" ' +
                  'also returns opted-in Local/Wavelength Zones, which sort first',
              ),
            ];
      });
  },
};
