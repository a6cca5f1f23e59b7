import { validateSync } from 'class-validator';
import { IsContactEmail, IsExternalId } from './customer-fields';

class WithEmail {
  @IsContactEmail()
  contact_email: string;
}
const problems = (email: string) =>
  validateSync(Object.assign(new WithEmail(), { contact_email: email })).flatMap((error) => Object.values(error.constraints ?? {}));

describe('IsContactEmail (OpenAPI format: email)', () => {
  it.each(['ops@acme.example', 'a.b+c@sub.example.com', 'ops@xn--bcher-kva.example'])('accepts %s', (email) => expect(problems(email)).toEqual([]));
  it.each(['ops@bücher.example', 'jörg@acme.example', 'ops@例え.jp'])('refuses %s, pointing at the punycode form', (email) =>
    expect(problems(email)).toEqual([expect.stringMatching(/ASCII email address.*punycode/)]),
  );
  it.each(['not-an-email', '@x.example', 'a b@x.example', 'a@b'])('refuses %s as not an email address', (email) =>
    expect(problems(email)).toEqual(['contact_email must be a valid email address']),
  );
});

describe('IsExternalId', () => {
  class Target {
    @IsExternalId()
    external_id: unknown;
  }
  const valid = (value: unknown) => validateSync(Object.assign(new Target(), { external_id: value })).length === 0;

  it.each(['crm-00042', 'cus_9f8e', 'Ünïcode id 42', 'a', 'x'.repeat(300)])('accepts %j', (value) => expect(valid(value)).toBe(true));
  it.each(['', ' crm', 'crm ', 'a\nb', 'a\tb', 'a\u200bb', 'a\u2028b', 'a\u0000b', 42, null])('refuses %j', (value) => expect(valid(value)).toBe(false));
});
