export * from './lib/claim/claim.events';
export * from './lib/claim/claim.evidence';
export * from './lib/claim/claim.commands';
export * from './lib/claim/claim.state';
export * from './lib/claim/claim.limits';
export * from './lib/claim/claim.decider';
export * from './lib/claimed-payment/claimed-payment.decider';
