import { addressBucket, BlockedAddresses } from './failed-authentications';

describe('addressBucket', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
    [undefined, 'unknown'],
    ['not-an-address', 'not-an-address'],
  ])('%s → %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });

  it('keeps neighbouring IPv4 addresses and other /64s apart', () => {
    expect(addressBucket('192.0.2.7')).not.toBe(addressBucket('192.0.2.8'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
  });
});

describe('BlockedAddresses', () => {
  it('answers the seconds left, and forgets a block once it has passed', () => {
    const blocked = new BlockedAddresses();
    blocked.block('a', 60, 1_000);
    expect(blocked.secondsLeft('a', 1_000)).toBe(60);
    expect(blocked.secondsLeft('a', 30_500)).toBe(31);
    expect(blocked.secondsLeft('b', 1_000)).toBeUndefined();
    expect(blocked.secondsLeft('a', 61_000)).toBeUndefined();
    expect(blocked.size).toBe(0);
  });

  it('stays within its capacity by dropping the soonest-expiring block, never everyone at once', () => {
    const blocked = new BlockedAddresses(100);
    for (let i = 0; i < 10_000; i++) blocked.block(`flood-${i}`, 60, 1_000 + i);
    expect(blocked.size).toBe(100);
    expect(blocked.secondsLeft('flood-9999', 20_000)).toBeDefined();
    expect(blocked.secondsLeft('flood-9900', 20_000)).toBeDefined();
    expect(blocked.secondsLeft('flood-9899', 20_000)).toBeUndefined();
  });

  it('drops expired blocks first when over capacity', () => {
    const blocked = new BlockedAddresses(2);
    blocked.block('old', 1, 0);
    blocked.block('kept', 60, 0);
    blocked.block('new', 60, 5_000);
    expect(blocked.size).toBe(2);
    expect(blocked.secondsLeft('kept', 5_000)).toBe(55);
    expect(blocked.secondsLeft('new', 5_000)).toBe(60);
  });
});
