export enum CustomerStatus {
  Active = 'active',
  Suspended = 'suspended',
}

export const CUSTOMER_STATUSES = Object.values(CustomerStatus);
