import type { LookupAddress } from 'node:dns';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forbiddenAddressReason } from '../../src/webhooks/address-ranges.ts';
import {
  pinnedLookup,
  resolveDestination,
  UnsafeDestinationError,
  type ResolveAll,
} from '../../src/webhooks/destination.ts';

const aws = { allowLoopback: false };
const local = { allowLoopback: true };
const resolvesTo =
  (...addresses: string[]): ResolveAll =>
  async () =>
    addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('forbiddenAddressReason', () => {
  it.each([
    ['0.0.0.0', /unspecified/],
    ['10.1.2.3', /private/],
    ['100.64.0.1', /CGNAT/],
    ['100.127.255.254', /CGNAT/],
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['169.254.169.254', /link-local/],
    ['169.254.170.2', /link-local/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['192.0.0.8', /IETF/],
    ['198.18.0.1', /benchmarking/],
    ['224.0.0.251', /multicast/],
    ['239.255.255.250', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['::ffff:127.0.0.1', /maps to a forbidden IPv4/],
    ['::ffff:7f00:1', /maps to a forbidden IPv4/],
    ['::ffff:a9fe:a9fe', /maps to a forbidden IPv4/],
    ['::ffff:10.0.0.1', /maps to a forbidden IPv4/],
    ['64:ff9b::a00:1', /NAT64/],
    ['fc00::1', /unique local/],
    ['fd00:ec2::254', /unique local/],
    ['fe80::1', /link-local/],
    ['fec0::1', /site-local/],
    ['ff02::1', /multicast/],
    ['2002:7f00:1::', /6to4/],
    ['2001:db8::1', /documentation/],
    ['not-an-ip', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toMatch(reason);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });
});

describe('resolveDestination', () => {
  it('returns the checked address of a public host over https', async () => {
    const destination = await resolveDestination(
      'https://hooks.example.com/notify',
      aws,
      resolvesTo('93.184.215.14'),
    );
    expect(destination).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(destination.url.href).toBe('https://hooks.example.com/notify');
  });

  it.each([
    ['decimal', 'https://2130706433/'],
    ['hex', 'https://0x7f000001/'],
    ['dotted hex', 'https://0x7f.0.0.1/'],
    ['octal', 'https://0177.0.0.1/'],
    ['short form', 'https://127.1/'],
    ['decimal link-local', 'https://2852039166/'],
    ['bracketed IPv6 loopback', 'https://[::1]/'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6, hex', 'https://[::ffff:a9fe:a9fe]/'],
  ])('refuses an IP literal in %s form (%s)', async (_form, url) => {
    const neverCalled: ResolveAll = async () => {
      throw new Error('an IP literal must not be resolved');
    };
    await expect(resolveDestination(url, aws, neverCalled)).rejects.toThrow(UnsafeDestinationError);
  });

  it('refuses a name that resolves to loopback', async () => {
    await expect(
      resolveDestination('https://localtest.me/', aws, resolvesTo('127.0.0.1')),
    ).rejects.toThrow('localtest.me: 127.0.0.1 is loopback');
  });

  it('refuses a name when any of its addresses is forbidden', async () => {
    await expect(
      resolveDestination('https://mixed.example/', aws, resolvesTo('93.184.215.14', '10.0.0.7')),
    ).rejects.toThrow(/10\.0\.0\.7 is private/);
  });

  it('refuses a name that does not resolve, naming the error', async () => {
    const failing: ResolveAll = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await expect(resolveDestination('https://nowhere.invalid/', aws, failing)).rejects.toThrow(
      'nowhere.invalid does not resolve (ENOTFOUND)',
    );
  });

  it('requires https for public hosts, even when loopback is allowed', async () => {
    await expect(
      resolveDestination('http://hooks.example.com/', local, resolvesTo('93.184.215.14')),
    ).rejects.toThrow('https is required');
  });

  it.each([
    'ftp://hooks.example.com/',
    'file:///etc/passwd',
    'not a url',
    'https://u:p@hooks.example.com/',
  ])('refuses %s', async (url) => {
    await expect(resolveDestination(url, aws, resolvesTo('93.184.215.14'))).rejects.toThrow(
      UnsafeDestinationError,
    );
  });

  it('allows loopback over http only when the local stack says so', async () => {
    await expect(resolveDestination('http://127.0.0.1:4000/', aws)).rejects.toThrow(/loopback/);
    await expect(resolveDestination('http://127.0.0.1:4000/', local)).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(
      resolveDestination('http://localhost:4000/', local, resolvesTo('::1', '127.0.0.1')),
    ).resolves.toMatchObject({ address: '::1', family: 6 });
  });

  it('keeps private ranges forbidden when loopback is allowed', async () => {
    await expect(resolveDestination('http://192.168.1.10/', local)).rejects.toThrow(/private/);
    await expect(resolveDestination('https://169.254.169.254/', local)).rejects.toThrow(
      /link-local/,
    );
  });
});

describe('pinnedLookup', () => {
  it('connects to the checked address whatever the name resolves to now', async () => {
    const server = createServer((req, res) => res.end(req.headers.host));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // The name does not exist in DNS: only the pinned lookup can make this request succeed.
      const destination = await resolveDestination(
        `http://rebind.invalid:${port}/`,
        local,
        resolvesTo('127.0.0.1'),
      );
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(destination.url, { lookup: pinnedLookup(destination) }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe(`rebind.invalid:${port}`);
    } finally {
      server.close();
    }
  });
});
