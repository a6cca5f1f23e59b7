import { validateSync } from 'class-validator';
import { IsContactEmail } from './customer-fields';

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
