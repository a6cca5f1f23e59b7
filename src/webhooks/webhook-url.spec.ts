import { ProblemException } from '../http/problem.exception';
import { checkWebhookUrl } from './webhook-url';

describe('checkWebhookUrl', () => {
  const production = { allowHttp: false, allowPrivateNetworks: false };
  const development = { allowHttp: true, allowPrivateNetworks: true };

  const refusal = async (url: string, rules = production) => {
    try {
      await checkWebhookUrl(url, rules);
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      const { errors } = error as ProblemException;
      expect(errors).toHaveLength(1);
      expect(errors[0].field).toBe('url');
      return errors[0].message;
    }
    throw new Error(`${url} was accepted`);
  };

  it('accepts a public https URL and returns it normalised', async () => {
    await expect(checkWebhookUrl('https://8.8.8.8/hooks', production)).resolves.toBe('https://8.8.8.8/hooks');
    await expect(checkWebhookUrl('HTTPS://1.1.1.1:8443/a?b=c', production)).resolves.toBe('https://1.1.1.1:8443/a?b=c');
  });

  it('requires https unless http is allowed', async () => {
    expect(await refusal('http://8.8.8.8/hooks')).toMatch(/must use https in production \(set WEBHOOK_ALLOW_HTTP=true/);
    await expect(checkWebhookUrl('http://8.8.8.8/hooks', { ...production, allowHttp: true })).resolves.toBe('http://8.8.8.8/hooks');
  });

  it.each([
    'http://127.0.0.1:8080/hook\nx',
    'http://127.0.0.1:8080/ho\tok',
    'http://127.0.0.1:8080/hook\r',
    ' http://127.0.0.1:8080/hook',
    'http://127.0.0.1:8080/hook ',
    'http://127.0.0.1:8080/a b',
    'http://127.0.0.1:8080/\u200Bhook',
    'http://127.0.0.1:8080/hook\u0000',
    'http://127.0.0.1:8080/hook\u00A0',
  ])('refuses %j: the parser would silently change it', async (url) => {
    expect(await refusal(url, development)).toMatch(/^url must not contain whitespace/);
  });

  it.each(['not a url', '/relative/path', 'ftp://8.8.8.8/x', 'javascript:alert(1)', 'https://user:pass@8.8.8.8/', 'https://8.8.8.8/#frag'])(
    'refuses %s',
    async (url) => {
      expect(await refusal(url, development)).toMatch(/^url /);
    },
  );

  it.each([
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://169.254.169.254/latest',
    'https://10.1.2.3/',
    'https://0x7f.0.0.1/',
    'https://localhost/',
    'https://[::ffff:192.168.0.1]/',
  ])('refuses the non-public host of %s unless private networks are allowed', async (url) => {
    expect(await refusal(url)).toMatch(
      /a loopback, private, link-local or metadata address; webhooks go to public addresses unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/,
    );
    await expect(checkWebhookUrl(url, { ...production, allowPrivateNetworks: true })).resolves.toBeDefined();
  });

  it('refuses a URL that percent-encoding makes longer than the column', async () => {
    const url = `https://8.8.8.8/${'é'.repeat(1000)}`;
    expect(url.length).toBeLessThan(2048);
    expect(await refusal(url, development)).toBe('url must be at most 2048 characters once percent-encoded');
  });

  // Names are resolved by a stand-in: the tests look up no name outside this machine.
  it('refuses a host that does not resolve', async () => {
    const unresolvable = jest.fn(async () => undefined);
    await expect(checkWebhookUrl('https://no-such-host.invalid/hooks', production, unresolvable)).rejects.toMatchObject({
      errors: [{ field: 'url', message: "url's host no-such-host.invalid does not resolve" }],
    });
    expect(unresolvable).toHaveBeenCalledWith('no-such-host.invalid');
  });

  it('refuses a name that resolves to any non-public address, and accepts one that resolves to public ones only', async () => {
    const mixed = async () => ['8.8.8.8', '10.0.0.7'];
    await expect(checkWebhookUrl('https://hooks.example.com/x', production, mixed)).rejects.toMatchObject({
      errors: [{ field: 'url', message: expect.stringMatching(/^url's host hooks\.example\.com is or resolves to 10\.0\.0\.7, a loopback, private/) }],
    });
    await expect(checkWebhookUrl('https://hooks.example.com/x', production, async () => ['8.8.8.8'])).resolves.toBe('https://hooks.example.com/x');
  });
});
