export enum Tier {
  Starter = 'starter',
  Growth = 'growth',
  Scale = 'scale',
  Enterprise = 'enterprise',
  Custom = 'custom',
}

export const TIERS = Object.values(Tier);
