import { guardedLookup, isPublicAddress, literalAddress, RefusedAddressError } from './webhook-address-policy';

describe('webhook address policy', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:a9fe:a9fe::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('reads IPv4 and bracketed IPv6 literals from URL hosts, and nothing else', () => {
    expect(literalAddress(new URL('http://127.0.0.1:8080/').hostname)).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::1]/').hostname)).toBe('::1');
    // WHATWG URL parsing normalises the legacy forms an attacker would use to hide an address.
    expect(literalAddress(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(literalAddress(new URL('https://hooks.example.com/').hostname)).toBeUndefined();
  });

  it('refuses a name that resolves to loopback at connection time', async () => {
    const error = await new Promise<unknown>((resolve) => guardedLookup('localhost', {}, (failure) => resolve(failure)));
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect((error as Error).message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
  });
});
