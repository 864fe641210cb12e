// The send-time check of a webhook URL: the scheme, then every address the host resolves to.
// The caller connects to the address returned here (pinnedLookup), never resolves the name
// again, so a DNS answer that changes between the check and the connect (DNS rebinding) cannot
// steer the request to an address that was not checked.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenAddressReason, isLoopbackAddress } from './address-ranges.ts';

export interface DestinationPolicy {
  /**
   * Local stack only: allow loopback addresses, over http or https. Private, link-local and the
   * other ranges stay forbidden even then.
   */
  allowLoopback: boolean;
}

export interface Destination {
  url: URL;
  /** The checked address the request must connect to. */
  address: string;
  family: 4 | 6;
}

export class UnsafeDestinationError extends Error {
  override name = 'UnsafeDestinationError';
  /** True only when the name did not resolve (DNS may answer later); a refused address is final. */
  readonly retryable: boolean;
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** Parses and checks the URL's form; the WHATWG parser turns 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeDestinationError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UnsafeDestinationError(`scheme ${url.protocol} is not allowed (https only)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UnsafeDestinationError('credentials in the URL are not allowed');
  }
  return url;
}

/**
 * Resolves the URL's host and checks every address (one forbidden answer refuses the URL: the
 * resolver could hand that one to the connect). HTTPS is required unless the policy allows
 * loopback and the host is loopback. Throws UnsafeDestinationError with the reason.
 */
export async function resolveDestination(
  raw: string,
  policy: DestinationPolicy,
  resolveAll: ResolveAll = systemResolveAll,
): Promise<Destination> {
  const url = parseWebhookUrl(raw);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: LookupAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolveAll(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UnsafeDestinationError(`${host} does not resolve (${code})`, {
        retryable: true,
        cause: error,
      });
    }
    if (addresses.length === 0) throw new UnsafeDestinationError(`${host} has no address`);
  }
  for (const { address } of addresses) {
    if (policy.allowLoopback && isLoopbackAddress(address)) continue;
    const reason = forbiddenAddressReason(address);
    if (reason !== undefined) throw new UnsafeDestinationError(`${host}: ${reason}`);
  }
  const chosen = addresses[0]!;
  const loopback = addresses.every((a) => isLoopbackAddress(a.address));
  if (url.protocol !== 'https:' && !(policy.allowLoopback && loopback)) {
    throw new UnsafeDestinationError('https is required');
  }
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

/** A `lookup` for http.request that answers with the checked address whatever the name. */
export function pinnedLookup(destination: Destination): LookupFunction {
  const { address, family } = destination;
  return (_hostname, options, callback) => {
    // Node asks with all: true when it may race address families (autoSelectFamily).
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
