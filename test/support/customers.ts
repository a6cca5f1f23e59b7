import type { DataSource } from 'typeorm';
import type { TestApp } from './test-app';
import { WRITE_KEY } from './test-app';

let sequence = 0;

/** Creates a customer through the API, unique per call so test files never share rows. */
export async function createCustomer(testApp: TestApp, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  sequence += 1;
  const unique = `${process.pid}-${Date.now().toString(36)}-${sequence}`;
  const response = await testApp
    .http()
    .post('/admin/customers')
    .set('x-api-key', WRITE_KEY)
    .send({ company_name: `Customer ${unique}`, contact_email: `admin-${unique}@example.com`, ...body });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function customerRow(dataSource: DataSource, customerId: string): Promise<Record<string, any>> {
  const [row] = await dataSource.query('SELECT * FROM customers WHERE customer_id = $1', [customerId]);
  return row;
}
