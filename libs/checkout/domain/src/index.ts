export * from './lib/checkout.events';
export * from './lib/checkout.commands';
export * from './lib/checkout.state';
export * from './lib/checkout.decider';
export * from './lib/policy/phone-factor-policy';
export * from './lib/policy/checkout-policy';
export { checkCredential, type CredentialCheck, type CredentialPresentation } from './lib/decide/payment';
export * from './lib/checkout.next-step';
